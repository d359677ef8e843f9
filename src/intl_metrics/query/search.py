"""Finding and listing events: the free-text search and what the Events page's table reads.

A search word matches an event's title, description or partner names in any case and
with or without accents: the word is folded, and an RE2 pattern matches the text as
written (no folded copy of the text is kept). Results per word are cached per frame.
"""

from __future__ import annotations

import functools
import re
import unicodedata

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from intl_metrics.load import Dataset
from intl_metrics.query.subset import (
    _cached,
    _derived_lock,
    _events_at,
    _Subset,
    event_count,
)


def _fold_letters(text: str) -> str:
    """Accents dropped, lower-cased: how search words and the letters of a pattern are folded.

    Unlike schema.fold this lower-cases rather than case-folds, so 'ß' stays one letter
    that RE2's case-insensitive match can find in the text as written.
    """
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn").lower()


def _arrow_text(values: pd.Series | list[str]) -> pa.Array:
    arr = pa.array(values.array if isinstance(values, pd.Series) else values)
    return arr.cast(pa.large_string())


def _partner_text(events: pd.DataFrame) -> pa.Array:
    """The partner names of each event as one string, for the text search; once per frame."""
    return _cached(
        events, "partner-text", lambda: _arrow_text([" ".join(p) for p in events["partners"]])
    )


@functools.lru_cache(maxsize=1)
def _fold_classes() -> dict[str, str]:
    """Per folded letter, a regex class of every letter that folds to it ('e': '[eéèê…]').

    Over the letters of Latin, Greek and Cyrillic script.
    """
    members: dict[str, set[str]] = {}
    for cp in range(0x00C0, 0x0530):
        ch = chr(cp)
        base = _fold_letters(ch)
        if len(base) == 1 and base != ch.lower():
            members.setdefault(base, set()).add(ch)
    return {
        base: "[" + "".join(re.escape(c) for c in sorted({base, *chars})) + r"]\p{Mn}*"
        for base, chars in members.items()
    }


def _word_regex(word: str) -> str:
    """An RE2 pattern that finds the folded ``word`` in text as written, any case or accents."""
    classes = _fold_classes()
    return "(?i)" + "".join(classes.get(c) or re.escape(c) for c in word)


def _word_mask(events: pd.DataFrame, word: str) -> np.ndarray:
    """Rows whose title, description or partner names contain the folded ``word``.

    The text is searched as written, with a pattern that allows any case and accents,
    so no folded copy of it is kept (that copy was ~0.4 GB at 1M events while built).
    The last few words' results are kept.
    """
    masks: dict[str, np.ndarray] = _cached(events, "words", dict)
    hit = masks.get(word)
    if hit is None:
        pattern = _word_regex(word)
        hit = np.zeros(len(events), dtype=bool)
        columns = (events["title"].array, events["description"].array, _partner_text(events))
        for column in columns:
            found = pc.fill_null(pc.match_substring_regex(pa.array(column), pattern), False)
            hit |= np.asarray(found, dtype=bool)
        with _derived_lock:
            while len(masks) >= 32:
                masks.pop(next(iter(masks)))
            masks[word] = hit
    return hit


_EDGE_PUNCTUATION = "\"'“”‘’«»,;:.!?()[]{}"


def _search_words(text: str) -> list[str]:
    """The folded words of a search; quotes and commas around a word do not count."""
    words = _fold_letters(text).split()
    return [w for w in (w.strip(_EDGE_PUNCTUATION) for w in words) if w]


# For the Events page's table (event_table.py), which searches, sorts and pages here.
derived = _cached
word_mask = _word_mask
word_regex = _word_regex
search_words = _search_words
events_at = _events_at


def frame_positions(ds: Dataset) -> tuple[pd.DataFrame, np.ndarray | None]:
    """The full events frame a dataset reads, and the positions it keeps (None: all)."""
    if isinstance(ds, _Subset):
        return ds.base.events, ds.kept
    return ds.events, None


def latest_events(ds: Dataset, limit: int) -> pd.DataFrame:
    """The ``limit`` most recent events (all columns), newest first."""
    n = event_count(ds)
    # events are sorted by start date: the most recent are the last rows
    return _events_at(ds, np.arange(n - 1, max(n - limit, 0) - 1, -1))
