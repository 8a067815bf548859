"""The public pages in a real headless Chromium: what a reader does, by mouse and by keyboard,
and an axe-core accessibility check of the main pages.

Needs Debian's chromium at /usr/bin/chromium, the `playwright` Python package (never its
browser downloads) and axe-core installed by `npm install` in tests/browser/; each test
skips with the reason when one is missing.
"""

import datetime
import os
import shutil
from pathlib import Path

import pytest
from django.db import connections

from readouts.models import Annotation, Point, Readout
from tests.builders import (
    make_annotation,
    make_meeting,
    make_participation,
    make_person,
    make_readout,
    make_user,
)

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE = Path(__file__).parent / "browser" / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = Path(__file__).resolve().parent.parent / "output" / "screenshots"

try:
    from playwright.sync_api import sync_playwright
except ImportError:  # pragma: no cover - depends on the machine
    sync_playwright = None

pytestmark = [
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"no Chromium at {CHROMIUM}"),
    pytest.mark.skipif(
        sync_playwright is None, reason="the playwright package is not installed (pip install)"
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# Playwright's sync API keeps an event loop running in this thread; the ORM calls
# that build test data are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def page():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
        # Django keeps a connection per context, and this teardown runs in
        # another context than the test's: the test's connections are taken
        # now and closed after, or one outlives the test database (which
        # PostgreSQL then refuses to drop).
        tests_connections = [connections[alias] for alias in connections]
        yield context.new_page()
        context.close()
        browser.close()
    for connection in tests_connections:
        connection.close()


@pytest.fixture
def archive():
    author = make_user("annie")
    kishida = make_person("KISHIDA Fumio", "KISHIDA", country="JP")
    biden = make_person()
    albanese = make_person("Anthony Albanese", "Albanese", country="AU")

    us_meeting = make_meeting(date=datetime.date(2022, 11, 13))
    make_participation(us_meeting, kishida, "Prime Minister of Japan", "japan")
    make_participation(us_meeting, biden, "President of the United States", "counterpart", 1)
    us = make_readout(
        us_meeting,
        title="Japan-U.S. Summit Meeting",
        translation_status=Readout.TranslationStatus.PROVISIONAL,
        lead="The two leaders met for about 40 minutes.",
        points=[
            "The leaders confirmed their vision of a free and open Indo-Pacific.",
            "The leaders discussed attemtps to change the status quo by force.",
        ],
    )
    Point.objects.create(
        readout=us,
        parent=us.points.get(position=10),
        label="(1)",
        position=15,
        text="On China, they agreed to keep talking.",
    )
    make_annotation(
        us,
        us.points.get(position=20),
        "attemtps",
        author,
        kind=Annotation.Kind.CORRECTION,
        body="Sic: the readout reads *attemtps* for attempts.",
    )

    us_2023 = make_meeting(date=datetime.date(2023, 5, 18), city="Hiroshima", country_id="JP")
    make_participation(us_2023, biden, "President of the United States", "counterpart", 1)
    make_readout(us_2023, title="Japan-U.S. Summit Meeting in Hiroshima")

    au_meeting = make_meeting(date=datetime.date(2022, 10, 22), city="Perth", country_id="AU")
    make_participation(au_meeting, albanese, "Prime Minister of Australia", "counterpart", 1)
    make_readout(
        au_meeting,
        title="Japan-Australia Summit Meeting",
        points=["Open and free exchanges on the Indo-Pacific region."],
    )
    return {"us": us}


def screenshot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def result_titles(page):
    return page.locator(".readout-list .readout-link").all_inner_texts()


def test_reader_filters_searches_opens_a_readout_and_follows_a_footnote(live_server, page, archive):
    page.goto(f"{live_server.url}/readouts/")
    assert len(result_titles(page)) == 3

    # Filter by country and year, with the form (no JavaScript involved).
    page.get_by_role("checkbox", name="United States").check()
    page.get_by_role("radio", name="2022").check()
    page.get_by_role("button", name="Apply filters").first.click()
    assert "country=US" in page.url and "year=2022" in page.url
    assert result_titles(page) == ["Japan-U.S. Summit Meeting"]

    # A quoted phrase, from a clean list.
    page.goto(f"{live_server.url}/readouts/")
    page.get_by_label("Search the readouts").fill('"free and open Indo-Pacific"')
    page.get_by_label("Search the readouts").press("Enter")
    assert result_titles(page) == ["Japan-U.S. Summit Meeting"]
    assert page.locator(".snippet mark").first.inner_text().lower() == "free and open indo-pacific"

    # Open the readout, follow the footnote and come back.
    page.get_by_role("link", name="Japan-U.S. Summit Meeting").click()
    assert page.locator("h1").inner_text() == "Japan-U.S. Summit Meeting"
    page.locator("#fnref-1").click()
    assert page.url.endswith("#fn-1")
    assert "attempts" in page.locator("#fn-1").inner_text()
    assert page.locator("#fn-1").is_visible()
    page.locator("#fn-1 .backref").click()
    assert page.url.endswith("#fnref-1")

    # Copy a point's link: it is the point's permanent address, which redirects to its anchor.
    point = archive["us"].points.get(position=15)
    link = page.locator(f"#{point.anchor} .point-link").first
    href = link.get_attribute("href")
    assert href == f"/readouts/{archive['us'].slug}/points/{point.key}/"
    page.goto(f"{live_server.url}{href}")
    assert page.url.endswith(f"{archive['us'].get_absolute_url()}#{point.anchor}")


def test_keyboard_reaches_the_filters_and_the_results_with_visible_focus(
    live_server, page, archive
):
    page.goto(f"{live_server.url}/readouts/")
    reached = []
    for _ in range(150):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            """() => {
                const el = document.activeElement;
                const style = getComputedStyle(el);
                return {
                    tag: el.tagName, id: el.id, name: el.getAttribute('name'), cls: el.className,
                    outline: style.outlineStyle, width: parseFloat(style.outlineWidth),
                };
            }"""
        )
        if focused["tag"] == "BODY":  # past the last link: the focus left the page
            break
        reached.append(focused)
    assert reached[0]["cls"] == "skip-link"
    assert any(f["id"] == "filter-q" for f in reached)
    assert any(f["name"] == "country" for f in reached)
    assert any(f["cls"] == "readout-link" for f in reached)
    # Every control the keyboard lands on shows where the focus is.
    assert [f for f in reached if f["outline"] == "none" or f["width"] < 2] == []


