"""A page saved as HTML gives the same events as its copied text (visible text, real parser)."""

from __future__ import annotations

from pathlib import Path

import pytest
from saved_page import page_html

from intl_metrics.store import document_from_bytes, parse_document
from intl_metrics.store.html import looks_like_html, visible_text

ROOT = Path(__file__).resolve().parents[1]
CORPUS = sorted(
    [
        ROOT / "data" / "raw" / "agenda-2021-09-10.txt",
        *(ROOT.parent / "shared" / "data" / "dev").glob("dev*.txt"),
        *(ROOT / "tests" / "data" / "heldout").glob("*.txt"),
    ]
)


def _events(doc):
    parsed = parse_document(doc)
    entries = [
        (i, e.start_date, e.end_date, e.title, e.description, e.language)
        for i, e in zip(parsed.ids, parsed.entries, strict=True)
    ]
    return entries, [w.reason for w in parsed.warnings], parsed


def test_the_corpus_is_there():
    assert len(CORPUS) >= 15, CORPUS  # the seed, ten dev pages and the held-out pages


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_a_saved_page_gives_the_same_events_as_its_text(path):
    text = path.read_text(encoding="utf-8")
    page = page_html(text)
    as_text = document_from_bytes(text.encode(), path.name)
    as_page = document_from_bytes(page.encode(), path.stem + ".html")
    assert as_page.media_type == "text/html" and as_page.raw == page.encode()
    text_events, text_warnings, _ = _events(as_text)
    page_events, page_warnings, parsed = _events(as_page)
    assert text_events and page_events == text_events
    assert page_warnings == text_warnings
    # sources point at lines of the page a person can open: the entry's title is there
    page_lines = page.split("\n")
    for e in parsed.entries:
        assert e.source.file == as_page.name
        import html

        assert html.escape(e.title[:20], quote=False) in page_lines[e.source.line - 1]


def test_scripts_styles_comments_hidden_and_head_text_are_not_text():
    page = page_html("October 6th 2021 Delegation from WalloniaThe City met CENEO on energy.\n")
    text = visible_text(page).text
    for hidden in ("Scripted", "Not an entry", "Hidden", "Fake", "commented", "No script"):
        assert hidden not in text
    assert text == "October 6th 2021 Delegation from WalloniaThe City met CENEO on energy."


def test_layout_follows_the_browser_blocks_breaks_and_white_space():
    page = visible_text(
        "<html><body><h1>Agenda</h1><ul><li>one</li><li>two <em>and</em>\n  a half</li></ul>"
        "<p>para<br>graph</p><p>next</p><table><tr><td>a</td><td>b</td></tr></table>"
        "<pre>  kept   as\n  is</pre>x&nbsp;&amp;&lt;y</body></html>"
    )
    assert page.text == (
        "Agenda\none\ntwo and a half\n\npara\ngraph\n\nnext\n\na b\n  kept   as\n  is\nx\u00a0&<y"
    )


def test_a_deeply_nested_page_does_not_break_the_reader():
    page = "<div>" * 5000 + "May 9th 2024 Europe DayThe City opened." + "</div>" * 5000
    assert visible_text(page).text == "May 9th 2024 Europe DayThe City opened."


def test_a_page_is_recognised_by_its_content_whatever_its_name():
    assert looks_like_html("\ufeff  <!DOCTYPE html><html>")
    assert looks_like_html("<!-- saved -->\n<html lang=it>")
    assert not looks_like_html("October 6th 2021 <b>not a page</b>")
    doc = document_from_bytes(b"<!doctype html><p>May 9th 2024 Europe DayThe City.</p>", "x.txt")
    assert doc.media_type == "text/html"
