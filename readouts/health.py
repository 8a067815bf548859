"""The load balancer's health check: is this process up and serving?

It answers without touching the database or the cache, so that a slow
database does not take every app server out of rotation at once; the
database has its own monitoring. Benchmarks use it as the framework's
ceiling: the same server and middleware, no work.
"""

from django.http import HttpResponse
from django.views.decorators.cache import never_cache


@never_cache
def healthz(request):
    return HttpResponse("ok", content_type="text/plain")
