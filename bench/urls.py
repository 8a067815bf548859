"""The archive's URLs and, for the benchmark only, the API list's hand-written baseline."""

from django.urls import path

from archive.urls import urlpatterns as archive_urlpatterns
from bench.baseline import view as api_baseline

urlpatterns = [
    path("bench/api-baseline", api_baseline, name="bench-api-baseline"),
    *archive_urlpatterns,
]
