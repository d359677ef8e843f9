"""The shared vocabulary helpers: name folding and stable ids."""

from __future__ import annotations

from datetime import date

from intl_metrics.schema import event_id, fold


def test_fold_ignores_case_accents_and_spacing():
    assert fold("  Saint  Étienne ") == fold("saint etienne") == "saint etienne"
    assert fold("Torino\tDesign\n") == "torino design"
    assert fold("Straße") == "strasse"


def test_the_same_entry_gets_the_same_id_whatever_its_spacing_or_case():
    assert event_id(date(2021, 10, 6), "Delegation from  Wallonia") == event_id(
        date(2021, 10, 6), "delegation from wallonia"
    )
    assert event_id(date(2021, 10, 6), "Delegation") != event_id(date(2021, 10, 7), "Delegation")
