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
from intl_metrics.i18n import N_, Translator
from intl_metrics.schema import Evidence

__all__ = ["show_evidence"]

_FIELDS = {
    "format": N_("Format"),
    "activity": N_("Activity"),
    "theme": N_("Theme"),
    "partner": N_("Partner"),
    "country": N_("Country"),
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


def show_evidence(row: Mapping[str, object] | pd.Series, t: Translator) -> None:
    """Draw the evidence of one event (a row of the events frame), in ``t``'s language."""
    _ = t.gettext

    def field(key: str) -> str:
        return _(_FIELDS[key]) if key in _FIELDS else key

    evidence = _as_evidence(row.get("evidence"))
    st.markdown("**" + _("Why these labels") + "**")
    if not evidence:
        st.caption(_("No evidence was recorded for these labels."))
        return
    if bool(row.get("needs_review")):
        defaults = sorted({field(e.field).lower() for e in evidence if e.is_default})
        why = (
            _("no rule matched for {fields}, so a default was given").format(
                fields=", ".join(defaults)
            )
            if defaults
            else _("two rules disagreed or a place name fits places in several countries")
        )
        st.warning(_("To review: {why}.").format(why=why), icon=":material/rate_review:")
    rows = []
    for r, ev in zip(evidence_rows(evidence), evidence, strict=True):
        rows.append(
            {
                "#": int(r["n"]),
                _("Field"): field(ev.field),
                # a format, activity or theme by its display name; places as written
                _("Label"): t.vocab(ev.field, r["label"])
                if ev.field in ("format", "activity", "theme")
                else r["label"],
                _("Rule"): _("default (no rule matched)") if ev.is_default else r["rule"],
                _("Words read"): r["words"],
                _("In"): r["where"],
            }
        )
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    spans: dict[str, list[tuple[int, int, int]]] = {"title": [], "description": []}
    for n, ev in enumerate(evidence, 1):
        if ev.where in spans and ev.start is not None and ev.end is not None:
            spans[ev.where].append((ev.start, ev.end, n))
    if spans["title"] or spans["description"]:
        st.caption(_("The words each rule read, marked [like this]n (n: the row above):"))
        for where in ("title", "description"):
            text = str(row.get(where) or "")
            if spans[where]:
                st.text(mark_spans(text, spans[where]))
