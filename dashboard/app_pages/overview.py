"""Overview: the period's headline figures against the previous period, a small timeline, themes."""

from __future__ import annotations

import plotly.graph_objects as go
import state
import streamlit as st
import ui

from intl_metrics import charts, query

ctx = ui.context()
ui.page_header(ctx, "Overview")

if not ui.empty_state(ctx):
    with ui.guarded("headline figures"):
        before = query.previous_period(ctx.filters, ctx.full)
        # the same filters as this period's: only the dates are checked again
        previous = ui.filtered(ctx.full, before, like=ctx.data)
        metrics = query.overview_metrics(
            ctx.data,
            previous,
            period=ctx.period,
            previous_period=(before.start, before.end) if before.start and before.end else None,
        )
        # 'All dates' has nothing before it to compare with: no deltas then.
        compare = ctx.filters.start is not None or ctx.filters.end is not None
        compared = query.period_label(before.start, before.end) if compare else ""
        # Each card as wide as its label (with the help icon) or its value, in rough pixels
        # (the value's font is about 2.5 times the label's; letters are wider than digits):
        # '1,000,000' at 1M events, 'institutional' as the leading theme.
        widths = [
            max(len(m.label) * 7 + 55, len(m.value) * (17 if m.raw is not None else 21) + 30)
            for m in metrics
        ]
        for col, m in zip(st.columns(widths, gap="small"), metrics, strict=True):
            col.metric(
                m.label,
                m.value,
                m.delta if compare else None,
                help=m.help,
                border=True,
                height="stretch",
                # A changed leading theme is news, not good or bad.
                delta_color="normal" if m.raw_delta is not None else "off",
                delta_arrow="auto" if m.raw_delta is not None else "off",
            )
        if compare:
            st.caption(f"Changes are against {compared}, the period of equal length before.")
        else:
            st.caption("Choose a period in the sidebar to compare it with the one before.")

    left, right = st.columns(2, gap="large")
    with left, ui.guarded("timeline"):
        start, end = ctx.period or (None, None)
        days = (end - start).days if start and end else 0
        freq = "W" if days <= 120 else "M"  # a few months read better by week

        def sparkline() -> go.Figure:
            series = query.events_per_period(ctx.data, freq, start, end)
            return charts.overview_sparkline(
                series, period=ctx.period_text, freq=freq, note=ctx.note
            )

        ui.chart(ctx, ui.figure(ctx, f"events-over-time {freq}", sparkline), "events-over-time")
    with right, ui.guarded("theme breakdown"):
        themes = ui.figure(
            ctx,
            "events-by-theme",
            lambda: charts.theme_bar(
                query.theme_counts(ctx.data), period=ctx.period_text, note=ctx.note
            ),
        )
        ui.chart(
            ctx,
            themes,
            "events-by-theme",
            on_click=lambda values: state.set_filter("themes", values),
        )
