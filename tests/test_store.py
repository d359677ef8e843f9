"""The events store on SQLite and on a real PostgreSQL: ingest, diff, history, withdrawal,
relabel, export/import, audit. Every test here runs once per backend (the store_url fixture)."""

from __future__ import annotations

import json
import shutil
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa

from intl_metrics.store import (
    document_from_bytes,
    document_from_text,
    export_store,
    import_store,
    ingest,
    open_store,
    read_document,
    relabel,
)
from intl_metrics.store.db import StoreError

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "data" / "raw" / "agenda-2021-09-10.txt"
SEED_TEXT = SEED.read_text(encoding="utf-8")
TABLES = ("sources", "events", "entries", "labels", "occurrences", "audit")


def counts(store) -> dict[str, int]:
    with store.read() as conn:
        return {t: conn.execute(sa.text(f"SELECT count(*) FROM {t}")).scalar_one() for t in TABLES}


def rows(store, sql: str, **params) -> list[tuple]:
    with store.read() as conn:
        return [tuple(r) for r in conn.execute(sa.text(sql), params)]


def seed_doc(text: str = SEED_TEXT, name: str = "agenda.txt"):
    return document_from_bytes(text.encode("utf-8"), name)


@pytest.fixture
def store(store_url):
    return open_store(store_url)


def test_a_new_store_is_migrated_and_its_tables_match_the_models(store):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from intl_metrics.store.models import Base

    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []
    assert store.revision() == 0 and set(counts(store).values()) == {0}


def test_ingest_stores_sources_events_entries_labels_and_an_audit_row(store):
    report = ingest(store, seed_doc(), "ann")
    assert report.written and len(report.new) == 15 and report.revision == 1
    c = counts(store)
    assert c["sources"] == 1 and c["events"] == c["entries"] == c["labels"] == 15
    assert c["occurrences"] == 15 and c["audit"] == 1
    (name, _sha, size, text, by), = rows(
        store, "SELECT name, sha256, size, text, ingested_by FROM sources"
    )  # fmt: skip
    assert (name, size, by) == ("agenda.txt", len(SEED_TEXT.encode()), "ann")
    assert text == SEED_TEXT  # nothing depends on the file staying there
    who, action, new = rows(store, "SELECT who, action, new FROM audit")[0]
    assert (who, action, json.loads(new)["new"]) == ("ann", "ingest", 15)
    # each entry keeps its own text and its labels their rules version and evidence
    text, line = rows(
        store,
        "SELECT e.text, e.line FROM entries e WHERE e.title = :t",
        t="Delegation from Wallonia",
    )[0]
    assert text.startswith("October 6th 2021 Delegation from WalloniaThe City") and line > 1
    themes, partners, version, evidence = rows(
        store,
        "SELECT l.themes, l.partners, l.rules_version, l.evidence FROM labels l "
        "JOIN entries e ON e.id = l.entry_id WHERE e.title = :t",
        t="Delegation from Wallonia",
    )[0]
    assert "energy" in json.loads(themes)
    assert json.loads(partners)[0]["kind"] == "region"
    from intl_metrics.enrich import rules_version

    assert version == rules_version() and isinstance(json.loads(evidence), list)


def test_the_same_text_twice_adds_nothing(store):
    ingest(store, seed_doc(), "ann")
    before = counts(store), store.revision()
    report = ingest(store, seed_doc(), "bob")
    assert report.same_as_stored and not report.written and report.unchanged == 15
    assert (counts(store), store.revision()) == before


def test_the_same_entries_under_another_name_are_the_same_events(store):
    ingest(store, seed_doc(), "ann")
    report = ingest(store, seed_doc(name="copy.txt"), "ann")
    assert report.unchanged == 15 and not report.new
    assert counts(store)["events"] == 15 and counts(store)["occurrences"] == 30


def _republished(text: str) -> str:
    """The seed page re-published: one entry's text changed, the first entry dropped."""
    lines = text.split("\n")
    kept = [ln for ln in lines if not ln.startswith(("October 13th-15th 2021 TIEF", "Turin Isl"))]
    return "\n".join(kept).replace("exchange on energy transition", "exchange on energy saving")


