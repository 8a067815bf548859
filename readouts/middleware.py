from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.http import HttpResponseBadRequest

from .links import route
from .routers import replica_reads_allowed

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def in_the_admin(request):
    return request.path.startswith(route("admin:index"))


def may_read_from_replica(request):
    """Anonymous public reads only: an editor must see their own writes at once."""
    if request.method not in SAFE_METHODS:
        return False
    if in_the_admin(request):
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


def could_be_a_key(field, value):
    """Whether `value`, as a request gives it, can be a key of `field` at all:
    "abc" cannot be an id, and no key holds a NUL byte (PostgreSQL refuses one)."""
    if "\x00" in str(value):
        return False
    try:
        field.to_python(value)
    except ValidationError:
        return False
    return True


class RefuseMalformedAdminInput:
    """Answer 400 to admin requests holding what no field could: a NUL byte in
    the address, or an action's chosen rows by ids their model cannot have.

    The admin's list filters, object ids and chosen rows reach its queries as
    they come, and a forged one raised there: a 500. The public pages and the
    API check every parameter themselves, and name the one at fault (their
    tests send NUL bytes to each).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if in_the_admin(request) and (
            "\x00" in request.path
            or any(
                "\x00" in name or any("\x00" in value for value in values)
                for name, values in request.GET.lists()
            )
        ):
            return refused("An address cannot hold a NUL byte (%00).")
        return self.get_response(request)

    def process_view(self, request, view, args, kwargs):
        # After CsrfViewMiddleware, which has read the form already.
        model_admin = getattr(view, "model_admin", None)  # set on a model admin's own views
        if model_admin is None or request.method != "POST" or "action" not in request.POST:
            return None
        key = model_admin.model._meta.pk
        chosen = request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)
        if not all(could_be_a_key(key, value) for value in chosen):
            return refused("The rows chosen for this action are not rows of this list.")
        return None


def refused(message):
    return HttpResponseBadRequest(message, content_type="text/plain")
