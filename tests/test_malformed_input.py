"""Bad input is refused cleanly: every filter of every list, on the HTML pages and the
API, with wrong types, NUL bytes, huge numbers, long strings, SQL and odd unicode,
answers 200 or 400 (a 404 for an unknown page), never a 500."""

from urllib.parse import quote

import pytest
from axes.models import AccessAttempt
from django.contrib import admin
from django.core.cache import cache
from django.test import Client
from django_filters import DateFromToRangeFilter
from rest_framework.throttling import AnonRateThrottle

from readouts.admin import AutocompleteKeysOnly
from readouts.filters import PointFilter, ReadoutFilter
from tests.builders import make_readout, make_user

pytestmark = pytest.mark.django_db

VALUES = [
    "abc",
    "",
    "\x00",
    "a\x00b",
    "9" * 40,
    "-1",
    "0",
    "1e309",
    "NaN",
    "2022-13-45",
    "99999-01-01",
    "x" * 10_000,
    "' OR 1=1 --",
    "1; DROP TABLE readouts_readout",
    "US' UNION SELECT password FROM auth_user --",
    "\u202egnp.exe",
    "\u0000\u200b\ufeff",
    "𝕏😀",
    "../../etc/passwd",
    "<script>alert(1)</script>",
    "%",
    "a,b,,c",
]
# Bytes that are not UTF-8 at all, sent percent-encoded as they are.
RAW_VALUES = ["%FF", "%ED%A0%80", "%C0%AF", "%00%00"]


def parameter_names(filterset):
    names = []
    for name, filter_ in filterset.base_filters.items():
        if isinstance(filter_, DateFromToRangeFilter):
            names += [f"{name}_after", f"{name}_before"]
        names.append(name)
    return names


PAGINATION = ["page", "page_size"]
ENDPOINTS = [
    ("/readouts/", parameter_names(ReadoutFilter) + ["page"]),
    ("/readouts/feed/", parameter_names(ReadoutFilter)),
    ("/api/v1/readouts/", parameter_names(ReadoutFilter) + PAGINATION + ["facets"]),
    ("/api/v1/readouts/export/csv/", parameter_names(ReadoutFilter)),
    ("/api/v1/readouts/harvest/", parameter_names(ReadoutFilter) + ["cursor", "page_size"]),
    ("/api/v1/points/", parameter_names(PointFilter) + PAGINATION),
]
CASES = [(url, name) for url, names in ENDPOINTS for name in names]


@pytest.fixture(scope="module")
def readout(django_db_setup, django_db_blocker):
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        yield make_readout(points=["The leaders discussed North Korea."])
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def unthrottled(monkeypatch):
    cache.clear()
    monkeypatch.setitem(AnonRateThrottle.THROTTLE_RATES, "anon", None)
    monkeypatch.setitem(AnonRateThrottle.THROTTLE_RATES, "anon_export", None)


def body(response):
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


@pytest.mark.parametrize("url, name", CASES, ids=[f"{url}?{name}" for url, name in CASES])
def test_malformed_filter_values_are_never_a_500(readout, url, name):
    client = Client(raise_request_exception=False)
    queries = [f"{name}={quote(value)}" for value in VALUES]
    queries += [f"{name}={raw}" for raw in RAW_VALUES]
    queries += [f"{name}=1&{name}=2", f"{name}[]=1", f"{name}"]
    failures = {}
    for query in queries:
        response = client.get(f"{url}?{query}")
        body(response)  # a streamed export fails while it streams
        if response.status_code not in (200, 400, 404):
            failures[query[:80]] = response.status_code
    assert failures == {}


# Every page and API answer that one key names: the readout, a person, a country...
DETAILS = [
    "/readouts/{}/",
    "/readouts/{}/cite/",
    "/readouts/{}/compare/{}/",
    "/administrations/{}/",
    "/countries/{}/",
    "/people/{}/",
    "/occasions/{}/",
    "/topics/{}/",
    "/sitemap-{}.xml",
    "/api/v1/readouts/{}/",
    "/api/v1/meetings/{}/",
    "/api/v1/points/{}/",
    "/api/v1/people/{}/",
    "/api/v1/countries/{}/",
    "/api/v1/topics/{}/",
    "/api/v1/administrations/{}/",
    "/api/v1/occasions/{}/",
    "/api/v1/annotations/{}/",
]


