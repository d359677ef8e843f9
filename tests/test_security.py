"""Hostile text stays text: titles, descriptions, file names and URL parameters that try
to become markup, script or spreadsheet formulas, in the pages and in every export.

Agenda text comes from many hands and links are shared by e-mail: each case here was
a way in once (stored XSS in the map's HTML, live links in chart labels, fake links in
captions, formulas in CSV downloads).
"""

from __future__ import annotations

import csv
import html.parser
import io
import json
import re

import openpyxl
import pandas as pd
import pytest
from hostile import (
    DIRECTIVES,
    EVIL,
    HOSTILE_FILE,
    HOSTILE_MARKERS,
    HOSTILE_TITLES,
    LINK,
    MD_IMAGE,
    MD_LINK,
    SCRIPT,
    hostile_agenda,
)
from markdown_it import MarkdownIt

from intl_metrics import charts, export, query
from intl_metrics.cli import main
from intl_metrics.load import load_events
from intl_metrics.spreadsheet import FORMULA_STARTS


@pytest.fixture
def hostile_data(tmp_path, monkeypatch):
    from intl_metrics import load

    (tmp_path / HOSTILE_FILE).write_text(hostile_agenda(), encoding="utf-8")
    load.clear_cache()
    monkeypatch.setenv("INTL_METRICS_DATA", str(tmp_path))
    yield load_events([tmp_path])
    load.clear_cache()


def test_the_hostile_agenda_is_read_whole(hostile_data):
    assert sorted(hostile_data.events["title"]) == sorted(HOSTILE_TITLES)
    assert set(hostile_data.events["source_file"]) == {HOSTILE_FILE}


# ---------------------------------------------------------------- plotly: labels are text

# The markup our own figure builders write; anything else in a figure came from data.
OWN_TAGS = {"br", "b", "/b", "span", "/span", "extra", "/extra"}


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list | tuple):
        for v in value:
            yield from _strings(v)


def _tags(fig) -> set[str]:
    spec = json.loads(fig.to_json())
    return {m.lower() for s in _strings(spec) for m in re.findall(r"<\s*(/?[a-zA-Z]+)", s)}


def _all_figures(data):
    note = query.Filters(text=SCRIPT, cities=(LINK,)).describe()
    spans, total = query.event_spans(data)
    return {
        "gantt": charts.gantt_chart(spans, total=total, period="Oct 2021", note=note),
        "themes": charts.theme_bar(query.theme_counts(data), note=note),
        "countries": charts.country_bar(query.country_counts(data), note=note),
        "timeline": charts.timeline_chart(query.events_over_time(data, "M", "theme"), note=note),
        "static map": charts.static_map_figure(query.partner_place_counts(data), note=note),
    }


@pytest.mark.parametrize("name", ["gantt", "themes", "countries", "timeline", "static map"])
def test_no_figure_carries_markup_from_data_or_filters(hostile_data, name):
    fig = _all_figures(hostile_data)[name]
    assert _tags(fig) <= OWN_TAGS, name
    text = " ".join(_strings(json.loads(fig.to_json())))
    assert "&lt;/script&gt;" in text  # the filter text is in the subtitle, escaped


def test_gantt_labels_and_hover_show_titles_as_typed_escaped_once(hostile_data):
    spans, total = query.event_spans(hostile_data)
    fig = charts.gantt_chart(spans, total=total)
    ticks = fig.layout.yaxis.ticktext
    assert 'He said "hi" &amp; &lt;b&gt;left&lt;/b&gt;' in ticks
    hovered = {row[1] for trace in fig.data for row in trace.customdata}
    assert 'He said "hi" &amp; &lt;b&gt;left&lt;/b&gt;' in hovered  # no &quot;
    assert not any("&amp;lt;" in h or "&quot;" in h for h in hovered)


def test_chart_svg_export_has_no_link_or_element_from_a_title(hostile_data):
    pytest.importorskip("kaleido")
    spans, total = query.event_spans(hostile_data)
    svg = export.figure_bytes(charts.gantt_chart(spans, total=total), "svg").decode()
    assert "<a " not in svg and "<img" not in svg and EVIL not in _attributes(svg)
    assert "log in here" in svg  # the words are there, as text


