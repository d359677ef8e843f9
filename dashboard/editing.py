"""Correcting one event: its labels beside the machine's, the form, the History with undo.

Drawn in the Events page's detail and, for the event being corrected, in the Review page.
The form is drawn for an editor only, but what decides is the store: every save and undo
carries the session's token (``auth.actor()``) and ``corrections.correct``/``undo`` check
it inside their transaction, so a forged session state writes nothing. Data text (titles,
notes, names) is shown in tables and plain text, never markdown.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

import auth
import pandas as pd
import streamlit as st
import ui
from audit_view import (
    changes_frame,
    country_text,
    field_name,
    value_text,
    when_text,
)
from streamlit.logger import get_logger

from intl_metrics.i18n import Translator
from intl_metrics.schema import ACTIVITIES, FORMATS, THEMES
from intl_metrics.store import open_store
from intl_metrics.store.access import WriteRefused
from intl_metrics.store.corrections import (
    LABEL_FIELDS,
    MAX_NOTE,
    MAX_TITLE,
    CorrectionError,
    EventRecord,
)

T = TypeVar("T")

log = get_logger("intl_metrics.dashboard")

_K_FLASH = "fix_flash"  # what the last save or undo did, said after its rerun


def record(event_id: str) -> EventRecord | None:
    """The event as the store holds it (machine labels and corrections); None if unknown."""
    from intl_metrics.store.corrections import event_record

    try:
        return event_record(open_store(), event_id)
    except CorrectionError:
        return None


def _generation(event_id: str) -> int:
    return int(st.session_state.get(f"fix_gen_{event_id}", 0))


def saved(event_id: str, message: str) -> None:
    """After a write: fresh widgets for the event, the message, and every page redrawn."""
    ss = st.session_state
    ss[f"fix_gen_{event_id}"] = _generation(event_id) + 1
    ss[_K_FLASH] = (event_id, message)
    st.rerun()


def attempt(write: Callable[[], T], t: Translator, refused: str) -> T | None:
    """Run a write of the store; when it is refused, say why and give None.

    The store refuses a session that may not write (``WriteRefused``: said by its reason)
    or a value it cannot keep (``CorrectionError``: its reason, as text, in ``refused``,
    a translated message with a ``{why}`` field). Nothing was written in either case.
    """
    try:
        return write()
    except WriteRefused as exc:
        st.error(auth.write_refusal(exc, t), icon=":material/block:")
    except CorrectionError as exc:
        st.error(refused.format(why=ui.md_escape(str(exc))), icon=":material/error:")
    return None


def flash(event_id: str | None = None) -> None:
    """The message of a save or undo of this event (None: of any), once, after its rerun."""
    done = st.session_state.get(_K_FLASH)
    if done and event_id in (None, done[0]):
        st.session_state.pop(_K_FLASH, None)
        st.success(done[1], icon=":material/check_circle:")


# ---------------------------------------------------------------- the labels


def standing_note(rec: EventRecord, t: Translator) -> None:
    """Say so when staff marked the entry not an event or a duplicate (no page counts it)."""
    _ = t.gettext
    eff = rec.effective
    if eff["not_event"]:
        st.warning(
            _("Staff marked this entry **not an event**: no page counts it."),
            icon=":material/block:",
        )
    elif eff["duplicate_of"]:
        st.warning(
            _("Staff marked this entry a **duplicate** of another event: no page counts it."),
            icon=":material/content_copy:",
        )
        st.text(_("Duplicate of: {id}").format(id=eff["duplicate_of"]))
    if rec.status != "active":
        st.info(
            _("This entry is no longer in its source page (withdrawn)."), icon=":material/info:"
        )


def labels_table(rec: EventRecord, t: Translator, *, names: bool) -> None:
    """Each label as the machine gave it beside what the pages show, and who corrected it.

    ``names``: show who corrected (staff names are for logged-in users; others read
    'staff').
    """
    _ = t.gettext
    if not rec.corrections:
        st.caption(_("No label of this event was corrected: every label is the machine's."))
        return
    rows = []
    for f in (*LABEL_FIELDS, "not_event", "duplicate_of"):
        c = rec.corrections.get(f)
        if c is None and f not in LABEL_FIELDS:
            continue
        rows.append(
            {
                _("Field"): field_name(f, t),
                _("Machine's label"): value_text(f, rec.machine[f], t),
                _("Shown now"): value_text(f, rec.effective[f], t),
                _("Corrected by"): (c.by if names else _("staff")) if c else "",
                _("When"): when_text(c.at, t) if c else "",
                _("Note"): (c.note or "") if c and names else "",
            }
        )
    st.markdown("**" + _("Labels: the machine's and the staff's corrections") + "**")
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")


# ---------------------------------------------------------------- the form


def _place_key(place: dict[str, Any]) -> str:
    return f"{place['name']}|{place['country']}"


def _places(k: str) -> dict[str, dict[str, Any]]:
    """Place key -> place of every partner the form knows (the event's and those added)."""
    return st.session_state.setdefault(f"{k}-places", {})


def _add_place(k: str, candidates: list[dict[str, Any]]) -> None:
    """Callback of Add partner: the chosen place joins the partners (and its country)."""
    ss = st.session_state
    chosen = ss.get(f"{k}-found")
    if chosen is None or not 0 <= chosen < len(candidates):
        return
    place = candidates[chosen]
    key = _place_key(place)
    _places(k)[key] = place
    partners = list(ss.get(f"{k}-partners") or [])
    if key not in partners:
        ss[f"{k}-partners"] = [*partners, key]
    countries = list(ss.get(f"{k}-countries") or [])
    if place["country"] != "IT" and place["country"] not in countries:
        ss[f"{k}-countries"] = [*countries, place["country"]]
    ss[f"{k}-search"] = ""


def _search(text: str) -> list[dict[str, Any]]:
    from intl_metrics.enrich.gazetteer import Gazetteer

    return [p.to_dict() for p in Gazetteer.default().search(text, limit=15)]


def _partner_finder(k: str, t: Translator) -> None:
    """Find a place in the gazetteer by name, each shown with its kind and country."""
    _ = t.gettext
    text = st.text_input(
        _("Add a partner: find a place"),
        key=f"{k}-search",
        placeholder=_("City, region or country, in any language"),
        max_chars=100,
    ).strip()
    if len(text) < 2:
        return
    found = _search(text)
    if not found:
        st.caption(_("No place of the gazetteer starts with these letters."))
        return
    kinds = {"city": _("city"), "region": _("region"), "country": _("country")}
    st.selectbox(
        _("Places found"),
        range(len(found)),
        key=f"{k}-found",
        format_func=lambda i: (
            f"{found[i]['name']} — {kinds.get(found[i]['kind'], found[i]['kind'])}, "
            f"{country_text(found[i]['country'], t)}"
        ),
    )
    st.button(
        _("Add this partner"),
        key=f"{k}-add",
        on_click=_add_place,
        args=(k, found),
        icon=":material/add_location:",
    )


def _start(k: str, name: str, value: Any) -> None:
    """A widget's first value (set once, so a callback may change it later)."""
    st.session_state.setdefault(f"{k}-{name}", value)


def _country_codes() -> list[str]:
    from intl_metrics.enrich.gazetteer import Gazetteer

    return [c for c in Gazetteer.default().country_codes() if c != "IT"]


def correction_form(rec: EventRecord, t: Translator, *, review: bool = False) -> None:
    """The editor's form for one event; Save writes the changed fields in one correction.

    ``review``: drawn from the Review page: saving also records the event as reviewed.
    """
    _ = t.gettext
    eff = rec.effective
    k = f"fix-{rec.id}-{_generation(rec.id)}"
    places = _places(k)
    for p in eff["partners"]:
        places.setdefault(_place_key(p), p)
    _start(k, "title", eff["title"])
    _start(k, "start", date.fromisoformat(eff["start_date"]))
    _start(k, "end", date.fromisoformat(eff["end_date"]))
    _start(k, "format", eff["format"])
    _start(k, "activity", eff["activity"])
    _start(k, "themes", list(eff["themes"]))
    _start(k, "partners", [_place_key(p) for p in eff["partners"]])
    _start(k, "countries", list(eff["countries"]))
    _start(k, "not_event", bool(eff["not_event"]))
    _start(k, "duplicate_of", eff["duplicate_of"] or "")

    st.text_input(_("Title"), key=f"{k}-title", max_chars=MAX_TITLE)
    with st.container(horizontal=True, gap="small"):
        st.date_input(_("Start"), key=f"{k}-start", format="DD/MM/YYYY")
        st.date_input(_("End"), key=f"{k}-end", format="DD/MM/YYYY")
    with st.container(horizontal=True, gap="small"):
        st.selectbox(_("Format"), FORMATS, key=f"{k}-format", format_func=t.format)
        st.selectbox(_("Activity"), ACTIVITIES, key=f"{k}-activity", format_func=t.activity)
    st.multiselect(_("Themes"), THEMES, key=f"{k}-themes", format_func=t.theme)
    st.multiselect(
        _("Partners"),
        list(places),
        key=f"{k}-partners",
        format_func=lambda key: f"{places[key]['name']} ({places[key]['country']})",
        help=_("Remove a partner with its ×; add one by finding it below."),
        placeholder=_("No partner"),
    )
    _partner_finder(k, t)
    codes = _country_codes()
    st.multiselect(
        _("Countries"),
        codes,
        key=f"{k}-countries",
        format_func=lambda c: country_text(c, t),
        help=_("The foreign countries the event is with (never Italy)."),
        placeholder=_("No country"),
    )
    st.checkbox(
        _("Not an event (a heading, a note or a repeat of the page's text)"), key=f"{k}-not_event"
    )
    st.text_input(
        _("Duplicate of (the other event's id)"),
        key=f"{k}-duplicate_of",
        max_chars=40,
        help=_("The id is printed under each event's detail. Leave empty if it is not one."),
    )
    note = st.text_area(
        _("Note (why; kept in the history)"), key=f"{k}-note", max_chars=MAX_NOTE, height=80
    )
    label = _("Save and mark reviewed") if review else _("Save the correction")
    if st.button(label, key=f"{k}-save", type="primary", icon=":material/save:"):
        _save(rec, k, note, t, review=review)


def _wanted(rec: EventRecord, k: str) -> dict[str, Any]:
    """The fields whose value in the form differs from what the event shows now."""
    ss = st.session_state
    places = _places(k)
    form = {
        "title": str(ss.get(f"{k}-title") or ""),
        "start_date": ss.get(f"{k}-start"),
        "end_date": ss.get(f"{k}-end"),
        "format": ss.get(f"{k}-format"),
        "activity": ss.get(f"{k}-activity"),
        "themes": list(ss.get(f"{k}-themes") or []),
        "partners": [places[p] for p in ss.get(f"{k}-partners") or [] if p in places],
        "countries": list(ss.get(f"{k}-countries") or []),
        "not_event": bool(ss.get(f"{k}-not_event")),
        "duplicate_of": str(ss.get(f"{k}-duplicate_of") or "").strip() or None,
    }
    eff = rec.effective
    out = {}
    for f, value in form.items():
        have = eff[f]
        if f in ("start_date", "end_date"):
            value = value.isoformat() if isinstance(value, date) else value
        if f == "title":
            value = " ".join(value.split())
        if value != have:
            out[f] = value
    return out


def _save(rec: EventRecord, k: str, note: str, t: Translator, *, review: bool) -> None:
    from intl_metrics.store.corrections import correct

    _ = t.gettext
    changes = _wanted(rec, k)
    if not changes and not note.strip() and not review:
        st.info(_("Nothing changed: every value is as it stands."), icon=":material/info:")
        return
    report = attempt(
        lambda: correct(open_store(), auth.actor(), rec.id, changes, note, review=review),
        t,
        _("Not saved: {why}"),
    )
    if report is None:
        return
    names = ", ".join(field_name(f, t) for f in report.fields)
    if report.fields:
        message = _("Saved: {fields}. Every page shows it now.").format(fields=names)
    elif review:
        message = _("Marked reviewed.")
    else:
        message = _("Note saved.")
    saved(rec.id, message)


# ---------------------------------------------------------------- history and undo


def history_panel(rec: EventRecord, t: Translator, *, can_undo: bool) -> None:
    """Every audit row of the event, newest first; an editor may undo a correction in force."""
    from intl_metrics.store.changes import history

    _ = t.gettext
    rows = history(open_store(), rec.id)
    st.dataframe(changes_frame(rows, t, with_event=False), hide_index=True, width="stretch")
    undoable = [c for c in rows if c.correction_id is not None]
    if not can_undo or not undoable:
        return
    by_id = {c.correction_id: c for c in undoable}
    with st.container(horizontal=True, gap="small", vertical_alignment="bottom"):
        chosen = st.selectbox(
            _("Correction in force"),
            list(by_id),
            key=f"undo-{rec.id}-{_generation(rec.id)}",
            format_func=lambda i: (
                f"{field_name(by_id[i].field, t)}: {value_text(by_id[i].field, by_id[i].new, t)}"
                f" — {by_id[i].who}, {when_text(by_id[i].at, t)}"
            ),
        )
        clicked = st.button(_("Undo"), key=f"undo-{rec.id}-go", icon=":material/undo:")
    if clicked and chosen is not None:
        _undo(rec, int(chosen), t)


def _undo(rec: EventRecord, correction_id: int, t: Translator) -> None:
    from intl_metrics.store.corrections import undo

    _ = t.gettext
    report = attempt(
        lambda: undo(open_store(), auth.actor(), correction_id), t, _("Not undone: {why}")
    )
    if report is None:
        return
    saved(
        rec.id,
        _("Undone: {field} is back to its previous value.").format(
            field=field_name(report.fields[0], t)
        ),
    )


def event_panel(rec: EventRecord, t: Translator, user: Any, *, review: bool = False) -> None:
    """The labels table, and for logged-in staff the History (and an editor's form)."""
    _ = t.gettext
    flash(rec.id)
    standing_note(rec, t)
    labels_table(rec, t, names=user is not None)
    if user is None:
        return
    with st.expander(_("History of this event"), icon=":material/history:"):
        history_panel(rec, t, can_undo=auth.is_editor(user))
    if auth.is_editor(user) and rec.status == "active":
        with st.expander(_("Correct this event"), icon=":material/edit:", expanded=review):
            correction_form(rec, t, review=review)
