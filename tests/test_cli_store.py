"""`intl-metrics ingest | relabel | export | import` on each backend: output, audit, exit codes."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from checkout import RAW

from intl_metrics.cli import main
from intl_metrics.store import open_store

SEED = RAW / "agenda-2021-09-10.txt"


def _scalar(url: str, sql: str):
    with open_store(url).read() as conn:
        return conn.execute(sa.text(sql)).scalar()


def test_ingest_dry_run_prints_what_would_change_and_writes_nothing(store_url, capsys):
    assert main(["ingest", "--dry-run", str(SEED), "--db", store_url]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"{SEED.name} (dry run): 15 new, 0 changed, 0 unchanged, 0 withdrawn"
    assert sum(line.startswith("  + ") for line in out) == 15
    assert _scalar(store_url, "SELECT count(*) FROM sources") == 0


def test_ingest_writes_under_the_user_named_and_twice_writes_nothing(store_url, capsys):
    assert main(["ingest", str(SEED), "--db", store_url, "--user", "ann"]) == 0
    assert _scalar(store_url, "SELECT who FROM audit") == "ann"
    assert main(["ingest", str(SEED), "--db", store_url, "--user", "ann"]) == 0
    assert "the same text as stored: nothing to write" in capsys.readouterr().out
    assert _scalar(store_url, "SELECT count(*) FROM audit") == 1


def test_ingest_without_a_user_option_names_the_login(store_url, monkeypatch):
    monkeypatch.setenv("USER", "carla")
    assert main(["ingest", str(SEED), "--db", store_url]) == 0
    assert _scalar(store_url, "SELECT ingested_by FROM sources") == "carla"


def test_ingest_warnings_go_to_stderr_as_file_line_reason(store_url, tmp_path, capsys):
    page = tmp_path / "bad.txt"
    page.write_text(
        SEED.read_text(encoding="utf-8")
        + "\nOctober 45th 2021 Impossible dayThe City met nobody.\n",
        encoding="utf-8",
    )
    assert main(["ingest", str(page), "--db", store_url]) == 0
    captured = capsys.readouterr()
    assert any(line.startswith("bad.txt:") for line in captured.err.splitlines())
    assert "15 new" in captured.out


def test_an_unreadable_file_is_exit_2_and_nothing_is_written(store_url, tmp_path, capsys):
    assert main(["ingest", str(SEED), str(tmp_path / "gone.txt"), "--db", store_url]) == 2
    assert "cannot read" in capsys.readouterr().err
    assert _scalar(store_url, "SELECT count(*) FROM sources") == 0


def test_a_file_that_is_not_text_is_left_out_with_exit_1(store_url, tmp_path, capsys):
    blob = tmp_path / "photo.txt"
    blob.write_bytes(bytes(range(256)) * 40)
    assert main(["ingest", str(blob), str(SEED), "--db", store_url]) == 1
    captured = capsys.readouterr()
    assert "not text" in captured.err
    assert _scalar(store_url, "SELECT count(*) FROM sources") == 1  # the seed only


def test_a_store_that_cannot_be_opened_is_exit_1_with_a_message(capsys):
    url = "postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2"
    assert main(["ingest", str(SEED), "--db", url]) == 1
    err = capsys.readouterr().err
    assert err.startswith("intl-metrics: cannot open the store") and "Traceback" not in err


def test_relabel_prints_per_field_counts(store_url, capsys):
    main(["ingest", str(SEED), "--db", store_url])
    capsys.readouterr()
    assert main(["relabel", "--dry-run", "--db", store_url]) == 0
    out = capsys.readouterr().out
    assert "15 stored entries relabelled: 0 would change" in out
    assert [line.split()[0] for line in out.splitlines()[2:]] == [
        "format", "activity", "themes", "partners", "countries", "organisations", "projects",
        "needs_review", "evidence",
    ]  # fmt: skip


def test_export_and_import_round_trip_through_the_command_line(store_url, tmp_path, capsys):
    main(["ingest", str(SEED), "--db", store_url])
    out = tmp_path / "store.jsonl.gz"
    assert main(["export", "--out", str(out), "--db", store_url]) == 0
    copy = f"sqlite:///{tmp_path / 'copy.db'}"
    assert main(["import", str(out), "--db", copy, "--user", "dan"]) == 0
    assert _scalar(copy, "SELECT count(*) FROM events") == 15
    assert main(["import", str(out), "--db", copy]) == 1
    assert "is not empty" in capsys.readouterr().err
    (tmp_path / "junk.jsonl").write_text("not json\n", encoding="utf-8")
    fresh = f"sqlite:///{tmp_path / 'fresh.db'}"
    assert main(["import", str(tmp_path / "junk.jsonl"), "--db", fresh]) == 1
    assert main(["import", str(tmp_path / "missing.jsonl"), "--db", fresh]) == 2


@pytest.mark.parametrize("command", ["ingest", "relabel", "export", "import"])
def test_each_store_command_explains_itself(command, capsys):
    with pytest.raises(SystemExit) as done:
        main([command, "--help"])
    assert done.value.code == 0
    text = capsys.readouterr().out
    assert "INTL_METRICS_DB" in text and "exit status" in text and "--db URL" in text
