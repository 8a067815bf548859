"""The sitemap: an index of the site's pages and of a sitemap per year of listed readouts.

A sitemap holds at most 50,000 addresses, and the archive outgrows one; a
year of meetings stays far below that. Each year's sitemap says when its
latest readout changed, so that a crawler reads again only the years that
did.
"""

from collections.abc import Mapping

from django.contrib.sitemaps import Sitemap, views
from django.core.paginator import Paginator
from django.urls import reverse

from .links import URLPattern
from .models import Readout


class ReadoutSitemap(Sitemap):
    """A year's listed readouts: `readouts` of them, the latest changed at `latest_change`."""

    changefreq = "monthly"
    limit = 50_000

    def __init__(self, year, readouts, latest_change):
        self.year, self.readouts, self.latest_change = year, readouts, latest_change
        self.page_url = URLPattern("readouts:detail", "slug")

    def items(self):
        return (
            Readout.objects.listed()
            .filter(meeting__date__year=self.year)
            .only("slug", "updated_at")
            .order_by("pk")
        )

    def location(self, readout):
        # A year has thousands: formatted, not resolved again for each.
        return self.page_url(readout.slug)

    def lastmod(self, readout):
        return readout.updated_at

    def get_latest_lastmod(self):
        # Django's own reads every item of the year.
        return self.latest_change

    @property
    def paginator(self):
        # Counted already, with the year's latest change.
        pages = Paginator(self.items(), self.limit)
        pages.count = self.readouts
        return pages


class PageSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return [
            "readouts:home",
            "readouts:list",
            "readouts:administrations",
            "readouts:countries",
            "readouts:topics",
            "readouts:occasions",
            "readouts:people",
            "readouts:charts",
        ]

    def location(self, name):
        return reverse(name)


class Sitemaps(Mapping):
    """{section: sitemap}: "pages", then "readouts-2022" for each year with
    listed readouts, as they are when asked."""

    PREFIX = "readouts-"

    def __getitem__(self, section):
        if section == "pages":
            return PageSitemap()
        year = section.removeprefix(self.PREFIX)
        # A year of four digits that a date can have: year 0000 has none.
        if section.startswith(self.PREFIX) and year.isdigit() and len(year) == 4 and int(year):
            readouts = Readout.objects.listed().filter(meeting__date__year=int(year))
            counted = readouts.years().first()
            if counted:
                return ReadoutSitemap(*counted)
        raise KeyError(section)

    def __iter__(self):
        return iter(self.sections())

    def __len__(self):
        return len(self.sections())

    def items(self):
        return self.sections().items()

    def sections(self):
        return {
            "pages": PageSitemap(),
            **{
                f"{self.PREFIX}{year}": ReadoutSitemap(year, readouts, latest_change)
                for year, readouts, latest_change in Readout.objects.listed().years()
            },
        }


def sitemap_index(request):
    return views.index(request, Sitemaps(), sitemap_url_name="readouts:sitemap_section")


def sitemap_section(request, section):
    return views.sitemap(request, Sitemaps(), section, template_name="readouts/sitemap.xml")
