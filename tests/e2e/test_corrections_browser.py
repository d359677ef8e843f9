"""Corrections in a real browser: an editor logs in, corrects a theme, the Breakdown follows,
she undoes it; a viewer in another browser context sees both states, and no editing control.

A server of this module's own, on the bundled data and a store holding the editor's account.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from e2e_helpers import (
    ARTIFACTS,
    CHROMIUM,
    log_in,
    open_page,
    settle,
    store_with_editor,
    streamlit_server,
)
from playwright.sync_api import expect

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed"),
]

WENZHOU = "Cooperation Pact between Torino and Wenzhou"  # its machine theme: migration

# The theme chart's bars as plotly holds them in the page: theme key -> events.
THEME_COUNTS_JS = """() => {
  for (const gd of document.querySelectorAll('.js-plotly-plot')) {
    if (!JSON.stringify((gd.layout || {}).title || '').includes('by theme')) continue;
    const out = {};
    for (const trace of gd.data || []) {
      Array.from(trace.customdata || []).forEach((c, i) => {
        out[Array.isArray(c) ? c[0] : c] = Number(trace.text[i]);
      });
    }
    return out;
  }
  return null;
}"""


@pytest.fixture(scope="module")
def editor_server(tmp_path_factory) -> Iterator[tuple[str, str]]:
    env = store_with_editor(tmp_path_factory.mktemp("corrections"))
    try:
        with streamlit_server("streamlit-corrections.log", env) as base:
            yield base, env["INTL_METRICS_DB"]
    except RuntimeError as exc:
        pytest.fail(str(exc))


def _nav(page, link: str, heading: str) -> None:
    """Another page through the sidebar, in the same session (a reload would be a new one)."""
    page.locator('[data-testid="stSidebarNav"] a', has_text=link).first.click()
    page.locator("h1", has_text=heading).wait_for(timeout=30_000)
    settle(page)


def _theme_counts(page) -> dict[str, int]:
    page.wait_for_selector('[data-testid="stPlotlyChart"]', timeout=30_000)
    page.wait_for_function(f"({THEME_COUNTS_JS})() !== null", timeout=30_000)
    return page.evaluate(THEME_COUNTS_JS)


def _viewer_counts(viewer) -> dict[str, int]:
    """What the viewer's Breakdown shows at her next rerun (her session stays open)."""
    _nav(viewer, "Overview", "Overview")
    _nav(viewer, "Breakdown", "Breakdown")
    assert viewer.get_by_text("Logged in as").count() == 0
    return _theme_counts(viewer)


def _event_id(store_url: str, title: str) -> str:
    engine = sa.create_engine(store_url)
    try:
        with engine.connect() as conn:
            return conn.execute(
                sa.text("SELECT event_id FROM entries WHERE current AND title = :t"),
                {"t": title},
            ).scalar_one()
    finally:
        engine.dispose()


def test_an_editor_corrects_a_theme_and_undoes_it_and_a_viewer_sees_both(editor_server, browser):
    base, store_url = editor_server
    # a viewer in a browser context of her own (no login), the Breakdown open throughout
    viewer = open_page(browser, f"{base}/breakdown")
    before = _theme_counts(viewer)  # her visit ingested the bundled agenda
    eid = _event_id(store_url, WENZHOU)

    page = open_page(browser, f"{base}/events?event={eid}")
    main = page.locator('[data-testid="stMain"]')
    try:
        # a viewer's detail: the event, no editing control
        main.get_by_text(WENZHOU).first.wait_for(timeout=30_000)
        assert main.get_by_text("Correct this event").count() == 0
        log_in(page)

        main.get_by_text("Correct this event").click()
        themes = main.locator('[data-testid="stMultiSelect"]', has_text="Themes").first
        themes.locator("input").click()
        page.keyboard.press("Backspace")  # takes away the one theme, Migration
        # the change reruns the page, which draws the box anew: type once that is done
        expect(themes).not_to_contain_text("Migration", timeout=30_000)
        settle(page)
        themes.locator("input").click()
        page.keyboard.type("Culture")
        # Enter takes the option shown under the box: wait until the list shows it
        page.get_by_role("listbox").get_by_role("option", name="Culture", exact=True).wait_for(
            timeout=30_000
        )
        page.keyboard.press("Enter")
        page.keyboard.press("Escape")
        expect(themes).to_contain_text("Culture", timeout=30_000)
        expect(themes).not_to_contain_text("Migration", timeout=30_000)
        settle(page)
        main.get_by_role("button", name="Save the correction").click()
        main.get_by_text("Saved: Themes").wait_for(timeout=30_000)
        settle(page)
        page.screenshot(path=str(ARTIFACTS / "correction-saved.png"), full_page=True)

        _nav(page, "Breakdown", "Breakdown")
        corrected = _theme_counts(page)
        assert corrected["culture"] == before["culture"] + 1
        assert corrected.get("migration", 0) == before["migration"] - 1
        assert _viewer_counts(viewer) == corrected

        # back on Events, the event read last is open: its History, and Undo
        _nav(page, "Events", "Events")
        main.get_by_text("History of this event").click()
        main.get_by_role("button", name="Undo").click()
        main.get_by_text("Undone: Themes").wait_for(timeout=30_000)
        settle(page)

        _nav(page, "Breakdown", "Breakdown")
        assert _theme_counts(page) == before
        assert _viewer_counts(viewer) == before
        assert page.locator('[data-testid="stException"]').count() == 0
    except Exception:
        page.screenshot(path=str(ARTIFACTS / "corrections-failed.png"), full_page=True)
        raise
    finally:
        page.context.close()
        viewer.context.close()


def test_the_review_queue_opens_an_event_in_events_in_the_same_session(editor_server, browser):
    base, _url = editor_server
    page = open_page(browser, f"{base}/review")
    main = page.locator('[data-testid="stMain"]')
    try:
        main.get_by_text("for editors").first.wait_for(timeout=30_000)
        log_in(page)
        main.get_by_text("reviewed").first.wait_for(timeout=30_000)
        main.get_by_role("link", name="Open in Events").first.click()
        page.locator("h1", has_text="Events").wait_for(timeout=30_000)
        settle(page)
        assert "event=" in page.url
        # still logged in: the detail offers the editor's form
        main.get_by_text("Correct this event").wait_for(timeout=30_000)
    except Exception:
        page.screenshot(path=str(ARTIFACTS / "review-open-failed.png"), full_page=True)
        raise
    finally:
        page.context.close()
