"""What staff corrected is what every export shows: the frames load reads, the CSV and XLSX
downloads, the charts, the briefing (page and `intl-metrics briefing`), on SQLite and on a
real PostgreSQL (the store_url fixture). Entries marked not an event or a duplicate leave
every one of them."""

from __future__ import annotations

import csv
import io
from datetime import date

import docx
import openpyxl
import pytest
import sqlalchemy as sa
from checkout import RAW

from intl_metrics import charts, export, query
from intl_metrics.briefing.content import build_briefing
from intl_metrics.briefing.model import Bullets, Paragraph, Table
from intl_metrics.cli import main
from intl_metrics.load import clear_cache, load_events
from intl_metrics.query import Filters
from intl_metrics.store import corrections, document_from_bytes, ingest, open_store

SEED = RAW / "agenda-2021-09-10.txt"
WALLONIA = "Delegation from Wallonia"
TIEF = "TIEF"
KOREA = "Consul General of the Republic of Korea"
US = "Consul General of the United States"
TODAY = date(2021, 11, 1)


@pytest.fixture
def store(store_url):
    s = open_store(store_url)
    ingest(s, document_from_bytes(SEED.read_bytes(), SEED.name), "seed")
    return s


def _ids(store) -> dict[str, str]:
    with store.read() as conn:
        rows = conn.execute(sa.text("SELECT title, event_id FROM entries WHERE current"))
        return dict(rows.all())


def _correct(store) -> None:
    """Staff: Wallonia is about culture (the machine said energy), TIEF is a network
    meeting, the Korean consul's entry is not an event, the US consul's repeats TIEF."""
    ids = _ids(store)
    corrections.correct(store, "ann", ids[WALLONIA], {"themes": ["culture"]})
    corrections.correct(store, "ann", ids[TIEF], {"activity": "network"})
    corrections.correct(store, "ann", ids[KOREA], {"not_event": True})
    corrections.correct(store, "ann", ids[US], {"duplicate_of": ids[TIEF]})


def _load(store_url: str):
    return load_events([], db=store_url)


def _row(ds, title: str):
    rows = ds.events[ds.events["title"] == title]
    return None if rows.empty else rows.iloc[0]


def test_load_applies_corrections_when_it_refreshes_and_when_it_reads_all(
    store, store_url, tmp_path, monkeypatch
):
    before = _load(store_url)
    assert tuple(_row(before, WALLONIA)["themes"]) == ("energy",)
    assert "KR" in set(query.country_counts(before)["country"])
    _correct(store)
    refreshed = _load(store_url)  # only the changed events read again
    monkeypatch.setenv("INTL_METRICS_CACHE", str(tmp_path / "empty-cache"))
    clear_cache()
    whole = _load(store_url)  # every event read from the store
    for ds in (refreshed, whole):
        assert len(ds.events) == 13 and _row(ds, KOREA) is None and _row(ds, US) is None
        wallonia = _row(ds, WALLONIA)
        assert tuple(wallonia["themes"]) == ("culture",)
        assert wallonia["primary_theme"] == "culture"
        assert tuple(wallonia["corrected"]) == ("themes",)
        assert _row(ds, TIEF)["activity"] == "network"
        # the exploded tables follow: no theme row of the old label, no row of a hidden event
        rows = ds.themes[ds.themes["row"] == wallonia.name]
        assert list(rows["theme"].astype(str)) == ["culture"]
        assert "KR" not in set(query.country_counts(ds)["country"])
        assert set(ds.events["id"]) == set(ds.themes["row"].map(ds.events["id"]))
    assert (
        whole.events.sort_values("id")
        .reset_index(drop=True)[["id", "themes", "activity", "corrected"]]
        .astype(str)
        .equals(
            refreshed.events.sort_values("id")
            .reset_index(drop=True)[["id", "themes", "activity", "corrected"]]
            .astype(str)
        )
    )