def test_chart_html_export_keeps_titles_inside_its_json(hostile_data):
    spans, total = query.event_spans(hostile_data)
    page = export.figure_bytes(charts.gantt_chart(spans, total=total), "html").decode()
    tags = _elements(page)
    assert "img" not in tags and "a" not in tags
    assert page.count("</script>") == page.count("<script")


# ---------------------------------------------------------------- the map's HTML export


class _Elements(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.extend(v or "" for _, v in attrs)


def _elements(page: str) -> list[str]:
    parser = _Elements()
    parser.feed(page)
    return parser.tags


def _attributes(page: str) -> str:
    parser = _Elements()
    parser.feed(page)
    return " ".join(parser.attrs)


def hostile_map_html(data) -> bytes:
    places = query.partner_place_counts(data)
    deck = charts.partner_map(places, period="Oct 2021")
    return export.deck_html(deck, title=SCRIPT, note=f"text “{LINK}”")


def test_the_map_html_export_cannot_be_broken_out_of(hostile_data):
    page = hostile_map_html(hostile_data).decode()
    tags = _elements(page)
    assert "img" not in tags and "a" not in tags
    # the deck's JSON, with the titles in its tooltips, is whole and reads back as written
    spec = re.search(r"const jsonInput = (.*?);\n", page, re.S).group(1)
    assert "</" not in spec
    tips = " ".join(
        str(p.get("tip", "")) for layer in json.loads(spec)["layers"] for p in layer["data"]
        if isinstance(layer.get("data"), list)
    )  # fmt: skip
    assert any(title in tips for title in HOSTILE_TITLES)


# ---------------------------------------------------------------- spreadsheets


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_csv_downloads_write_formula_like_text_as_a_value(start):
    text = f"{start}1+2*cmd|' /C calc'!A0"
    frame = pd.DataFrame({"title": [text], "source file": [f"{start}x.txt"], "days": [-3]})
    rows = list(csv.reader(io.StringIO(export.frame_csv(frame).decode("utf-8-sig"), newline="")))
    assert rows[1] == ["'" + text, f"'{start}x.txt", "-3"]  # numbers stay numbers


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_xlsx_downloads_hold_formula_like_text_as_text(start):
    text = f"{start}SUM(A1:A9)"
    book = openpyxl.load_workbook(io.BytesIO(export.frame_xlsx(pd.DataFrame({"title": [text]}))))
    cell = book.active["A2"]
    # xlsxwriter stores a control character as Excel's escape (_x000D_), which Excel reads
    # back as the character; openpyxl leaves the escape as it is
    assert cell.data_type == "s" and cell.value.replace("_x000D_", "\r") == text


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_the_command_line_csv_writes_formula_like_titles_and_files_as_values(
    tmp_path, capsys, start
):
    name = f"{start}page.txt" if start not in "\t\r" else f"x{start}page.txt"
    path = tmp_path / name
    path.write_text(
        f"  • October 6th 2021 - {start}HYPERLINK title\n\n    The City met a delegation.\n",
        encoding="utf-8",
    )
    assert main(["parse", "--format", "csv", str(path)]) == 0
    (row,) = csv.DictReader(io.StringIO(capsys.readouterr().out, newline=""))
    # the parser trims a title's white space: a tab or CR cannot start it
    if start not in "\t\r":
        assert row["title"] == f"'{start}HYPERLINK title"
        assert row["source"] == f"'{name}:1"
    for value in row.values():
        assert not value.startswith(FORMULA_STARTS)


# ---------------------------------------------------------------- pages under AppTest

md = MarkdownIt("gfm-like")  # links, images, raw HTML, and bare URLs made links (linkify)
ALLOWED_LINKS = ("https://www.geonames.org/", "https://creativecommons.org/",
                 "https://www.naturalearthdata.com/")  # fmt: skip
PAGES = ["overview", "timeline", "map", "breakdown", "events", "about"]


def _markdown_bodies(at) -> list[str]:
    bodies = []
    for kind in ("markdown", "caption", "title", "subheader", "header", "info", "warning",
                 "error", "success"):  # fmt: skip
        for element in at.get(kind):
            body = getattr(element, "value", None) or getattr(element, "body", None)
            if isinstance(body, str):
                bodies.append(body)
    return bodies


# The shapes Streamlit's markdown (remark-gfm) links by itself, from the plain text after
# escapes are read: "https://...", "www.x", "a@b.c".
AUTOLINK_LITERAL = re.compile(r"(?i)(?:https?://|www\.|[\w.+-]@[\w-]+\.)")


def assert_markdown_is_text(at) -> None:
    for body in _markdown_bodies(at):
        if any(marker in body for marker in HOSTILE_MARKERS):
            unescaped = re.sub(r"\\(.)", r"\1", body)
            assert not AUTOLINK_LITERAL.search(unescaped), body
        rendered = md.render(body)
        for href in re.findall(r'(?:href|src)="([^"]*)"', rendered):
            assert href.startswith(ALLOWED_LINKS), (href, body)
        assert "<img" not in rendered and "<script" not in rendered, body
        # a file name's backtick must not open a code span that hides what follows
        for code in re.findall(r"<code>(.*?)</code>", rendered, re.S):
            assert not any(m in code for m in HOSTILE_MARKERS), body
        for directive in (":red[", ":material/", "$x"):  # Streamlit's own syntax
            assert not re.search(r"(?<!\\)" + re.escape(directive), body), body


@pytest.mark.parametrize("page", PAGES)
def test_hostile_titles_and_file_names_show_as_text_on_every_page(app_test, hostile_data, page):
    at = app_test(page)
    assert not at.exception
    assert_markdown_is_text(at)


@pytest.mark.parametrize("page", PAGES)
def test_a_crafted_link_shows_its_parameters_as_text(app_test, hostile_data, page):
    at = app_test(page, q=MD_LINK + " " + MD_IMAGE, city=[LINK, DIRECTIVES], country=SCRIPT)
    assert not at.exception
    assert_markdown_is_text(at)
    if page != "about":  # the pages that say their filters under the title
        captions = " ".join(c.value for c in at.caption) + " ".join(i.body for i in at.info)
        assert "log in here" in captions  # said, as text


def test_the_event_detail_shows_title_text_and_file_name_as_text(app_test, hostile_data):
    at = app_test("events")
    key = at.dataframe[0].key
    for row in range(len(HOSTILE_TITLES)):
        at.session_state[key] = {"selection": {"rows": [row], "columns": [], "cells": []}}
        at.run()
        assert not at.exception
        assert_markdown_is_text(at)
    sources = [c.value for c in at.caption if c.value.startswith("Source")]
    assert sources and "`" not in sources[0].replace("\\`", "")


def test_a_search_with_markup_that_finds_nothing_says_so_as_text(app_test, hostile_data):
    at = app_test("events")
    at.text_input(key="ev_search").set_value(MD_IMAGE + " nothing-matches").run()
    assert not at.exception
    assert_markdown_is_text(at)


def test_the_staff_views_show_titles_notes_and_names_as_text(app_test, hostile_data):
    # an editor's detail (labels, History, form), a hostile note and title in the audit,
    # the Review queue and the Changes page: data text never becomes markup
    import sqlalchemy as sa
    from staff import add_account, log_in

    from intl_metrics.store import open_store
    from intl_metrics.store.access import Actor
    from intl_metrics.store.corrections import correct
    from intl_metrics.store.users import log_in as store_log_in

    add_account("ann")
    at = log_in(app_test("events"))
    token = store_log_in(open_store(), "ann", "a long enough password").token
    with open_store().read() as conn:
        ids = list(conn.execute(sa.text("SELECT id FROM events ORDER BY id")).scalars())
    correct(open_store(), Actor(token), ids[0], {"title": MD_LINK + " " + MD_IMAGE}, SCRIPT)
    correct(open_store(), Actor(token), ids[1], {"not_event": True}, MD_LINK)
    for eid in ids[:3]:
        at.query_params["event"] = eid
        at.run()
        assert not at.exception
        assert_markdown_is_text(at)
    for page in ("review", "changes"):
        at.switch_page(f"app_pages/{page}.py").run()
        assert not at.exception
        assert_markdown_is_text(at)
