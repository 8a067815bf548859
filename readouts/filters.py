"""The FilterSets behind the public lists and the API: one per list, used by both.

Every filter parameter is validated: an unknown parameter or a malformed
value is an error that names the parameter, never a silent empty page.
"""

import copy
from collections import defaultdict
from functools import partial

import django_filters
import django_filters.rest_framework
from django import forms
from django.db.models import Q
from django.http import QueryDict
from drf_spectacular.utils import extend_schema_field
from rest_framework.exceptions import ValidationError

from . import caching, facets, pagination
from .models import (
    Administration,
    Annotation,
    Country,
    Issuer,
    Meeting,
    Occasion,
    Participation,
    Person,
    Point,
    Readout,
    Topic,
)
from .search import CANDIDATES

# Parameters that are not filters but that lists and the API understand.
PAGING_PARAMETERS = {"page", "page_size", "cursor", "format", "facets", "sort"}
DATE_RANGE = ("date_after", "date_before")


class SharedFields(dict):
    """A form class's fields, which its forms share rather than deep-copy.

    Django deep-copies a form's fields for each form, so that a form may
    change its own. No filter form does, and copying a list's dozen fields,
    with their widgets and querysets, took half a millisecond per FilterSet.
    """

    def __deepcopy__(self, memo):
        return dict(self)


class StrictFilterSet(django_filters.FilterSet):
    """A FilterSet that refuses parameters it does not know."""

    extra_parameters = PAGING_PARAMETERS

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        # As django-filter's, but for the filters: it deep-copies every one, and
        # the querysets and form fields they hold, for each FilterSet. That cost
        # more than a list's own query, and a list with facets makes a FilterSet
        # for each group of facets. A filter's only state of its own is its parent.
        self.is_bound = data is not None
        self.data = data or QueryDict()
        self.queryset = self._meta.model._default_manager.all() if queryset is None else queryset
        self.request = request
        self.form_prefix = prefix
        self.filters = {name: self.adopt(filter_) for name, filter_ in self.base_filters.items()}

    def adopt(self, filter_):
        """A copy of a class's filter that belongs to this FilterSet."""
        adopted = copy.copy(filter_)
        adopted.model, adopted.parent = self.queryset.model, self
        if adopted.method is not None:
            adopted.method = adopted.method  # a method filter calls its own FilterSet's method
        return adopted

    @classmethod
    def form_class(cls):
        """The form, made once for each FilterSet class: its fields never change."""
        if "_form_class" not in cls.__dict__:
            fields = {}
            for name, filter_ in cls.base_filters.items():
                filter_ = copy.copy(filter_)
                filter_.__dict__.pop("_field", None)  # as made elsewhere: the schema's, say
                filter_.model = cls._meta.model  # which labels the fields it does not name
                fields[name] = filter_.field
            form_class = type(f"{cls.__name__}Form", (cls._meta.form,), fields)
            form_class.base_fields = SharedFields(form_class.base_fields)
            cls._form_class = form_class
        return cls._form_class

    def get_form_class(self):
        return self.form_class()

    def parameters_of(self, name):
        """The parameters a filter reads: its name, or name_after and name_before, say."""
        widget = self.form_class().base_fields[name].widget
        suffixes = getattr(widget, "suffixes", None)
        return {f"{name}_{suffix}" for suffix in suffixes} if suffixes else {name}

    @property
    def unknown_parameters(self):
        known = set(self.extra_parameters)
        for name in self.filters:
            known |= self.parameters_of(name)
        return sorted(set(self.data) - known)

    def used(self):
        """{name: cleaned value} of the filters the request uses, once valid.

        Only those: an unused choice of objects is still an empty queryset,
        and whatever is asked of it (applied as a filter, its values listed)
        builds a query to learn that it is empty.
        """
        return {
            name: value
            for name, value in self.form.cleaned_data.items()
            if self.parameters_of(name) & self.data.keys()
        }

    def filter_queryset(self, queryset):
        for name, value in self.used().items():
            queryset = self.filters[name].filter(queryset, value)
        return queryset

    def is_valid(self):
        valid = super().is_valid()
        for name in self.unknown_parameters:
            self.form.add_error(None, f"“{name}” is not a filter this list knows.")
            valid = False
        return valid

    def errors_by_parameter(self):
        """Errors as {parameter: [messages]}, for pages and API responses alike."""
        errors = {name: list(messages) for name, messages in self.form.errors.items()}
        if "__all__" in errors:
            errors["non_field_errors"] = errors.pop("__all__")
        return errors


