"""The language in a real browser: the switch, the URL, the charts; the browser's preference."""

from __future__ import annotations

import re

import pytest
from e2e_helpers import ARTIFACTS, CHROMIUM, open_page

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed"),
]

PERIOD = "from=2021-09-01&to=2021-10-31"


def _chart_title(page):
    return page.locator(".js-plotly-plot .gtitle").first


def test_switching_to_italian_puts_it_in_the_url_and_translates_the_charts(server, browser):
    from playwright.sync_api import expect

    page = open_page(browser, f"{server}/timeline?{PERIOD}", locale="en-GB")
    try:
        expect(_chart_title(page)).to_contain_text("Events per month by primary theme",
                                                   timeout=30_000)  # fmt: skip
        page.locator('[data-testid="stSidebar"]').get_by_role("radio", name="Italiano").click()
        page.wait_for_url("**lang=it**", timeout=20_000)
        expect(page.locator("h1")).to_have_text("Cronologia", timeout=20_000)
        expect(_chart_title(page)).to_contain_text("Eventi al mese per tema principale",
                                                   timeout=20_000)  # fmt: skip
        # the months on the axis are Italian too (plotly.js alone would write 'Sep')
        ticks = page.locator(".js-plotly-plot").first.locator(".xtick text").all_text_contents()
        assert any(re.search(r"\b(set|ott)\b", tick) for tick in ticks), ticks
        assert not any("Sep" in tick or "Oct" in tick for tick in ticks), ticks
        assert "from=2021-09-01" in page.url  # the filters stay
        page.screenshot(path=str(ARTIFACTS / "timeline-italian.png"))
        url = page.url
    finally:
        page.context.close()

    again = open_page(browser, url, locale="en-GB")  # a colleague's English browser
    try:
        expect(again.locator("h1")).to_have_text("Cronologia", timeout=30_000)
    finally:
        again.context.close()


def test_a_browser_that_prefers_italian_opens_a_plain_link_in_italian(server, browser):
    from playwright.sync_api import expect

    page = open_page(browser, f"{server}/?{PERIOD}", locale="it-IT")
    try:
        expect(page.locator("h1")).to_have_text("Panoramica", timeout=30_000)
        assert "lang=" not in page.url  # the browser's own choice needs no parameter
        expect(_chart_title(page)).to_contain_text("Eventi a settimana", timeout=30_000)
    finally:
        page.context.close()
