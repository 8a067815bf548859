"""The FilterSets behind the public lists and the API: one per list, used by both.

Every filter parameter is validated: an unknown parameter or a malformed
value is an error that names the parameter, never a silent empty page.
"""

from functools import partial

import django_filters
import django_filters.rest_framework
from django import forms
from django.db.models import Count, Q
from drf_spectacular.utils import extend_schema_field
from rest_framework.exceptions import ValidationError

from . import caching
from .models import (
    Administration,
    Annotation,
    Country,
    Issuer,
    Meeting,
    Occasion,
    Person,
    Point,
    Readout,
    Topic,
)

# Parameters that are not filters but that lists and the API understand.
PAGING_PARAMETERS = {"page", "page_size", "cursor", "format", "facets", "sort"}


class StrictFilterSet(django_filters.FilterSet):
    """A FilterSet that refuses parameters it does not know."""

    extra_parameters = PAGING_PARAMETERS

    @property
    def unknown_parameters(self):
        known = set(self.filters) | self.extra_parameters
        for name, filter_ in self.filters.items():
            # Range filters take name_after/name_before, say.
            widget = getattr(filter_.field, "widget", None)
            suffixes = getattr(widget, "suffixes", None)
            if suffixes:
                known |= {f"{name}_{suffix}" for suffix in suffixes}
        return sorted(set(self.data) - known)

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

    def __init__(self, *args, to_field_name="slug", **kwargs):
        super().__init__(*args, to_field_name=to_field_name, **kwargs)

    def get_filter_predicate(self, v):
        # The chosen object itself: django-filter would compare `field_name` with
        # its slug, which a relation takes for a primary key.
        return {self.field_name: v}


class ReadoutFilter(StrictFilterSet):
    q = django_filters.CharFilter(
        method="filter_search",
        label="Search",
        help_text='Words; "a quoted phrase"; -exclude; or.',
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
    person = SlugChoiceFilter(
        queryset=Person.objects.all(), field_name="meeting__participants", label="Person"
    )
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
        field_name="meeting__kind", choices=Meeting.Kind.choices, label="Kind of meeting"
    )
    topic = SlugChoiceFilter(queryset=Topic.objects.all(), method="filter_topic", label="Topic")
    issuer = SlugChoiceFilter(queryset=Issuer.objects.all(), label="Issuer")
    language = django_filters.MultipleChoiceFilter(choices=Readout.Language.choices)
    translation_status = django_filters.MultipleChoiceFilter(
        choices=Readout.TranslationStatus.choices, label="Translation status"
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

    # Facets: the filters whose values are counted beside the list, with the
    # lookup that groups readouts by them.
    FACETS = {
        "country": "meeting__participations__country",
        "kind": "meeting__kind",
        "topic": "points__topics__slug",
        "issuer": "issuer__slug",
        "language": "language",
        "translation_status": "translation_status",
        "year": "meeting__date__year",
        "person": "meeting__participants__slug",
        "occasion": "meeting__occasion__slug",
    }

    def filter_search(self, readouts, name, value):
        return readouts.search(value) if value.strip() else readouts

    def filter_country(self, readouts, name, countries):
        if not countries:
            return readouts
        return readouts.filter(
            meeting__participations__country__in=countries,
            meeting__participations__side="counterpart",
        ).distinct()

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
        wanted = Topic.objects.filter(pk__in=[topic.pk for topic in topics]).with_subtopics()
        return readouts.filter(points__topics__in=wanted).distinct()

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

    q = django_filters.CharFilter(method="filter_search", max_length=200, label="Search")
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
        field_name="readout__language", choices=Readout.Language.choices
    )

    class Meta:
        model = Point
        fields = []

    def filter_search(self, points, name, value):
        return points.search(value) if value.strip() else points

    def filter_topic(self, points, name, topics):
        if not topics:
            return points
        wanted = Topic.objects.filter(pk__in=[topic.pk for topic in topics]).with_subtopics()
        return points.filter(topics__in=wanted).distinct()

    def filter_country(self, points, name, countries):
        if not countries:
            return points
        return points.filter(
            readout__meeting__participations__country__in=countries,
            readout__meeting__participations__side="counterpart",
        ).distinct()