def test_csv_and_xlsx_downloads_carry_the_corrected_labels(store, store_url):
    _correct(store)
    frame = export.events_export_frame(_load(store_url).events)
    table = list(csv.DictReader(io.StringIO(export.frame_csv(frame).decode("utf-8-sig"))))
    by_title = {r["title"]: r for r in table}
    assert len(table) == 13 and KOREA not in by_title and US not in by_title
    assert by_title[WALLONIA]["themes"] == "culture"
    assert by_title[WALLONIA]["corrected by staff"] == "themes"
    assert by_title[TIEF]["activity"] == "network"
    assert by_title["EUROCITIES Culture Forum"]["corrected by staff"] == ""

    sheet = openpyxl.load_workbook(io.BytesIO(export.frame_xlsx(frame))).active
    cells = list(sheet.iter_rows(values_only=True))
    head = list(cells[0])
    rows = {r[head.index("title")]: r for r in cells[1:]}
    assert len(rows) == 13 and KOREA not in rows
    assert rows[WALLONIA][head.index("themes")] == "culture"
    assert rows[WALLONIA][head.index("corrected by staff")] == "themes"


def _bar_counts(fig) -> dict[str, int]:
    out: dict[str, int] = {}
    for trace in fig.data:
        for label, value in zip(trace.y, trace.x, strict=True):
            out[str(label)] = int(value)
    return out


def test_charts_count_the_corrected_labels(store, store_url):
    before = _load(store_url)
    themes_before = _bar_counts(charts.theme_bar(query.theme_counts(before)))
    activity_before = _bar_counts(charts.activity_bar(query.activity_counts(before)))
    _correct(store)
    after = _load(store_url)
    themes = _bar_counts(charts.theme_bar(query.theme_counts(after)))
    activity = _bar_counts(charts.activity_bar(query.activity_counts(after)))
    assert themes["Culture"] == themes_before["Culture"] + 1
    assert themes["Energy"] == themes_before["Energy"] - 1
    # TIEF: event -> network; the two consuls (diplomatic) leave
    assert activity["Network"] == activity_before["Network"] + 1
    assert activity["Event"] == activity_before["Event"] - 1
    assert activity.get("Diplomatic meeting", 0) == activity_before["Diplomatic meeting"] - 2


def _texts(briefing) -> list[str]:
    out = []
    for section in briefing.sections:
        for block in section.blocks:
            if isinstance(block, Paragraph):
                out.append(block.text)
            elif isinstance(block, Bullets):
                out.extend(block.items)
            elif isinstance(block, Table):
                out.extend(" | ".join(map(str, row)) for row in block.rows)
    return out


def test_the_briefing_shows_corrected_labels_and_counts_them(store, store_url):
    none = build_briefing(_load(store_url), Filters(), today=TODAY, images=False)
    assert any("Labels corrected by staff: 0." in x for x in _texts(none))
    _correct(store)
    ds = _load(store_url)
    briefing = build_briefing(ds, Filters(), today=TODAY, images=False)
    text = _texts(briefing)
    assert "Staff corrected 2 labels by hand; every other label is the machine's." in text
    assert not [x for x in text if KOREA in x or US in x]
    assert [x for x in text if WALLONIA in x]
    # only the corrections of the events it covers
    energy = build_briefing(ds, Filters(themes=("energy",)), today=TODAY, images=False)
    assert not [x for x in _texts(energy) if WALLONIA in x]
    culture_wallonia = build_briefing(ds, Filters(text="Wallonia"), today=TODAY, images=False)
    assert "Staff corrected 1 label by hand; every other label is the machine's." in _texts(
        culture_wallonia
    )
    italian = build_briefing(ds, Filters(), lang="it", today=TODAY, images=False)
    assert any(x.startswith("Il personale ha corretto a mano 2 etichette") for x in _texts(italian))


def test_intl_metrics_briefing_reads_the_store_with_its_corrections(
    store, store_url, tmp_path, capsys
):
    _correct(store)
    empty = tmp_path / "no-new-files"
    empty.mkdir()
    out = tmp_path / "briefing.docx"
    args = ["briefing", "--out", str(out), "--no-images", "--lang", "en", "--db", store_url]
    assert main([*args, "--data", str(empty)]) == 0
    assert "13 events" in capsys.readouterr().err
    document = docx.Document(str(out))
    paragraphs = [p.text for p in document.paragraphs]
    cells = {c.text for t in document.tables for r in t.rows for c in r.cells}
    assert "Staff corrected 2 labels by hand; every other label is the machine's." in paragraphs
    assert KOREA not in cells and US not in cells and WALLONIA in cells
