"""Briefing: the sidebar's period and filters as the cabinet's A4 PDF or editable DOCX."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

import pandas as pd
import state
import streamlit as st
import ui

from intl_metrics import briefing, export, query, viewstate
from intl_metrics.i18n import LANGUAGE_NAMES, LANGUAGES

ctx = ui.context()
t = ctx.t
_ = t.gettext
ui.page_header(ctx, _("Briefing"))
st.markdown(
    _(
        "A print-ready report of the period and filters chosen in the sidebar, in the order "
        "of the City's annual report: headline figures against the previous period, "
        "highlights, one section per activity, the partner map, the theme and format "
        "breakdowns, and a note on sources and credits."
    )
)

# Corrections by staff are not stored yet: the briefing's closing note says 0 until the
# store passes the count of corrected labels here.
CORRECTED_LABELS = 0


def _link(language: str) -> str:
    """This view as a dashboard link (in the briefing's language), quoted in its closing note."""
    query_string = viewstate.query_string(state.read())
    query_string += ("&" if query_string else "?") + f"lang={language}"
    try:
        url = st.context.url or ""
    except Exception:
        url = ""
    if not url:
        return query_string
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query_string[1:], ""))


def _maker(fmt: str, language: str, link: str) -> bytes:
    """The file, made on click and kept for this view (a second click is instant)."""
    key = f"briefing {fmt} {language} {ui.filters_key(ctx.filters)} {ctx.today} {link}"
    return ui.memo(
        ctx.data,
        key,
        lambda: briefing.make_briefing(
            ctx.full,
            ctx.filters,
            fmt,
            lang=language,
            today=ctx.today,
            corrected_labels=CORRECTED_LABELS,
            link=link,
        ),
    )


if not ui.empty_state(ctx):
    with ui.guarded(_("briefing")):
        language = (
            st.segmented_control(
                _("Language of the briefing"),
                LANGUAGES,
                default=t.lang,
                format_func=LANGUAGE_NAMES.get,
                key="brief_lang",
            )
            or t.lang
        )
        link = _link(language)
        stem = briefing.file_stem(language)
        with st.container(horizontal=True, gap="small"):
            for fmt, label, icon in (
                ("pdf", _("PDF (A4, print-ready)"), ":material/picture_as_pdf:"),
                ("docx", _("Word (DOCX, editable)"), ":material/description:"),
            ):
                file_name = export.export_filename(stem, ctx.filters, ctx.period, fmt)
                st.download_button(
                    label,
                    data=lambda fmt=fmt: _maker(fmt, language, link),
                    file_name=file_name,
                    mime=briefing.MIME_TYPES[fmt],
                    icon=icon,
                    key=f"brief-{fmt}",
                    on_click="ignore",
                    help=_("Made when clicked (a few seconds): {file}").format(file=file_name),
                )

        st.subheader(_("What it holds"))
        counts = query.activity_counts(ctx.data).set_index("activity")["events"]
        rows = []
        for _key, title, activities in briefing.REPORT_SECTIONS:
            n = int(sum(counts.get(a, 0) for a in activities))
            if n > briefing.LIST_LIMIT:
                listed = _("the {limit} most recent, and a summary").format(
                    limit=t.number(briefing.LIST_LIMIT)
                )
            else:
                listed = _("all") if n else "–"
            rows.append({"section": _(title), "events": t.number(n), "listed": listed})
        st.dataframe(
            pd.DataFrame(rows),
            hide_index=True,
            column_config={
                "section": st.column_config.TextColumn(_("Section")),
                "events": st.column_config.TextColumn(_("Events")),
                "listed": st.column_config.TextColumn(_("Events listed")),
            },
        )
        st.caption(
            _(
                "Also in it: a cover, the headline figures, highlights (new partners, the most "
                "active countries, the largest delegations), the partner map, the theme and "
                "format breakdowns and the closing note (source files, labelling rules, labels "
                "corrected by staff, credits)."
            )
        )
