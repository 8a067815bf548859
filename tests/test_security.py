"""Security: the Content-Security-Policy and headers, hostile annotation content, login
throttling, forged requests, and `check --deploy` with production settings."""

import logging
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.core.cache import cache
from django.test import Client
from rest_framework.throttling import AnonRateThrottle

from readouts.models import Annotation, Readout
from tests.builders import make_annotation, make_readout, make_user
from tests.test_permissions import ADMIN_SITE, API, PUBLIC_PAGES, admin_rows

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def unthrottled(monkeypatch):
    cache.clear()
    monkeypatch.setitem(AnonRateThrottle.THROTTLE_RATES, "anon", None)


# Content-Security-Policy


def policy(response):
    return dict(
        (directive.split(" ", 1) + [""])[:2]
        for directive in (part.strip() for part in response["Content-Security-Policy"].split(";"))
        if directive
    )


def test_csp_allows_only_our_own_scripts_and_styles(client):
    csp = policy(client.get("/"))

    assert csp == {
        "default-src": "'self'",
        "script-src": "'self'",
        "style-src": "'self'",
        "img-src": "'self' data:",
        "frame-ancestors": "'none'",
        "form-action": "'self'",
        "base-uri": "'none'",
        "object-src": "'none'",
    }


class InlineCode(HTMLParser):
    """What a CSP without 'unsafe-inline' blocks: inline scripts, styles and handlers."""

    DATA_SCRIPTS = {"application/ld+json", "application/json"}

    def __init__(self):
        super().__init__()
        self.found = []
        self.in_inline_script = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        inline = "src" not in attributes and attributes.get("type") not in self.DATA_SCRIPTS
        if tag == "script" and inline:
            self.in_inline_script = True
        if tag == "style":
            self.found.append("<style> element")
        for name, value in attrs:
            if name == "style":
                self.found.append(f'<{tag} style="{value}">')
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=...>")
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.found.append(f"<{tag} {name}=javascript:...>")

    def handle_data(self, data):
        if self.in_inline_script and data.strip():
            self.found.append(f"inline <script>: {data.strip()[:60]}")

    def handle_endtag(self, tag):
        if tag == "script":
            self.in_inline_script = False


def inline_code(html):
    parser = InlineCode()
    parser.feed(html)
    return parser.found


HTML_PAGES = sorted(
    {
        path
        for method, path, _ in PUBLIC_PAGES + API + ADMIN_SITE + admin_rows()
        if method == "GET" and not path.endswith(".json")
    }
)


@pytest.mark.parametrize("role", ["anonymous", "superuser"])
def test_every_page_has_the_csp_and_nothing_inline_it_would_block(site, role):
    client = site.client(role)
    problems = {}
    checked = 0
    for path in HTML_PAGES:
        response = client.get(site.url(path))
        if response.streaming:
            b"".join(response.streaming_content)
        assert "Content-Security-Policy" in response, path
        assert "unsafe-inline" not in response["Content-Security-Policy"]
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        checked += 1
        found = inline_code(response.content.decode())
        if found:
            problems[path] = found
    assert checked > 20
    assert problems == {}


def test_api_docs_load_their_script_from_our_own_origin(client):
    page = client.get("/api/docs/").content.decode()
    scripts = re.findall(r"<script[^>]*\bsrc=\"([^\"]+)\"", page)

    assert inline_code(page) == []
    assert any("script" in src for src in scripts)
    for src in scripts:
        assert src.startswith("/"), src
        assert client.get(src).status_code == 200, src


# Other security headers


def test_security_headers_on_pages_and_the_api(client):
    for url in ("/", "/api/v1/readouts/", "/admin/login/"):
        response = client.get(url)
        assert response["X-Content-Type-Options"] == "nosniff", url
        assert response["Referrer-Policy"] == "same-origin", url
        assert response["X-Frame-Options"] == "DENY", url
        assert response["Cross-Origin-Opener-Policy"] == "same-origin", url


# What the test run sets and production does not (tests/settings.py, test_browser.py).
NOT_IN_PRODUCTION = {
    "DEBUG",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "DJANGO_SETTINGS_MODULE",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
}


