"""The store across processes, for real: a SIGKILL in the middle of an ingest's transaction
leaves the store as it was, and two processes on one PostgreSQL see each other's writes."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from intl_metrics.store import document_from_bytes, export_store, ingest, open_store

ROOT = Path(__file__).resolve().parents[1]
SEED_TEXT = (ROOT / "data" / "raw" / "agenda-2021-09-10.txt").read_text(encoding="utf-8")
TABLES = ("sources", "events", "entries", "labels", "occurrences", "audit")


def _counts(store) -> dict[str, int]:
    with store.read() as conn:
        return {t: conn.execute(sa.text(f"SELECT count(*) FROM {t}")).scalar_one() for t in TABLES}


def _cli(*args: str, env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "intl_metrics.cli", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _in_the_middle_of_writing(store, proc: subprocess.Popen, baseline_wal: int) -> bool:
    """Whether the ingest process is inside its write transaction and has written rows."""
    if store.dialect == "postgresql":
        with store.engine.connect() as conn:
            query = conn.execute(
                sa.text(
                    "SELECT query FROM pg_stat_activity WHERE application_name = :app "
                    "AND backend_xid IS NOT NULL AND state = 'active'"
                ),
                {"app": f"intl-metrics:{proc.pid}"},
            ).scalar()
        writing = ("INSERT INTO ENTRIES", "INSERT INTO LABELS")
        return bool(query) and query.lstrip().upper().startswith(writing)
    path = store.engine.url.database
    wal = Path(path + "-wal")
    if not wal.exists() or wal.stat().st_size < baseline_wal + 512 * 1024:
        return False  # pages spill to the WAL as the transaction writes
    try:  # and the writer still holds its lock: nothing committed yet
        with sqlite3.connect(path, timeout=0) as probe:
            probe.execute("BEGIN IMMEDIATE")
            probe.rollback()
        return False
    except sqlite3.OperationalError:
        return True


def test_an_ingest_killed_in_its_transaction_leaves_the_store_as_before(store_url, tmp_path):
    from intl_metrics.synth import write_synthetic

    store = open_store(store_url)
    ingest(store, document_from_bytes(SEED_TEXT.encode(), "seed.txt"), "ann")
    before_counts, before_rev = _counts(store), store.revision()
    export_store(store, tmp_path / "before.jsonl")
    big = tmp_path / "big.txt"
    write_synthetic(big, 12_000, 3)
    wal = Path(store.engine.url.database + "-wal") if store.dialect == "sqlite" else None
    baseline = wal.stat().st_size if wal and wal.exists() else 0
    env = {**os.environ, "INTL_METRICS_DB": store_url}
    proc = _cli("ingest", str(big), "--user", "victim", env=env)
    deadline = time.monotonic() + 240
    try:
        while not _in_the_middle_of_writing(store, proc, baseline):
            assert proc.poll() is None, f"the ingest ended first: {proc.communicate()}"
            assert time.monotonic() < deadline, "the ingest never reached its write"
            time.sleep(0.005)
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.kill()
        proc.wait()
    assert proc.returncode == -signal.SIGKILL
    if store.dialect == "postgresql":  # the server rolls back once it sees the client gone
        for _ in range(500):
            with store.engine.connect() as conn:
                left = conn.execute(
                    sa.text("SELECT count(*) FROM pg_stat_activity WHERE application_name = :a"),
                    {"a": f"intl-metrics:{proc.pid}"},
                ).scalar()
            if not left:
                break
            time.sleep(0.02)
    else:
        with sqlite3.connect(store.engine.url.database) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    store.dispose()
    assert (_counts(store), store.revision()) == (before_counts, before_rev)
    export_store(store, tmp_path / "after.jsonl")
    before = (tmp_path / "before.jsonl").read_text(encoding="utf-8").splitlines()[1:]
    after = (tmp_path / "after.jsonl").read_text(encoding="utf-8").splitlines()[1:]
    assert after == before  # every row as it was, not only the counts
    # and the store takes the next write
    report = ingest(store, document_from_bytes(SEED_TEXT.replace("2021", "2017").encode(),
                                               "next.txt"), "ann")  # fmt: skip
    assert report.written and report.revision == before_rev + 1


def test_two_processes_on_one_postgresql_see_each_others_writes(request, tmp_path, monkeypatch):
    from stores import new_postgres

    from intl_metrics.load import load_events

    server, name, url = new_postgres(request)
    try:
        monkeypatch.setenv("INTL_METRICS_DB", url)
        folder = tmp_path / "raw"
        folder.mkdir()
        (folder / "a.txt").write_text(SEED_TEXT, encoding="utf-8")
        mine = load_events([folder])
        assert len(mine.events) == 15
        other = tmp_path / "b.txt"
        other.write_text(SEED_TEXT.replace("2021", "2016"), encoding="utf-8")
        env = {**os.environ, "INTL_METRICS_DB": url}
        out, err = _cli("ingest", str(other), "--user", "second", env=env).communicate(timeout=120)
        assert "15 new" in out, err
        seen = load_events([folder])  # this process's next rerun
        assert len(seen.events) == 30 and seen.revision == mine.revision + 1
        # and the other way: this process writes, a new process reads it
        (folder / "c.txt").write_text(SEED_TEXT.replace("2021", "2015"), encoding="utf-8")
        assert len(load_events([folder]).events) == 45
        code = (
            "from intl_metrics.load import load_events;"
            f"print(len(load_events([{str(tmp_path / 'none')!r}]).events))"
        )
        result = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
        )
        assert result.stdout.strip() == "45", result.stderr
    finally:
        from intl_metrics.load import clear_cache
        from intl_metrics.store import close_stores

        clear_cache()
        close_stores()
        server.admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def test_the_dashboard_sees_another_process_write_after_a_rerun(request, tmp_path, monkeypatch):
    from checkout import APP
    from stores import new_postgres
    from streamlit.testing.v1 import AppTest

    server, name, url = new_postgres(request)
    try:
        folder = tmp_path / "raw"
        folder.mkdir()
        (folder / "a.txt").write_text(SEED_TEXT, encoding="utf-8")
        monkeypatch.setenv("INTL_METRICS_DB", url)
        monkeypatch.setenv("INTL_METRICS_DATA", str(folder))
        at = AppTest.from_file(str(APP), default_timeout=60).run()
        assert not at.exception
        assert _metric(at, "Events") == "15"
        other = tmp_path / "b.txt"
        other.write_text(SEED_TEXT.replace("2021", "2016"), encoding="utf-8")
        env = {**os.environ, "INTL_METRICS_DB": url}
        _cli("ingest", str(other), "--user", "second", env=env).communicate(timeout=120)
        at.run()
        assert not at.exception
        assert _metric(at, "Events") == "30"
    finally:
        from intl_metrics.load import clear_cache
        from intl_metrics.store import close_stores

        clear_cache()
        close_stores()
        server.admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _metric(at, label: str) -> str:
    for m in at.metric:
        if m.label == label:
            return m.value
    raise AssertionError([m.label for m in at.metric])


pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")