@pytest.mark.parametrize("template", DETAILS)
def test_malformed_keys_in_a_path_are_never_a_500(readout, template):
    client = Client(raise_request_exception=False)
    failures = {}
    for value in [*map(quote, VALUES), *RAW_VALUES, "0000", "readouts-0000"]:
        if not value or "/" in value:  # another address altogether
            continue
        path = template.replace("{}", value)
        response = client.get(path)
        if response.status_code not in (200, 301, 404):
            failures[path[:80]] = response.status_code
    assert failures == {}


# Once 500s: a number too large for 64 bits (SQLite's OverflowError) and a search
# made only of excluded words (no `rank` to order by).
@pytest.mark.parametrize(
    "url, name, value",
    [
        ("/readouts/", "administration", "9" * 40),
        ("/api/v1/readouts/", "administration", "9" * 40),
        ("/readouts/feed/", "administration", "9" * 40),
        ("/readouts/", "q", "-1"),
        ("/readouts/", "q", "-summit"),
    ],
)
def test_former_500s_are_clean_answers(readout, url, name, value):
    response = Client(raise_request_exception=False).get(url, {name: value})
    assert response.status_code in (200, 400)


def test_every_filter_is_exercised():
    assert {"q", "date_after", "year", "country", "person", "sort"} <= set(
        parameter_names(ReadoutFilter)
    )
    assert {"q", "topic", "readout"} <= set(parameter_names(PointFilter))


ADMIN_ADDRESSES = [
    "/admin/readouts/readout/?status__exact=%00",
    "/admin/readouts/readout/?q=a%00b",
    "/admin/readouts/meeting/?country__code__exact=%00",
    "/admin/readouts/readout/%00/history/",
    "/admin/readouts/country/%00/change/",
    "/admin/authtoken/tokenproxy/?pk=%00",
    "/admin/readouts/readout/?%00=1",
]


@pytest.mark.parametrize("address", ADMIN_ADDRESSES)
def test_a_nul_byte_in_an_admin_address_is_refused(readout, address):
    # PostgreSQL refuses a NUL in a string: these were 500s there.
    response = admin_client().get(address)
    assert response.status_code == 400
    assert b"NUL byte" in response.content


def admin_client():
    client = Client(raise_request_exception=False)
    client.force_login(make_user("root", is_superuser=True))
    return client


@pytest.mark.parametrize("forged", ["abc", "\x00", "1\x00"])
def test_an_action_on_rows_by_forged_ids_is_refused_on_every_admin_list(readout, forged):
    # Django's admin filtered the rows by them before the action ran, and raised.
    client = admin_client()
    answers = {}
    for model in admin.site._registry:
        address = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        chosen = {"action": "delete_selected", "_selected_action": forged, "index": "0"}
        answers[address] = client.post(address, chosen).status_code
    assert 500 not in answers.values(), answers
    assert answers["/admin/readouts/readout/"] == 400


@pytest.mark.parametrize(
    "address, field",
    [
        ("/admin/readouts/readout/{readout}/change/", "meeting"),
        ("/admin/readouts/readout/{readout}/change/", "translation_of"),
        ("/admin/readouts/meeting/{meeting}/change/", "occasion"),
        ("/admin/readouts/annotation/add/", "readout"),
    ],
)
@pytest.mark.parametrize("forged", ["abc", "\x00"])
def test_a_forged_autocomplete_value_is_a_form_error(readout, address, field, forged):
    # The form refused it, and Django's autocomplete widget, labelling it
    # again, raised.
    client = admin_client()
    address = address.format(readout=readout.pk, meeting=readout.meeting_id)
    form = client.get(address).context["adminform"].form
    data = {name: "" if value is None else value for name, value in form.initial.items()}
    response = client.post(address, {**data, field: forged})
    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors


def test_the_login_attempts_admin_cleans_up_expired_attempts(readout):
    AccessAttempt.objects.create(username="x", ip_address="192.0.2.1", failures_since_start=1)
    chosen = {
        "action": "cleanup_expired_attempts",
        "_selected_action": AccessAttempt.objects.get().pk,
        "index": "0",
    }
    response = admin_client().post("/admin/axes/accessattempt/", chosen, follow=True)
    assert response.status_code == 200
    assert "Cleaned up" in response.content.decode()


def test_every_admin_with_autocomplete_fields_shows_again_only_keys():
    admins = [*admin.site._registry.values()]
    admins += [inline for model_admin in admins for inline in model_admin.inlines]
    classes = {each if isinstance(each, type) else type(each) for each in admins}
    with_autocomplete = {cls for cls in classes if cls.autocomplete_fields}
    assert len(with_autocomplete) >= 13
    assert {
        cls.__name__ for cls in with_autocomplete if not issubclass(cls, AutocompleteKeysOnly)
    } == set()
