"""load_events: typed frame, tidy exploded tables, caching, bad files kept apart."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pandas as pd
import pytest

from intl_metrics import labelling, load
from intl_metrics.load import load_events

SEED = Path(__file__).resolve().parents[1] / "data" / "raw" / "agenda-2021-09-10.txt"


@pytest.fixture(autouse=True)
def _fresh_cache():
    load.clear_cache()
    yield
    load.clear_cache()


def test_the_bundled_data_loads_one_row_per_event_with_typed_columns():
    ds = load_events()
    ev = ds.events
    assert len(ev) >= 15
    assert str(ev["start_date"].dtype).startswith("datetime64")
    assert str(ev["end_date"].dtype).startswith("datetime64")
    assert isinstance(ev["format"].dtype, pd.CategoricalDtype)
    assert isinstance(ev["activity"].dtype, pd.CategoricalDtype)
    assert (ev["end_date"] >= ev["start_date"]).all()
    assert ev["id"].is_unique


def test_exploded_tables_have_one_row_per_event_and_label():
    ds = load_events([SEED])
    ev = ds.events
    assert len(ds.themes) == sum(len(t) for t in ev["themes"])
    assert len(ds.partners) == sum(len(p) for p in ev["partners"])
    assert len(ds.countries) == sum(len(c) for c in ev["countries"])
    # `row` points back at the event the label belongs to.
    for table in (ds.themes, ds.partners, ds.countries):
        assert (ev["id"].iloc[table["row"]].to_numpy() == table["event_id"].to_numpy()).all()
    wallonia = ev.index[ev["title"] == "Delegation from Wallonia"][0]
    assert "energy" in set(ds.themes.loc[ds.themes["row"] == wallonia, "theme"])
    assert set(ds.partners.loc[ds.partners["row"] == wallonia, "kind"]) == {"region"}


def test_a_second_call_with_unchanged_files_reads_nothing_again(tmp_path, monkeypatch):
    page = tmp_path / "a.txt"
    shutil.copy(SEED, page)
    first = load_events([tmp_path])
    assert first.parsed_files == 1

    def boom(*_a, **_k):
        raise AssertionError("read again")

    monkeypatch.setattr(load, "_read", boom)
    second = load_events([tmp_path])
    assert second is first
    load.clear_cache()  # a new process: the store and the snapshot, still no file read
    third = load_events([tmp_path])
    assert third.parsed_files == 0 and len(third.events) == 15


def test_the_evidence_comes_back_from_the_store_and_the_snapshot_as_labelled(tmp_path):
    import pickle

    from intl_metrics.enrich import enrich_all
    from intl_metrics.parse import parse_text
    from intl_metrics.schema import Evidence

    shutil.copy(SEED, tmp_path / "a.txt")
    entries = parse_text(SEED.read_text(encoding="utf-8"), "a.txt").entries
    labelled = {ev.id: ev.evidence for ev in enrich_all(entries)}
    for _ in range(2):  # read from the store (and a snapshot written), then the snapshot
        ev = load_events([tmp_path]).events
        got = dict(zip(ev["id"], ev["evidence"], strict=True))
        assert got == labelled
        every = [e for found in got.values() for e in found]
        assert every and all(type(e) is Evidence for e in every)
        assert pickle.loads(pickle.dumps(every)) == every
        assert [Evidence(**e.to_dict()) for e in every] == every
        load.clear_cache()  # a new process: frames from the snapshot this time


def test_a_file_removed_from_the_folder_keeps_its_events_in_the_store(tmp_path):
    shutil.copy(SEED, tmp_path / "a.txt")
    assert len(load_events([tmp_path]).events) == 15
    (tmp_path / "a.txt").unlink()
    ds = load_events([tmp_path])
    assert len(ds.events) == 15 and [f.name for f in ds.files] == ["a.txt"]


def test_a_file_added_shows_after_a_reload_and_a_changed_file_is_read_again(tmp_path):
    shutil.copy(SEED, tmp_path / "a.txt")
    assert len(load_events([tmp_path]).events) == 15
    (tmp_path / "b.txt").write_text(
        "May 9th 2024 Europe DayThe City of Torino opened the Town Hall to citizens.\n",
        encoding="utf-8",
    )
    again = load_events([tmp_path])
    assert len(again.events) == 16 and again.parsed_files == 1
    page_b = tmp_path / "b.txt"
    page_b.write_text("", encoding="utf-8")
    os.utime(page_b, ns=(1, 1))
    assert len(load_events([tmp_path]).events) == 15


def test_the_same_entry_in_two_files_is_one_event(tmp_path):
    shutil.copy(SEED, tmp_path / "a.txt")
    shutil.copy(SEED, tmp_path / "b.txt")
    assert len(load_events([tmp_path]).events) == 15


def test_a_file_that_cannot_be_read_is_reported_and_the_rest_still_loads(tmp_path):
    shutil.copy(SEED, tmp_path / "a.txt")
    missing = tmp_path / "gone.txt"
    ds = load_events([tmp_path / "a.txt", missing])
    assert len(ds.events) == 15
    report = {r.name: r for r in ds.files}
    assert report["gone.txt"].error and report["a.txt"].error is None


def test_a_file_of_garbage_gives_warnings_not_an_exception(tmp_path):
    shutil.copy(SEED, tmp_path / "a.txt")
    # A stray byte before text with an impossible date: the text is read, the date warned.
    (tmp_path / "bad.txt").write_bytes(b"\xff\x00garbage\nFebruary 30th 2021 Nothing\n")
    ds = load_events([tmp_path])
    assert len(ds.events) == 15
    bad = next(r for r in ds.files if r.name == "bad.txt")
    assert bad.events == 0 and bad.error is None
    assert any(w.source.file == "bad.txt" for w in ds.warnings)
    assert any("no agenda entry found" in n for n in bad.notes)


def test_an_empty_directory_gives_empty_typed_tables(tmp_path):
    ds = load_events([tmp_path])
    assert len(ds.events) == 0 and len(ds.themes) == 0 and len(ds.partners) == 0
    assert isinstance(ds.events["format"].dtype, pd.CategoricalDtype)


def test_an_internal_error_on_one_file_is_reported_and_the_other_files_still_load(
    tmp_path, monkeypatch
):
    import intl_metrics.store as store

    shutil.copy(SEED, tmp_path / "a.txt")
    (tmp_path / "b.txt").write_text("May 9th 2024 Europe DayThe City opened.\n", encoding="utf-8")
    real = store.ingest

    def flaky(st, doc, *a, **kw):
        if doc.name == "b.txt":
            raise RuntimeError("a broken rule")
        return real(st, doc, *a, **kw)

    monkeypatch.setattr(store, "ingest", flaky)
    ds = load_events([tmp_path])
    assert len(ds.events) == 15
    assert "a broken rule" in next(r for r in ds.files if r.name == "b.txt").error


HELDOUT = Path(__file__).resolve().parent / "data" / "heldout"


def _entries():
    from intl_metrics.parse import parse_text

    return [
        e
        for f in sorted(HELDOUT.glob("*.txt"))
        for e in parse_text(f.read_text(encoding="utf-8"), f.name).entries
    ]


@pytest.fixture
def two_workers(monkeypatch):
    monkeypatch.setattr(labelling, "workers", lambda: 2)
    return monkeypatch


def test_many_entries_are_labelled_in_worker_processes_the_same(two_workers):
    entries = _entries()
    serial = labelling.label_entries(entries, parallel=False)
    two_workers.setattr(labelling, "PARALLEL_MIN_ENTRIES", 1)
    two_workers.setattr(labelling, "CHUNK", 3)  # several chunks: order across workers counts
    seen: list[float] = []
    assert labelling.label_entries(entries, progress=seen.append) == serial
    assert seen == sorted(seen) and seen[-1] == 1.0 and len(seen) > 3


def test_when_worker_processes_cannot_start_the_entries_are_labelled_here(two_workers):
    from concurrent.futures.process import BrokenProcessPool

    def broken(*_a, **_k):
        raise BrokenProcessPool("no processes here")
        yield  # a generator, like the real one

    entries = _entries()
    serial = labelling.label_entries(entries, parallel=False)
    two_workers.setattr(labelling, "PARALLEL_MIN_ENTRIES", 1)
    two_workers.setattr(labelling, "in_workers", broken)
    assert labelling.label_entries(entries) == serial


def test_files_combined_keep_each_label_with_its_event(tmp_path):
    """Several files: duplicates dropped, rows renumbered after the merge sort."""
    shutil.copy(SEED, tmp_path / "a.txt")
    (tmp_path / "b.txt").write_text(
        "January 15th 2019 Delegation from LyonA delegation from Lyon met the Mayor on energy.\n",
        encoding="utf-8",
    )
    ds = load_events([tmp_path])
    ev = ds.events
    assert ev["start_date"].is_monotonic_increasing and ev["id"].is_unique
    for table in (ds.themes, ds.partners, ds.countries):
        assert (ev["id"].iloc[table["row"]].to_numpy() == table["event_id"].to_numpy()).all()
        assert table["row"].is_monotonic_increasing
    lyon = ds.partners[ds.partners["name"] == "Lyon"]
    assert ev["title"].iloc[lyon["row"]].tolist() == ["Delegation from Lyon"]
    assert isinstance(ds.partners["country"].dtype, pd.CategoricalDtype)
    assert isinstance(ev["source_file"].dtype, pd.CategoricalDtype)


# ---------------------------------------------------------------- every entry, every version


def test_every_entry_of_the_data_folder_is_listed_with_why_it_is_not_read(tmp_path):
    shutil.copy(SEED, tmp_path / "agenda.txt")
    (tmp_path / "archive.txt").mkdir()  # a folder with an agenda's name
    (tmp_path / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    (tmp_path / "notes.md").write_text("# notes\n", encoding="utf-8")
    (tmp_path / "photo.txt").write_bytes(os.urandom(3000))
    (tmp_path / "empty.txt").write_bytes(b"")
    ds = load_events([tmp_path])
    report = {r.name: r for r in ds.files}
    assert set(report) == {"agenda.txt", "archive.txt", "gone.txt", "notes.md", "photo.txt",
                           "empty.txt"}  # fmt: skip
    assert report["agenda.txt"].problems == "" and report["agenda.txt"].events == 15
    assert "folder" in report["archive.txt"].error
    assert "broken link" in report["gone.txt"].error
    assert "only .txt files" in report["notes.md"].error
    assert "not text" in report["photo.txt"].error
    assert report["empty.txt"].notes == ("no agenda entry found: the file is empty",)
    assert len(ds.events) == 15


def test_a_latin1_file_loads_every_entry_and_says_its_encoding(tmp_path):
    text = (
        "2 décembre 2021 Délégation de MünchenLa délégation de München a visité Torino.\n"
        "15 août 2021 Rencontre à LyonLa Ville de Torino a rencontré la Ville de Lyon.\n"
    )
    (tmp_path / "vieux.txt").write_bytes(text.encode("latin-1"))
    ds = load_events([tmp_path])
    assert list(ds.events["title"]) == ["Rencontre à Lyon", "Délégation de München"]
    (report,) = ds.files
    assert report.encoding == "Windows-1252 (Latin-1)"
    assert report.notes == ("read as Windows-1252 (Latin-1), not UTF-8",)


def test_only_the_current_version_of_an_edited_file_is_kept(tmp_path):
    from intl_metrics.snapshot import cache_dir

    page = tmp_path / "a.txt"
    seed = SEED.read_text(encoding="utf-8")
    for year in range(2015, 2020):
        page.write_text(seed.replace("2021", str(year)), encoding="utf-8")
        ds = load_events([tmp_path])
        assert ds.events["start_date"].dt.year.min() == year
        assert len(ds.events) == 15  # the older versions' events are withdrawn
        assert len(load._frames_cache) == 1 and len(load._dataset_cache) == 1
        assert len(list(cache_dir().glob("events-*"))) == 1  # one snapshot on disk


def test_a_file_touched_but_not_changed_is_not_parsed_again(tmp_path, monkeypatch):
    import intl_metrics.store as store

    page = tmp_path / "a.txt"
    shutil.copy(SEED, page)
    first = load_events([tmp_path])
    os.utime(page, ns=(1, 1))

    def boom(*_a, **_k):
        raise AssertionError("parsed again")

    monkeypatch.setattr(store, "ingest", boom)
    second = load_events([tmp_path])
    assert second.revision == first.revision and len(second.events) == len(first.events)
    assert not any(f.error for f in second.files)


def test_a_file_rewritten_while_it_is_read_gives_one_version_then_the_newest(tmp_path, monkeypatch):
    page = tmp_path / "a.txt"
    seed = SEED.read_text(encoding="utf-8")
    page.write_text(seed, encoding="utf-8")
    real = load._read
    calls = []

    def read_while_written(path):
        data = real(path)
        calls.append(path)
        if len(calls) == 1:  # someone saves a new version just after this read
            newer = seed.replace("2021", "2019")
            page.write_text(newer, encoding="utf-8")
            os.utime(page, ns=(10**18, 10**18))
            return data[: len(data) // 2]  # and this read was torn
        return data

    monkeypatch.setattr(load, "_read", read_while_written)
    ds = load_events([tmp_path])
    years = set(ds.events["start_date"].dt.year)
    assert years == {2019} and len(ds.events) == 15  # the whole newer version, not a mix
    assert len(calls) == 2
