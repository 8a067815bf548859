"""Who may do what: every URL and API method, for every role, in one table.

Each row is (role, method, path, expected status). Paths are templates that
tests.site fills with real objects. `test_every_url_pattern_is_in_the_table`
fails when a URL pattern is added without rows here.
"""

import pytest
from django.contrib import admin
from django.core.cache import cache

from tests.site import ROLES, route_of, url_routes

# Every test, so that the test database is set up whichever tests are selected.
pytestmark = pytest.mark.django_db

OK, FOUND, BAD, FORBIDDEN, MISSING, NOT_ALLOWED = 200, 302, 400, 403, 404, 405
EVERYONE = (OK,) * 5
# Hidden content: missing for the public, previewed by editors and above.
PREVIEW = (MISSING, MISSING, OK, OK, OK)
# Admin pages: the public and users without staff status go to the login page.
STAFF_ONLY = (FOUND, FOUND, OK, OK, OK)


def rows(method, path, statuses, marks=(), marked_roles=ROLES):
    return [
        pytest.param(
            role,
            method,
            path,
            status,
            marks=marks if role in marked_roles else (),
            id=f"{role}-{method}-{path}",
        )
        for role, status in zip(ROLES, statuses, strict=True)
    ]


PUBLIC_PAGES = [
    ("GET", "/", EVERYONE),
    ("GET", "/readouts/", EVERYONE),
    ("GET", "/readouts/?q=summit&country=US", EVERYONE),
    ("GET", "/readouts/?year=abc", (BAD,) * 5),
    ("GET", "/readouts/feed/", EVERYONE),
    ("GET", "/readouts/{published}/", EVERYONE),
    ("GET", "/readouts/{withdrawn}/", EVERYONE),
    ("GET", "/readouts/{draft}/", PREVIEW),
    ("GET", "/readouts/{review}/", PREVIEW),
    ("GET", "/readouts/{silent}/", PREVIEW),
    ("GET", "/readouts/no-such-readout/", (MISSING,) * 5),
    ("GET", "/readouts/{published}/cite/", EVERYONE),
    ("GET", "/readouts/{draft}/cite/", PREVIEW),
    ("GET", "/readouts/{published}/compare/{other}/", EVERYONE),
    # Side by side is for public readouts only, even for editors.
    ("GET", "/readouts/{published}/compare/{draft}/", (MISSING,) * 5),
    ("GET", "/readouts/{published}/points/{point}/", (FOUND,) * 5),
    ("GET", "/readouts/{draft}/points/{draft_point}/", (MISSING, MISSING, FOUND, FOUND, FOUND)),
    ("GET", "/readouts/{published}/points/{point}/cite/", EVERYONE),
    ("GET", "/readouts/{draft}/points/{draft_point}/cite/", PREVIEW),
    ("GET", "/administrations/", EVERYONE),
    ("GET", "/administrations/{ordinal}/", EVERYONE),
    ("GET", "/administrations/999/", (MISSING,) * 5),
    ("GET", "/countries/", EVERYONE),
    ("GET", "/countries/{country}/", EVERYONE),
    ("GET", "/countries/zz/", (MISSING,) * 5),
    ("GET", "/people/", EVERYONE),
    ("GET", "/people/{person}/", EVERYONE),
    ("GET", "/occasions/", EVERYONE),
    ("GET", "/occasions/{occasion}/", EVERYONE),
    ("GET", "/topics/", EVERYONE),
    ("GET", "/topics/{topic}/", EVERYONE),
    ("GET", "/charts/", EVERYONE),
    ("GET", "/sitemap.xml", EVERYONE),
    ("GET", "/sitemap-readouts-{year}.xml", EVERYONE),
    ("GET", "/sitemap-readouts-1900.xml", (MISSING,) * 5),
    ("GET", "/robots.txt", EVERYONE),
    ("GET", "/healthz", EVERYONE),
    # The public site is read-only: its forms are GET forms.
    ("POST", "/readouts/", (NOT_ALLOWED,) * 5),
    ("POST", "/readouts/{published}/", (NOT_ALLOWED,) * 5),
]
# People and occasions known only from a draft have no public page.
UNPUBLISHED_SUBJECTS = [
    ("GET", "/people/{draft_person}/", PREVIEW),
    ("GET", "/occasions/{draft_occasion}/", PREVIEW),
]

