"""intl-metrics evaluate: the scores, and where each error comes from."""

from __future__ import annotations

from datetime import date

from intl_metrics.enrich import enrich
from intl_metrics.evaluate import evaluate, format_report
from intl_metrics.schema import Entry, Source


def _event(line: int, title: str, description: str):
    entry = Entry(
        date(2019, 5, 2), date(2019, 5, 2), title, description, "en", Source("page.txt", line)
    )
    return enrich(entry)


def _gold(line: int, title: str, **labels):
    row = {
        "file": "page.txt",
        "line": line,
        "start_date": "2019-05-02",
        "end_date": "2019-05-02",
        "title": title,
        "language": "en",
        "format": "in-person",
        "activity": "event",
        "themes": ["institutional"],
        "partner_cities": [],
        "countries": [],
        "truncated": False,
    }
    row.update(labels)
    return row


EVENTS = [
    _event(1, "Delegation from Ghent", "The City welcomed a delegation from Ghent on cycling."),
    _event(3, "Europe Day", "Celebrations in the city centre."),
]


def test_a_wrong_activity_is_listed_with_the_rule_and_words_that_gave_it() -> None:
    gold = [
        _gold(
            1,
            "Delegation from Ghent",
            activity="mission",
            themes=["urban"],
            partner_cities=[{"name": "Ghent", "country": "BE"}],
            countries=["BE"],
        ),
        _gold(3, "Europe Day"),
    ]
    result = evaluate(gold, EVENTS)
    lines = [str(e) for e in result.errors]
    assert (
        "page.txt:1 activity: expected mission, got delegation (activity.csv:delegation_of, "
        '"Delegation from Ghent")' in lines
    )
    assert result.confusion["activity"]["mission"]["delegation"] == 1
    assert result.confusion["activity"]["event"]["event"] == 1


def test_a_missing_theme_and_an_extra_partner_are_each_one_error_line() -> None:
    gold = [
        _gold(1, "Delegation from Ghent", activity="delegation", themes=["sport", "urban"]),
        _gold(3, "Europe Day"),
    ]
    lines = [str(e) for e in evaluate(gold, EVENTS).errors]
    assert "page.txt:1 theme: expected sport, got none" in lines
    assert any(
        line.startswith('page.txt:1 partner: expected none, got Gent (BE) (places:city, "Ghent")')
        for line in lines
    )
    assert any(line.startswith("page.txt:1 country: expected none, got BE") for line in lines)


def test_an_entry_the_parser_missed_is_an_error_and_scores_zero_for_its_dates() -> None:
    gold = [_gold(1, "Delegation from Ghent"), _gold(3, "Europe Day"), _gold(5, "Lost entry")]
    result = evaluate(gold, EVENTS)
    assert "page.txt:5 entry: expected 'Lost entry', got no entry" in [
        str(e) for e in result.errors
    ]
    scores = {s.name: s for s in result.scores}
    assert scores["entry recall"].value == 2 / 3
    assert scores["start date"].value == 2 / 3


def test_the_report_shows_scores_confusions_per_theme_f1_and_errors() -> None:
    gold = [_gold(1, "Delegation from Ghent", activity="delegation"), _gold(3, "Europe Day")]
    text = format_report(evaluate(gold, EVENTS))
    assert "activity (rows: gold, columns: predicted)" in text
    assert "format (rows: gold, columns: predicted)" in text
    assert "per-theme scores" in text and "institutional" in text
    assert "errors (" in text


def test_a_perfect_prediction_has_no_errors() -> None:
    gold = [
        _gold(
            1,
            "Delegation from Ghent",
            activity="delegation",
            themes=list(EVENTS[0].themes),
            partner_cities=[{"name": "Gent", "country": "BE"}],
            countries=["BE"],
            format=EVENTS[0].format,
        ),
        _gold(3, "Europe Day", themes=list(EVENTS[1].themes), activity=EVENTS[1].activity),
    ]
    result = evaluate(gold, EVENTS)
    assert result.errors == []
    assert all(s.value == 1.0 for s in result.scores)


def test_not_an_event_duplicate_and_partial_gold_lines() -> None:
    events = [*EVENTS, _event(5, "Europe Day again", "Celebrations in the city centre.")]
    complete = [_gold(1, "Delegation from Ghent", activity="delegation")]
    # a complete file's gold: the events at lines 3 and 5 are entries it does not have
    assert evaluate(complete, events).scores[1].value == 1 / 3
    partial = [{**complete[0], "partial": True}]
    result = evaluate(partial, events)  # the gold names line 1 only: 3 and 5 are not scored
    assert [s.value for s in result.scores[:2]] == [1.0, 1.0]
    assert not [e for e in result.errors if e.field == "entry"]
    marked = [
        *partial,
        {"file": "page.txt", "line": 3, "not_event": True, "partial": True},
        {"file": "page.txt", "line": 5, "duplicate_of": "abc", "partial": True},
    ]
    result = evaluate(marked, events)
    recall, precision = result.scores[:2]
    assert (recall.value, recall.support) == (1.0, 1)  # the marks are not entries to find
    assert (precision.value, precision.support) == (0.5, 2)  # line 3 is wrong, 5 not scored
    assert [str(e) for e in result.errors if e.field == "entry"] == [
        "page.txt:3 entry: expected no entry, got 'Europe Day'"
    ]
