import re
from collections import defaultdict
from operator import itemgetter

from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.generic import DetailView, ListView, TemplateView

from . import caching, charts, facets
from .citations import bibtex_citation, plain_citation
from .filters import ReadoutFilter, administration_counts, facet_counts, known_total
from .footnotes import number_footnotes, segments
from .links import URLPattern
from .models import (
    Administration,
    Annotation,
    Country,
    Occasion,
    Participation,
    Person,
    Point,
    Readout,
    Topic,
    WorkflowStep,
)
from .pagination import ArchivePaginator, read_in_full
from .search import highlight

# Facets offered as a choice of one (the filter takes a single value).
SINGLE_CHOICE_FACETS = {"year"}
FACET_LABELS = {
    "year": "Year",
    "country": "Counterpart country",
    "person": "Person",
    "occasion": "Occasion",
    "kind": "Kind of meeting",
    "topic": "Topic",
    "issuer": "Issuer",
    "language": "Language",
    "translation_status": "Translation status",
    "administration": "Administration",
}
FACET_OPTIONS_SHOWN = 30
FACET_INDEXES = {
    "country": "readouts:countries",
    "person": "readouts:people",
    "occasion": "readouts:occasions",
    "topic": "readouts:topics",
    "administration": "readouts:administrations",
}
# Range filters arrive as two parameters.
PARAMETER_NAMES = {"date": "date_after” or “date_before"}


def filter_errors(filterset):
    """Each error as a sentence that names the parameter it is about."""
    messages = []
    for name, errors in filterset.errors_by_parameter().items():
        for error in errors:
            if name == "non_field_errors":
                messages.append(error)
            else:
                messages.append(f"“{PARAMETER_NAMES.get(name, name)}”: {error}")
    return messages


class HomeView(TemplateView):
    template_name = "readouts/home.html"

    def get_context_data(self, **kwargs):
        listed = Readout.objects.listed()
        everything = ReadoutFilter({}, queryset=listed)
        counts = facet_counts(everything, ["country", "topic", "kind"], top=12)
        per_month = caching.remember(
            ("meetings per month",), lambda: charts.meetings_per_month().get(None, {})
        )
        return super().get_context_data(
            latest=listed.list_items().order_by("-meeting__date", "-pk")[:8],
            administrations=[row for row in administration_counts(everything) if row["count"]],
            countries=counts["country"][:12],
            topics=counts["topic"][:12],
            kinds=counts["kind"],
            timeline=charts.bar_chart(per_month, height=80, label="Meetings per month"),
            **kwargs,
        )