# The API: reading is public, writing needs the model permission, and readouts
# change status only through the workflow actions.
API_WRITE = (FORBIDDEN, FORBIDDEN, BAD, BAD, BAD)  # editors get past permissions to validation
# Permissions are checked before the method: without the model permission it is a 403.
API_READ_ONLY_WRITE = (FORBIDDEN, FORBIDDEN, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED)
API_NOBODY_MAY = (FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_ALLOWED)
API_REVIEWERS_MAY = (FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_ALLOWED, NOT_ALLOWED)
API = [
    ("GET", "/api/v1/", EVERYONE),
    ("GET", "/api/schema/", EVERYONE),
    ("GET", "/api/docs/", EVERYONE),
    ("GET", "/api/docs/?script=", EVERYONE),
    ("GET", "/api/v2/nothing-here/", (MISSING,) * 5),
    ("DELETE", "/api/nothing-here", (MISSING,) * 5),
    ("GET", "/api/v1/readouts/", EVERYONE),
    ("POST", "/api/v1/readouts/", API_WRITE),
    ("PATCH", "/api/v1/readouts/", API_READ_ONLY_WRITE),
    ("DELETE", "/api/v1/readouts/", API_REVIEWERS_MAY),
    ("GET", "/api/v1/readouts/export/csv/", EVERYONE),
    ("GET", "/api/v1/readouts/export/jsonl/", EVERYONE),
    ("GET", "/api/v1/readouts/harvest/", EVERYONE),
    ("POST", "/api/v1/readouts/harvest/", API_READ_ONLY_WRITE),
    ("GET", "/api/v1/readouts/{published}/", EVERYONE),
    ("GET", "/api/v1/readouts/{draft}/", PREVIEW),
    ("GET", "/api/v1/readouts/{silent}/", PREVIEW),
    ("POST", "/api/v1/readouts/{published}/", API_READ_ONLY_WRITE),
    ("PATCH", "/api/v1/readouts/{draft}/", (FORBIDDEN, FORBIDDEN, BAD, BAD, BAD)),
    ("PATCH", "/api/v1/readouts/{published}/", (FORBIDDEN, FORBIDDEN, BAD, BAD, BAD)),
    ("DELETE", "/api/v1/readouts/{published}/", API_REVIEWERS_MAY),
    # Workflow actions, on a readout in the state each one starts from.
    ("POST", "/api/v1/readouts/{draft}/submit/", (FORBIDDEN, FORBIDDEN, OK, OK, OK)),
    ("POST", "/api/v1/readouts/{review}/return/", (FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, OK)),
    # The editor wrote both: the reviewer publishes, the editor may not.
    ("POST", "/api/v1/readouts/{review}/publish/", (FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, OK)),
    ("POST", "/api/v1/readouts/{published}/withdraw/", (FORBIDDEN, FORBIDDEN, FORBIDDEN, BAD, BAD)),
    ("GET", "/api/v1/readouts/{draft}/submit/", (NOT_ALLOWED,) * 5),
    # A step from the wrong state is refused with a reason, and the public cannot even find it.
    ("POST", "/api/v1/readouts/{published}/submit/", (FORBIDDEN, FORBIDDEN, BAD, BAD, BAD)),
    ("POST", "/api/v1/readouts/{silent}/publish/", (FORBIDDEN, FORBIDDEN, FORBIDDEN, BAD, BAD)),
    ("GET", "/api/v1/meetings/", EVERYONE),
    ("GET", "/api/v1/meetings/{meeting_pk}/", EVERYONE),
    ("GET", "/api/v1/meetings/{draft_meeting_pk}/", PREVIEW),
    ("POST", "/api/v1/meetings/", API_READ_ONLY_WRITE),
    ("PATCH", "/api/v1/meetings/{meeting_pk}/", API_READ_ONLY_WRITE),
    ("DELETE", "/api/v1/meetings/{meeting_pk}/", API_REVIEWERS_MAY),
    ("GET", "/api/v1/points/", EVERYONE),
    ("GET", "/api/v1/points/{point_pk}/", EVERYONE),
    ("GET", "/api/v1/points/{draft_point_pk}/", PREVIEW),
    ("POST", "/api/v1/points/", API_READ_ONLY_WRITE),
    ("DELETE", "/api/v1/points/{point_pk}/", API_READ_ONLY_WRITE),
    ("GET", "/api/v1/people/", EVERYONE),
    ("GET", "/api/v1/people/{person}/", EVERYONE),
    ("GET", "/api/v1/people/{draft_person}/", PREVIEW),
    ("POST", "/api/v1/people/", API_READ_ONLY_WRITE),
    ("PATCH", "/api/v1/people/{person}/", API_READ_ONLY_WRITE),
    ("GET", "/api/v1/countries/", EVERYONE),
    ("GET", "/api/v1/countries/JP/", EVERYONE),
    ("POST", "/api/v1/countries/", API_NOBODY_MAY),
    ("DELETE", "/api/v1/countries/JP/", API_NOBODY_MAY),
    ("GET", "/api/v1/topics/", EVERYONE),
    ("GET", "/api/v1/topics/{topic}/", EVERYONE),
    ("POST", "/api/v1/topics/", API_READ_ONLY_WRITE),
    ("GET", "/api/v1/administrations/", EVERYONE),
    ("GET", "/api/v1/administrations/{ordinal}/", EVERYONE),
    ("PATCH", "/api/v1/administrations/{ordinal}/", API_NOBODY_MAY),
    ("GET", "/api/v1/occasions/", EVERYONE),
    ("GET", "/api/v1/occasions/{occasion}/", EVERYONE),
    ("GET", "/api/v1/occasions/{draft_occasion}/", PREVIEW),
    ("DELETE", "/api/v1/occasions/{occasion}/", API_NOBODY_MAY),
    ("GET", "/api/v1/annotations/", EVERYONE),
    ("GET", "/api/v1/annotations/{annotation_pk}/", EVERYONE),
    ("GET", "/api/v1/annotations/{internal_annotation_pk}/", PREVIEW),
    ("POST", "/api/v1/annotations/", API_WRITE),
    ("PATCH", "/api/v1/annotations/{annotation_pk}/", (FORBIDDEN, FORBIDDEN, OK, OK, OK)),
    # Editors may delete annotations; the public may not even find an internal one.
    ("DELETE", "/api/v1/annotations/{annotation_pk}/", (FORBIDDEN, FORBIDDEN, 204, 204, 204)),
    (
        "DELETE",
        "/api/v1/annotations/{internal_annotation_pk}/",
        (FORBIDDEN, FORBIDDEN, 204, 204, 204),
    ),
]
# Every API route also answers with a format suffix (`.json`): the same rules apply.
# The API has no format-suffix routes (formats come by Accept or ?format=): a
# suffixed path is an unknown address, 404 for everyone, whatever the method.
NOWHERE = (MISSING,) * 5
API_FORMATS = [
    ("GET", "/api/v1/readouts.json", NOWHERE),
    ("GET", "/api/v1/readouts/{published}.json", NOWHERE),
    ("GET", "/api/v1/readouts/export/csv.csv", NOWHERE),
    ("GET", "/api/v1/readouts/harvest.json", NOWHERE),
    ("POST", "/api/v1/readouts/{review}/publish.json", NOWHERE),
]

