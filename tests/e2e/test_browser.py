"""The dashboard in a real browser: `streamlit run` on 127.0.0.1, Playwright driving chromium.

It changes a filter and sees the URL change, opens that URL afresh and sees the same view,
downloads a chart's PNG from its download control, and saves a screenshot of every page in
test-artifacts/. Skips only when no chromium is installed.
"""

from __future__ import annotations

import io
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = shutil.which("chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
# Page -> URL path; Overview, the default page, lives at the root.
# Page -> (its link in the sidebar, its heading).
PAGES = {
    "overview": ("Overview", "Overview"),
    "timeline": ("Timeline", "Timeline"),
    "map": ("Map", "Partner map"),
    "breakdown": ("Breakdown", "Breakdown"),
    "events": ("Events", "Events"),
    "about": ("About the data", "About the data"),
}

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """`streamlit run dashboard/app.py` on a free local port, stopped afterwards."""
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != "INTL_METRICS_DATA"}
    log_path = ARTIFACTS / "streamlit-server.log"
    ARTIFACTS.mkdir(exist_ok=True)
    log = log_path.open("w", encoding="utf-8")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(ROOT / "dashboard" / "app.py"),
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=1) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"streamlit did not start; see {log_path}")
            time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


def _open(browser, url: str):
    """A fresh browser context (a new session, as a pasted link gets) on ``url``."""
    context = browser.new_context(viewport={"width": 1440, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.goto(url)
    _settle(page)
    return page


def _settle(page, timeout: float = 45_000) -> None:
    """Wait until the app has drawn the page and is no longer running."""
    page.wait_for_selector('[data-testid="stSidebar"]', timeout=timeout)
    page.wait_for_selector("h1", timeout=timeout)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
        " || !document.querySelector('[data-testid=\"stStatusWidget\"]').innerText"
        ".includes('Running')",
        timeout=timeout,
    )
    # Charts draw after the script has finished.
    page.wait_for_timeout(500)


def _events_metric(page):
    """The value box of the Overview's 'Events' metric."""
    metric = page.locator('[data-testid="stMetric"]', has_text="Events").first
    return metric.locator('[data-testid="stMetricValue"]')


def _text_filter(page):
    return page.locator('[data-testid="stSidebar"] input[aria-label="Text"]')


def test_a_filter_shows_in_the_url_and_the_url_opens_the_same_view(server, browser):
    from playwright.sync_api import expect

    page = _open(browser, f"{server}/")
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

    again = _open(browser, url)  # a new session, as when a colleague opens the link
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

    page = _open(browser, f"{server}/breakdown")
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
    page = _open(browser, f"{server}/")
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
            _settle(page)
            if name in ("overview", "timeline", "breakdown"):
                page.wait_for_selector('[data-testid="stPlotlyChart"]', timeout=30_000)
            if name == "map":
                page.wait_for_selector('[data-testid="stDeckGlJsonChart"] canvas', timeout=30_000)
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
