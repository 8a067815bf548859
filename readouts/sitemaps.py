"""sitemap.xml: the listed readouts and the pages that lead to them."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import Readout


class ReadoutSitemap(Sitemap):
    changefreq = "monthly"
    limit = 5000

    def items(self):
        return Readout.objects.listed().only("slug", "updated_at").order_by("pk")

    def lastmod(self, readout):
        return readout.updated_at


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


sitemaps = {"readouts": ReadoutSitemap, "pages": PageSitemap}