ADMIN_SITE = [
    ("GET", "/admin/", STAFF_ONLY),
    ("GET", "/admin/login/", EVERYONE[:2] + (FOUND,) * 3),
    ("POST", "/admin/logout/", (FOUND, FOUND, OK, OK, OK)),
    ("GET", "/admin/logout/", (FOUND, FOUND, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED)),
    ("GET", "/admin/password_change/", STAFF_ONLY),
    ("GET", "/admin/password_change/done/", STAFF_ONLY),
    (
        "GET",
        "/admin/autocomplete/?app_label=readouts&model_name=readout&field_name=translation_of",
        STAFF_ONLY,
    ),
    (
        "GET",
        "/admin/autocomplete/?app_label=auth&model_name=user&field_name=groups",
        (FOUND, FOUND, FORBIDDEN, FORBIDDEN, OK),
    ),
    ("GET", "/admin/jsi18n/", STAFF_ONLY),
    ("GET", "/admin/r/{readout_ct}/{published_pk}/", (FOUND,) * 5),
    ("GET", "/admin/readouts/", STAFF_ONLY),
    ("GET", "/admin/auth/", (FOUND, FOUND, MISSING, MISSING, OK)),
    ("GET", "/admin/axes/", (FOUND, FOUND, MISSING, MISSING, OK)),
    ("GET", "/admin/authtoken/", (FOUND, FOUND, MISSING, MISSING, OK)),
    ("GET", "/admin/no-such-page/", (FOUND, FOUND, MISSING, MISSING, MISSING)),
    ("GET", "/admin/auth/user/{auth_user_pk}/password/", (FOUND, FOUND, FORBIDDEN, FORBIDDEN, OK)),
    # The readout import page and the workflow pages.
    ("GET", "/admin/readouts/readout/import/", STAFF_ONLY),
    ("POST", "/admin/readouts/readout/import/", STAFF_ONLY),
    ("GET", "/admin/readouts/readout/{draft_pk}/workflow/submit/", STAFF_ONLY),
    ("GET", "/admin/readouts/readout/{draft_pk}/workflow/publish/", STAFF_ONLY),
    ("GET", "/admin/readouts/readout/{published_pk}/workflow/withdraw/", STAFF_ONLY),
    ("GET", "/admin/readouts/readout/{published_pk}/workflow/withdraw-silently/", STAFF_ONLY),
    ("GET", "/admin/readouts/readout/{draft_pk}/workflow/return/", STAFF_ONLY),
    (
        "GET",
        "/admin/readouts/readout/{draft_pk}/workflow/delete/",
        (FOUND, FOUND) + (FORBIDDEN,) * 3,
    ),
    ("POST", "/admin/readouts/readout/{draft_pk}/workflow/submit/", (FOUND,) * 5),
    # A refused step comes back to the page with the reason rather than being taken.
    (
        "POST",
        "/admin/readouts/readout/{review_pk}/workflow/publish/",
        (FOUND, FOUND, OK, FOUND, FOUND),
    ),
]

