"""The dashboard in a real browser: `streamlit run` on 127.0.0.1, Playwright driving chromium.

It changes a filter and sees the URL change, opens that URL afresh and sees the same view,
downloads a chart's PNG from its download control, and saves a screenshot of every page in
test-artifacts/. Skips only when no chromium is installed.
"""

from __future__ import annotations

import io

import pytest
from e2e_helpers import ARTIFACTS, CHROMIUM, PAGES, open_page, settle

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed"),
]


def _events_metric(page):
    """The value box of the Overview's 'Events' metric."""
    metric = page.locator('[data-testid="stMetric"]', has_text="Events").first
    return metric.locator('[data-testid="stMetricValue"]')


def _text_filter(page):
    return page.locator('[data-testid="stSidebar"] input[aria-label="Text"]')


def test_a_filter_shows_in_the_url_and_the_url_opens_the_same_view(server, browser):
    from playwright.sync_api import expect

    page = open_page(browser, f"{server}/")
    expect(_events_metric(page)).to_have_text("15", timeout=30_000)
    text = _text_filter(page)
    text.fill("Wallonia")
    text.press("Enter")
    page.wait_for_url("**q=Wallonia**", timeout=20_000)
    expect(_events_metric(page)).not_to_have_text("15", timeout=20_000)
    filtered = _events_metric(page).inner_text()
    url = page.url
    page.screenshot(path=str(ARTIFACTS / "filtered-overview.png"))
    page.context.close()

    again = open_page(browser, url)  # a new session, as when a colleague opens the link
    try:
        expect(_text_filter(again)).to_have_value("Wallonia", timeout=20_000)
        expect(_events_metric(again)).to_have_text(filtered, timeout=20_000)
        assert "q=Wallonia" in again.url
    finally:
        again.context.close()


def test_a_chart_downloads_as_a_print_resolution_png_and_a_bar_click_filters(
    server, browser, tmp_path
):
    from PIL import Image
    from playwright.sync_api import expect

    from intl_metrics.export import EXPORT_HEIGHT, EXPORT_SCALE, EXPORT_WIDTH

    page = open_page(browser, f"{server}/breakdown")
    try:
        chart = page.locator('[data-testid="stPlotlyChart"]').first
        chart.wait_for(timeout=30_000)
        # The first chart's download menu (its popover, not plotly's own toolbar).
        page.locator('[data-testid="stPopover"] button').first.click()
        button = page.get_by_role("button", name="PNG (print)", exact=True).first
        with page.expect_download(timeout=60_000) as info:
            button.click()
        download = info.value
        assert download.suggested_filename.endswith(".png")
        assert "events-by-theme" in download.suggested_filename
        target = tmp_path / download.suggested_filename
        download.save_as(target)
        image = Image.open(io.BytesIO(target.read_bytes()))
        image.load()
        assert image.size == (EXPORT_WIDTH * EXPORT_SCALE, EXPORT_HEIGHT * EXPORT_SCALE)
        page.keyboard.press("Escape")  # close the download menu

        # Clicking the first bar of the theme chart filters to that theme.
        bar = chart.locator("g.point path").first.bounding_box()
        page.mouse.click(bar["x"] + bar["width"] / 2, bar["y"] + bar["height"] / 2)
        page.wait_for_url("**theme=**", timeout=30_000)
        expect(
            page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').first
        ).not_to_contain_text("All themes", timeout=20_000)
    finally:
        page.context.close()


def test_every_page_draws_offline_and_is_saved_as_a_screenshot(server, browser):
    ARTIFACTS.mkdir(exist_ok=True)
    page = open_page(browser, f"{server}/")
    outside: list[str] = []
    page.on(
        "request",
        lambda r: (
            outside.append(r.url)
            if not r.url.startswith(("http://127.0.0.1", "data:", "blob:"))
            else None
        ),
    )
    page.set_viewport_size({"width": 1440, "height": 1400})  # whole pages in the shots
    try:
        for name, (link, heading) in PAGES.items():
            # Through the sidebar, as a person would: one session, filters kept.
            page.locator('[data-testid="stSidebarNav"] a', has_text=link).first.click()
            page.locator("h1", has_text=heading).wait_for(timeout=30_000)
            settle(page)
            if name in ("overview", "timeline", "breakdown"):
                page.wait_for_selector('[data-testid="stPlotlyChart"]', timeout=30_000)
            if name == "map":
                page.wait_for_selector('[data-testid="stDeckGlJsonChart"] canvas', timeout=90_000)
                page.wait_for_timeout(1000)  # WebGL draws after the canvas appears
            if name == "events":
                page.wait_for_selector('[data-testid="stDataFrame"]', timeout=30_000)
            assert page.locator('[data-testid="stException"]').count() == 0
            assert page.locator('[data-testid="stAlertContentError"]').count() == 0
            page.screenshot(path=str(ARTIFACTS / f"{name}.png"))
            assert (ARTIFACTS / f"{name}.png").stat().st_size > 10_000
    finally:
        page.context.close()
    assert not outside, f"the dashboard reached outside this machine: {outside}"
    # Every section drew: a caught error would have logged its traceback on the server.
    server_log = (ARTIFACTS / "streamlit-server.log").read_text(encoding="utf-8")
    assert "Traceback" not in server_log, server_log[-3000:]
