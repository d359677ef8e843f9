"""Add agenda: upload .txt/.html files or paste text, preview events and warnings, confirm.

Thin: reading, parsing, labelling, the diff and the write are the store's own functions
(store.preview); this page only places them. Every piece of data text (titles, file
names, warnings) is shown in a table cell or as plain text, never as markdown or HTML.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st
import ui

from intl_metrics.store import StoreError, document_from_bytes, document_from_text, open_store
from intl_metrics.store.access import WriteRefused
from intl_metrics.store.preview import make_preview, preview_rows, write_preview

# Who the audit names for a write from the dashboard, until the next issue's logins.
WRITER = "dashboard"
_KEY = "add_agenda_previews"

t = ui.context().t
_ = t.gettext
st.title(_("Add agenda"))
st.caption(
    _(
        "Agenda text or a page saved from the City's site as HTML. Nothing is written until "
        "you confirm; the same text added twice changes nothing."
    )
)


def _progress_bar():
    holder = st.empty()
    bar = holder.progress(0.0, text=_("Reading…"))

    def progress(fraction: float, message: str) -> None:
        bar.progress(min(max(fraction, 0.0), 1.0), text=message)

    return holder, progress


def _documents(files, pasted: str, pasted_name: str) -> list:
    docs = [document_from_bytes(f.getvalue(), f.name) for f in files or []]
    if pasted.strip():
        name = pasted_name.strip() or "pasted.txt"
        docs.append(document_from_text(pasted, name if "." in name else name + ".txt"))
    return docs


upload, paste = st.tabs([_("Upload files"), _("Paste text")])
with upload:
    files = st.file_uploader(
        _("Agenda files"),
        type=["txt", "html", "htm"],
        accept_multiple_files=True,
        help=_("Text files, or pages saved from the browser as HTML (the visible text is read)."),
    )
with paste:
    pasted = st.text_area(
        _("Agenda text"), height=220, placeholder=_("October 6th 2021 Delegation …")
    )
    pasted_name = st.text_input(
        _("Source name"),
        value="pasted.txt",
        help=_(
            "The name this text is stored under; pasting again under the same name "
            "replaces it (entries no longer in it are marked withdrawn)."
        ),
    )

if st.button(_("Preview"), type="primary", icon=":material/preview:"):
    with ui.guarded(_("preview")):
        docs = _documents(files, pasted, pasted_name)
        if not docs:
            st.info(_("Choose a file or paste some text first."), icon=":material/info:")
        store = open_store()
        previews = []
        holder, progress = _progress_bar()
        for doc in docs:
            previews.append(make_preview(store, doc, progress))
        holder.empty()
        st.session_state[_KEY] = previews

previews = st.session_state.get(_KEY) or []
for n, pv in enumerate(previews):
    with ui.guarded(_("preview of a document")):
        st.subheader(_("Preview {n} of {count}").format(n=n + 1, count=len(previews)))
        st.text(pv.report.summary())
        doc = pv.document
        st.text(
            _("{name}: {media_type}, {encoding}, {size} bytes").format(
                name=doc.name,
                media_type=doc.media_type,
                encoding=doc.encoding_name,
                size=t.number(doc.size),
            )
        )
        for note in pv.report.notes:  # the encoding when not UTF-8, not text, no entry
            st.text(_("Note: {note}").format(note=note))
        rows = preview_rows(pv)
        if rows:
            st.dataframe(
                pd.DataFrame(rows),
                hide_index=True,
                width="stretch",
                column_config={
                    "start": st.column_config.DateColumn(_("Start")),
                    "end": st.column_config.DateColumn(_("End")),
                },
            )
        if pv.report.withdrawn:
            st.text(
                _("Withdrawn: no longer in this version of {name}").format(name=pv.document.name)
            )
            st.dataframe(
                pd.DataFrame(
                    [
                        {"id": c.id, "start": c.start_date, "title": c.title}
                        for c in pv.report.withdrawn
                    ]
                ),
                hide_index=True,
                width="stretch",
            )
        warnings = pv.parsed.warnings
        st.text(_("Warnings: {n}").format(n=t.number(len(warnings))))
        if warnings:
            st.dataframe(
                pd.DataFrame(
                    [
                        {
                            "warning": str(w),
                            "file": w.source.file,
                            "line": w.source.line,
                            "reason": w.reason,
                        }
                        for w in warnings
                    ]
                ),
                hide_index=True,
                width="stretch",
            )

if previews:
    writable = [pv for pv in previews if not (pv.report.same_as_stored or pv.report.problem)]
    label = (
        t.ngettext(
            "Write {n} document to the store", "Write {n} documents to the store", len(writable)
        ).format(n=len(writable))
        if writable
        else _("Nothing to write")
    )
    if st.button(label, type="primary", disabled=not writable, icon=":material/save:"):
        with ui.guarded(_("write")):
            store = open_store()
            holder, progress = _progress_bar()
            done = []
            try:
                for pv in writable:
                    done.append(write_preview(store, pv, WRITER, progress))
            except WriteRefused as exc:
                st.error(
                    _("Not written: {why}").format(why=ui.md_escape(str(exc))),
                    icon=":material/block:",
                )
            except StoreError as exc:
                st.error(
                    _("Not written: {why}").format(why=ui.md_escape(str(exc))),
                    icon=":material/error:",
                )
            holder.empty()
            for report in done:
                st.success(_("Written."), icon=":material/check_circle:")
                st.text(report.summary())
            if done:
                st.session_state[_KEY] = []
                st.caption(_("Every page shows the new events now."))
