"""Corrections, undo, the review queue and the audit, on SQLite and on a real PostgreSQL
(every test here runs once per backend: the store_url fixture)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlalchemy as sa

from intl_metrics.store import changes as audit_log
from intl_metrics.store import (
    corrections,
    document_from_bytes,
    export_store,
    import_store,
    ingest,
    open_store,
    review,
    users,
)
from intl_metrics.store.access import Actor, WriteRefused
from intl_metrics.store.corrections import CorrectionError

ROOT = Path(__file__).resolve().parents[1]
SEED_TEXT = (ROOT / "data" / "raw" / "agenda-2021-09-10.txt").read_text(encoding="utf-8")
PASSWORD = "a long enough password"
WALLONIA = "Delegation from Wallonia"


@pytest.fixture
def store(store_url):
    s = open_store(store_url)
    ingest(s, document_from_bytes(SEED_TEXT.encode(), "agenda.txt"), "seed")
    return s


def editor(store, name: str = "ann", role: str = "editor") -> Actor:
    users.add_user(store, "admin-cli", name, role, PASSWORD)
    login = users.log_in(store, name, PASSWORD, "10.0.0.1")
    assert login.token and login.user and login.user.role == role
    return Actor(login.token)


def event_id(store, title: str) -> str:
    with store.read() as conn:
        return conn.execute(
            sa.text("SELECT event_id FROM entries WHERE current AND title = :t"), {"t": title}
        ).scalar_one()


def frames(store):
    from intl_metrics.load import load_events

    return load_events([], db=store.url)


def shown(store, eid: str):
    ev = frames(store).events
    rows = ev[ev["id"] == eid]
    return None if rows.empty else rows.iloc[0]


def revision_and_counts(store) -> tuple[int, dict[str, int]]:
    tables = ("corrections", "reviews", "audit", "users", "events")
    with store.read() as conn:
        counts = {
            t: conn.execute(sa.text(f"SELECT count(*) FROM {t}")).scalar_one() for t in tables
        }
    return store.revision(), counts


# ------------------------------------------------------------------ correcting


def test_a_corrected_theme_shows_everywhere_with_the_machine_label_kept_beside_it(store):
    ann = editor(store)
    eid = event_id(store, WALLONIA)
    assert tuple(shown(store, eid)["themes"]) == ("energy",)
    report = corrections.correct(store, ann, eid, {"themes": ["energy", "urban"]}, "regeneration")
    assert report.fields == ["themes"]
    row = shown(store, eid)
    assert tuple(row["themes"]) == ("energy", "urban") and tuple(row["corrected"]) == ("themes",)
    ds = frames(store)
    assert set(ds.themes.loc[ds.themes["event_id"] == eid, "theme"]) == {"energy", "urban"}
    rec = corrections.event_record(store, eid)
    assert rec.machine["themes"] == ["energy"]  # the machine's label, kept beside it
    fix = rec.corrections["themes"]
    assert (fix.value, fix.by, fix.note) == (["energy", "urban"], "ann", "regeneration")
    (row,) = audit_log.history(store, eid)
    assert (row.who, row.action, row.field, row.old, row.new, row.note) == (
        "ann", "correct", "themes", ["energy"], ["energy", "urban"], "regeneration",
    )  # fmt: skip


def test_every_field_can_be_corrected_and_a_value_as_it_stands_is_no_change(store):
    ann = editor(store)
    eid = event_id(store, WALLONIA)
    lyon = {"name": "Lyon", "kind": "city", "country": "FR", "lat": 45.75, "lon": 4.85}
    report = corrections.correct(
        store,
        ann,
        eid,
        {
            "title": "  Delegation   from Wallonia and Lyon ",
            "start_date": "2021-10-05",
            "end_date": "2021-10-07",
            "format": "hybrid",
            "activity": "mission",
            "themes": ["energy"],  # as it stands: not a change
            "partners": [lyon],
            "countries": ["BE", "FR"],
        },
    )
    assert set(report.fields) == set(corrections.LABEL_FIELDS) - {"themes"}
    row = shown(store, eid)
    assert row["title"] == "Delegation from Wallonia and Lyon"  # whitespace collapsed
    assert str(row["start_date"].date()) == "2021-10-05" and row["days"] == 3
    assert (row["format"], row["activity"]) == ("hybrid", "mission")
    assert tuple(row["partners"]) == ("Lyon",) and tuple(row["countries"]) == ("BE", "FR")
    ds = frames(store)
    place = ds.partners[ds.partners["event_id"] == eid].iloc[0]
    assert (place["name"], place["country"], place["kind"]) == ("Lyon", "FR", "city")


WRONG = [
    ({"format": "online"}, "not a format"),
    ({"themes": []}, "at least one theme"),
    ({"themes": ["energy", "weather"]}, "not a theme"),
    ({"countries": ["IT"]}, "never IT"),
    ({"countries": ["XX"]}, "not an ISO"),
    ({"end_date": "2021-10-01"}, "before the start"),
    ({"start_date": "6 Oct 2021"}, "not a date"),
    ({"title": "   "}, "cannot be empty"),
    ({"partners": [{"name": "Atlantis"}]}, "a partner is a place"),
    ({"partners": [{"name": "X", "kind": "city", "country": "FR", "lat": 99, "lon": 0}]},
     "out of range"),
    ({"duplicate_of": "nosuchevent"}, "no event"),
    ({"colour": "red"}, "not a field"),
    ({}, "nothing to change"),
]  # fmt: skip


def test_a_wrong_value_is_refused_and_nothing_is_written(store):
    ann = editor(store)
    eid = event_id(store, WALLONIA)
    before = revision_and_counts(store)
    for changes, why in WRONG:
        with pytest.raises(CorrectionError, match=why):
            corrections.correct(store, ann, eid, changes)
        assert revision_and_counts(store) == before, changes
    with pytest.raises(CorrectionError, match="no event"):
        corrections.correct(store, ann, "nosuchevent", {"format": "virtual"})


def test_not_an_event_and_a_duplicate_leave_every_page_and_come_back_on_undo(store):
    ann = editor(store)
    tief, wallonia = event_id(store, "TIEF"), event_id(store, WALLONIA)
    corrections.correct(store, ann, tief, {"not_event": True}, "a fair's advert, not a meeting")
    with pytest.raises(CorrectionError, match="not a standing event"):
        corrections.correct(store, ann, wallonia, {"duplicate_of": tief})
    with pytest.raises(CorrectionError, match="itself"):
        corrections.correct(store, ann, wallonia, {"duplicate_of": wallonia})
    korea = event_id(store, "Consul General of the Republic of Korea")
    corrections.correct(store, ann, korea, {"duplicate_of": wallonia})
    ds = frames(store)
    assert len(ds.events) == 13 and not ({tief, korea} & set(ds.events["id"]))
    assert not ({tief, korea} & set(ds.themes["event_id"]))
    with pytest.raises(CorrectionError, match="itself a duplicate"):
        corrections.correct(store, ann, tief, {"duplicate_of": korea})
    fix = corrections.event_record(store, tief).corrections["not_event"]
    corrections.undo(store, ann, fix.id)
    assert len(frames(store).events) == 14 and shown(store, tief) is not None


def test_undo_goes_back_to_the_replaced_correction_then_to_the_machine(store):
    ann, bob = editor(store), editor(store, "bob")
    eid = event_id(store, WALLONIA)
    corrections.correct(store, ann, eid, {"activity": "mission"})
    corrections.correct(store, bob, eid, {"activity": "event"}, "it was a conference")
    first = corrections.event_record(store, eid).corrections["activity"]
    assert (first.value, first.by, first.replaces is not None) == ("event", "bob", True)
    corrections.undo(store, ann, first.id, "bob misread it")
    second = corrections.event_record(store, eid).corrections["activity"]
    assert (second.value, second.by) == ("mission", "ann")
    assert shown(store, eid)["activity"] == "mission"
    with pytest.raises(CorrectionError, match="no longer in force"):
        corrections.undo(store, ann, first.id)
    corrections.undo(store, bob, second.id)
    assert corrections.event_record(store, eid).corrections == {}
    row = shown(store, eid)
    assert row["activity"] == "delegation" and tuple(row["corrected"]) == ()
    undos = [c for c in audit_log.history(store, eid) if c.action == "undo"]
    assert [(c.who, c.old, c.new) for c in undos] == [
        ("bob", "mission", "delegation"), ("ann", "event", "mission"),
    ]  # fmt: skip
    assert undos[1].note == "bob misread it"


# ------------------------------------------------------------------ lasting


def test_corrections_last_through_reingest_and_relabel(store, monkeypatch):
    ann = editor(store)
    eid = event_id(store, WALLONIA)
    corrections.correct(store, ann, eid, {"themes": ["urban"], "activity": "mission"})
    report = ingest(store, document_from_bytes(SEED_TEXT.encode(), "agenda.txt"), "seed")
    assert report.same_as_stored
    ingest(store, document_from_bytes(SEED_TEXT.encode(), "copy.txt"), "seed")

    from intl_metrics import enrich, labelling

    real = labelling.label_entries

    def culture_for_all(entries, **kw):  # new rules: every event is about culture
        out = real(entries, **kw)
        for ev in out:
            object.__setattr__(ev, "themes", ("culture",))
        return out

    monkeypatch.setattr(labelling, "label_entries", culture_for_all)
    monkeypatch.setattr(enrich, "rules_version", lambda: "new-rules")
    from intl_metrics.store import relabel

    done = relabel(store, "seed")
    assert done.changed_events >= 14
    row = shown(store, eid)
    assert tuple(row["themes"]) == ("urban",) and row["activity"] == "mission"
    assert corrections.event_record(store, eid).machine["themes"] == ["culture"]
    others = frames(store).events
    assert set(others.loc[others["id"] != eid, "primary_theme"]) == {"culture"}


def test_a_changed_text_under_a_correction_keeps_it_and_queues_the_event(store):
    ann = editor(store)
    eid = event_id(store, WALLONIA)
    corrections.correct(store, ann, eid, {"themes": ["urban"]})
    assert "text_changed" not in _reasons(store, eid)
    changed = SEED_TEXT.replace("exchange on energy transition", "exchange on energy saving")
    report = ingest(store, document_from_bytes(changed.encode(), "agenda.txt"), "seed")
    assert [c.id for c in report.changed] == [eid]
    assert tuple(shown(store, eid)["themes"]) == ("urban",)  # kept
    assert "text_changed" in _reasons(store, eid)
    page = review.queue(store, reasons=("text_changed",), status="to_review")
    assert [i.event_id for i in page.items] == [eid] and (page.total, page.reviewed) == (1, 0)
    review.confirm(store, ann, eid, "still urban")
    page = review.queue(store, reasons=("text_changed",), status="all")
    assert (page.total, page.reviewed) == (1, 1) and page.items[0].reviewed_by == "ann"


def _reasons(store, eid: str) -> tuple[str, ...]:
    with store.read() as conn:
        return review.reasons_of(conn, eid)


# ------------------------------------------------------------------ review queue


def test_the_queue_counts_flagged_events_and_confirming_counts_them_reviewed(store, monkeypatch):
    ann = editor(store)
    flagged = review.queue(store, reasons=("needs_review",), status="all", limit=100)
    assert flagged.total == sum(shown_flags(store)) > 0 and flagged.reviewed == 0
    first, second = flagged.items[0].event_id, flagged.items[1].event_id
    review.confirm(store, ann, first)
    corrections.correct(store, ann, second, {"format": "virtual"}, review=True)
    page = review.queue(store, reasons=("needs_review",), status="to_review", limit=100)
    assert (page.total, page.reviewed, page.matching) == (flagged.total, 2, flagged.total - 2)
    assert not {first, second} & {i.event_id for i in page.items}
    outcomes = {r.event_id: json.loads(r.new)["outcome"] for r in _review_rows(store)}
    assert outcomes == {first: "confirmed", second: "corrected"}

    # labels changed at the last relabel: in the queue, the confirmed one again to review
    from intl_metrics import enrich, labelling

    real = labelling.label_entries

    def sport_for_all(entries, **kw):
        out = real(entries, **kw)
        for ev in out:
            object.__setattr__(ev, "themes", ("sport",))
        return out

    monkeypatch.setattr(labelling, "label_entries", sport_for_all)
    monkeypatch.setattr(enrich, "rules_version", lambda: "sport-rules")
    from intl_metrics.store import relabel

    relabel(store, "seed")
    relabelled = review.queue(store, reasons=("relabelled",), status="all", limit=100)
    assert relabelled.total == 15 and first in {i.event_id for i in relabelled.items}
    assert "relabelled" in next(i for i in relabelled.items if i.event_id == first).reasons
    again = review.queue(store, status="to_review", limit=100)
    assert first in {i.event_id for i in again.items}  # new labels: to review again


def shown_flags(store) -> list[bool]:
    return [bool(x) for x in frames(store).events["needs_review"]]


def _review_rows(store):
    with store.read() as conn:
        return list(conn.execute(sa.text("SELECT event_id, new FROM audit WHERE action='review'")))


# ------------------------------------------------------------------ refusals


def test_a_viewer_with_a_forged_token_is_refused_and_nothing_is_written(store):
    eid = event_id(store, WALLONIA)
    editor(store)  # a real session exists; guessing its token is another matter
    before = revision_and_counts(store)
    for actor in (Actor("forged-token"), Actor("")):
        with pytest.raises(WriteRefused) as refused:
            corrections.correct(store, actor, eid, {"format": "virtual"})
        assert refused.value.reason == "no-login"
        with pytest.raises(WriteRefused):
            review.confirm(store, actor, eid)
        with pytest.raises(WriteRefused):
            ingest(store, document_from_bytes(b"May 9th 2024 Europe DayA day.", "x.txt"), actor)
    assert revision_and_counts(store) == before


def test_roles_disabled_accounts_and_idle_sessions_are_checked_when_the_write_runs(
    store, monkeypatch
):
    eid = event_id(store, WALLONIA)
    ann = editor(store)
    boss = editor(store, "boss", "admin")
    with pytest.raises(WriteRefused, match="needs an admin") as refused:
        users.add_user(store, ann, "eve", "editor", PASSWORD)
    assert refused.value.reason == "role"
    users.add_user(store, boss, "eve", "editor", PASSWORD)  # an admin may
    users.set_disabled(store, boss, "ann")
    with pytest.raises(WriteRefused):  # her session ended with the account
        corrections.correct(store, ann, eid, {"format": "virtual"})
    assert users.log_in(store, "ann", PASSWORD).refusal == "wrong"
    with pytest.raises(users.AccountError, match="last enabled admin"):
        users.set_disabled(store, "cli", "boss")
    # a session idle past the timeout is refused at its next write
    eve = Actor(users.log_in(store, "eve", PASSWORD).token)
    with store.bookkeeping() as conn:
        conn.execute(sa.text("UPDATE user_sessions SET last_seen_at = '2000-01-01 00:00:00'"))
    with pytest.raises(WriteRefused) as refused:
        corrections.correct(store, eve, eid, {"format": "virtual"})
    assert refused.value.reason in ("session-ended", "no-login")
    assert users.session_user(store, eve.token) is None
    assert corrections.event_record(store, eid).corrections == {}


# ------------------------------------------------------------------ transfer


def test_export_and_import_carry_users_corrections_and_reviews(store, other_store_url, tmp_path):
    ann = editor(store)
    eid = event_id(store, WALLONIA)
    corrections.correct(store, ann, eid, {"themes": ["urban"]}, "note")
    corrections.correct(store, ann, event_id(store, "TIEF"), {"not_event": True})
    review.confirm(store, ann, eid)
    out = export_store(store, tmp_path / "store.jsonl")
    assert (out.rows["users"], out.rows["corrections"], out.rows["reviews"]) == (1, 2, 1)
    target = open_store(other_store_url)
    back = import_store(target, tmp_path / "store.jsonl", "dan")
    assert back.rows == out.rows
    export_store(target, tmp_path / "again.jsonl")
    first = (tmp_path / "store.jsonl").read_text(encoding="utf-8").splitlines()[1:]
    second = (tmp_path / "again.jsonl").read_text(encoding="utf-8").splitlines()[1:]
    assert [x for x in second if '"audit"' not in x] == [x for x in first if '"audit"' not in x]
    assert tuple(shown(target, eid)["themes"]) == ("urban",)
    assert len(frames(target).events) == 14
    # the account came along: ann can log in to the new store and correct there
    login = users.log_in(target, "ann", PASSWORD)
    assert login.token
    corrections.correct(target, Actor(login.token), eid, {"format": "virtual"})
