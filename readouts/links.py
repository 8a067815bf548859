"""Links to many objects of one route, as a list, a sitemap or the API writes them."""

import functools

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse


def route(view_name, **kwargs):
    """reverse(), resolved once for each URLconf and script prefix: for the
    routes every request of a kind links to (the admin's, a list's pattern)."""
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    return _reverse(view_name, tuple(sorted(kwargs.items())), get_script_prefix(), urlconf)


@functools.lru_cache(maxsize=64)
def _reverse(view_name, kwargs, script_prefix, urlconf):
    return reverse(view_name, kwargs=dict(kwargs), urlconf=urlconf)


class URLPattern:
    """The URLs of one route for many objects, built by formatting rather than
    by resolving the route again for every object of a list: the same URL as
    `reverse` gives, for a fraction of its time. The values are keys their
    route takes as they are (slugs, ids), so no quoting is needed.

    `absolute` turns the route's path into what the links need: an absolute
    URL for the API (`request.build_absolute_uri`), the path itself for a page.
    The route's other arguments, the same for every link, are given as `fixed`:
    the readout of its points' links, say.
    """

    PLACEHOLDER = "url-placeholder"

    def __init__(self, view_name, argument, absolute=str, **fixed):
        arguments = {**fixed, argument: self.PLACEHOLDER}
        # Not remembered with fixed values (a readout's): they change from page to page.
        path = reverse(view_name, kwargs=arguments) if fixed else route(view_name, **arguments)
        self.head, _, self.tail = absolute(path).partition(self.PLACEHOLDER)

    def __call__(self, value):
        return f"{self.head}{value}{self.tail}"