@pytest.mark.skipif(not AXE.exists(), reason="axe-core is missing: npm install in tests/browser/")
@pytest.mark.parametrize("name", ["home", "list", "readout"])
def test_main_pages_have_no_serious_accessibility_violations(live_server, page, archive, name):
    path = {
        "home": "/",
        "list": "/readouts/?q=leaders",
        "readout": archive["us"].get_absolute_url(),
    }[name]
    page.goto(f"{live_server.url}{path}")
    screenshot(page, name)

    assert page.locator("h1").count() == 1
    assert page.locator("header").first.is_visible() and page.locator("main").count() == 1
    assert page.locator("nav[aria-label=Main]").count() == 1
    page.add_script_tag(path=str(AXE))
    results = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    serious = [
        (violation["id"], violation["help"], [node["target"] for node in violation["nodes"]])
        for violation in results["violations"]
        if violation["impact"] in {"serious", "critical"}
    ]
    assert serious == []


def test_readout_prints_with_its_footnotes(live_server, page, archive):
    page.goto(f"{live_server.url}{archive['us'].get_absolute_url()}")
    page.emulate_media(media="print")

    assert page.locator("#fn-1").is_visible()
    assert not page.locator(".site-header").is_visible()
    assert not page.locator(".point-tools").first.is_visible()
    if shutil.which(CHROMIUM):
        screenshot(page, "readout-print")
