"""The event detail shows why each label was given: rule and words, as plain text."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "dashboard" / "app.py"
RAW = ROOT / "data" / "raw"

SCRIPT = """
import sys
sys.path.insert(0, {app_dir!r})
from evidence import show_evidence
from intl_metrics.i18n import translator
from intl_metrics.load import load_events

ds = load_events([{raw!r}])
row = ds.events[ds.events["title"] == {title!r}].iloc[0]
if {as_dicts!r}:  # a store gives the evidence as stored JSON objects
    row = row.copy()
    row["evidence"] = [e.to_dict() for e in row["evidence"]]
show_evidence(row, translator({lang!r}))
"""


def _run(title: str, as_dicts: bool = False, lang: str = "en"):
    from streamlit.testing.v1 import AppTest

    script = SCRIPT.format(
        app_dir=str(APP.parent), raw=str(RAW), title=title, as_dicts=as_dicts, lang=lang
    )
    at = AppTest.from_string(script, default_timeout=60)
    at.run()
    return at


def test_the_detail_shows_each_label_with_its_rule_and_the_words_read() -> None:
    at = _run("Delegation from Wallonia")
    assert not at.exception
    (table,) = at.dataframe
    frame = table.value
    activity = frame[frame["Field"] == "Activity"].iloc[0]
    assert activity["Label"] == "Foreign delegation"  # its display name
    assert activity["Rule"].startswith("activity.csv:")
    partner = frame[frame["Field"] == "Partner"].iloc[0]
    assert (partner["Label"], partner["Words read"]) == ("Wallonia", "Wallonia")
    # the words read, marked in the text shown as plain text
    assert any("[Wallonia]" in t.value for t in at.text)


def test_a_default_label_asks_for_review_and_says_so() -> None:
    at = _run("TIEF")
    assert not at.exception
    assert any("To review" in w.body and "activity" in w.body for w in at.warning)
    frame = at.dataframe[0].value
    assert "default (no rule matched)" in set(frame["Rule"])


def test_evidence_stored_as_json_objects_is_shown_the_same() -> None:
    at = _run("Delegation from Wallonia", as_dicts=True)
    assert not at.exception
    frame = at.dataframe[0].value
    assert "Wallonia" in set(frame["Label"])


def test_the_evidence_speaks_italian_on_the_italian_page() -> None:
    at = _run("Delegation from Wallonia", lang="it")
    assert not at.exception
    frame = at.dataframe[0].value
    assert {"Campo", "Etichetta", "Regola"} <= set(frame.columns)
    assert "Wallonia" in set(frame["Etichetta"])  # places as written