class ReadoutListView(ListView):
    """The readouts, through `ReadoutFilter`: every state of the page is its URL."""

    template_name = "readouts/readout_list.html"
    context_object_name = "readouts"
    paginate_by = 20
    heading = "All readouts"
    preset_parameter = None  # the filter a browse page fixes from its URL path
    listed_keys = None  # the ids of every readout listed, when they were all read

    def get_subject(self):
        return None

    def get_preset(self):
        return {self.preset_parameter: self.subject.pk} if self.preset_parameter else {}

    def get(self, request, *args, **kwargs):
        self.subject = self.get_subject()
        data = request.GET.copy()
        for name, value in self.get_preset().items():
            data.setlist(name, [str(value)])
        if data.get("q", "").strip() and "sort" not in data:
            data["sort"] = "relevance"
        self.filterset = ReadoutFilter(data, queryset=Readout.objects.listed(), request=request)
        self.valid = self.filterset.is_valid()
        response = super().get(request, *args, **kwargs)
        if not self.valid:
            response.status_code = 400
        return response

    def get_paginator(self, queryset, per_page, **kwargs):
        total = known_total(self.filterset) if self.valid else 0
        return ArchivePaginator(queryset, per_page, known_total=total, **kwargs)

    def get_queryset(self):
        if not self.valid:
            return Readout.objects.none()
        return self.filterset.qs.values_list("pk", flat=True)

    def paginate_queryset(self, queryset, page_size):
        # The page is chosen by id, then its readouts read in full.
        paginator, page, chosen, is_paginated = super().paginate_queryset(queryset, page_size)
        self.listed_keys = paginator.every_key
        page.object_list = read_in_full(list(chosen), Readout.objects.listed().list_items())
        return paginator, page, page.object_list, is_paginated

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.filterset.form.cleaned_data.get("q", "") if self.valid else ""
        if query.strip():
            add_snippets(context["readouts"], query)
        feed_query = self.filterset.data.copy()
        feed_query.pop("page", None)
        context.update(
            heading=self.heading,
            subject=self.subject,
            filterset=self.filterset,
            form=self.filterset.form,
            errors=[] if self.valid else filter_errors(self.filterset),
            facets=self.facets() if self.valid else [],
            query=query,
            filtered=any(name not in self.get_preset() for name in self.request.GET),
            feed_url=f"{reverse('readouts:feed')}?{feed_query.urlencode()}".rstrip("?"),
        )
        return context

    def facets(self):
        """Each filter's values with how many readouts it would give, the other filters kept."""
        preset = self.get_preset()
        # In the order a reader narrows by them; in one call, so that facets
        # counted under the same other filters share a query.
        names = [name for name in ReadoutFilter.FACETS if name not in preset]
        counts = facet_counts(self.filterset, names, top=FACET_OPTIONS_SHOWN, keys=self.listed_keys)
        if "administration" in counts:
            # Latest first, as the administrations index has them.
            counts["administration"] = sorted(
                counts["administration"], key=itemgetter("value"), reverse=True
            )
        groups = []
        for name in names:
            selected = set(self.filterset.data.getlist(name))
            options = [
                {
                    **option,
                    "value": str(option["value"]),
                    "checked": str(option["value"]) in selected,
                }
                for option in counts[name]
            ]
            # A facet can have thousands of values (people): the busiest are
            # offered, with the chosen ones, and the index page lists them all.
            total = getattr(counts[name], "values", len(options))
            shown = {option["value"] for option in options}
            options += [
                {"value": value, "label": value, "count": 0, "checked": True}
                for value in sorted(selected - shown)
            ]
            if name == "year":
                options.sort(key=lambda option: option["value"], reverse=True)
            groups.append(
                {
                    "name": name,
                    "label": FACET_LABELS[name],
                    "single": name in SINGLE_CHOICE_FACETS,
                    "options": options,
                    "any_checked": bool(selected),
                    "total": total,
                    "index_url": reverse(FACET_INDEXES[name]) if name in FACET_INDEXES else "",
                }
            )
        return groups


def add_snippets(readouts, query):
    """Give each readout found by a search the best matching passage, highlighted."""
    readouts = list(readouts)
    best = {}
    points = (
        Point.objects.filter(readout__in=[readout.pk for readout in readouts])
        .search(query, capped=False)
        .select_related("parent")
        .order_by("readout", "-rank", "position")
    )
    for point in points:
        best.setdefault(point.readout_id, point)
    for readout in readouts:
        readout.snippet_point = best.get(readout.pk)
        text = readout.snippet_point.text if readout.snippet_point else readout.lead
        readout.snippet = highlight(text, query) if text else []


