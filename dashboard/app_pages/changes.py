"""Changes: every row of the audit (who changed what, when), filtered, and as a CSV.

The audit names the City's staff, so it is shown to logged-in users only; viewers read a
note saying so. Reading it writes nothing.
"""

from __future__ import annotations

from datetime import date

import streamlit as st
import ui
from audit_view import (
    ACTION_NAMES,
    FIELD_NAMES,
    action_name,
    changes_csv,
    changes_frame,
    field_name,
)

from intl_metrics import export
from intl_metrics.i18n import NP_
from intl_metrics.store import open_store
from intl_metrics.store.changes import changes, people

ctx = ui.context()
t = ctx.t
_ = t.gettext
st.title(_("Changes"))
CHANGES_FILE = NP_("file name", "changes")

if ctx.user is None:
    st.info(
        _(
            "The history of changes names the staff who made them, so it is shown to "
            "logged-in staff only: log in under **Staff login** in the sidebar. The events "
            "themselves, corrected, are on every other page."
        ),
        icon=":material/lock:",
    )
    st.stop()

st.caption(
    _(
        "Every write to the store, newest first: who, when, which event and field, the old "
        "and the new value, and the note. Shown to logged-in staff only, as it names them."
    )
)
store = open_store()
today = date.today()
with st.container(horizontal=True, gap="small", vertical_alignment="bottom"):
    who = st.multiselect(
        _("Person"), people(store), key="ch_who", placeholder=_("Everyone"), width=260
    )
    period = st.date_input(
        _("Period"),
        value=(),  # every day until one is chosen
        key="ch_period",
        format="DD/MM/YYYY",
        width=240,
        max_value=today,
        help=_("Days in the server's time zone, both included; empty for every day."),
    )
    fields = st.multiselect(
        _("Field"),
        list(FIELD_NAMES),
        key="ch_fields",
        format_func=lambda f: field_name(f, t),
        placeholder=_("Every field"),
        width=260,
    )
    actions = st.multiselect(
        _("Kind of change"),
        list(ACTION_NAMES),
        key="ch_actions",
        format_func=lambda a: action_name(a, t),
        placeholder=_("Every kind"),
        width=260,
    )
start = period[0] if len(period) >= 1 else None
end = period[1] if len(period) >= 2 else start

with ui.guarded(_("list of changes")):
    rows, total = changes(store, who=who, start=start, end=end, fields=fields, actions=actions)
    frame = changes_frame(rows, t)
    if total > len(rows):
        st.caption(
            _("The {shown} newest of {total} changes; narrow the filters to see the others.")
            .format(shown=t.number(len(rows)), total=t.number(total))
        )  # fmt: skip
    else:
        st.caption(t.ngettext("{n} change", "{n} changes", total).format(n=t.number(total)))

    def every_row() -> bytes:
        # the download holds every matching row, not only those shown
        whole, _n = changes(
            store, who=who, start=start, end=end, fields=fields, actions=actions, limit=None
        )
        return changes_csv(whole, t)

    name = export.export_filename(CHANGES_FILE, None, (start, end) if start else None, "csv", t=t)
    ui.download_menu(
        _("the changes shown"),
        [("CSV", every_row, name, export.MIME_TYPES["csv"])],
        key="changes",
    )
    if frame.empty:
        st.info(_("No change matches these filters."), icon=":material/search_off:")
    else:
        st.caption(_("Choose a row to open its event (to read it in full, or undo)."))
        chosen = st.dataframe(
            frame,
            hide_index=True,
            width="stretch",
            height=520,
            on_select="rerun",
            selection_mode="single-row",
            key=f"ch_table-{len(rows)}-{rows[0].id}",
        )
        picked = chosen.selection.rows if chosen is not None else []
        if picked and rows[picked[0]].event_id:
            change = rows[picked[0]]
            # a link within this session: the login stays
            st.page_link(
                "app_pages/events.py",
                label=_("Open the event {id} in Events").format(id=ui.md_escape(change.event_id)),
                query_params={"event": change.event_id},
                icon=":material/open_in_new:",
            )
