"""Overview: the period's headline figures against the previous period, a small timeline, themes."""

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
ui.page_header(ctx, _("Overview"))

if not ui.empty_state(ctx):
    with ui.guarded(_("headline figures")):
        before = query.previous_period(ctx.filters, ctx.full)
        # the same filters as this period's: only the dates are checked again
        previous = ui.filtered(ctx.full, before, like=ctx.data)
        metrics = query.overview_metrics(
            ctx.data,
            previous,
            period=ctx.period,
            previous_period=(before.start, before.end) if before.start and before.end else None,
            t=t,
        )
        # 'All dates' has nothing before it to compare with: no deltas then.
        compare = ctx.filters.start is not None or ctx.filters.end is not None
        compared = t.period(before.start, before.end) if compare else ""
        # Cards as wide as their label or value, wrapping onto a second row when the page
        # is narrow (a laptop at 1280 px, a projector at 1024): a value is never cut.
        with st.container(horizontal=True, wrap=True, gap="small", key="headline-cards"):
            for m in metrics:
                st.metric(
                    m.label,
                    m.value,
                    m.delta if compare else None,
                    help=m.help,
                    border=True,
                    width="content",
                    height="stretch",
                    # No change has no arrow; a changed leading theme is news, not good or bad.
                    delta_color="normal" if m.moved else "off",
                    delta_arrow="auto" if m.moved else "off",
                )
        if compare:
            st.caption(
                _("Changes are against {period}, the period of equal length before.").format(
                    period=compared
                )
            )
        else:
            st.caption(_("Choose a period in the sidebar to compare it with the one before."))

    left, right = st.columns(2, gap="large")
    with left, ui.guarded(_("timeline")):
        start, end = ctx.period or (None, None)
        days = (end - start).days if start and end else 0
        freq = "W" if days <= 120 else "M"  # a few months read better by week

        def sparkline() -> go.Figure:
            series = query.events_per_period(ctx.data, freq, start, end)
            return charts.overview_sparkline(
                series, period=ctx.period_text, freq=freq, note=ctx.note, t=t
            )

        ui.chart(
            ctx,
            ui.figure(ctx, f"events-over-time {freq}", sparkline),
            NP_("file name", "events-over-time"),
        )
    with right, ui.guarded(_("theme breakdown")):
        themes = ui.figure(
            ctx,
            "events-by-theme",
            lambda: charts.theme_bar(
                query.theme_counts(ctx.data), period=ctx.period_text, note=ctx.note, t=t
            ),
        )
        ui.chart(
            ctx,
            themes,
            NP_("file name", "events-by-theme"),
            on_click=lambda values: state.set_filter("themes", values),
        )
