"""Breakdown: events by theme, format, activity, country, world region; theme x format."""

from __future__ import annotations

import state
import streamlit as st
import ui

from intl_metrics import charts, query
from intl_metrics.i18n import N_, NP_

ctx = ui.context()
t = ctx.t
_ = t.gettext
ui.page_header(ctx, _("Breakdown"))


def _filter_to(field: str):
    """A bar click that filters to the clicked category."""
    return lambda values: state.set_filter(field, values)


# (section name, chart file name, figure builder, click -> filter field or None), in reading
# order, two per row.
SECTIONS = [
    (
        N_("theme chart"),
        NP_("file name", "events-by-theme"),
        lambda d, **kw: charts.theme_bar(query.theme_counts(d), **kw),
        "themes",
    ),
    (
        N_("theme × format matrix"),
        NP_("file name", "theme-by-format"),
        lambda d, **kw: charts.theme_format_heatmap(query.theme_format_matrix(d), **kw),
        None,
    ),
    (
        N_("format chart"),
        NP_("file name", "events-by-format"),
        lambda d, **kw: charts.format_bar(query.format_counts(d), **kw),
        "formats",
    ),
    (
        N_("activity chart"),
        NP_("file name", "events-by-activity"),
        lambda d, **kw: charts.activity_bar(query.activity_counts(d), **kw),
        "activities",
    ),
    (
        N_("country chart"),
        NP_("file name", "events-by-country"),
        lambda d, **kw: charts.country_bar(query.country_counts(d), **kw),
        "countries",
    ),
    (
        N_("world region chart"),
        NP_("file name", "events-by-world-region"),
        lambda d, **kw: charts.region_bar(query.region_counts(d), **kw),
        None,
    ),
]

if not ui.empty_state(ctx):
    for i in range(0, len(SECTIONS), 2):
        for col, (what, name, build, field) in zip(
            st.columns(2, gap="large"), SECTIONS[i : i + 2], strict=False
        ):
            with col, ui.guarded(_(what)):
                fig = ui.figure(
                    ctx,
                    name,
                    lambda b=build: b(ctx.data, period=ctx.period_text, note=ctx.note, t=t),
                )
                ui.chart(ctx, fig, name, on_click=_filter_to(field) if field else None)
