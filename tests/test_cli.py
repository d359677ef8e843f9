"""The `intl-metrics` command: records, formats, warnings, exit codes, hostile input."""

from __future__ import annotations

import csv
import io
import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from intl_metrics.cli import main
from intl_metrics.schema import EVENT_FIELDS, EVIDENCE_COLUMNS

SEED = Path(__file__).resolve().parents[1] / "data" / "raw" / "agenda-2021-09-10.txt"


def run_cli(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "intl_metrics.cli", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )


def test_parse_writes_one_jsonl_record_per_event_with_exactly_the_record_fields(capsys):
    assert main(["parse", str(SEED)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 15
    records = [json.loads(line) for line in lines]
    for rec in records:
        assert tuple(rec) == EVENT_FIELDS + EVIDENCE_COLUMNS
        assert rec["source"]["file"] == SEED.name and rec["source"]["line"] >= 1
        assert rec["start_date"] <= rec["end_date"]
    wallonia = next(r for r in records if r["title"] == "Delegation from Wallonia")
    assert wallonia["start_date"] == "2021-10-06"
    assert {"name": "Wallonia", "kind": "region", "country": "BE"}.items() <= wallonia["partners"][
        0
    ].items()
    assert isinstance(wallonia["partners"][0]["lat"], float)


def test_parse_as_csv_has_the_record_fields_as_header(capsys):
    assert main(["parse", "--format", "csv", str(SEED)]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(rows) == 15
    assert tuple(rows[0]) == EVENT_FIELDS + EVIDENCE_COLUMNS
    assert rows[0]["source"] == f"{SEED.name}:1"
    assert json.loads(rows[0]["partners"]) == [] or isinstance(
        json.loads(rows[0]["partners"]), list
    )


def test_a_missing_file_exits_2_with_a_one_line_message(tmp_path):
    missing = tmp_path / "nope.txt"
    result = run_cli("parse", str(SEED), str(missing))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "nope.txt" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_directory_is_unreadable_and_exits_2(tmp_path):
    result = run_cli("parse", str(tmp_path))
    assert result.returncode == 2 and "Traceback" not in result.stderr


def test_a_bad_fragment_is_a_warning_with_file_and_line_and_the_rest_still_comes_out(tmp_path):
    page = tmp_path / "page.txt"
    page.write_text(
        "October 6th 2021 Delegation from WalloniaThe City of Torino welcomed a delegation.\n"
        "February 30th 2021 Impossible dayThe City of Torino met nobody.\n"
        "September 9th 2021 Cooperation PactThe City of Torino signed a pact with Wenzhou.\n",
        encoding="utf-8",
    )
    result = run_cli("parse", str(page))
    assert result.returncode == 0
    titles = [json.loads(line)["title"] for line in result.stdout.splitlines()]
    assert titles == ["Delegation from Wallonia", "Cooperation Pact"]
    assert "page.txt:2: " in result.stderr


@pytest.mark.parametrize("kind", ["random-bytes-10MB", "single-line-1MB"])
def test_hostile_input_finishes_without_a_traceback(tmp_path, kind):
    rng = random.Random(7)
    path = tmp_path / f"{kind}.txt"
    if kind.startswith("random"):
        path.write_bytes(rng.randbytes(10 * 1024 * 1024))
    else:
        words = [
            "October",
            "6th",
            "2021",
            "TIEFThe",
            "Torino",
            "-",
            "–",
            "of",
            "Delegation",
            "x" * 40,
        ]
        line = " ".join(rng.choice(words) for _ in range(200_000))[: 1024 * 1024]
        path.write_text(line, encoding="utf-8")
    # A hang guard, not a speed target (those live in benchmarks/).
    result = run_cli("parse", str(path), timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Traceback" not in result.stderr


def test_evaluate_prints_every_metric_for_the_seed_against_its_own_parse(tmp_path, capsys):
    gold = tmp_path / "gold.jsonl"
    assert main(["parse", str(SEED)]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    with gold.open("w", encoding="utf-8") as fh:
        for r in records:
            cities = [
                {"name": p["name"], "country": p["country"]}
                for p in r["partners"]
                if p["kind"] == "city"
            ]
            fh.write(
                json.dumps(
                    {
                        "file": r["source"]["file"],
                        "line": r["source"]["line"],
                        "start_date": r["start_date"],
                        "end_date": r["end_date"],
                        "title": r["title"],
                        "language": r["language"],
                        "format": r["format"],
                        "activity": r["activity"],
                        "themes": r["themes"],
                        "partner_cities": cities,
                        "countries": r["countries"],
                        "truncated": False,
                    }
                )
                + "\n"
            )
    assert main(["evaluate", "--json", str(gold), str(SEED)]) == 0
    report = json.loads(capsys.readouterr().out)
    scores = report["scores"]
    assert report["errors"] == []
    assert set(scores) >= {
        "entry recall",
        "entry precision",
        "start date",
        "end date",
        "title",
        "format",
        "activity",
        "theme micro-F1",
        "theme macro-F1",
        "partner-city F1",
        "country F1",
    }
    assert all(v == 1.0 for v in scores.values())


def test_evaluate_a_malformed_gold_line_names_file_and_line(tmp_path):
    gold = tmp_path / "gold.jsonl"
    gold.write_text('{"file": "a.txt", "line": 1}\nnot json\n', encoding="utf-8")
    result = run_cli("evaluate", str(gold), str(SEED))
    assert result.returncode == 2
    assert "gold.jsonl:2" in result.stderr and "Traceback" not in result.stderr


def test_the_jsonl_line_is_exactly_what_json_dumps_gives_for_the_record():
    from datetime import date

    from intl_metrics.cli import event_json
    from intl_metrics.enrich import enrich
    from intl_metrics.parse import parse_file
    from intl_metrics.schema import Entry, Source

    events = [enrich(e) for e in parse_file(SEED).entries]
    odd = 'Quotes " and \\\\ back\\tslash, \x07 bell, \u2028 line, «guillemets», 東京 – Lyon'
    events.append(enrich(Entry(date(2020, 1, 1), date(2020, 1, 2), odd, odd, "en", Source(odd, 7))))
    for ev in events:
        assert event_json(ev) == json.dumps(ev.to_dict(), ensure_ascii=False)


@pytest.mark.parametrize(
    ("command", "must_say"),
    [
        ("parse", ["FILE", "--format", "(default)", "FILE:LINE: reason", "encoding"]),
        ("evaluate", ["GOLD.jsonl", "FILE", "--json", "FILE:LINE: reason", "matched"]),
        ("synth", ["--events", "--seed", "(default: 0)", "--out", "synthetic"]),
    ],
)
def test_each_command_s_help_describes_its_arguments_output_and_exit_statuses(
    capsys, command, must_say
):
    with pytest.raises(SystemExit) as done:
        main([command, "--help"])
    assert done.value.code == 0
    text = " ".join(capsys.readouterr().out.split())
    for words in [*must_say, "stderr", "exit status", "0 done", "2 bad arguments"]:
        assert words in text, words
