"""Why an event has its labels: the evidence drawn in the Events page's detail.

Each label beside the rule that gave it and the words of the text it read, and the
title and description with those words marked ([words]n, n the row of the table).
All text from the data is shown as plain text: a table and ``st.text``, never markdown.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd
import streamlit as st

from intl_metrics.explain import evidence_rows, mark_spans
from intl_metrics.schema import Evidence

__all__ = ["show_evidence"]

_FIELDS = {
    "format": "Format",
    "activity": "Activity",
    "theme": "Theme",
    "partner": "Partner",
    "country": "Country",
}


def _as_evidence(items: object) -> list[Evidence]:
    """The row's evidence as Evidence objects (the frames hold them; a store may give dicts)."""
    if not isinstance(items, Sequence) or isinstance(items, str):
        return []
    out = []
    for item in items:
        if isinstance(item, Evidence):
            out.append(item)
        elif isinstance(item, Mapping):
            try:
                out.append(Evidence.from_dict(dict(item)))
            except (KeyError, TypeError, ValueError):
                continue
    return out


def show_evidence(row: Mapping[str, object] | pd.Series) -> None:
    """Draw the evidence of one event (a row of the events frame)."""
    evidence = _as_evidence(row.get("evidence"))
    st.markdown("**Why these labels**")
    if not evidence:
        st.caption("No evidence was recorded for these labels.")
        return
    if bool(row.get("needs_review")):
        defaults = sorted({_FIELDS.get(e.field, e.field) for e in evidence if e.is_default})
        why = (
            f"no rule matched for {', '.join(defaults).lower()}, so a default was given"
            if defaults
            else "two rules disagreed or a place name fits places in several countries"
        )
        st.warning(f"To review: {why}.", icon=":material/rate_review:")
    rows = []
    for r, ev in zip(evidence_rows(evidence), evidence, strict=True):
        rows.append(
            {
                "#": int(r["n"]),
                "Field": _FIELDS.get(ev.field, ev.field),
                "Label": r["label"],
                "Rule": "default (no rule matched)" if ev.is_default else r["rule"],
                "Words read": r["words"],
                "In": r["where"],
            }
        )
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    spans: dict[str, list[tuple[int, int, int]]] = {"title": [], "description": []}
    for n, ev in enumerate(evidence, 1):
        if ev.where in spans and ev.start is not None and ev.end is not None:
            spans[ev.where].append((ev.start, ev.end, n))
    if spans["title"] or spans["description"]:
        st.caption("The words each rule read, marked [like this]n (n: the row above):")
        for where in ("title", "description"):
            text = str(row.get(where) or "")
            if spans[where]:
                st.text(mark_spans(text, spans[where]))
