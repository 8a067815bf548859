"""Atom feeds: the latest readouts, or any filtered list through the list's own FilterSet."""

from django.contrib.syndication.views import Feed
from django.http import HttpResponseBadRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from .filters import ReadoutFilter
from .models import Readout
from .views import filter_errors


class ReadoutFeed(Feed):
    feed_type = Atom1Feed
    subtitle = "Official readouts of diplomatic meetings, newest first."
    limit = 30

    def __call__(self, request, *args, **kwargs):
        filterset = ReadoutFilter(request.GET, queryset=Readout.objects.listed(), request=request)
        if not filterset.is_valid():
            return HttpResponseBadRequest(
                "\n".join(filter_errors(filterset)), content_type="text/plain; charset=utf-8"
            )
        self.filterset = filterset
        return super().__call__(request, *args, **kwargs)

    def get_object(self, request, *args, **kwargs):
        return request.GET.urlencode()

    def title(self, query):
        return "Readout archive: latest readouts" + (" (filtered)" if query else "")

    def link(self, query):
        return reverse("readouts:list") + (f"?{query}" if query else "")

    def feed_url(self, query):
        return reverse("readouts:feed") + (f"?{query}" if query else "")

    def items(self, query):
        return (
            self.filterset.qs.with_meeting_facts()
            .select_related("meeting")
            .order_by("-published_on", "-pk")[: self.limit]
        )

    def item_title(self, readout):
        return readout.title

    def item_description(self, readout):
        return readout.lead or ""

    def item_pubdate(self, readout):
        return readout.published_at

    def item_updateddate(self, readout):
        return readout.updated_at

    def item_author_name(self, readout):
        return readout.issuer.name

    def item_categories(self, readout):
        return [readout.meeting.get_kind_display()]
