from django.urls import path

from . import views

app_name = "readouts"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("readouts/", views.ReadoutListView.as_view(), name="list"),
    path("readouts/<slug:slug>/", views.ReadoutDetailView.as_view(), name="detail"),
    path("readouts/<slug:slug>/points/<slug:key>/", views.point_redirect, name="point"),
    path("countries/<str:code>/", views.CountryView.as_view(), name="country"),
    path("people/<slug:slug>/", views.PersonView.as_view(), name="person"),
    path(
        "administrations/<int:ordinal>/", views.AdministrationView.as_view(), name="administration"
    ),
    path("occasions/<slug:slug>/", views.OccasionView.as_view(), name="occasion"),
    path("topics/<slug:slug>/", views.TopicView.as_view(), name="topic"),
]
