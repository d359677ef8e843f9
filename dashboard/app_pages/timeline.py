"""Timeline: events per week or month stacked by theme, format or activity; a Gantt of spans."""

from __future__ import annotations

import plotly.graph_objects as go
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
        name = f"events-per-{'week' if freq == 'W' else 'month'}-by-{by}"

        def timeline() -> go.Figure:
            counts = query.events_over_time(ctx.data, freq or "M", by or "theme")
            return charts.timeline_chart(
                counts, by=by or "theme", freq=freq or "M", period=ctx.period_text, note=ctx.note
            )

        ui.chart(ctx, ui.figure(ctx, name, timeline), name)
    with ui.guarded("event spans"):

        def gantt() -> go.Figure:
            spans, total = query.event_spans(ctx.data)
            return charts.gantt_chart(spans, total=total, period=ctx.period_text, note=ctx.note)

        ui.chart(ctx, ui.figure(ctx, "event-spans", gantt), "event-spans")