def test_a_republished_page_updates_the_changed_entry_keeps_its_history_and_withdraws_the_missing(
    store,
):
    ingest(store, seed_doc(), "ann")
    dry = ingest(store, seed_doc(_republished(SEED_TEXT)), "bob", dry_run=True)
    assert (len(dry.new), len(dry.changed), dry.unchanged, len(dry.withdrawn)) == (0, 1, 13, 1)
    assert dry.changed[0].title == "Delegation from Wallonia"
    assert dry.changed[0].fields == ("description",)
    assert dry.withdrawn[0].title == "TIEF"
    assert counts(store)["sources"] == 1  # a dry run writes nothing

    report = ingest(store, seed_doc(_republished(SEED_TEXT)), "bob")
    assert report.written and (len(report.changed), len(report.withdrawn)) == (1, 1)
    history = rows(
        store,
        "SELECT e.description, e.current FROM entries e JOIN events v ON v.id = e.event_id "
        "WHERE e.title = 'Delegation from Wallonia' ORDER BY e.id",
    )
    assert [h[0].endswith("energy transition.") for h in history] == [True, False]
    assert [bool(h[1]) for h in history] == [False, True]
    # withdrawn, never deleted
    assert rows(store, "SELECT status FROM events e WHERE e.id = :i", i=dry.withdrawn[0].id) == [
        ("withdrawn",)
    ]
    assert counts(store)["events"] == 15
    audit = rows(
        store, "SELECT who, event_id, field, old, new FROM audit WHERE event_id IS NOT NULL"
    )
    fields = {(r[2], json.loads(r[4])[-12:]) for r in audit}
    assert ("description", "ergy saving.") in fields and ("status", "withdrawn") in fields
    assert {r[0] for r in audit} == {"bob"}

    # the page as first published brings the event back
    back = ingest(store, seed_doc(), "cat")
    assert [c.title for c in back.restored] == ["TIEF"] and len(back.changed) == 1
    assert rows(store, "SELECT count(*) FROM events WHERE status = 'active'") == [(15,)]


def test_an_event_still_on_another_page_is_not_withdrawn(store):
    ingest(store, seed_doc(), "ann")
    ingest(store, seed_doc(name="other.txt"), "ann")
    report = ingest(store, seed_doc(_republished(SEED_TEXT)), "ann")
    assert not report.withdrawn
    assert rows(store, "SELECT count(*) FROM events WHERE status = 'active'") == [(15,)]


def test_load_events_reads_the_store_and_sees_a_write_at_the_next_call(store, tmp_path):
    from intl_metrics.load import load_events

    (tmp_path / "a.txt").write_text(SEED_TEXT, encoding="utf-8")
    first = load_events([tmp_path])
    assert len(first.events) == 15 and first.revision == 1 and first.parsed_files == 1
    assert load_events([tmp_path]) is first  # unchanged store and folder: nothing read
    ingest(store, seed_doc(_republished(SEED_TEXT), name="a.txt"), "bob")
    second = load_events([tmp_path])
    assert second.revision == 2 and len(second.events) == 14  # TIEF withdrawn
    assert "TIEF" not in set(second.events["title"])
    assert [f.name for f in second.files] == ["a.txt"] and second.files[0].ingested_by == "bob"


def test_a_new_process_reads_the_snapshot_and_gets_the_same_frames(store, tmp_path):
    import pandas as pd

    from intl_metrics import load
    from intl_metrics.snapshot import snapshot_path

    (tmp_path / "a.txt").write_text(SEED_TEXT, encoding="utf-8")
    built = load.load_events([tmp_path])
    assert snapshot_path(store.store_id, built.revision).is_dir()
    load.clear_cache()  # as a new process: nothing in memory
    _rev, from_store = load._frames_from_store(store, None)
    again = load.load_events([tmp_path])
    for a, b, c in zip(
        from_store, (built.events, built.themes, built.partners, built.countries),
        (again.events, again.themes, again.partners, again.countries), strict=True,
    ):  # fmt: skip
        pd.testing.assert_frame_equal(a, b)
        pd.testing.assert_frame_equal(a, c)


