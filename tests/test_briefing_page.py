"""The Briefing page under AppTest, and the print style every page carries."""

from __future__ import annotations

import sys

import pytest
from checkout import APP

sys.path.insert(0, str(APP.parent))  # the dashboard's own modules

pytestmark = pytest.mark.usefixtures("bundled_data")

SEPT_OCT = {"from": "2021-09-01", "to": "2021-10-31"}


def assert_no_errors(at) -> None:
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error, [e.body for e in at.error]


def downloads(at) -> dict[str, str]:
    """Download buttons: label -> help (which names the file)."""
    return {b.proto.label: b.proto.help for b in at.get("download_button")}


def sections(at) -> dict[str, int]:
    table = at.dataframe[0].value
    return {row.section: int(str(row.events).replace(".", "").replace(",", "")) for row in
            table.itertuples()}  # fmt: skip


def test_the_page_offers_the_pdf_and_the_docx_of_the_sidebar_period(app_test):
    at = app_test("briefing", **SEPT_OCT)
    assert_no_errors(at)
    assert at.title[0].value == "Briefing"
    offered = downloads(at)
    assert offered == {
        "PDF (A4, print-ready)": "Made when clicked (a few seconds): "
        "briefing_2021-09-01_2021-10-31.pdf",
        "Word (DOCX, editable)": "Made when clicked (a few seconds): "
        "briefing_2021-09-01_2021-10-31.docx",
    }
    counts = sections(at)
    assert list(counts) == [
        "Agreements signed",
        "Missions abroad",
        "Foreign delegations",
        "Diplomatic meetings",
        "Networks and projects",
        "Events",
    ]
    assert sum(counts.values()) == 15  # every event of the period, in one section each


def test_in_italian_the_page_and_the_file_name_are_italian(app_test):
    at = app_test("briefing", lang="it", **SEPT_OCT)
    assert_no_errors(at)
    assert at.title[0].value == "Rapporto"
    assert at.button_group(key="brief_lang").value == "it"
    offered = downloads(at)
    assert offered["PDF (A4, pronto per la stampa)"].endswith("rapporto_2021-09-01_2021-10-31.pdf")
    assert "Accordi firmati" in sections(at)


def test_the_briefing_language_can_differ_from_the_page(app_test):
    at = app_test("briefing", **SEPT_OCT)
    at.button_group(key="brief_lang").set_value("it").run()
    assert_no_errors(at)
    assert at.title[0].value == "Briefing"  # the page stays English
    assert downloads(at)["PDF (A4, print-ready)"].endswith("rapporto_2021-09-01_2021-10-31.pdf")


def test_the_sidebar_filters_decide_what_goes_in(app_test):
    from datetime import date

    from intl_metrics import load_events, query

    f = query.Filters(start=date(2021, 9, 1), end=date(2021, 10, 31), themes=("energy",))
    energy = query.event_count(query.filter_dataset(load_events(), f))
    at = app_test("briefing", theme="energy", **SEPT_OCT)
    assert_no_errors(at)
    assert 0 < sum(sections(at).values()) == energy < 15
    assert downloads(at)["PDF (A4, print-ready)"].endswith(
        "briefing_2021-09-01_2021-10-31_theme-energy.pdf"
    )


def test_no_matching_event_says_so_and_offers_no_file(app_test):
    at = app_test("briefing", q="zzzz-no-match", **SEPT_OCT)
    assert_no_errors(at)
    assert at.info and "No events match these filters" in at.info[0].body
    assert not at.get("download_button")


@pytest.mark.parametrize("page", ["overview", "briefing"])
def test_every_page_carries_the_print_style(app_test, page):
    at = app_test(page)
    bodies = [el.proto.body for el in at.get("html")]
    css = next(b for b in bodies if "@media print" in b)
    for hidden in ("stSidebar", "stDownloadButton", "stToolbar", "stElementToolbar"):
        assert hidden in css
    assert "break-inside: avoid" in css
    assert any("beforeprint" in b for b in bodies)
