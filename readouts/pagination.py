"""How the API pages its lists: page numbers for browsing, a cursor for harvesting.

A malformed `page`, `page_size` or `cursor` is a 400 that names the parameter,
as a malformed filter is; a page past the end is a 404.
"""

from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination, PageNumberPagination

from .caching import CachedCountPaginator

MAX_PAGE_SIZE = 100


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
    django_paginator_class = CachedCountPaginator
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def paginate_queryset(self, queryset, request, view=None):
        positive_integer(request, self.page_query_param)
        positive_integer(request, self.page_size_query_param, self.max_page_size)
        return super().paginate_queryset(queryset, request, view)


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