class ReadoutDetailView(DetailView):
    """A readout as printed. Editors may preview what the public cannot see."""

    template_name = "readouts/readout_detail.html"
    context_object_name = "readout"

    def get_queryset(self):
        return (
            Readout.objects.visible_to(self.request.user)
            .with_meeting_facts()
            .select_related("translation_of")
            .prefetch_related(
                Prefetch(
                    "meeting__participations",
                    queryset=Participation.objects.select_related("person", "country"),
                ),
                Prefetch(
                    "points",
                    queryset=Point.objects.prefetch_related(
                        Prefetch("topics", queryset=Topic.objects.select_related("parent"))
                    ),
                ),
            )
        )

    def get_context_data(self, **kwargs):
        readout = self.object
        points = list(readout.points.all())
        footnotes = number_footnotes(
            Annotation.objects.public().filter(readout=readout).select_related("point"),
            readout.lead,
            points,
        )
        by_point = defaultdict(list)
        for footnote in footnotes:
            by_point[footnote.annotation.point_id].append(footnote)
        children = defaultdict(list)
        page_url = URLPattern("readouts:point", "key", slug=readout.slug)
        cite_url = URLPattern("readouts:cite_point", "key", slug=readout.slug)
        for point in points:
            point.segments = segments(point.text, by_point[point.pk])
            point.page_url, point.cite_url = page_url(point.key), cite_url(point.key)
            children[point.parent_id].append(point)
        # Each point knows its parent and the notes their point from the list
        # already loaded: a sub-point's label ("2(1)") needs its parent's.
        loaded = {point.pk: point for point in points}
        for point in points:
            point.sub_points = children[point.pk]
            if point.parent_id in loaded:
                point.parent = loaded[point.parent_id]
        for footnote in footnotes:
            if footnote.annotation.point_id in loaded:
                footnote.annotation.point = loaded[footnote.annotation.point_id]
        topics = sorted(
            {topic for point in points for topic in point.topics.all()}, key=lambda t: str(t)
        )
        url = self.request.build_absolute_uri(readout.get_absolute_url())
        return super().get_context_data(
            points=children[None],
            lead_segments=segments(readout.lead, by_point[None]) if readout.lead else [],
            footnotes=footnotes,
            topics=topics,
            participations=readout.meeting.participations.all(),
            administration=readout.meeting.administration,
            other_readouts=Readout.objects.public()
            .filter(meeting=readout.meeting)
            .exclude(pk=readout.pk)
            .select_related("issuer"),
            history=WorkflowStep.objects.filter(
                readout=readout,
                action__in=[
                    WorkflowStep.Action.PUBLISH,
                    WorkflowStep.Action.REVISE,
                    WorkflowStep.Action.WITHDRAW,
                ],
            ).only("readout_id", "action", "at", "public_note"),
            previous_readout=self.neighbour(before=True),
            next_readout=self.neighbour(before=False),
            citation=plain_citation(readout, url),
            bibtex=bibtex_citation(readout, url),
            json_ld=json_ld(readout, url, topics),
            canonical_url=url,
            **kwargs,
        )

    def neighbour(self, before):
        """The previous or next listed readout by meeting date."""
        readout = self.object
        day = readout.meeting.date
        # The OR alone keeps the date index from bounding its scan: a readout's
        # neighbours were sought from the archive's first or last meeting.
        if before:
            condition = Q(meeting__date__lte=day) & (
                Q(meeting__date__lt=day) | Q(meeting__date=day, pk__lt=readout.pk)
            )
            order = ["-meeting__date", "-pk"]
        else:
            condition = Q(meeting__date__gte=day) & (
                Q(meeting__date__gt=day) | Q(meeting__date=day, pk__gt=readout.pk)
            )
            order = ["meeting__date", "pk"]
        # Only what the link shows: a readout in full is most of the query's cost.
        return (
            Readout.objects.listed()
            .filter(condition)
            .select_related("meeting")
            .only("slug", "title", "meeting__date")
            .order_by(*order)
            .first()
        )


def json_ld(readout, url, topics):
    """schema.org: the readout is an Article about the meeting, an Event."""
    meeting = readout.meeting
    event = {
        "@type": "Event",
        "name": str(meeting),
        "startDate": (meeting.starts_at or meeting.date).isoformat(),
        "eventStatus": "https://schema.org/EventScheduled",
        "performer": [
            {"@type": "Person", "name": str(p.person), "jobTitle": p.title}
            for p in meeting.participations.all()
        ],
    }
    if meeting.place or meeting.location_text:
        event["location"] = {
            "@type": "Place",
            "name": meeting.location_text or meeting.place,
            "address": meeting.place,
        }
    article = {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": readout.title[:110],
        "datePublished": readout.published_on.isoformat(),
        "inLanguage": readout.language,
        "publisher": {"@type": "Organization", "name": readout.issuer.name},
        "url": url,
        "about": event,
        "keywords": [str(topic) for topic in topics],
    }
    if readout.source_url:
        article["isBasedOn"] = readout.source_url
    return article


