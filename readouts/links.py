"""Links to many objects of one route, as a list, a sitemap or the API writes them."""

from urllib.parse import quote

from django.urls import reverse
from django.utils.http import RFC3986_SUBDELIMS


class URLPattern:
    """The URLs of one route for many objects, built by formatting rather than
    by resolving the route again for every object of a list: the same URL as
    `reverse` gives, for a fraction of its time.

    `absolute` turns the route's path into what the links need: an absolute
    URL for the API (`request.build_absolute_uri`), the path itself for a page.
    """

    PLACEHOLDER = "url-placeholder"

    def __init__(self, view_name, argument, absolute=str):
        path = reverse(view_name, kwargs={argument: self.PLACEHOLDER})
        self.head, _, self.tail = absolute(path).partition(self.PLACEHOLDER)

    def __call__(self, value):
        # Quoted as reverse() quotes what it puts into a path.
        return f"{self.head}{quote(str(value), safe=RFC3986_SUBDELIMS + '/~:@')}{self.tail}"
