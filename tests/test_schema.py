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


def test_fold_drops_every_combining_mark_and_keeps_other_letters():
    # Latin accents take the quick path; other marks (Cyrillic, Greek, Devanagari) and
    # letters with no decomposition (ø, ß) the per-character one: both give the same form.
    assert fold("Città di Torino") == "citta di torino"
    assert fold("Île-de-France") == "ile-de-france"
    assert fold("Kraków  Ødegaard") == "krakow ødegaard"
    assert fold("Йошкар-Ола") == "иошкар-ола"
    assert fold("Ἀθῆναι") == "αθηναι"
    assert fold("naïve\u00a0café") == "naive cafe"
