from django.urls import path
from django.views.generic import TemplateView

from . import views
from .caching import cached_for_the_public as public
from .feeds import ReadoutFeed
from .sitemaps import sitemap_index, sitemap_section

app_name = "readouts"

# Every public page is served from the cache to anonymous readers (readouts/caching.py).
urlpatterns = [
    path("", public(views.HomeView.as_view()), name="home"),
    path("readouts/", public(views.ReadoutListView.as_view()), name="list"),
    path("readouts/feed/", public(ReadoutFeed()), name="feed"),
    path("readouts/<slug:slug>/", public(views.ReadoutDetailView.as_view()), name="detail"),
    path("readouts/<slug:slug>/cite/", public(views.CiteView.as_view()), name="cite"),
    path(
        "readouts/<slug:slug>/compare/<slug:other>/",
        public(views.CompareView.as_view()),
        name="compare",
    ),
    path("readouts/<slug:slug>/points/<slug:key>/", views.point_redirect, name="point"),
    path(
        "readouts/<slug:slug>/points/<slug:key>/cite/",
        public(views.CiteView.as_view()),
        name="cite_point",
    ),
    path(
        "administrations/", public(views.AdministrationIndexView.as_view()), name="administrations"
    ),
    path(
        "administrations/<int:ordinal>/",
        public(views.AdministrationView.as_view()),
        name="administration",
    ),
    path("countries/", public(views.CountryIndexView.as_view()), name="countries"),
    path("countries/<str:code>/", public(views.CountryView.as_view()), name="country"),
    path("people/", public(views.PersonIndexView.as_view()), name="people"),
    path("people/<slug:slug>/", public(views.PersonView.as_view()), name="person"),
    path("occasions/", public(views.OccasionIndexView.as_view()), name="occasions"),
    path("occasions/<slug:slug>/", public(views.OccasionView.as_view()), name="occasion"),
    path("topics/", public(views.TopicIndexView.as_view()), name="topics"),
    path("topics/<slug:slug>/", public(views.TopicView.as_view()), name="topic"),
    path("charts/", public(views.ChartsView.as_view()), name="charts"),
    path("sitemap.xml", public(sitemap_index), name="sitemap"),
    path("sitemap-<slug:section>.xml", public(sitemap_section), name="sitemap_section"),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain"),
        name="robots",
    ),
]
