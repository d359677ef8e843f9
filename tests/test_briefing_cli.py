"""`intl-metrics briefing`: the dashboard's filters on the command line, a PDF or DOCX out."""

from __future__ import annotations

import io
from datetime import date

import docx
import pytest
from checkout import RAW
from pypdf import PdfReader

from intl_metrics.cli import _briefing_params, build_parser, main
from intl_metrics.viewstate import CUSTOM, from_params, parse_link, to_filters


def text_of(pdf_path) -> str:
    reader = PdfReader(str(pdf_path))
    return " ".join(" ".join((p.extract_text() or "").split()) for p in reader.pages)


def run(*args: str) -> int:
    # --no-images: the figures are tested with the briefing itself; here, the command
    return main(["briefing", "--data", str(RAW), "--no-images", *args])


def test_a_period_in_italian_as_pdf(tmp_path, capsys):
    out = tmp_path / "briefing.pdf"
    assert run("--from", "2021-09-01", "--to", "2021-10-31", "--lang", "it", "--out", str(out)) == 0
    text = text_of(out)
    assert "Rapporto sull'attività internazionale" in text
    assert "1. Dati principali" in text and "7. Reti e progetti" in text
    assert "Cooperation Pact between Torino and Wenzhou" in text
    assert "Delegation from Wallonia" in text
    err = capsys.readouterr().err
    assert f"wrote {out} (PDF, it, 15 events, 1 Sept – 31 Oct 2021)" in err


def test_the_same_filters_as_docx_in_english(tmp_path):
    out = tmp_path / "out" / "briefing.docx"  # a missing folder is made
    code = run(
        "--from", "2021-09-01", "--to", "2021-10-31", "--theme", "energy,culture",
        "--lang", "en", "--out", str(out),
    )  # fmt: skip
    assert code == 0
    document = docx.Document(str(out))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings[0] == "1. Headline figures" and headings[-1].endswith("About this briefing")
    cells = {c.text for t in document.tables for r in t.rows for c in r.cells}
    assert "Delegation from Wallonia" in cells  # energy
    assert "Cooperation Pact between Torino and Wenzhou" not in cells  # migration only
    covers = [p.text for p in document.paragraphs]
    assert "Themes: Energy and Culture" in covers


def test_a_dashboard_link_gives_its_filters(tmp_path):
    link = "http://localhost:8501/map?period=quarter&quarter=2021-Q4&activity=network&lang=it"
    out = tmp_path / "q4.pdf"
    assert run("--link", link, "--lang", "en", "--out", str(out)) == 0
    text = text_of(out)
    assert "1 Oct – 31 Dec 2021" in text
    assert "Meeting of the UNESCO Creative Cities of Design" in text
    assert "TIEF" not in text  # an event, not a network meeting
    assert "?period=quarter&quarter=2021-Q4&activity=network" in text  # quoted in the note


def test_options_mean_what_the_same_link_means():
    args = build_parser().parse_args(
        ["briefing", "--out", "x.pdf", "--quarter", "2021-Q3", "--theme", "Energy",
         "--country", "fr", "--city", "Washington, D.C.", "--text", "forum"]
    )  # fmt: skip
    params = _briefing_params(args)
    link = "?period=quarter&quarter=2021-Q3&theme=energy&country=FR&city=Washington%2C+D.C.&q=forum"
    assert from_params(params) == from_params(parse_link(link))
    f = to_filters(from_params(params), date(2026, 1, 1), date(2021, 1, 1), date(2022, 1, 1))
    assert (f.start, f.end, f.themes, f.countries, f.cities, f.text) == (
        date(2021, 7, 1),
        date(2021, 9, 30),
        ("energy",),
        ("FR",),
        ("Washington, D.C.",),
        "forum",
    )


def test_one_end_of_the_period_runs_to_the_archive(tmp_path, capsys):
    out = tmp_path / "from.pdf"
    assert run("--from", "2021-10-01", "--out", str(out), "--lang", "en") == 0
    assert "7 events, 1–15 Oct 2021)" in capsys.readouterr().err  # the archive ends on 15 Oct
    args = build_parser().parse_args(["briefing", "--out", "x.pdf", "--to", "2021-10-01"])
    params = _briefing_params(args)
    assert params["to"] == ["2021-10-01"] and params["from"] == [""]
    assert from_params({**params, "from": ["2021-01-01"]}).period == CUSTOM


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--theme", "nope"], "--theme 'nope' is not one of: migration"),
        (["--format", "online"], "--format 'online' is not one of: in-person"),
        (["--from", "2021-13-01"], "--from '2021-13-01' is not a date"),
        (["--from", "2021-09-01", "--period", "this-year"], "one way of choosing the period"),
        (["--period", "fortnight"], "--period 'fortnight' is not one of:"),
        (["--quarter", "2021-Q5"], "not a quarter"),
        (["--month", "2021-13"], "not a month"),
        (["--limit", "0"], "--limit must be at least 1"),
        (
            ["--from", "2021-10-31", "--to", "2021-09-01"],
            "--from 2021-10-31 is after --to 2021-09-01",
        ),
    ],
)
def test_bad_options_exit_2_with_a_message_and_write_nothing(tmp_path, capsys, args, message):
    out = tmp_path / "x.pdf"
    assert run(*args, "--out", str(out)) == 2
    assert message in capsys.readouterr().err
    assert not out.exists()


def test_an_unknown_output_type_or_an_unwritable_path_exit_2(tmp_path, capsys):
    assert run("--out", str(tmp_path / "x.txt")) == 2
    assert "must end in .pdf or .docx" in capsys.readouterr().err
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    assert run("--out", str(blocker / "x.pdf")) == 2
    assert "cannot write" in capsys.readouterr().err
    missing = tmp_path / "missing.txt"
    assert main(["briefing", "--data", str(missing), "--out", str(tmp_path / "y.pdf")]) == 2
    assert f"cannot read {missing}" in capsys.readouterr().err


def test_the_default_language_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("LANG", "it_IT.UTF-8")
    monkeypatch.delenv("LANGUAGE", raising=False)
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    assert build_parser().parse_args(["briefing", "--out", "x.pdf"]).lang == "it"


def test_the_pdf_is_written_whole(tmp_path):
    out = tmp_path / "whole.pdf"
    assert run("--month", "2021-09", "--out", str(out)) == 0
    data = out.read_bytes()
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    assert len(PdfReader(io.BytesIO(data)).pages) >= 4
    assert not list(tmp_path.glob(".*partial"))