def production_environment(**extra):
    env = {key: value for key, value in os.environ.items() if key not in NOT_IN_PRODUCTION}
    return {
        **env,
        "DJANGO_SETTINGS_MODULE": "archive.settings",
        "SECRET_KEY": "k3J9-x_Vq2!mP0zL8wR4tY6uI1oE5aS7dF3gH9jK2lZ4xC6vB8nM0qW2eR4tY6uI8o",
        "ALLOWED_HOSTS": "readouts.example.org",
        **extra,
    }


def deploy_check():
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=ROOT,
        env=production_environment(),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deploy_check_finds_no_security_issue_with_production_settings():
    result = deploy_check()
    assert result.returncode == 0, result.stderr
    assert "security." not in result.stdout + result.stderr


def test_deploy_check_reports_no_issues_at_all_with_production_settings():
    result = deploy_check()
    assert "System check identified no issues" in result.stdout, result.stdout + result.stderr


def test_production_sends_hsts():
    script = (
        "from django.conf import settings; "
        "print(settings.SECURE_HSTS_SECONDS, settings.SECURE_SSL_REDIRECT, "
        "settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE)"
    )
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {script}"],
        cwd=ROOT,
        env=production_environment(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.split() == ["31536000", "True", "True", "True"], result.stderr


# Hostile annotation content

HOSTILE = [
    "<script>alert(1)</script>",
    "<iframe src='https://evil.example'></iframe>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "<img src=x onerror=alert(1)>",
    '![x](x" onerror="alert(1))',
    "<svg onload=alert(1)><circle r=1 /></svg>",
    '<div style="width: expression(alert(1))">x</div>',
    '<a href="javascript:alert(1)" onclick="alert(1)">x</a>',
    "[x](vbscript:msgbox(1))",
    "<object data='evil.swf'></object><embed src='evil.swf'>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<<script>script>alert(1)<</script>/script>",
    "[x](&#106;avascript:alert(1))",
]


@pytest.mark.parametrize("payload", HOSTILE)
def test_hostile_annotation_markdown_is_inert_on_the_page_and_in_the_api(client, payload):
    author = make_user("mallory")
    readout = make_readout(points=["The two leaders met."])
    make_annotation(readout, readout.points.get(), "leaders", author, body=payload)

    page = client.get(readout.get_absolute_url()).content.decode()
    api = client.get(f"/api/v1/readouts/{readout.slug}/").json()
    rendered = [note["body_html"] for note in api["annotations"]] if "annotations" in api else []

    for html in [page, *rendered]:
        assert inline_code(html) == [], html
        lowered = html.lower()
        for dangerous in ("<script>alert", "<iframe", "<svg", "<object", "<embed", "<img"):
            assert dangerous not in lowered
        assert not re.search(r"""<a[^>]+href=["']?\s*(javascript|vbscript|data):""", lowered)
        assert "expression(" not in lowered or "&lt;div" in lowered


# Login throttling (django-axes)

LOGIN = "/admin/login/?next=/admin/"


def login(client, username, password, address):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def test_five_failed_logins_lock_out_even_the_right_password(caplog):
    caplog.set_level(logging.INFO, logger="axes")
    make_user("olga")
    client = Client(REMOTE_ADDR="203.0.113.5")

    failures = [login(client, "olga", "wrong", "203.0.113.5").status_code for _ in range(5)]
    refused = login(client, "olga", "a-long-test-password", "203.0.113.5")

    assert failures[:4] == [200] * 4  # the form again, with an error
    assert refused.status_code == 429
    assert "_auth_user_id" not in client.session
    attempt = AccessAttempt.objects.get(username="olga")
    assert attempt.ip_address == "203.0.113.5"
    assert attempt.failures_since_start >= 5
    assert AccessFailureLog.objects.filter(username="olga").count() >= 5
    # The log says so (axes masks the username and address there; the database has them).
    assert any(
        "Locking out" in record.getMessage() and record.levelno >= logging.WARNING
        for record in caplog.records
        if record.name.startswith("axes")
    )


def test_a_lockout_leaves_other_users_and_addresses_alone():
    make_user("olga")
    make_user("peter")
    attacker = Client()
    for _ in range(6):
        login(attacker, "olga", "wrong", "203.0.113.5")

    peter = Client()
    response = login(peter, "peter", "a-long-test-password", "198.51.100.7")
    olga_elsewhere = Client()
    olga = login(olga_elsewhere, "olga", "a-long-test-password", "198.51.100.8")

    assert response.status_code == 302
    assert "_auth_user_id" in peter.session
    assert olga.status_code == 302  # the lockout is by username and address together


def test_axes_checks_logins_first():
    from django.conf import settings

    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
    assert settings.MIDDLEWARE[-1] == "axes.middleware.AxesMiddleware"
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]