# What each role may do in the admin, model by model: v(iew), a(dd), c(hange), d(elete).
# History needs view; reversion's recover pages need add and change.
ADMIN_MODELS = {
    # model: (editor, reviewer)
    "readouts.readout": ("vac", "vacd"),
    "readouts.meeting": ("vac", "vacd"),
    "readouts.point": ("vacd", "vacd"),
    "readouts.annotation": ("vacd", "vacd"),
    "readouts.participation": ("vacd", "vacd"),
    "readouts.tenure": ("vacd", "vacd"),
    "readouts.person": ("vac", "vac"),
    "readouts.occasion": ("vac", "vac"),
    "readouts.topic": ("vac", "vac"),
    "readouts.administration": ("v", "v"),
    "readouts.country": ("v", "v"),
    "readouts.issuer": ("v", "v"),
    "auth.user": ("", ""),
    "auth.group": ("", ""),
    "authtoken.tokenproxy": ("", ""),
    "axes.accessattempt": ("", ""),
    "axes.accesslog": ("", ""),
    "axes.accessfailurelog": ("", ""),
}
# Axes' logs are written by axes alone: nobody adds or changes them by hand.
READ_ONLY_FOR_SUPERUSERS = {
    "axes.accessattempt": "vd",
    "axes.accesslog": "vd",
    "axes.accessfailurelog": "vd",
}


def admin_rows():
    table = []
    for label, (editor, reviewer) in ADMIN_MODELS.items():
        app, model = label.split(".")
        base = f"/admin/{app}/{model}/"
        obj = f"{base}{{{app}_{model}_pk}}/"
        superuser = READ_ONLY_FOR_SUPERUSERS.get(label, "vacd")

        def statuses(needs, _editor=editor, _reviewer=reviewer, _superuser=superuser):
            def status(may):
                return OK if all(letter in may for letter in needs) else FORBIDDEN

            return (FOUND, FOUND, status(_editor), status(_reviewer), status(_superuser))

        table += [
            ("GET", base, statuses("v")),
            ("GET", f"{base}add/", statuses("a")),
            ("GET", f"{obj}change/", statuses("v")),
            ("GET", f"{obj}delete/", statuses("d")),
            ("GET", f"{obj}history/", statuses("v")),
            ("GET", obj, (FOUND,) * 5),
        ]
        if app == "readouts" and f"{app}_{model}" in VERSIONED:
            table += [
                ("GET", f"{base}recover/", statuses("ac")),
                ("GET", f"{base}recover/{{{app}_{model}_version}}/", statuses("ac")),
                ("GET", f"{obj}history/{{{app}_{model}_version}}/", statuses("v")),
            ]
    return table


VERSIONED = {
    "readouts_readout",
    "readouts_meeting",
    "readouts_point",
    "readouts_annotation",
    "readouts_person",
    "readouts_occasion",
    "readouts_topic",
    "readouts_administration",
}

TABLE = PUBLIC_PAGES + UNPUBLISHED_SUBJECTS + API + API_FORMATS + ADMIN_SITE + admin_rows()
MATRIX = [row for method, path, statuses in TABLE for row in rows(method, path, statuses)]


@pytest.fixture(autouse=True)
def fresh_cache():
    # The API's throttle counts and any page cache live in the cache.
    cache.clear()


@pytest.mark.parametrize("role, method, path, expected", MATRIX)
def test_permissions(site, role, method, path, expected):
    client = site.client(role)
    url = site.url(path)
    if url.startswith("/api/"):
        response = client.generic(method, url, content_type="application/json")
    else:
        # Forms post form data: a note, so that the form is bound.
        response = client.generic(
            method, url, "note=Checked.", content_type="application/x-www-form-urlencoded"
        )
    # Read a streamed export to its end, as a client would: on PostgreSQL it holds a cursor.
    content = b"".join(response.streaming_content) if response.streaming else response.content
    assert response.status_code == expected, content[:300]


def test_every_url_pattern_is_in_the_table(site):
    paths = [path for _, path, *_ in TABLE]
    covered = {route_of(site.url(path)) for path in paths}
    assert url_routes() - covered == set()


def test_every_admin_model_is_in_the_table():
    registered = {model._meta.label_lower for model in admin.site._registry}
    assert registered == set(ADMIN_MODELS)
