from django.http import HttpResponseBadRequest
from django.urls import reverse

from .routers import replica_reads_allowed

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def may_read_from_replica(request):
    """Anonymous public reads only: an editor must see their own writes at once."""
    if request.method not in SAFE_METHODS:
        return False
    if request.path.startswith(reverse("admin:index")):
        return False
    # API tokens are checked by the view, after middleware: a request that
    # brings any credentials is treated as an editor's.
    if "HTTP_AUTHORIZATION" in request.META:
        return False
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated and user.is_staff)


class PrimaryOrReplicaMiddleware:
    """Sets, for the length of a request, whether its reads may use the replica.

    Goes after AuthenticationMiddleware: it needs request.user.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = replica_reads_allowed.set(may_read_from_replica(request))
        try:
            return self.get_response(request)
        finally:
            replica_reads_allowed.reset(token)


def refuse_nul_bytes_in_the_admin(get_response):
    """Answer 400 to an admin address with a NUL byte in its path or query.

    PostgreSQL refuses a NUL in a string, and the admin's list filters and
    object ids reach its queries as they come: such a request was a 500.
    The public pages and the API check every parameter themselves, and name
    the one at fault (their tests send NUL bytes to each).
    """

    def middleware(request):
        if request.path.startswith(reverse("admin:index")) and (
            "\x00" in request.path
            or any(
                "\x00" in name or any("\x00" in value for value in values)
                for name, values in request.GET.lists()
            )
        ):
            return HttpResponseBadRequest(
                "An address cannot hold a NUL byte (%00).", content_type="text/plain"
            )
        return get_response(request)

    return middleware
