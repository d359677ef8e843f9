"""The partner labeller's speed machinery gives the same answers as the plain rules.

The caches (folded words, sentence breaks, name readings) are shared across entries and
start over when they grow too big; the n-gram scan skips words that start no name. None
of this may change a label. Sentences from the dev corpus (shared/data/dev).
"""

from __future__ import annotations

import pytest

from intl_metrics.enrich import gazetteer, places
from intl_metrics.enrich.gazetteer import Gazetteer
from intl_metrics.enrich.places import PlaceReader, find_partners

# dev04 and dev07: a multi-word name whose first word starts many others ("Monaco" alone is
# a country, "Belo" is no name by itself).
DEV04 = (
    "Delegazione da Monaco di Baviera",
    "Il Vicesindaco ha ricevuto a Palazzo Civico una delegazione del Comune di Monaco di "
    "Baviera, interessata alle politiche torinesi per il trasporto pubblico.",
    "it",
)
DEV07 = (
    "Mission to Belo Horizonte - Brazil",
    "A delegation visited Belo Horizonte, capital of the State of Minas Gerais.",
    "en",
)


def labels(gaz: Gazetteer, title: str, text: str, lang: str) -> tuple[list[tuple], list[str]]:
    found, codes = find_partners(title, text, lang, gaz)
    return [(p.name, p.kind, p.country) for p in found], codes


def test_multi_word_names_are_read_whole() -> None:
    gaz = Gazetteer.default()
    assert labels(gaz, *DEV04) == ([("Munich", "city", "DE")], ["DE"])
    assert labels(gaz, *DEV07) == ([("Belo Horizonte", "city", "BR")], ["BR"])


def test_caches_that_start_over_give_the_same_labels(monkeypatch: pytest.MonkeyPatch) -> None:
    gaz = Gazetteer(Gazetteer.default()._ix)  # fresh caches, shared index
    monkeypatch.setattr(places, "_MAX_CACHED", 5)  # every entry overflows them
    for _ in range(3):  # the second and third rounds read from caches just cleared
        assert labels(gaz, *DEV04) == ([("Munich", "city", "DE")], ["DE"])
        assert labels(gaz, *DEV07) == ([("Belo Horizonte", "city", "BR")], ["BR"])
    # cleared before each entry, not grown without end
    assert len(PlaceReader.of(gaz)._fold_cache) < 60


def test_a_word_that_folds_to_two_still_starts_a_name() -> None:
    # own example: "ͺ" (Greek ypogegrammeni) is a letter that folds to a space, so
    # "Rioͺde" is one word whose key is "rio de": "Rioͺde Janeiro" is still Rio de Janeiro.
    gaz = Gazetteer.default()
    for title in ("Mission to Rioͺde Janeiro", "Mission to Rio DeͺJaneiro"):
        found, codes = find_partners(title, "", "en", gaz)
        assert [p.name for p in found] == ["Rio de Janeiro"] and codes == ["BR"], title


def test_a_new_index_layout_never_reads_an_old_pickle(monkeypatch: pytest.MonkeyPatch) -> None:
    before = gazetteer._data_fingerprint()
    monkeypatch.setattr(gazetteer, "_INDEX_VERSION", gazetteer._INDEX_VERSION + 1)
    assert gazetteer._data_fingerprint() != before
    assert gazetteer._cache_path(before) != gazetteer._cache_path(gazetteer._data_fingerprint())
