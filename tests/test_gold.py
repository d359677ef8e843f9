"""`intl-metrics export-gold`, then `intl-metrics evaluate` on it: the machine scored against
the staff's decisions, on SQLite and on a real PostgreSQL (the store_url fixture)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlalchemy as sa
from checkout import RAW

from intl_metrics.cli import main
from intl_metrics.store import corrections, document_from_bytes, ingest, open_store, review

SEED = RAW / "agenda-2021-09-10.txt"


@pytest.fixture
def store(store_url):
    s = open_store(store_url)
    ingest(s, document_from_bytes(SEED.read_bytes(), SEED.name), "seed")
    return s


def _events(store) -> dict[str, tuple[str, int]]:
    """Title -> (event id, line)."""
    with store.read() as conn:
        rows = conn.execute(sa.text("SELECT event_id, title, line FROM entries WHERE current"))
        return {r[1]: (r[0], r[2]) for r in rows}


def _gold(store_url: str, tmp_path: Path, capsys, *extra: str) -> tuple[list[dict], Path]:
    out, sources = tmp_path / "gold.jsonl", tmp_path / "sources"
    assert main(["export-gold", "--out", str(out), "--sources", str(sources),
                 "--db", store_url, *extra]) == 0  # fmt: skip
    capsys.readouterr()
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()], sources


def _evaluate(gold: Path, sources: Path, capsys) -> dict:
    assert main(["evaluate", str(gold), *map(str, sorted(sources.iterdir())), "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_the_machine_is_scored_against_confirmed_and_corrected_labels(
    store, store_url, tmp_path, capsys
):
    events = _events(store)
    for eid, _ in events.values():  # staff confirm every event as the machine labelled it
        review.confirm(store, "ann", eid)
    lines, sources = _gold(store_url, tmp_path, capsys)
    assert len(lines) == 15 and all(g["reviewed"] and g["partial"] for g in lines)
    assert [p.name for p in sources.iterdir()] == [SEED.name]
    assert (sources / SEED.name).read_text(encoding="utf-8") == SEED.read_text(encoding="utf-8")
    result = _evaluate(tmp_path / "gold.jsonl", sources, capsys)
    assert result["errors"] == [] and set(result["scores"].values()) == {1.0}

    # staff correct labels: each correction is one error of the machine's
    wallonia, w_line = events["Delegation from Wallonia"]
    tief, t_line = events["TIEF"]
    korea, k_line = events["Consul General of the Republic of Korea"]
    us, us_line = events["Consul General of the United States"]
    corrections.correct(store, "ann", wallonia, {"themes": ["culture"]})
    corrections.correct(store, "ann", tief, {"activity": "network"})
    corrections.correct(store, "ann", korea, {"not_event": True})
    corrections.correct(store, "ann", us, {"duplicate_of": tief})
    lines, sources = _gold(store_url, tmp_path, capsys)
    by_line = {g["line"]: g for g in lines}
    assert by_line[w_line]["themes"] == ["culture"] and by_line[w_line]["corrected"] == ["themes"]
    assert by_line[k_line] == {"file": SEED.name, "line": k_line, "partial": True,
                               "not_event": True, "event_id": korea,
                               "title": "Consul General of the Republic of Korea"}  # fmt: skip
    assert by_line[us_line]["duplicate_of"] == tief
    result = _evaluate(tmp_path / "gold.jsonl", sources, capsys)
    scores, errors = (
        result["scores"],
        {(e["line"], e["field"], e["expected"], e["got"]) for e in result["errors"]},
    )
    # 15 entries: one not an event (an error of the machine), one duplicate (not scored)
    assert scores["entry recall"] == 1.0
    assert scores["entry precision"] == pytest.approx(13 / 14, abs=1e-4)
    assert scores["activity"] == pytest.approx(12 / 13, abs=1e-4)
    assert scores["format"] == 1.0
    assert scores["theme micro-F1"] < 1.0
    assert result["themes"]["culture"]["recall"] < 1.0
    assert errors == {
        (w_line, "theme", "culture", "none"),
        (w_line, "theme", "none", "energy"),
        (t_line, "activity", "network", "event"),
        (k_line, "entry", "no entry", repr("Consul General of the Republic of Korea")),
    }

    # an undone correction is the machine's label again: no error left for it
    (wallonia_fix,) = [c.id for c in corrections.event_record(store, wallonia).corrections.values()]
    corrections.undo(store, "ann", wallonia_fix)
    lines, sources = _gold(store_url, tmp_path, capsys)
    result = _evaluate(tmp_path / "gold.jsonl", sources, capsys)
    assert not [e for e in result["errors"] if e["field"] == "theme"]
    assert result["scores"]["theme micro-F1"] == 1.0


def test_only_decided_events_are_gold_and_reviewed_only_keeps_the_review_queue_s(
    store, store_url, tmp_path, capsys
):
    events = _events(store)
    wallonia = events["Delegation from Wallonia"][0]
    tief = events["TIEF"][0]
    korea = events["Consul General of the Republic of Korea"][0]
    corrections.correct(store, "ann", wallonia, {"themes": ["culture"]})  # in the editor
    corrections.correct(store, "ann", tief, {"format": "virtual"}, review=True)  # in review
    corrections.correct(store, "ann", korea, {"not_event": True})
    lines, _ = _gold(store_url, tmp_path, capsys)
    assert sorted(g["event_id"] for g in lines) == sorted([wallonia, tief, korea])
    assert [g["reviewed"] for g in lines if g["event_id"] == tief] == [True]
    lines, _ = _gold(store_url, tmp_path, capsys, "--reviewed-only")
    assert sorted(g["event_id"] for g in lines) == sorted([tief, korea])

    # to stdout, with the summary on stderr
    assert main(["export-gold", "--db", store_url]) == 0
    out, err = capsys.readouterr()
    assert len(out.splitlines()) == 3
    assert "2 events scored (2 corrected, 0 confirmed in review), 1 not an event" in err


def test_nothing_decided_writes_nothing_and_exits_1(store, store_url, tmp_path, capsys):
    out = tmp_path / "gold.jsonl"
    assert main(["export-gold", "--out", str(out), "--db", store_url]) == 1
    assert "no event of the store was corrected or reviewed yet" in capsys.readouterr().err
    assert not out.exists()


def test_a_confirmation_made_before_a_relabel_changed_the_labels_no_longer_counts(
    store, store_url, tmp_path, capsys, monkeypatch
):
    wallonia = _events(store)["Delegation from Wallonia"][0]
    review.confirm(store, "ann", wallonia)
    assert len(_gold(store_url, tmp_path, capsys)[0]) == 1

    from intl_metrics import enrich, labelling
    from intl_metrics.store import relabel

    real = labelling.label_entries

    def sport_for_all(entries, **kw):  # new rules: new labels for every event
        out = real(entries, **kw)
        for ev in out:
            object.__setattr__(ev, "themes", ("sport",))
        return out

    monkeypatch.setattr(labelling, "label_entries", sport_for_all)
    monkeypatch.setattr(enrich, "rules_version", lambda: "sport-rules")
    relabel(store, "seed")
    # staff confirmed labels the event no longer has: not a decision on the new ones
    assert main(["export-gold", "--db", store_url]) == 1
    assert "no event of the store was corrected or reviewed yet" in capsys.readouterr().err


def test_a_saved_page_is_scored_on_its_visible_text(store_url, tmp_path, capsys):
    lines = SEED.read_text(encoding="utf-8").splitlines()
    page = (
        "<html><head><title>Agenda</title><script>var x = '<p>not text</p>';</script></head>"
        "<body><nav>Home</nav>\n" + "".join(f"<p>{line}</p>\n" for line in lines) + "</body></html>"
    )
    store = open_store(store_url)
    ingest(store, document_from_bytes(page.encode(), "agenda.html"), "seed")
    for eid, _ in _events(store).values():
        review.confirm(store, "ann", eid)
    gold, sources = _gold(store_url, tmp_path, capsys)
    assert len(gold) == 15 and {g["file"] for g in gold} == {"agenda.html"}
    result = _evaluate(tmp_path / "gold.jsonl", sources, capsys)
    assert result["errors"] == [] and set(result["scores"].values()) == {1.0}