def test_two_writers_at_once_both_land_one_after_the_other(store):
    other = SEED_TEXT.replace("2021", "2019")
    errors: list[BaseException] = []

    def write(text: str, name: str) -> None:
        try:
            ingest(store, seed_doc(text, name), name)
        except BaseException as exc:
            errors.append(exc)

    threads = [
        threading.Thread(target=write, args=(SEED_TEXT, "a.txt")),
        threading.Thread(target=write, args=(other, "b.txt")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert counts(store)["events"] == 30 and store.revision() == 2
    assert sorted(r[0] for r in rows(store, "SELECT revision FROM audit")) == [1, 2]


def test_a_failure_inside_the_write_leaves_the_store_as_before(store, monkeypatch):
    import importlib

    ingest_module = importlib.import_module("intl_metrics.store.ingestion")
    ingest(store, seed_doc(), "ann")
    before = counts(store), store.revision()
    real = ingest_module._write

    def half_then_fail(w, *args, **kwargs):
        real(w, *args, **kwargs)
        raise RuntimeError("disk full, say")

    monkeypatch.setattr(ingest_module, "_write", half_then_fail)
    with pytest.raises(RuntimeError):
        ingest(store, seed_doc(_republished(SEED_TEXT)), "bob")
    assert (counts(store), store.revision()) == before


def test_relabel_after_a_rules_change_reports_per_field_counts_in_one_write(store):
    from intl_metrics.enrich import rules_version

    ingest(store, seed_doc(), "ann")
    # As if older rules had made some labels: what relabel exists for.
    with store.engine.begin() as conn:
        conn.execute(
            sa.text(
                "UPDATE labels SET rules_version = 'old', activity = 'event', themes = '[]' "
                "WHERE entry_id IN (SELECT id FROM entries WHERE title IN "
                "('Delegation from Wallonia', 'TIEF'))"
            )
        )
    dry = relabel(store, "ann", dry_run=True)
    assert dry.changed_events == 2 and dry.per_field["themes"] == 2
    assert dry.per_field["activity"] == 1  # TIEF is an 'event' for the rules as well
    assert dry.previous_versions == {"old": 2, rules_version(): 13}
    assert store.revision() == 1

    report = relabel(store, "ann")
    assert report.per_field == dry.per_field and report.revision == 2
    assert rows(store, "SELECT DISTINCT rules_version FROM labels WHERE current") == [
        (rules_version(),)
    ]
    assert counts(store)["labels"] == 17  # the two old label sets are kept as history
    audit = rows(store, "SELECT field, old, new FROM audit WHERE action = 'relabel'")
    assert ("activity", '"event"', '"delegation"') in audit
    assert relabel(store, "ann").changed_events == 0


def typed_rows(store, table: str) -> list[tuple]:
    """A table's rows through the models' types, ordered by primary key."""
    from intl_metrics.store.models import Base

    t = Base.metadata.tables[table]
    with store.read() as conn:
        return [tuple(r) for r in conn.execute(sa.select(t).order_by(*t.primary_key.columns))]


def test_export_then_import_into_an_empty_store_gives_back_the_same_data(
    store, other_store_url, tmp_path
):
    ingest(store, seed_doc(), "ann")
    ingest(store, seed_doc(_republished(SEED_TEXT)), "bob")
    html = _page_html(SEED_TEXT)
    ingest(store, document_from_bytes(html.encode(), "page.html"), "cat")
    path = tmp_path / "store.jsonl.gz"
    out = export_store(store, path)
    assert out.rows["sources"] == 3 and out.rows["audit"] >= 3

    target = open_store(other_store_url)  # SQLite -> PostgreSQL and back
    back = import_store(target, path, "dan")
    assert back.rows == out.rows
    for table in TABLES:
        a = typed_rows(store, table)
        b = typed_rows(target, table)
        if table == "audit":
            assert b[-1][2:4] == ("dan", "import") and len(b) == len(a) + 1
            b = b[:-1]
        assert _plain(a) == _plain(b), table
    assert rows(target, "SELECT raw FROM sources WHERE name = 'page.html'")[0][0] == html.encode()
    with pytest.raises(StoreError, match="not empty"):
        import_store(target, path, "dan")
    # the copy goes on: its next rows are numbered after the imported ones
    assert ingest(target, seed_doc(SEED_TEXT.replace("2021", "2018"), "new.txt"), "eve").written


def test_an_export_cut_short_imports_nothing(store, tmp_path):
    ingest(store, seed_doc(), "ann")
    path = tmp_path / "store.jsonl"
    export_store(store, path)
    lines = path.read_text(encoding="utf-8").splitlines()
    (tmp_path / "cut.jsonl").write_text("\n".join(lines[:-5]) + "\n", encoding="utf-8")
    target = open_store(f"sqlite:///{tmp_path / 'copy.db'}")
    with pytest.raises(StoreError, match="incomplete"):
        import_store(target, tmp_path / "cut.jsonl", "dan")
    assert set(counts(target).values()) == {0}


def _plain(table_rows: list[tuple]) -> list[tuple]:
    """Rows with values as the two backends give them compared alike (times in UTC)."""
    from datetime import date, datetime

    from intl_metrics.store.db import utc

    def plain(v):
        if isinstance(v, datetime):
            return utc(v).isoformat()
        if isinstance(v, date):
            return v.isoformat()
        if isinstance(v, memoryview):
            return bytes(v)
        if isinstance(v, bool):
            return int(v)
        return v

    return [tuple(plain(v) for v in r) for r in table_rows]


def _page_html(text: str) -> str:
    from saved_page import page_html

    return page_html(text)


def test_a_saved_page_ingests_as_the_same_events_as_its_text(store):
    ingest(store, seed_doc(), "ann")
    report = ingest(store, document_from_bytes(_page_html(SEED_TEXT).encode(), "page.html"), "ann")
    assert report.unchanged == 15 and not report.new and not report.changed
    assert rows(store, "SELECT media_type FROM sources WHERE name = 'page.html'") == [
        ("text/html",)
    ]


def test_pasted_text_and_files_read_the_same(store, tmp_path):
    path = tmp_path / "a.txt"
    shutil.copy(SEED, path)
    a = ingest(store, read_document(path), "ann", dry_run=True)
    b = ingest(store, document_from_text(SEED_TEXT, "a.txt"), "ann", dry_run=True)
    assert [c.id for c in a.new] == [c.id for c in b.new] and len(a.new) == 15


def test_the_head_a_store_is_checked_against_is_the_newest_migration():
    from intl_metrics.store.db import HEAD, _script_head

    assert _script_head() == HEAD


def test_stray_nul_bytes_and_a_long_name_are_stored_on_every_backend(store):
    text = SEED_TEXT.replace("The City of Torino welcomed", "The City\x00 of Torino welcomed", 1)
    doc = document_from_bytes(text.encode("utf-8"), "x" * 300 + ".txt")
    report = ingest(store, doc, "ann")
    assert report.written and len(report.new) == 15
    assert rows(store, "SELECT length(name) FROM sources") == [(255,)]


def _assert_frames_equal(a, b) -> None:
    import pandas as pd

    for x, y in zip(
        (a.events, a.themes, a.partners, a.countries),
        (b.events, b.themes, b.partners, b.countries),
        strict=True,
    ):
        pd.testing.assert_frame_equal(x, y)


def test_after_a_write_only_the_changed_events_are_read_and_the_frames_are_as_a_full_read(
    store, tmp_path, monkeypatch
):
    from intl_metrics import load

    (tmp_path / "a.txt").write_text(SEED_TEXT, encoding="utf-8")
    load.load_events([tmp_path])
    real = load._frames_from_store

    def full_read_not_allowed(*_a, **_k):
        raise AssertionError("read the whole store")

    writes = [
        lambda: ingest(store, seed_doc(SEED_TEXT.replace("2021", "2019"), "b.txt"), "ann"),
        lambda: ingest(store, seed_doc(_republished(SEED_TEXT), "a.txt"), "ann"),  # ~ and -
        lambda: ingest(store, seed_doc(SEED_TEXT, "a.txt"), "ann"),  # restored
        lambda: _stale_labels_then_relabel(store),
    ]
    for write in writes:
        write()
        monkeypatch.setattr(load, "_frames_from_store", full_read_not_allowed)
        refreshed = load.load_events([tmp_path])
        monkeypatch.setattr(load, "_frames_from_store", real)
        rev, full = real(store, None)
        assert rev == refreshed.revision
        _assert_frames_equal(refreshed, load.Dataset(*full, files=(), load_seconds=0))
    assert len(refreshed.events) == 30


def _stale_labels_then_relabel(store) -> None:
    with store.engine.begin() as conn:
        conn.execute(sa.text("UPDATE labels SET themes = '[]', format = 'virtual' WHERE current"))
    relabel(store, "ann")


def test_a_new_process_refreshes_an_older_snapshot_instead_of_reading_everything(
    store, tmp_path, monkeypatch
):
    from intl_metrics import load
    from intl_metrics.snapshot import LAYOUT, cache_dir

    (tmp_path / "a.txt").write_text(SEED_TEXT, encoding="utf-8")
    first = load.load_events([tmp_path])
    ingest(store, seed_doc(_republished(SEED_TEXT), "a.txt"), "bob")
    load.clear_cache()  # a new process: only the snapshot of the first revision on disk

    def full_read_not_allowed(*_a, **_k):
        raise AssertionError("read the whole store")

    monkeypatch.setattr(load, "_frames_from_store", full_read_not_allowed)
    again = load.load_events([tmp_path])
    assert again.revision == first.revision + 1 and len(again.events) == 14
    names = [p.name.split("-r")[1] for p in cache_dir().glob("events-*")]
    assert names == [f"{again.revision}-v{LAYOUT}"]


def test_an_import_leaves_the_store_revision_past_every_imported_row(
    store, other_store_url, tmp_path
):
    ingest(store, seed_doc(), "ann")
    ingest(store, seed_doc(_republished(SEED_TEXT)), "bob")
    export_store(store, tmp_path / "x.jsonl")
    target = open_store(other_store_url)
    report = import_store(target, tmp_path / "x.jsonl", "dan")
    assert report.revision == target.revision() == store.revision() + 1
