"""How the API pages its lists: page numbers for browsing, a cursor for harvesting.

A malformed `page`, `page_size` or `cursor` is a 400 that names the parameter,
as a malformed filter is; a page past the end is a 404.
"""

from functools import partial

from django.core.paginator import Paginator
from django.utils.functional import cached_property
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination, PageNumberPagination
from rest_framework.response import Response

from . import caching

MAX_PAGE_SIZE = 100
# How deep a list pages: past it, a reader narrows the list (by year, say)
# and a program harvests with the cursor. Deeper pages would cost an OFFSET
# that grows with the archive, and counting a large list exactly would too.
LIST_DEPTH = 10_000
# A known total of "more than LIST_DEPTH", from a count that stopped there.
PAST_DEPTH = object()


def is_ranked(queryset):
    """Whether the queryset is a search's, ranked (readouts/search.py annotates `rank`)."""
    query = getattr(queryset, "query", None)
    return query is not None and "rank" in query.annotations


class ArchivePaginator(Paginator):
    """Pages no deeper than LIST_DEPTH, and a total that never counts a large list.

    The total is `known_total` when the caller has it (the facets know it for
    any list filtered by facets alone: filters.known_total), or PAST_DEPTH
    when the caller counted past the depth; a search's keys
    are all read with its page, and counted as read (`ranked_keys`); any other
    list is counted only up to LIST_DEPTH, and `total_is_exact` says whether
    it ended.
    """

    def __init__(self, object_list, per_page, *args, known_total=None, **kwargs):
        super().__init__(object_list, per_page, *args, **kwargs)
        self.known_total = known_total

    @property
    def depth(self):
        return LIST_DEPTH

    @cached_property
    def counted(self):
        """The list's length, counted no further than one past LIST_DEPTH."""
        if self.known_total is PAST_DEPTH:
            return LIST_DEPTH + 1
        if self.known_total is not None:
            return self.known_total
        query = getattr(self.object_list, "query", None)
        if query is None:
            return len(self.object_list)
        return caching.remember(
            ("count up to", LIST_DEPTH, query),
            # values("pk"): a search's rank is not worked out just to be counted.
            lambda: self.object_list.order_by().values("pk")[: LIST_DEPTH + 1].count(),
        )

    def page(self, number):
        if self.ranked_keys():
            # Ranking a page ranks every candidate, and they are few (a search's):
            # all their keys are read at once, and counted as read, where a
            # count of its own would find them all again.
            self.object_list = list(self.object_list[: self.depth + 1])
        return super().page(number)

    def ranked_keys(self):
        """Whether the list is a ranked queryset of keys (a search's) still to be read."""
        return (
            self.known_total is None
            and is_ranked(self.object_list)
            and getattr(self.object_list, "_fields", None) == ("pk",)
        )

    @property
    def every_key(self):
        """The keys of the whole list, when a page read them all (a search's, and
        none past LIST_DEPTH): what its facets can count among. Else None."""
        if isinstance(self.object_list, list) and self.total_is_exact:
            return self.object_list
        return None

    @property
    def total_is_exact(self):
        if self.known_total is PAST_DEPTH:
            return False
        return self.known_total is not None or self.counted <= LIST_DEPTH

    @property
    def total(self):
        """How many there are; when not `total_is_exact`, at least this many."""
        return self.counted if self.total_is_exact else LIST_DEPTH

    @cached_property
    def count(self):
        """What can be paged through."""
        return min(self.counted, LIST_DEPTH)


def positive_integer(request, name, maximum=None):
    """The parameter as an int, None when absent; a 400 naming it when malformed."""
    raw = request.query_params.get(name)
    if raw is None:
        return None
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1 or (maximum is not None and value > maximum):
        limit = f" from 1 to {maximum}" if maximum else ""
        raise ValidationError({name: [f"“{raw}” is not a whole number{limit}."]})
    return value


class PagePagination(PageNumberPagination):
    django_paginator_class = ArchivePaginator
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def paginate_queryset(self, queryset, request, view=None):
        positive_integer(request, self.page_query_param)
        positive_integer(request, self.page_size_query_param, self.max_page_size)
        known_total = getattr(request, "known_total", None)  # a view may know it: a callable
        self.django_paginator_class = partial(
            ArchivePaginator, known_total=known_total() if known_total else None
        )
        return super().paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data):
        paginator = self.page.paginator
        return Response(
            {
                "count": paginator.total,
                "count_is_exact": paginator.total_is_exact,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        paginated = super().get_paginated_response_schema(schema)
        paginated["properties"]["count"]["description"] = (
            f"How many results there are; when count_is_exact is false, at least this many. "
            f"Pages go {LIST_DEPTH:,} results deep: harvest with the cursor to go further."
        )
        paginated["properties"] = {
            "count": paginated["properties"].pop("count"),
            "count_is_exact": {"type": "boolean", "example": True},
            **paginated["properties"],
        }
        paginated["required"] = ["count", "count_is_exact", "results"]
        return paginated


def read_in_full(chosen, rows):
    """The rows of the queryset `rows` whose keys are `chosen`, in that order.

    A page is chosen by key from the filtered, ordered list alone, then only
    its rows are read with all they bring along (their meeting, its place...).
    A search's candidates are thousands: joined to all of that before the
    page was kept, they cost more to join than to find and rank.
    """
    found = {
        row["pk"] if isinstance(row, dict) else row.pk: row  # values() rows, or instances
        for row in rows.filter(pk__in=chosen)
    }
    return [found[pk] for pk in chosen if pk in found]


class ChosenFirstPagination(PagePagination):
    """Pages chosen by key, then read in full (`read_in_full`) through the
    view's own queryset, which says what a reader may see."""

    def chooses_first(self, queryset):
        return True

    def paginate_queryset(self, queryset, request, view=None):
        if not self.chooses_first(queryset):
            return super().paginate_queryset(queryset, request, view)
        chosen = super().paginate_queryset(queryset.values_list("pk", flat=True), request, view)
        return read_in_full(chosen, view.get_queryset())


class HarvestPagination(CursorPagination):
    """Oldest first by primary key: a harvester's position survives new readouts and edits."""

    ordering = "pk"
    page_size = MAX_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def paginate_queryset(self, queryset, request, view=None):
        positive_integer(request, self.page_size_query_param, self.max_page_size)
        try:
            return super().paginate_queryset(queryset.order_by(), request, view)
        except NotFound as error:
            raise ValidationError({self.cursor_query_param: [str(error.detail)]}) from error