def point_redirect(request, slug, key):
    readout = get_object_or_404(Readout.objects.visible_to(request.user), slug=slug)
    point = get_object_or_404(Point, readout=readout, key=key)
    return redirect(f"{readout.get_absolute_url()}#{point.anchor}")


class CiteView(DetailView):
    """How to cite a readout, or one point of it."""

    template_name = "readouts/cite.html"
    context_object_name = "readout"

    def get_queryset(self):
        return Readout.objects.visible_to(self.request.user).select_related("issuer")

    def get_context_data(self, **kwargs):
        readout, point = self.object, None
        url = readout.get_absolute_url()
        if "key" in self.kwargs:
            point = get_object_or_404(
                Point.objects.select_related("parent"), readout=readout, key=self.kwargs["key"]
            )
            url = f"{url}#{point.anchor}"
        url = self.request.build_absolute_uri(url)
        return super().get_context_data(
            point=point,
            citation=plain_citation(readout, url, point),
            bibtex=bibtex_citation(readout, url, point),
            **kwargs,
        )


class CompareView(DetailView):
    """Two readouts of one meeting side by side, point by point."""

    template_name = "readouts/compare.html"
    context_object_name = "readout"

    def get_queryset(self):
        return (
            Readout.objects.visible_to(self.request.user)
            .select_related("meeting", "issuer")
            .prefetch_related("points__parent")
        )

    def get_context_data(self, **kwargs):
        other = get_object_or_404(
            self.get_queryset().filter(meeting=self.object.meeting_id).exclude(pk=self.object.pk),
            slug=self.kwargs["other"],
        )
        return super().get_context_data(
            other=other, rows=align(list(self.object.points.all()), list(other.points.all()))
        )


def align(left, right):
    """Pairs of points that say the same thing: by `translates` where known, else by position."""
    partner = {}
    for a in left:
        for b in right:
            if a.translates_id == b.pk or b.translates_id == a.pk:
                partner[a.pk] = b
    paired = {b.pk for b in partner.values()}
    unpaired = iter([b for b in right if b.pk not in paired])
    rows = []
    for a in left:
        b = partner.get(a.pk) or next(unpaired, None)
        rows.append((a, b))
    rows += [(None, b) for b in unpaired]
    return rows


class BrowseView(ReadoutListView):
    """The readout list with one filter fixed by the URL, under a header saying what it is."""

    @property
    def heading(self):
        return str(self.subject)


class CountryView(BrowseView):
    template_name = "readouts/browse/country.html"
    preset_parameter = "country"

    def get_subject(self):
        code = self.kwargs["code"]
        if not re.fullmatch(r"[A-Za-z]{2}", code):
            raise Http404("No such country")
        return get_object_or_404(Country, code=code.upper())

    @property
    def heading(self):
        return f"Meetings with {self.subject}"


class PersonView(BrowseView):
    template_name = "readouts/browse/person.html"
    preset_parameter = "person"

    def get_subject(self):
        return get_object_or_404(
            Person.objects.visible_to(self.request.user)
            .select_related("country")
            .prefetch_related("tenures"),
            slug=self.kwargs["slug"],
        )

    def get_preset(self):
        return {"person": self.subject.slug}


class AdministrationView(BrowseView):
    template_name = "readouts/browse/administration.html"
    preset_parameter = "administration"

    def get_subject(self):
        return get_object_or_404(
            Administration.objects.select_related("prime_minister"),
            ordinal=self.kwargs["ordinal"],
        )

    def get_preset(self):
        return {"administration": self.subject.ordinal}