class OrdinalField(forms.ModelMultipleChoiceField):
    """Administrations by their ordinal: checked as numbers before the database sees them."""

    def _check_values(self, value):
        for ordinal in value:
            if not str(ordinal).isdigit() or len(str(ordinal)) > 4:
                raise forms.ValidationError(
                    f"“{ordinal}” is not the number of an administration, such as 101.",
                    code="invalid_choice",
                )
        return super()._check_values(value)


@extend_schema_field({"type": "array", "items": {"type": "integer"}})
class OrdinalChoiceFilter(django_filters.ModelMultipleChoiceFilter):
    field_class = OrdinalField


@extend_schema_field({"type": "array", "items": {"type": "string"}})
class SlugChoiceFilter(django_filters.ModelMultipleChoiceFilter):
    """Filter by one or more slugs (or codes): ?country=US&country=KR."""

    def __init__(self, *args, to_field_name="slug", distinct=False, **kwargs):
        # Filters across a to-many relation are semi-joins (their `method`),
        # so no list needs DISTINCT, which would compare every column.
        super().__init__(*args, to_field_name=to_field_name, distinct=distinct, **kwargs)

    def get_filter_predicate(self, v):
        # The chosen object itself: django-filter would compare `field_name` with
        # its slug, which a relation takes for a primary key.
        return {self.field_name: v}


