"""Review: the events an editor should look at, each confirmed or corrected in place.

The queue and its counts are the store's (review.queue); confirming and correcting are
its writes, checked there with the session's token. Editors only.
"""

from __future__ import annotations

import auth
import editing
import streamlit as st
import ui
from audit_view import reason_name, when_text

from intl_metrics.store import open_store
from intl_metrics.store.review import REASONS, confirm, queue

ctx = ui.context()
t = ctx.t
_ = t.gettext
st.title(_("Review"))
PAGE_SIZE = 10
K_OPEN = "rv_open"  # the event whose correction form is open
STATUSES = {
    "to_review": _("To review"),
    "reviewed": _("Reviewed"),
    "all": _("All"),
}

if not ctx.editor:
    st.info(
        _("The review queue is for editors: log in under **Staff login** in the sidebar."),
        icon=":material/lock:",
    )
    st.stop()

st.caption(
    _(
        "Events whose labels the labellers flagged, whose labels changed at the last "
        "relabel, or whose text changed under a correction. Confirm the labels as they "
        "stand, or correct them; either counts the event as reviewed until its text or "
        "labels change again."
    )
)
editing.flash()
store = open_store()
with st.container(horizontal=True, gap="small", vertical_alignment="bottom"):
    reasons = st.multiselect(
        _("Why in the queue"),
        REASONS,
        default=list(REASONS),
        key="rv_reasons",
        format_func=lambda r: reason_name(r, t),
        width=420,
    )
    status = st.segmented_control(
        _("Show"),
        list(STATUSES),
        default="to_review",
        key="rv_status",
        format_func=STATUSES.get,
        required=True,
    )
counts = queue(store, reasons=tuple(reasons), status=status or "to_review", limit=0)
done, total = counts.reviewed, counts.total
st.progress(
    done / total if total else 1.0,
    text=_("{done} of {total} reviewed").format(done=t.number(done), total=t.number(total)),
)
pages = max(1, -(-counts.matching // PAGE_SIZE))
page = st.number_input(
    _("Page (of {pages})").format(pages=t.number(pages)),
    min_value=1,
    max_value=pages,
    value=1,
    key=f"rv_page-{status}-{'-'.join(reasons)}",
    width=160,
)
listing = queue(
    store,
    reasons=tuple(reasons),
    status=status or "to_review",
    limit=PAGE_SIZE,
    offset=(int(page) - 1) * PAGE_SIZE,
)
if not listing.items:
    st.info(
        _("Nothing to review here.")
        if status == "to_review"
        else _("No event of the queue matches."),
        icon=":material/task_alt:",
    )


def _confirm(event_id: str) -> None:
    review_id = editing.attempt(
        lambda: confirm(store, auth.actor(), event_id), t, _("Not saved: {why}")
    )
    if review_id is None:
        return
    st.session_state.pop(K_OPEN, None)
    editing.saved(event_id, _("Confirmed: the labels stand as they are."))


for item in listing.items:
    with st.container(border=True), ui.guarded(_("review item")):
        st.text(f"{t.date(item.start_date)} · {item.title}")
        st.caption(
            ui.md_escape(
                _("Why: {reasons}").format(
                    reasons="; ".join(reason_name(r, t) for r in item.reasons)
                )
            )
        )
        if item.reviewed_by:
            st.caption(
                ui.md_escape(
                    _("Reviewed by {who}, {when}").format(
                        who=item.reviewed_by, when=when_text(item.reviewed_at, t)
                    )
                )
            )
        opened = st.session_state.get(K_OPEN) == item.event_id
        with st.container(horizontal=True, gap="small", vertical_alignment="center"):
            if st.button(
                _("Confirm"),
                key=f"rv-ok-{item.event_id}",
                icon=":material/check:",
                help=_("The labels are right as they stand."),
            ):
                _confirm(item.event_id)
            if st.button(
                _("Close") if opened else _("Correct"),
                key=f"rv-fix-{item.event_id}",
                icon=":material/close:" if opened else ":material/edit:",
            ):
                st.session_state[K_OPEN] = None if opened else item.event_id
                st.rerun()
            # the event in full (evidence, History) on the Events page, in this session
            st.page_link(
                "app_pages/events.py",
                label=_("Open in Events"),
                query_params={"event": item.event_id},
                icon=":material/open_in_new:",
            )
        if opened:
            rec = editing.record(item.event_id)
            if rec is not None:
                st.text(rec.description)
                editing.labels_table(rec, t, names=True)
                editing.correction_form(rec, t, review=True)
