"""What the three users hit in a real browser, checked where they hit it: a 20,000-event
archive at 1280 and 1024 px, the Events table's search, order and downloads, the map's
tables and names, the keyboard."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from urllib.parse import parse_qs, urlparse

import pytest
from e2e_helpers import ARTIFACTS, CHROMIUM, open_page, settle, streamlit_server
from playwright.sync_api import expect

from intl_metrics import charts, export, query
from intl_metrics.load import load_events
from intl_metrics.synth import write_synthetic

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed"),
]


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Iterator[str]:
    """A 20,000-event synthetic archive, as the users tried, on its own server."""
    folder = tmp_path_factory.mktemp("archive")
    write_synthetic(folder / "archive.txt", 20_000, 1)
    with streamlit_server("streamlit-archive.log", {"INTL_METRICS_DATA": str(folder)}) as base:
        yield base


def _cut_off(page, selector: str) -> list[str]:
    """Texts under ``selector`` drawn wider than their box (cut, or ending in an ellipsis)."""
    return page.evaluate(
        """sel => [...document.querySelectorAll(sel)]
            .filter(e => e.scrollWidth > e.clientWidth + 1 || e.innerText.includes('…'))
            .map(e => e.innerText)""",
        selector,
    )


@pytest.mark.parametrize("width", [1280, 1024])
def test_every_headline_card_shows_its_label_and_value_whole(browser, archive, width):
    page = open_page(
        browser, f"{archive}/?period=last-12-months", viewport={"width": width, "height": 800}
    )
    try:
        page.wait_for_function(
            "() => document.querySelectorAll('[data-testid=\"stMetricValue\"]').length == 6",
            timeout=120_000,
        )
        page.wait_for_timeout(1000)
        for part in ('[data-testid="stMetricLabel"] p', '[data-testid="stMetricValue"] div',
                     '[data-testid="stMetricDelta"] div'):  # fmt: skip
            assert _cut_off(page, f'[data-testid="stMetric"] {part}') == [], part
        page.screenshot(path=str(ARTIFACTS / f"overview-20k-{width}.png"))
    finally:
        page.context.close()


def test_the_map_tables_show_their_events_column_at_1280(browser, archive):
    page = open_page(browser, f"{archive}/map", viewport={"width": 1280, "height": 800})
    try:
        page.wait_for_function(
            "() => document.querySelectorAll('[data-testid=\"stDataFrame\"] .dvn-scroller')"
            ".length == 2",
            timeout=120_000,
        )
        page.wait_for_timeout(1000)
        # the grid is drawn on a canvas: a column cut off shows as a wider scroll area
        widths = page.evaluate(
            """() => [...document.querySelectorAll('[data-testid="stDataFrame"] .dvn-scroller')]
                .map(s => [s.scrollWidth, s.clientWidth])"""
        )
        assert all(scroll <= client + 1 for scroll, client in widths), widths
    finally:
        page.context.close()


def test_the_events_search_is_in_the_url_and_the_download_holds_exactly_its_rows(
    browser, server, tmp_path
):
    page = open_page(browser, f"{server}/events")
    try:
        search = page.get_by_label("Search these events")
        search.fill("delegation")
        search.press("Enter")
        page.wait_for_url("**search=delegation**", timeout=30_000)
        settle(page)
        caption = page.get_by_text(re.compile(r"Events 1–\d+ of \d+")).first.inner_text()
        shown = int(re.search(r"of (\d+)", caption).group(1))
        assert 1 <= shown < 15
        page.locator('[data-testid="stPopover"] button').first.click()
        with page.expect_download(timeout=60_000) as info:
            page.get_by_role("button", name="CSV", exact=True).click()
        download = info.value
        assert "search-delegation" in download.suggested_filename
        target = tmp_path / download.suggested_filename
        download.save_as(target)
        rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8-sig"))))
        assert len(rows) == shown
        assert all("delegation" in " ".join(r.values()).lower() for r in rows)
        url = page.url
    finally:
        page.context.close()
    again = open_page(browser, url)  # the link opens the same search
    try:
        expect(again.get_by_label("Search these events")).to_have_value(
            "delegation", timeout=30_000
        )
    finally:
        again.context.close()


def test_oldest_first_starts_with_the_archive_s_first_year(browser, archive):
    page = open_page(browser, f"{archive}/events?sort=oldest")
    try:
        page.wait_for_selector('[data-testid="stDataFrame"]', timeout=120_000)
        caption = page.get_by_text(re.compile(r"Events 1–\d+ of [\d,]+")).first.inner_text()
        assert re.search(r"of (19|20),\d\d\d", caption), caption
        # the first row's start date: the grid's accessible copy of its cells
        first = page.locator('[data-testid="glide-cell-1-0"]').first
        first.wait_for(state="attached", timeout=30_000)
        assert first.text_content().startswith("2007-")  # not 2023, as with the newest 5,000
    finally:
        page.context.close()


def test_a_link_to_overview_opens_the_overview_with_its_filters(browser, server):
    page = open_page(browser, f"{server}/overview?theme=Energy")
    try:
        page.wait_for_url("**theme=energy**", timeout=30_000)
        settle(page)
        assert page.get_by_text("Page not found").count() == 0
        assert page.locator("h1", has_text="Overview").count() == 1
        assert (
            "theme: Energy" in page.locator('[data-testid="stCaptionContainer"]').first.inner_text()
        )
    finally:
        page.context.close()


def test_the_keyboard_reaches_the_page_links_with_a_visible_focus_and_sets_a_filter(
    browser, server
):
    page = open_page(browser, f"{server}/")
    try:
        # the dashboard's style sheet (style.css) has arrived
        page.wait_for_function(
            """() => [...document.styleSheets].some(s => { try {
                return [...s.cssRules].some(r => r.cssText.includes('stSidebarNavLink')) }
                catch (e) { return false } })""",
            timeout=30_000,
        )
        seen: list[tuple[str, str]] = []
        for _ in range(30):
            page.keyboard.press("Tab")
            seen.append(
                page.evaluate(
                    # past the last control the focus goes back to the page itself, whose
                    # text holds every link's name: that is not a link
                    """() => { const e = document.activeElement, s = getComputedStyle(e);
                    if (e === document.body) return ['', ''];
                    return [e.getAttribute('aria-label') || e.innerText.trim(),
                            s.outlineStyle !== 'none' || s.boxShadow !== 'none' ? 'ring' : ''] }"""
                )
            )
        links = [(name, ring) for name, ring in seen if "Timeline" in name or "Breakdown" in name]
        assert links and all(ring == "ring" for _, ring in links), seen
        assert any(name == "Themes" for name, _ in seen)  # the click-to-filter's equivalent
        # choose a theme with the keyboard only
        themes = page.get_by_label("Themes")
        themes.focus()
        page.keyboard.type("energy")
        page.keyboard.press("Enter")
        page.wait_for_url("**theme=energy**", timeout=30_000)
        assert parse_qs(urlparse(page.url).query)["theme"] == ["energy"]
    finally:
        page.context.close()


def test_place_names_on_the_static_map_do_not_print_over_each_other(browser, tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    write_synthetic(folder / "archive.txt", 3000, 2)
    data = load_events([folder])
    svg = export.figure_bytes(charts.static_map_figure(query.partner_place_counts(data)), "svg")
    path = tmp_path / "map.svg"
    path.write_bytes(svg)
    page = browser.new_page()
    try:
        page.goto(path.as_uri())
        boxes = page.evaluate(
            """() => [...document.querySelectorAll('g.textpoint text')].map(t => {
                const r = t.getBoundingClientRect();
                return [t.textContent, r.x, r.y, r.right, r.bottom] })"""
        )
    finally:
        page.close()
    assert len(boxes) >= 5  # the busiest places are named, Torino too
    overlaps = [
        (a[0], b[0])
        for i, a in enumerate(boxes)
        for b in boxes[i + 1 :]
        if a[1] < b[3] and b[1] < a[3] and a[2] < b[4] and b[2] < a[4]
    ]
    assert overlaps == []