class ReadoutFilter(StrictFilterSet):
    q = django_filters.CharFilter(
        method="filter_search",
        label="Search",
        help_text='Words; "a quoted phrase"; -exclude; or. A search looks at no more than '
        f"{CANDIDATES:,} matching readouts and {CANDIDATES:,} matching points, the latest entered.",
        max_length=200,
    )
    date = django_filters.DateFromToRangeFilter(
        field_name="meeting__date", label="Meeting date between"
    )
    year = django_filters.NumberFilter(
        field_name="meeting__date__year",
        label="Year",
        min_value=1900,
        max_value=2100,
    )
    country = SlugChoiceFilter(
        queryset=Country.objects.all(),
        field_name="meeting__participations__country",
        to_field_name="code",
        label="Counterpart country",
        method="filter_country",
    )
    person = SlugChoiceFilter(queryset=Person.objects.all(), method="filter_person", label="Person")
    administration = OrdinalChoiceFilter(
        queryset=Administration.objects.all(),
        to_field_name="ordinal",
        method="filter_administration",
        label="Administration",
    )
    occasion = SlugChoiceFilter(
        queryset=Occasion.objects.all(), field_name="meeting__occasion", label="Occasion"
    )
    kind = django_filters.MultipleChoiceFilter(
        field_name="meeting__kind",
        choices=Meeting.Kind.choices,
        label="Kind of meeting",
        distinct=False,
    )
    topic = SlugChoiceFilter(queryset=Topic.objects.all(), method="filter_topic", label="Topic")
    issuer = SlugChoiceFilter(queryset=Issuer.objects.all(), label="Issuer")
    language = django_filters.MultipleChoiceFilter(choices=Readout.Language.choices, distinct=False)
    translation_status = django_filters.MultipleChoiceFilter(
        choices=Readout.TranslationStatus.choices, label="Translation status", distinct=False
    )
    sort = django_filters.ChoiceFilter(
        choices=[
            ("-date", "Newest first"),
            ("date", "Oldest first"),
            ("relevance", "Most relevant (with a search)"),
        ],
        method="filter_sort",
        label="Sort",
        empty_label=None,
    )

    extra_parameters = PAGING_PARAMETERS - {"sort"}

    class Meta:
        model = Readout
        fields = []

    # The filters whose values are counted beside the list and in the API.
    FACETS = facets.FACETS

    def filter_search(self, readouts, name, value):
        return readouts.search(value) if value.strip() else readouts

    def filter_country(self, readouts, name, countries):
        if not countries:
            return readouts
        return readouts.filter(meeting__in=Participation.objects.counterparts_from(countries))

    def filter_person(self, readouts, name, people):
        if not people:
            return readouts
        meetings, dates = Participation.objects.meetings_of(people)
        if dates is None:
            return readouts.none()
        return readouts.filter(meeting__in=meetings, meeting__date__range=dates)

    def filter_administration(self, readouts, name, administrations):
        if not administrations:
            return readouts
        during = Q()
        for administration in administrations:
            term = Q(meeting__date__gte=administration.started_on)
            if administration.ended_on:
                term &= Q(meeting__date__lte=administration.ended_on)
            during |= term
        return readouts.filter(during)

    def filter_topic(self, readouts, name, topics):
        if not topics:
            return readouts
        return readouts.filter(pk__in=Point.objects.tagged(topics).values("readout_id"))

    def filter_sort(self, readouts, name, value):
        return readouts  # applied last, in `qs`, after every filter

    @property
    def qs(self):
        readouts = super().qs
        cleaned = self.form.cleaned_data if self.is_bound and self.form.is_valid() else {}
        sort, searching = cleaned.get("sort"), bool((cleaned.get("q") or "").strip())
        if sort == "relevance" and searching:
            return readouts.order_by("-rank", "-meeting__date", "-pk")
        if sort == "date":
            return readouts.order_by("meeting__date", "pk")
        return readouts.order_by("-meeting__date", "-pk")


class PointFilter(StrictFilterSet):
    """Points across readouts: every point about North Korea since 2020."""

    q = django_filters.CharFilter(
        method="filter_search",
        max_length=200,
        label="Search",
        help_text='Words; "a quoted phrase"; -exclude; or. A search looks at no more than '
        f"{CANDIDATES:,} matching points (the latest entered), before the other filters.",
    )
    topic = SlugChoiceFilter(queryset=Topic.objects.all(), method="filter_topic", label="Topic")
    country = SlugChoiceFilter(
        queryset=Country.objects.all(),
        to_field_name="code",
        method="filter_country",
        label="Counterpart country",
    )
    date = django_filters.DateFromToRangeFilter(field_name="readout__meeting__date")
    readout = django_filters.CharFilter(field_name="readout__slug", label="Readout")
    language = django_filters.MultipleChoiceFilter(
        field_name="readout__language", choices=Readout.Language.choices, distinct=False
    )

    class Meta:
        model = Point
        fields = []

    def filter_search(self, points, name, value):
        return points.search(value) if value.strip() else points

    def filter_topic(self, points, name, topics):
        if not topics:
            return points
        return points.about(topics)

    def filter_country(self, points, name, countries):
        if not countries:
            return points
        return points.filter(
            readout__meeting__in=Participation.objects.counterparts_from(countries)
        )


