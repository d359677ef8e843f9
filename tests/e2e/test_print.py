"""A browser print of the dashboard: the page without the app around it, charts whole.

Printed as Chrome prints (print media, the paper size of print.css, 'beforeprint' first)
from a wide 1920 px screen, where the charts are drawn wider than the paper.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest
from e2e_helpers import ARTIFACTS, CHROMIUM, open_page

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/: the PDF page helpers

from pdf_pages import inked_columns, needs_poppler, page_images

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed"),
    needs_poppler,
]

PERIOD = "from=2021-09-01&to=2021-10-31"
# The cards of the Overview, the full-width charts of the Timeline, the Briefing's table
# (print.css is the same on every page).
PAGES = {
    "overview": ("/", "Overview"),
    "timeline": ("/timeline", "Timeline"),
    "briefing": ("/briefing", "Briefing"),
}
HIDDEN = (
    '[data-testid="stSidebar"]',
    '[data-testid="stHeader"]',
    '[data-testid="stDownloadButton"]',
    '[data-testid="stPopover"]',
    '[data-testid="stButton"]',
)
DPI = 100


def _displays(page, selectors) -> dict[str, list[str]]:
    return page.evaluate(
        """(sels) => Object.fromEntries(sels.map(s => [s,
            Array.from(document.querySelectorAll(s), e => getComputedStyle(e).display)]))""",
        list(selectors),
    )


def _printed(page) -> bytes:
    """The page as Chrome prints it (Ctrl+P fires 'beforeprint', then lays out for paper)."""
    page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
    try:
        return page.pdf(prefer_css_page_size=True, print_background=True)
    finally:
        page.evaluate("() => window.dispatchEvent(new Event('afterprint'))")


@pytest.mark.parametrize("name", list(PAGES))
def test_a_print_shows_the_page_alone_with_every_chart_whole(server, browser, name):
    from pypdf import PdfReader

    path, heading = PAGES[name]
    page = open_page(browser, f"{server}{path}?{PERIOD}", viewport={"width": 1920, "height": 1080})
    try:
        if name != "briefing":
            page.wait_for_selector(".js-plotly-plot .main-svg", timeout=30_000)
            page.wait_for_timeout(1000)  # every chart drawn
        # on screen: the sidebar and the download controls are there
        control = HIDDEN[2] if name == "briefing" else HIDDEN[3]
        page.wait_for_selector(control, timeout=30_000)
        shown = _displays(page, HIDDEN)
        assert shown[HIDDEN[0]] and "none" not in shown[HIDDEN[0]] and shown[control], shown
        pdf = _printed(page)
        (ARTIFACTS / f"print-{name}.pdf").write_bytes(pdf)
        text = " ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages)
        assert heading in text
        for gone in ("Reset filters", "Partner cities and places", "Download"):
            assert gone not in text, gone
        # On paper (A4 landscape, 10 mm margins) nothing is cut at the content's right
        # edge: a chart drawn wider than the paper would fill its last 1.5 mm (a card's
        # border may end there: one or two columns of pixels).
        for number, image in enumerate(page_images(pdf, DPI), start=1):
            assert inked_columns(image, DPI, band_mm=1.5, inset_mm=10) <= 2, (
                f"{name} page {number}: something runs off the right edge"
            )
        # and the screen is as it was
        assert page.evaluate(
            "() => document.querySelector('[data-testid=stMainBlockContainer]').style.zoom"
        ) in ("", "normal")
        # what print media hides and keeps whole (checked after the print above: emulating
        # print media redraws the charts at the sidebar-less width)
        page.emulate_media(media="print")
        for selector, displays in _displays(page, HIDDEN).items():
            assert set(displays) <= {"none"}, (selector, displays)
        breaks = page.evaluate(
            """() => Array.from(document.querySelectorAll('[data-testid="stPlotlyChart"]'),
                e => getComputedStyle(e).breakInside)"""
        )
        assert set(breaks) <= {"avoid"}, breaks
    finally:
        page.context.close()
