"""Timeline: events per week or month stacked by theme, format or activity; a Gantt of spans."""

from __future__ import annotations

import plotly.graph_objects as go
import state
import streamlit as st
import ui

from intl_metrics import charts, query

ctx = ui.context()
ui.page_header(ctx, "Timeline")

PER = {"week": "W", "month": "M"}  # URL value -> period code
BY = ["theme", "format", "activity"]

if not ui.empty_state(ctx):
    # kept in the URL (per=week, by=format), so a shared link opens the same chart
    state.page_param("per", "tl_per", "month", list(PER))
    state.page_param("by", "tl_by", "theme", BY)
    with st.container(horizontal=True, gap="medium"):
        per = st.segmented_control(
            "Count per",
            list(PER),
            required=True,
            format_func=str.capitalize,
            key="tl_per",
        )
        by = st.segmented_control(
            "Stack by",
            BY,
            required=True,
            format_func=str.capitalize,
            key="tl_by",
        )
    state.write_page_params({"per": per or "month", "by": by or "theme"},
                            {"per": "month", "by": "theme"})  # fmt: skip
    freq = PER.get(per or "month", "M")
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
