"""Every label carries its evidence: the rule that decided it and the words it read."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from intl_metrics.enrich import enrich
from intl_metrics.parse import parse_file
from intl_metrics.schema import EVENT_FIELDS, EVIDENCE_COLUMNS, Entry, Event, Evidence, Source

ROOT = Path(__file__).resolve().parents[1]
CORPORA = [
    ROOT / "data" / "raw",
    ROOT.parent / "shared" / "data" / "dev",
    Path(__file__).parent / "data" / "heldout",
    Path(__file__).parent / "data" / "realshape",
]


def label(title: str, description: str, language: str = "en") -> Event:
    entry = Entry(date(2024, 3, 5), date(2024, 3, 5), title, description, language, Source("t", 1))
    return enrich(entry)


def evidence_of(event: Event, field: str) -> list[Evidence]:
    return [e for e in event.evidence if e.field == field]


def _corpus_events() -> list[Event]:
    files = [f for d in CORPORA if d.is_dir() for f in sorted(d.glob("*.txt"))]
    return [enrich(e) for f in files for e in parse_file(f).entries]


EVENTS = _corpus_events()


def test_every_label_of_every_corpus_event_has_its_evidence() -> None:
    for ev in EVENTS:
        assert [e.label for e in evidence_of(ev, "format")] == [ev.format], ev.title
        assert [e.label for e in evidence_of(ev, "activity")] == [ev.activity], ev.title
        themes = [e.label for e in evidence_of(ev, "theme")]
        assert list(dict.fromkeys(themes)) == list(ev.themes), ev.title
        assert [e.label for e in evidence_of(ev, "partner")] == [p.name for p in ev.partners]
        assert [e.label for e in evidence_of(ev, "country")] == list(ev.countries), ev.title


def test_every_span_is_the_words_of_the_text_it_names() -> None:
    for ev in EVENTS:
        for e in ev.evidence:
            if e.is_default:
                assert (e.where, e.start, e.end, e.text) == ("", None, None, ""), e
                continue
            source = {"title": ev.title, "description": ev.description}[e.where]
            assert e.text and source[e.start : e.end] == e.text, (ev.title, e)
            assert e.text == e.text.strip()


def test_a_delegation_says_which_words_made_it_one() -> None:
    ev = label(
        "Visitors from Gdansk",
        "A delegation from the City of Gdansk visited the Lingotto to study its regeneration.",
    )
    (act,) = evidence_of(ev, "activity")
    assert (act.label, act.rule, act.where) == (
        "delegation",
        "activity.csv:delegation_of",
        "description",
    )
    assert act.text == "delegation from the City of Gdansk"
    (partner,) = evidence_of(ev, "partner")
    assert (partner.label, partner.text, partner.rule) == ("Gdańsk", "Gdansk", "places:city")
    assert partner.where == "title"  # the first mention of the partner


def test_nothing_matched_is_the_default_and_asks_for_review() -> None:
    ev = label("Greetings", "A short note.")
    assert (ev.format, ev.activity, ev.themes) == ("in-person", "event", ("institutional",))
    assert all(e.rule == "default" for e in ev.evidence)
    assert ev.needs_review


def test_words_of_presence_are_the_evidence_of_in_person() -> None:
    ev = label("Mayor of Graz", "The Mayor of Graz was received at Palazzo Civico by the Mayor.")
    (fmt,) = evidence_of(ev, "format")
    assert (fmt.label, fmt.rule) == ("in-person", "format.csv:presence")
    assert fmt.text == "received"


def test_a_well_read_entry_needs_no_review() -> None:
    ev = label(
        "Delegation from Valencia (Spain)",
        "A delegation from the City of Valencia visited the new bike lanes of Torino to "
        "discuss urban mobility.",
    )
    assert ev.activity == "delegation" and ev.countries == ("ES",)
    assert not ev.needs_review


def test_a_city_name_of_two_countries_that_the_text_does_not_settle_asks_for_review() -> None:
    ev = label(
        "Delegation from Valencia",
        "A delegation from the City of Valencia visited the new bike lanes of Torino to "
        "discuss urban mobility.",
    )
    assert ev.activity == "delegation"
    assert not any(e.is_default for e in ev.evidence)
    assert ev.needs_review


def test_spans_stay_on_the_text_as_written_when_dots_are_read_away() -> None:
    ev = label(
        "Mission to the U.S.A.",
        "The Deputy Mayor travelled to St. Louis, in the U.S.A., to meet its urban planners.",
    )
    texts = {(e.field, e.label): e.text for e in ev.evidence}
    assert texts[("partner", "St. Louis")] == "St. Louis"
    assert texts[("country", "US")] == "U.S.A"


def test_a_theme_given_by_two_weak_words_shows_both() -> None:
    # own example: "schools" and "students" are weak education cues, together a full one
    ev = label("Visit", "The guests saw two schools and spoke with many students there.")
    cues = [(e.text, e.rule) for e in evidence_of(ev, "theme") if e.label == "education"]
    assert cues == [
        ("schools", "themes.csv:education/school*"),
        ("students", "themes.csv:education/student*"),
    ]


def test_the_record_keeps_events_md_fields_first_then_the_evidence() -> None:
    ev = label("Delegation from Wallonia", "The City welcomed a delegation from Wallonia.")
    record = ev.to_dict()
    assert tuple(record) == EVENT_FIELDS + EVIDENCE_COLUMNS
    assert isinstance(record["needs_review"], bool)
    assert all(
        set(e) == {"field", "label", "rule", "where", "start", "end", "text"}
        for e in record["evidence"]
    )
    assert [Evidence.from_dict(e) for e in record["evidence"]] == list(ev.evidence)


@pytest.mark.parametrize("field", ["format", "activity", "theme", "partner", "country"])
def test_evidence_records_are_plain_json(field: str) -> None:
    e = Evidence(field, "x", "rule", "title", 0, 1, "X")
    assert e.to_dict() == {
        "field": field,
        "label": "x",
        "rule": "rule",
        "where": "title",
        "start": 0,
        "end": 1,
        "text": "X",
    }
