"""intl-metrics explain FILE:LINE: one entry's labels with the rule and words behind each."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from intl_metrics.cli import main
from intl_metrics.enrich import enrich
from intl_metrics.explain import evidence_rows, mark_spans, printable
from intl_metrics.schema import Entry, Source

SEED = Path(__file__).resolve().parents[1] / "data" / "raw" / "agenda-2021-09-10.txt"


def test_explain_shows_each_label_its_rule_and_the_words_read(capsys) -> None:
    line = next(
        n
        for n, text in enumerate(SEED.read_text(encoding="utf-8").splitlines(), 1)
        if "Delegation from Wallonia" in text
    )
    assert main(["explain", f"{SEED}:{line}"]) == 0
    out = capsys.readouterr().out
    assert "Delegation from Wallonia" in out
    assert "activity  delegation" in out
    assert "region" in out or "places:region" in out
    assert "[Wallonia]" in out  # the words read, marked in the text


def test_explain_a_line_inside_an_entry_shows_that_entry(tmp_path, capsys) -> None:
    page = tmp_path / "page.txt"
    page.write_text(
        "  • March 3rd 2009 - Visit of the Mayor of Ghent\n\n"
        "    The Mayor of Ghent was welcomed at Palazzo Civico.\n"
        "    The two mayors talked about bicycle lanes.\n",
        encoding="utf-8",
    )
    assert main(["explain", f"{page}:4"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("page.txt:1")
    assert "bicycle" in out


def test_explain_needs_a_line_number_and_an_entry_there(tmp_path, capsys) -> None:
    page = tmp_path / "page.txt"
    page.write_text("Chrome line\n\nMay 8th 2023 Europe Day\n\nCelebrations.\n", encoding="utf-8")
    assert main(["explain", str(page)]) == 2
    assert "FILE:LINE" in capsys.readouterr().err
    assert main(["explain", f"{page}:1"]) == 2
    assert "no entry there" in capsys.readouterr().err


def test_text_from_a_file_cannot_drive_the_terminal() -> None:
    assert printable("A\x1b[2Jb\x07") == "A\\x1b[2Jb\\x07"
    assert mark_spans("Delegation \x1b]0;x\x07 from Lyon", [(0, 10, 1)]) == (
        "[Delegation]1 \\x1b]0;x\\x07 from Lyon"
    )


def test_nested_spans_are_marked_inside_one_another() -> None:
    text = "welcomed a delegation from Lyon today"
    assert mark_spans(text, [(11, 31, 1), (27, 31, 2)]) == (
        "welcomed a [delegation from [Lyon]2]1 today"
    )


def test_the_rows_of_the_dashboard_name_field_label_rule_and_words() -> None:
    entry = Entry(
        date(2012, 5, 2),
        date(2012, 5, 2),
        "Delegation from Graz",
        "The City welcomed a delegation from Graz to talk about district heating.",
        "en",
        Source("p.txt", 1),
    )
    rows = evidence_rows(enrich(entry).evidence)
    assert {"field": "activity", "label": "delegation"}.items() <= rows[1].items()
    assert all(set(r) == {"n", "field", "label", "rule", "where", "words"} for r in rows)