class OccasionView(BrowseView):
    template_name = "readouts/browse/occasion.html"

    def get_subject(self):
        return get_object_or_404(
            Occasion.objects.visible_to(self.request.user).select_related("country"),
            slug=self.kwargs["slug"],
        )

    def get_preset(self):
        return {"occasion": self.subject.slug}


class TopicView(BrowseView):
    template_name = "readouts/browse/topic.html"

    def get_subject(self):
        return get_object_or_404(
            Topic.objects.select_related("parent").prefetch_related("children"),
            slug=self.kwargs["slug"],
        )

    def get_preset(self):
        return {"topic": self.subject.slug}


# Index pages: every administration, country, topic, occasion and person, with
# how many published readouts each leads to.


class IndexView(TemplateView):
    """A list of everything one facet can take, with its count of published readouts."""

    def everything(self):
        return ReadoutFilter({}, queryset=Readout.objects.listed())

    def counted(self, objects, facet):
        """The objects with published readouts, each with its `count`, read
        from the facet totals by primary key: no labels, as the page names
        the objects itself (thousands of people, on a large archive)."""
        counts = facets.totals([facet])[facet]
        objects = list(objects.filter(pk__in=[int(pk) for pk in counts]))
        for obj in objects:
            obj.count = counts[str(obj.pk)]
        return objects


class AdministrationIndexView(IndexView):
    template_name = "readouts/index/administrations.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(rows=administration_counts(self.everything()), **kwargs)


class CountryIndexView(IndexView):
    template_name = "readouts/index/countries.html"

    def get_context_data(self, **kwargs):
        counts = facet_counts(self.everything(), ["country"])["country"]
        rows = sorted(counts, key=lambda row: row["label"])
        return super().get_context_data(rows=rows, **kwargs)


class TopicIndexView(IndexView):
    template_name = "readouts/index/topics.html"

    def get_context_data(self, **kwargs):
        # A topic's count includes its subtopics', as its page does (readouts/facets.py).
        counts = {
            row["value"]: row["count"]
            for row in facet_counts(self.everything(), ["topic"])["topic"]
        }
        topics = list(Topic.objects.all())
        children = defaultdict(list)
        for topic in topics:
            topic.count = counts.get(topic.slug, 0)
            children[topic.parent_id].append(topic)
        for topic in topics:
            topic.subtopics = children[topic.pk]
        return super().get_context_data(topics=children[None], **kwargs)


class OccasionIndexView(IndexView):
    template_name = "readouts/index/occasions.html"

    def get_context_data(self, **kwargs):
        occasions = self.counted(Occasion.objects.select_related("country"), "occasion")
        return super().get_context_data(occasions=occasions, **kwargs)


class PersonIndexView(IndexView):
    template_name = "readouts/index/people.html"

    def get_context_data(self, **kwargs):
        people = self.counted(Person.objects.select_related("country"), "person")
        return super().get_context_data(people=people, **kwargs)


class ChartsView(TemplateView):
    """Meetings per month, in all and by counterpart country or by topic."""

    template_name = "readouts/charts.html"
    GROUPS = {"country": "counterpart country", "topic": "topic"}

    def get_context_data(self, **kwargs):
        group_by = self.request.GET.get("by", "country")
        if group_by not in self.GROUPS:
            group_by = "country"
        overall = charts.meetings_per_month().get(None, {})
        first, last = (min(overall), max(overall)) if overall else (None, None)
        grouped = charts.meetings_per_month(group_by=group_by)
        ranked = sorted(grouped.items(), key=lambda item: (-sum(item[1].values()), item[0]))
        return super().get_context_data(
            group_by=group_by,
            group_label=self.GROUPS[group_by],
            groups=self.GROUPS,
            overall=charts.bar_chart(overall, label="All meetings"),
            small_multiples=[
                {
                    **charts.bar_chart(counts, first, last, width=360, height=48, label=name),
                    "id": f"g{n}",
                }
                for n, (name, counts) in enumerate(ranked[:12], start=1)
            ],
            **kwargs,
        )