def test_no_test_signs_in_with_a_password():
    # Password logins count towards lockouts; tests sign in with force_login.
    offenders = [
        path.name
        for path in (ROOT / "tests").glob("test_*.py")
        if path.name != "test_security.py" and re.search(r"\.login\(", path.read_text())
    ]
    assert offenders == []


# Forged requests


@pytest.fixture
def csrf_client(editor):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    return client


@pytest.mark.parametrize(
    "url",
    [
        "/admin/readouts/readout/import/",
        "/admin/readouts/readout/add/",
        "/admin/readouts/readout/{pk}/change/",
        "/admin/readouts/readout/{pk}/workflow/submit/",
        "/admin/logout/",
    ],
)
def test_admin_posts_without_the_csrf_token_are_403(csrf_client, url):
    readout = make_readout(status=Readout.Status.DRAFT)
    response = csrf_client.post(url.format(pk=readout.pk), {"note": "forged", "title": "x"})

    assert response.status_code == 403
    readout.refresh_from_db()
    assert readout.status == Readout.Status.DRAFT
    assert readout.workflow_steps.count() == 0


@pytest.mark.parametrize("version", ["abc", "-1", "99999999999999999999", "1\x00", ""])
def test_tampered_loaded_version_saves_nothing(editor_client, version):
    readout = make_readout(status=Readout.Status.DRAFT, title="Before")
    page = editor_client.get(f"/admin/readouts/readout/{readout.pk}/change/")
    form = page.context["adminform"].form
    data = {
        name: value.pk if hasattr(value, "pk") else value
        for name, value in form.initial.items()
        if value is not None
    }
    data.update(title="After", loaded_version=version)
    for formset in page.context["inline_admin_formsets"]:
        prefix = formset.formset.prefix
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})

    response = editor_client.post(f"/admin/readouts/readout/{readout.pk}/change/", data)

    assert response.status_code == 200  # the form again, with the reason
    readout.refresh_from_db()
    assert readout.title == "Before"
    assert readout.version == 1


@pytest.mark.parametrize(
    "source_text",
    [
        "",
        "\x00" * 100,
        "Japan-U.S. Summit Meeting\n\x00\n1. Text",
        "x" * 2_000_000,
        "<script>alert(1)</script>",
    ],
)
def test_forged_import_confirmation_never_half_saves(editor_client, seed_text, source_text):
    counts = {model: model.objects.count() for model in (Readout, Annotation)}
    response = editor_client.post(
        "/admin/readouts/readout/import/",
        {"source_text": source_text, "issuer": 1, "title": "Forged", "confirm": "1"},
    )
    assert response.status_code in (200, 302)
    assert {model: model.objects.count() for model in counts} == counts


def test_import_confirmation_with_invalid_corrections_saves_nothing(editor_client, seed_text):
    from readouts.models import Meeting, Person

    before = (Readout.objects.count(), Meeting.objects.count(), Person.objects.count())
    response = editor_client.post(
        "/admin/readouts/readout/import/",
        {
            "source_text": seed_text,
            "issuer": 1,
            "title": "x" * 1000,
            "duration_minutes": "-5",
            "time_zone": "Mars/Olympus",
            "confirm": "1",
        },
    )
    assert response.status_code == 200
    assert (Readout.objects.count(), Meeting.objects.count(), Person.objects.count()) == before
