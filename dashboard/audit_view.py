"""The audit and the labels in words: field, action and reason names, values, tables.

Shared by an event's History panel, its labels table, the Changes and the Review pages.
Every value here is data (titles, notes, place names, user names): it goes into table
cells and plain text, never markdown.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import pandas as pd

from intl_metrics.enrich.places import country_name
from intl_metrics.i18n import N_, NP_, Translator

FIELD_NAMES: dict[str, str] = {
    "title": NP_("field", "Title"),
    "start_date": NP_("field", "Start date"),
    "end_date": NP_("field", "End date"),
    "format": NP_("field", "Format"),
    "activity": NP_("field", "Activity"),
    "themes": NP_("field", "Themes"),
    "partners": NP_("field", "Partners"),
    "countries": NP_("field", "Countries"),
    "not_event": NP_("field", "Not an event"),
    "duplicate_of": NP_("field", "Duplicate of"),
    "user": NP_("field", "Account"),
    "password": NP_("field", "Password"),
    "role": NP_("field", "Role"),
    "disabled": NP_("field", "Disabled"),
}
ACTION_NAMES: dict[str, str] = {
    "correct": NP_("action", "correction"),
    "undo": NP_("action", "undo"),
    "review": NP_("action", "review"),
    "note": NP_("action", "note"),
    "ingest": NP_("action", "ingest"),
    "relabel": NP_("action", "relabel"),
    "import": NP_("action", "import"),
    "users": NP_("action", "accounts"),
}
REASON_NAMES: dict[str, str] = {
    "needs_review": N_("the labellers flagged it"),
    "relabelled": N_("its labels changed at the last relabel"),
    "text_changed": N_("its text changed under a correction"),
}
OUTCOME_NAMES: dict[str, str] = {
    "confirmed": NP_("review", "confirmed"),
    "corrected": NP_("review", "corrected"),
}


def field_name(field: str | None, t: Translator) -> str:
    """A field by its name in ``t``'s language ('' for none)."""
    if not field:
        return ""
    return t.pgettext("field", FIELD_NAMES[field]) if field in FIELD_NAMES else field


def action_name(action: str, t: Translator) -> str:
    return t.pgettext("action", ACTION_NAMES[action]) if action in ACTION_NAMES else action


def reason_name(reason: str, t: Translator) -> str:
    return t.gettext(REASON_NAMES[reason]) if reason in REASON_NAMES else reason


def place_text(place: Any, t: Translator) -> str:
    """'Lyon (FR)' for a partner place (a dict of the store, or a name)."""
    if isinstance(place, dict):
        return f"{place.get('name', '')} ({place.get('country', '')})"
    return str(place)


def country_text(code: str, t: Translator) -> str:
    return f"{t.country(code, country_name(code))} ({code})"


def value_text(field: str | None, value: Any, t: Translator) -> str:
    """A field's value (as the store keeps it) in words: what a table cell shows."""
    _ = t.gettext
    if value is None:
        return ""
    if field == "format":
        return t.format(str(value))
    if field == "activity":
        return t.activity(str(value))
    if field == "themes" and isinstance(value, list):
        return ", ".join(t.theme(str(v)) for v in value)
    if field == "partners" and isinstance(value, list):
        return "; ".join(place_text(p, t) for p in value) or _("none")
    if field == "countries" and isinstance(value, list):
        return ", ".join(country_text(str(c), t) for c in value) or _("none")
    if field == "not_event":
        return _("yes") if value else _("no")
    if isinstance(value, str):
        return value
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def _review_text(value: Any, t: Translator) -> str:
    """A review's outcome and the reasons it was made for, in words."""
    outcome = str(value.get("outcome", ""))
    text = t.pgettext("review", OUTCOME_NAMES[outcome]) if outcome in OUTCOME_NAMES else outcome
    reasons = [reason_name(str(r), t) for r in value.get("reasons") or ()]
    return f"{text} ({'; '.join(reasons)})" if reasons else text


def when_text(at: datetime | None, t: Translator) -> str:
    """A moment in the server's time zone, to the minute: '2026-12-07 09:41'."""
    return at.astimezone().strftime("%Y-%m-%d %H:%M") if at else ""


def changes_frame(rows: Sequence[Any], t: Translator, *, with_event: bool = True) -> pd.DataFrame:
    """Audit rows (store.changes.Change) as a table, newest first, in ``t``'s language."""
    _ = t.gettext
    records = []
    for c in rows:
        record = {
            _("When"): when_text(c.at, t),
            _("Who"): c.who,
            _("Action"): action_name(c.action, t),
        }
        if with_event:
            record[_("Event id")] = c.event_id or ""
            record[_("Event")] = c.title or ""
        record |= {
            _("Field"): field_name(c.field, t),
            _("Old value"): value_text(c.field, c.old, t),
            _("New value"): _review_text(c.new, t)
            if c.action == "review" and isinstance(c.new, dict)
            else value_text(c.field, c.new, t),
            _("Note"): c.note or "",
        }
        records.append(record)
    columns = [_("When"), _("Who"), _("Action")]
    if with_event:
        columns += [_("Event id"), _("Event")]
    columns += [_("Field"), _("Old value"), _("New value"), _("Note")]
    return pd.DataFrame(records, columns=columns)


def changes_csv(rows: Sequence[Any], t: Translator) -> bytes:
    """The audit rows as the Changes page's CSV: no cell a spreadsheet would run as a
    formula (export.frame_csv writes text through spreadsheet.safe_cell)."""
    from intl_metrics import export

    return export.frame_csv(changes_frame(rows, t))
