from django.contrib.sitemaps.views import sitemap
from django.urls import path
from django.views.generic import TemplateView

from . import views
from .feeds import ReadoutFeed
from .sitemaps import sitemaps

app_name = "readouts"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("readouts/", views.ReadoutListView.as_view(), name="list"),
    path("readouts/feed/", ReadoutFeed(), name="feed"),
    path("readouts/<slug:slug>/", views.ReadoutDetailView.as_view(), name="detail"),
    path("readouts/<slug:slug>/cite/", views.CiteView.as_view(), name="cite"),
    path(
        "readouts/<slug:slug>/compare/<slug:other>/",
        views.CompareView.as_view(),
        name="compare",
    ),
    path("readouts/<slug:slug>/points/<slug:key>/", views.point_redirect, name="point"),
    path(
        "readouts/<slug:slug>/points/<slug:key>/cite/", views.CiteView.as_view(), name="cite_point"
    ),
    path("administrations/", views.AdministrationIndexView.as_view(), name="administrations"),
    path(
        "administrations/<int:ordinal>/", views.AdministrationView.as_view(), name="administration"
    ),
    path("countries/", views.CountryIndexView.as_view(), name="countries"),
    path("countries/<str:code>/", views.CountryView.as_view(), name="country"),
    path("people/", views.PersonIndexView.as_view(), name="people"),
    path("people/<slug:slug>/", views.PersonView.as_view(), name="person"),
    path("occasions/", views.OccasionIndexView.as_view(), name="occasions"),
    path("occasions/<slug:slug>/", views.OccasionView.as_view(), name="occasion"),
    path("topics/", views.TopicIndexView.as_view(), name="topics"),
    path("topics/<slug:slug>/", views.TopicView.as_view(), name="topic"),
    path("charts/", views.ChartsView.as_view(), name="charts"),
    path("sitemap.xml", sitemap, {"sitemaps": sitemaps}, name="sitemap"),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain"),
        name="robots",
    ),
]