def facet_counts(filterset, names=None):
    """For each facet, how many readouts each value would give with the other filters kept.

    As a library catalogue shows them: choosing a country narrows the topic
    counts, but the country counts still offer the other countries.
    """
    counts = {}
    for name in names or ReadoutFilter.FACETS:
        others = filterset.data.copy()
        others.pop(name, None)
        counts[name] = caching.remember(
            ("facet", name, sorted(others.lists()), filterset.queryset.query),
            partial(count_facet, filterset, name, others),
        )
    return counts


def count_facet(filterset, name, others):
    """One facet's values and counts, over the readouts the other filters leave."""
    lookup = ReadoutFilter.FACETS[name]
    narrowed = type(filterset)(others, queryset=filterset.queryset, request=filterset.request)
    readouts = narrowed.qs if narrowed.is_valid() else filterset.queryset.none()
    # One filter() call, so that the condition and the grouping share one join:
    # an exclude() across a to-many relation would drop every readout with
    # one untagged point.
    conditions = {f"{lookup}__isnull": False}
    if name == "country":
        conditions["meeting__participations__side"] = "counterpart"
    rows = (
        readouts.order_by()
        .filter(**conditions)
        .values(lookup)
        .annotate(total=Count("pk", distinct=True))
        .order_by("-total", lookup)
    )
    labels = facet_labels(name, [row[lookup] for row in rows])
    return [
        {
            "value": row[lookup],
            "label": labels.get(row[lookup], str(row[lookup])),
            "count": row["total"],
        }
        for row in rows
    ]


def facet_labels(name, values):
    """What a person reads beside each facet value: a name rather than a code."""
    choices = {
        "kind": Meeting.Kind.choices,
        "language": Readout.Language.choices,
        "translation_status": Readout.TranslationStatus.choices,
    }
    if name in choices:
        return dict(choices[name])
    if name == "country":
        return dict(Country.objects.filter(code__in=values).values_list("code", "name"))
    if name == "topic":
        return {
            topic.slug: str(topic)
            for topic in Topic.objects.filter(slug__in=values).select_related("parent")
        }
    if name == "issuer":
        return dict(Issuer.objects.filter(slug__in=values).values_list("slug", "name"))
    if name == "person":
        return dict(Person.objects.filter(slug__in=values).values_list("slug", "name_form"))
    if name == "occasion":
        return {
            occasion.slug: str(occasion)
            for occasion in Occasion.objects.filter(slug__in=values).only(
                "name", "started_on", "slug"
            )
        }
    return {}


def administration_counts(filterset):
    """Readouts per administration with the other filters kept, as `facet_counts` gives.

    An administration is a term of dates rather than a field, so its readouts
    are counted by meeting date; a handover day counts for both, as the filter has it.
    """
    others = filterset.data.copy()
    others.pop("administration", None)

    def count_by_date():
        narrowed = type(filterset)(others, queryset=filterset.queryset, request=filterset.request)
        readouts = narrowed.qs if narrowed.is_valid() else filterset.queryset.none()
        return list(
            readouts.order_by()
            .values("meeting__date")
            .annotate(total=Count("pk", distinct=True))
            .values_list("meeting__date", "total")
        )

    by_date = caching.remember(
        ("administrations", sorted(others.lists()), filterset.queryset.query), count_by_date
    )
    counts = []
    for administration in Administration.objects.select_related("prime_minister"):
        total = sum(
            number
            for day, number in by_date
            if administration.started_on <= day
            and (administration.ended_on is None or day <= administration.ended_on)
        )
        counts.append(
            {
                "value": administration.ordinal,
                "label": str(administration),
                "count": total,
                "administration": administration,
            }
        )
    return counts


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
    person = SlugChoiceFilter(
        queryset=Person.objects.all(), field_name="participants", label="Person"
    )
    occasion = SlugChoiceFilter(queryset=Occasion.objects.all(), label="Occasion")
    kind = django_filters.MultipleChoiceFilter(choices=Meeting.Kind.choices, label="Kind")

    class Meta:
        model = Meeting
        fields = []

    def filter_country(self, meetings, name, countries):
        if not countries:
            return meetings
        return meetings.filter(
            participations__country__in=countries, participations__side="counterpart"
        ).distinct()


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
