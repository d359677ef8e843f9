"""Timeline: events per week or month stacked by theme, format or activity; a Gantt of spans."""

from __future__ import annotations

import streamlit as st
import ui

from intl_metrics import charts, query

ctx = ui.context()
ui.page_header(ctx, "Timeline")

if not ui.empty_state(ctx):
    with st.container(horizontal=True, gap="medium"):
        freq = st.segmented_control(
            "Count per",
            ["W", "M"],
            default="M",
            required=True,
            format_func={"W": "Week", "M": "Month"}.get,
            key="tl_freq",
        )
        by = st.segmented_control(
            "Stack by",
            ["theme", "format", "activity"],
            default="theme",
            required=True,
            format_func=str.capitalize,
            key="tl_by",
        )
    with ui.guarded("timeline"):
        counts = query.events_over_time(ctx.data, freq or "M", by or "theme")
        ui.chart(
            ctx,
            charts.timeline_chart(
                counts, by=by or "theme", freq=freq or "M", period=ctx.period_text, note=ctx.note
            ),
            f"events-per-{'week' if freq == 'W' else 'month'}-by-{by}",
        )
    with ui.guarded("event spans"):
        spans, total = query.event_spans(ctx.data)
        ui.chart(
            ctx,
            charts.gantt_chart(spans, total=total, period=ctx.period_text, note=ctx.note),
            "event-spans",
        )
