"""Hostile text in a real browser: the saved map opens without running anything, and a
crafted link shows its parameters as text, makes no link and fetches nothing outside."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlencode

import pytest
from e2e_helpers import CHROMIUM, settle, streamlit_server
from hostile import EVIL, HOSTILE_FILE, LINK, MD_IMAGE, MD_LINK, SCRIPT, hostile_agenda
from playwright.sync_api import expect

from intl_metrics import charts, export, query
from intl_metrics.load import clear_cache, load_events

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed"),
]


@pytest.fixture(scope="module")
def hostile_dir(tmp_path_factory) -> Iterator[object]:
    folder = tmp_path_factory.mktemp("hostile")
    (folder / HOSTILE_FILE).write_text(hostile_agenda(), encoding="utf-8")
    yield folder
    clear_cache()


def _watch(page) -> tuple[list[str], list[str]]:
    """Dialogs that fire and requests that leave this machine, as they happen."""
    dialogs: list[str] = []
    outside: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on(
        "request",
        lambda r: (
            None
            if r.url.startswith(("http://127.0.0.1", "file:", "data:", "blob:"))
            else outside.append(r.url)
        ),
    )
    return dialogs, outside


def test_the_saved_map_with_hostile_titles_opens_without_running_script(
    browser, hostile_dir, tmp_path
):
    data = load_events([hostile_dir])
    places = query.partner_place_counts(data)
    saved = tmp_path / "partner-map.html"
    saved.write_bytes(
        export.deck_html(charts.partner_map(places, period="Oct 2021"), title=SCRIPT, note=LINK)
    )
    context = browser.new_context(viewport={"width": 1200, "height": 800})
    page = context.new_page()
    dialogs, outside = _watch(page)
    try:
        page.goto(saved.as_uri())
        page.wait_for_selector("canvas", timeout=30_000)
        page.wait_for_timeout(1500)  # deck.gl draws, tooltips are wired
        # hover every place: the tooltips hold the titles
        page.mouse.move(600, 400)
        page.wait_for_timeout(300)
        assert dialogs == []
        assert page.locator("img").count() == 0
        assert page.locator(f"a[href*='{EVIL}']").count() == 0
        assert page.title() == SCRIPT  # the heading and title show it as text
        assert SCRIPT in page.locator("body").inner_text()
    finally:
        context.close()
    assert not outside


def test_a_crafted_link_shows_text_makes_no_link_and_fetches_nothing(browser, hostile_dir):
    query_string = urlencode({"q": f"{MD_LINK} {MD_IMAGE}", "city": LINK}, doseq=True)
    with streamlit_server("streamlit-hostile.log", {"INTL_METRICS_DATA": str(hostile_dir)}) as base:
        for path in ("", "events", "about"):
            context = browser.new_context(viewport={"width": 1440, "height": 900})
            page = context.new_page()
            dialogs, outside = _watch(page)
            try:
                page.goto(f"{base}/{path}?{query_string}")
                settle(page)
                main = page.locator('[data-testid="stMain"]')
                expect(main.locator("h1")).to_be_visible(timeout=30_000)
                if path != "about":  # said as text (with the word joiner that unlinks it)
                    said = re.compile(r"\[log in here\]\(https\u2060?://evil\.example/login\)")
                    expect(main).to_contain_text(said, timeout=30_000)
                # the sidebar too: the city filter lists the crafted place as an option
                assert page.locator(f"a[href*='{EVIL}']").count() == 0
                assert page.locator("img[src*='evil']").count() == 0
                assert dialogs == [] and not outside
            finally:
                context.close()
