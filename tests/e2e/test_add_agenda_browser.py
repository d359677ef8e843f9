"""Add agenda in a real browser: upload a saved HTML page, preview, confirm, see it counted.

A server of this module's own (and so a store of its own), on the bundled data.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from e2e_helpers import ARTIFACTS, CHROMIUM, open_page, settle, streamlit_server

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/: saved_page, checkout

from checkout import RAW
from saved_page import page_html

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed"),
]


@pytest.fixture(scope="module")
def own_server() -> Iterator[str]:
    try:
        with streamlit_server("streamlit-add-agenda.log") as base:
            yield base
    except RuntimeError as exc:
        pytest.fail(str(exc))


def _events_metric(page) -> str:
    card = page.locator('[data-testid="stMetric"]', has_text="Events").first
    return card.locator('[data-testid="stMetricValue"]').inner_text()


def test_a_saved_page_uploaded_is_previewed_then_written_and_counted(own_server, browser, tmp_path):
    # the seed's events three years earlier, saved from the browser as a page
    text = (RAW / "agenda-2021-09-10.txt").read_text(encoding="utf-8").replace("2021", "2018")
    saved = tmp_path / "agenda-2018.html"
    saved.write_text(page_html(text), encoding="utf-8")

    page = open_page(browser, own_server)
    try:
        assert _events_metric(page) == "15"
        page.locator('[data-testid="stSidebarNav"] a', has_text="Add agenda").first.click()
        page.locator("h1", has_text="Add agenda").wait_for(timeout=30_000)
        page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(saved))
        page.get_by_text("agenda-2018.html").first.wait_for(timeout=30_000)
        page.get_by_role("button", name="Preview").click()
        settle(page)
        page.get_by_text("agenda-2018.html (dry run): 15 new").first.wait_for(timeout=60_000)
        page.wait_for_selector('[data-testid="stDataFrame"]', timeout=30_000)
        page.screenshot(path=str(ARTIFACTS / "add-agenda-preview.png"))
        page.get_by_role("button", name="Write 1 document to the store").click()
        settle(page)
        page.get_by_text("Written.").first.wait_for(timeout=60_000)
        page.locator('[data-testid="stSidebarNav"] a', has_text="Overview").first.click()
        page.locator("h1", has_text="Overview").wait_for(timeout=30_000)
        settle(page)
        assert _events_metric(page) == "30"
        assert page.locator('[data-testid="stException"]').count() == 0
    except Exception:
        page.screenshot(path=str(ARTIFACTS / "add-agenda-failed.png"), full_page=True)
        raise
    finally:
        page.context.close()
