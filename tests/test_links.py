"""Links built from one resolved route: the same URLs as reverse() gives."""

import pytest
from django.test import override_settings
from django.urls import NoReverseMatch, clear_script_prefix, path, reverse, set_script_prefix

from readouts.links import URLPattern, route


@pytest.mark.parametrize(
    ("view_name", "argument", "value"),
    [
        ("readouts:detail", "slug", "2022-11-13-japan-us-summit-meeting"),
        ("readouts:person", "slug", "kishida-fumio"),
        ("api:meeting-detail", "pk", 12345),
    ],
)
def test_a_pattern_gives_what_reverse_gives(view_name, argument, value):
    assert URLPattern(view_name, argument)(value) == reverse(view_name, kwargs={argument: value})


def test_a_pattern_makes_its_links_absolute_as_asked():
    page_url = URLPattern("readouts:detail", "slug", lambda path: f"https://example.org{path}")
    assert page_url("a-readout") == "https://example.org/readouts/a-readout/"


def test_a_route_follows_the_script_prefix():
    try:
        set_script_prefix("/archive/")
        assert route("admin:index") == "/archive/admin/" == reverse("admin:index")
    finally:
        clear_script_prefix()
    assert route("admin:index") == "/admin/"


def elsewhere(request):
    raise AssertionError("never called")


urlpatterns = [path("somewhere-else/", elsewhere, name="readouts-elsewhere")]


def test_a_route_follows_a_changed_urlconf():
    assert route("readouts:list") == "/readouts/"
    with override_settings(ROOT_URLCONF=__name__):
        assert route("readouts-elsewhere") == "/somewhere-else/"
        with pytest.raises(NoReverseMatch):
            route("readouts:list")  # not remembered from the archive's own URLconf
