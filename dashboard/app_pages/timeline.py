"""Timeline: events per week or month stacked by theme, format or activity; a Gantt of spans."""

from __future__ import annotations

import plotly.graph_objects as go
import state
import streamlit as st
import ui

from intl_metrics import charts, query
from intl_metrics.i18n import NP_

ctx = ui.context()
t = ctx.t
_ = t.gettext
ui.page_header(ctx, _("Timeline"))

PER = {"week": "W", "month": "M"}  # URL value -> period code
BY = ["theme", "format", "activity"]
# The controls' words (their values, in the URL, stay English).
PER_NAMES = {"week": NP_("count per", "Week"), "month": NP_("count per", "Month")}
BY_NAMES = {
    "theme": NP_("stack by", "Theme"),
    "format": NP_("stack by", "Format"),
    "activity": NP_("stack by", "Activity"),
}
# The charts' file names, whole for translators.
TIMELINE_FILES = {
    ("W", "theme"): NP_("file name", "events-per-week-by-theme"),
    ("M", "theme"): NP_("file name", "events-per-month-by-theme"),
    ("W", "format"): NP_("file name", "events-per-week-by-format"),
    ("M", "format"): NP_("file name", "events-per-month-by-format"),
    ("W", "activity"): NP_("file name", "events-per-week-by-activity"),
    ("M", "activity"): NP_("file name", "events-per-month-by-activity"),
}

if not ui.empty_state(ctx):
    # kept in the URL (per=week, by=format), so a shared link opens the same chart
    state.page_param("per", "tl_per", "month", list(PER))
    state.page_param("by", "tl_by", "theme", BY)
    with st.container(horizontal=True, gap="medium"):
        per = st.segmented_control(
            _("Count per"),
            list(PER),
            required=True,
            format_func=lambda v: t.pgettext("count per", PER_NAMES[v]),
            key="tl_per",
        )
        by = st.segmented_control(
            _("Stack by"),
            BY,
            required=True,
            format_func=lambda v: t.pgettext("stack by", BY_NAMES[v]),
            key="tl_by",
        )
    state.write_page_params({"per": per or "month", "by": by or "theme"},
                            {"per": "month", "by": "theme"})  # fmt: skip
    freq = PER.get(per or "month", "M")
    with ui.guarded(_("timeline")):
        name = TIMELINE_FILES[freq, by or "theme"]

        def timeline() -> go.Figure:
            counts = query.events_over_time(ctx.data, freq or "M", by or "theme")
            return charts.timeline_chart(
                counts,
                by=by or "theme",
                freq=freq or "M",
                period=ctx.period_text,
                note=ctx.note,
                t=t,
            )

        ui.chart(ctx, ui.figure(ctx, name, timeline), name)
    with ui.guarded(_("event spans")):

        def gantt() -> go.Figure:
            spans, total = query.event_spans(ctx.data)
            return charts.gantt_chart(
                spans, total=total, period=ctx.period_text, note=ctx.note, t=t
            )

        ui.chart(ctx, ui.figure(ctx, "event-spans", gantt), NP_("file name", "event-spans"))