def facet_counts(filterset, names=None, top=None, keys=None):
    """For each facet, how many listed readouts each value would give with the other filters kept.

    As a library catalogue shows them: choosing a country narrows the topic
    counts, but the country counts still offer the other countries. Facets
    counted under the same other filters are counted together, and with no
    other filter they are the archive's running totals (readouts/facets.py).
    With `top`, each facet gives only its `top` busiest values and the chosen
    ones; its `values` attribute says how many it has in all. `keys`, when the
    caller has them, are the ids of all the readouts the filters give (a
    search's, read with its page): facets counted under all the filters count
    among those, rather than searching again.
    """
    by_others = defaultdict(list)
    for name in names or ReadoutFilter.FACETS:
        others = filterset.data.copy()
        others.pop(name, None)
        by_others[tuple((key, tuple(values)) for key, values in sorted(others.lists()))].append(
            name
        )
    chosen = filterset.used() if filterset.is_valid() else {}
    counts = {}
    for others, group in by_others.items():
        keep = {name: facets.stored_values(chosen.get(name)) for name in group}
        among = keys if not any(name in filterset.data for name in group) else None
        counts.update(
            caching.remember(
                ("facets", group, others, top, keep, filterset.queryset.query),
                partial(count_facets, filterset, group, as_query(others), top, keep, among),
            )
        )
    return counts


def as_query(lists):
    data = QueryDict(mutable=True)
    for name, values in lists:
        data.setlist(name, values)
    return data


def count_facets(filterset, names, others, top=None, keep=None, keys=None):
    """The facets `names`, counted over the readouts the filters `others` leave
    (given by their `keys`, when the caller has them)."""
    if keys is not None:
        counts = facets.counts_among_keys(names, keys)
    else:
        counts = counts_under(filterset, names, others, top, keep)
    if counts is None:
        return {name: facets.FacetValues() for name in names}
    return facets.describe({name: counts[name] for name in names}, top, keep)


def counts_under(filterset, names, others, top=None, keep=None):
    """{facet: {value: count}} over the readouts the filters `others` leave; None
    when those filters are not valid. With no filter left, only the `top`
    busiest values and those in `keep` may be read (`facets.totals`)."""
    # Facets alone are counted from the list's own cleaned choices: a filter
    # set made again for them would look its countries and people up again.
    chosen = facet_choices(filterset, others) if filterset.is_valid() else None
    if chosen is None:
        narrowed = type(filterset)(others, queryset=filterset.queryset, request=filterset.request)
        if not narrowed.is_valid():
            return None
        chosen = facet_choices(narrowed)
        if chosen is None:
            dated = dated_choices(narrowed)
            if dated is not None:
                chosen, first, last = dated
                return facets.counts_between(names, first, last, chosen)
            return facets.counts_among(names, narrowed.qs)
    if chosen:
        return facets.counts_taking(names, chosen)
    return facets.totals(names, top, keep)


def facet_choices(filterset, data=None):
    """{facet: stored values} when every filter in use in `data` (the filter
    set's own, by default) is a facet, else None.

    Then the facet rows themselves say which readouts the filters leave.
    """
    data = filterset.data if data is None else data
    chosen = {}
    for name, values in data.lists():
        if name in PAGING_PARAMETERS or not any(value.strip() for value in values):
            continue
        if name not in ReadoutFilter.FACETS:
            return None
        chosen[name] = facets.stored_values(filterset.form.cleaned_data.get(name))
    return chosen


def dated_choices(filterset):
    """(chosen, first, last) when the filters in use are the date range (either
    end may be None) and facets other than the year (`facet_choices`, {} for
    none), else None."""
    data = filterset.data.copy()
    given = [value for name in DATE_RANGE for value in data.pop(name, [])]
    if not any(value.strip() for value in given):
        return None
    chosen = facet_choices(filterset, data)
    if chosen is None or "year" in chosen:
        return None
    # The range's ends, as the filter takes them: the start and end of a day.
    dates = filterset.form.cleaned_data["date"]
    return chosen, *(end and end.date() for end in (dates.start, dates.stop))


def known_total(filterset):
    """How many listed readouts the filters give, when the facets can say without
    counting the list (`pagination.PAST_DEPTH`: more than a list pages); else
    None, and the list is counted (up to its depth).

    The totals know the whole archive's and each single facet value's (a
    country's page, say), and a date range's from its years' (`dated_choices`).
    When every filter in use is a facet, the facet rows
    count the readouts that take the chosen values, as they count the facets:
    no further than the list pages, past which the list is counted as any other.
    """
    if not filterset.is_valid():
        return None
    chosen = facet_choices(filterset)
    if chosen is None:
        dated = dated_choices(filterset)
        if dated is None:
            return None
        chosen, first, last = dated
        return facets.count_between(first, last, chosen)
    if not chosen:
        return facets.listed_count()
    if len(chosen) == 1:
        [(name, values)] = chosen.items()
        if len(values) == 1:
            return facets.total(name, values[0])
    counted = facets.count_taking(chosen, up_to=pagination.LIST_DEPTH)
    # Counted past the depth, it need not be counted again to be paged.
    return pagination.PAST_DEPTH if counted is None else counted


def administration_counts(filterset):
    """Every administration with its count of readouts, the other filters kept.

    A readout of a handover day counts for both administrations, as the filter has it.
    """
    counted = facet_counts(filterset, ["administration"])["administration"]
    counts = {row["value"]: row["count"] for row in counted}
    return [
        {
            "value": administration.ordinal,
            "label": str(administration),
            "count": counts.get(administration.ordinal, 0),
            "administration": administration,
        }
        for administration in Administration.objects.select_related("prime_minister")
    ]


# The API's other lists. Each is strict too, so that a mistyped parameter is
# an error rather than the whole list.


class MeetingFilter(StrictFilterSet):
    date = django_filters.DateFromToRangeFilter(label="Meeting date between")
    country = SlugChoiceFilter(
        queryset=Country.objects.all(),
        to_field_name="code",
        method="filter_country",
        label="Counterpart country",
    )
    person = SlugChoiceFilter(queryset=Person.objects.all(), method="filter_person", label="Person")
    occasion = SlugChoiceFilter(queryset=Occasion.objects.all(), label="Occasion")
    kind = django_filters.MultipleChoiceFilter(choices=Meeting.Kind.choices, label="Kind")

    class Meta:
        model = Meeting
        fields = []

    def filter_country(self, meetings, name, countries):
        if not countries:
            return meetings
        return meetings.filter(pk__in=Participation.objects.counterparts_from(countries))

    def filter_person(self, meetings, name, people):
        if not people:
            return meetings
        taking_part, dates = Participation.objects.meetings_of(people)
        if dates is None:
            return meetings.none()
        return meetings.filter(pk__in=taking_part, date__range=dates)


class PersonFilter(StrictFilterSet):
    country = SlugChoiceFilter(queryset=Country.objects.all(), to_field_name="code")

    class Meta:
        model = Person
        fields = []


class CountryFilter(StrictFilterSet):
    class Meta:
        model = Country
        fields = []


class TopicFilter(StrictFilterSet):
    parent = SlugChoiceFilter(queryset=Topic.objects.all(), label="Parent topic")

    class Meta:
        model = Topic
        fields = []


class AdministrationFilter(StrictFilterSet):
    class Meta:
        model = Administration
        fields = []


class OccasionFilter(StrictFilterSet):
    country = SlugChoiceFilter(queryset=Country.objects.all(), to_field_name="code")

    class Meta:
        model = Occasion
        fields = []


class AnnotationFilter(StrictFilterSet):
    readout = django_filters.CharFilter(field_name="readout__slug", label="Readout")
    kind = django_filters.MultipleChoiceFilter(choices=Annotation.Kind.choices, label="Kind")

    class Meta:
        model = Annotation
        fields = []


class FilterBackend(django_filters.rest_framework.DjangoFilterBackend):
    """The API's filtering: an invalid filter is a 400 keyed by the parameter it concerns."""

    def filter_queryset(self, request, queryset, view):
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        if not filterset.is_valid():
            raise ValidationError(filterset.errors_by_parameter())
        return filterset.qs
