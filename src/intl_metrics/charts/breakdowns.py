"""Breakdown charts: events by theme, format, activity, country and world region, as
horizontal bars largest first, and the theme x format heatmap.

Each takes the small frame of the matching ``query`` count (``theme_counts`` ...) and
carries the category key in ``customdata[0]`` so a click can become a filter.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.colors
import plotly.graph_objects as go

from intl_metrics.charts.style import (
    BAR_COLOUR,
    _count_axis,
    _empty,
    _figure,
    _plain_all,
    _title,
)
from intl_metrics.i18n import N_, Translator, translator
from intl_metrics.schema import (
    ACTIVITY_COLOURS,
    FORMAT_COLOURS,
    THEME_COLOURS,
)


def _bar(
    labels: list[str],
    values: np.ndarray,
    *,
    keys: list[str],
    colours: list[str] | str,
    shares: np.ndarray | None,
    title: str,
    note: str,
    t: Translator,
) -> go.Figure:
    """Horizontal bars, largest on top, count written at the end of each bar.

    ``labels`` are shown (translated names), ``keys`` go to customdata for a click.
    """
    _ = t.gettext
    events = _("events")
    if shares is None:
        hover = f"<b>%{{y}}</b><br>%{{x:,}} {events}<extra></extra>"
        custom = np.array(keys, dtype=object).reshape(-1, 1)
    else:
        share = _("{share} of events").format(share="%{customdata[1]:.0%}")
        hover = f"<b>%{{y}}</b><br>%{{x:,}} {events} ({share})<extra></extra>"
        custom = np.column_stack([np.array(keys, dtype=object), shares.astype(object)])
    trace = {
        "type": "bar",
        "x": values,
        "y": _plain_all(labels),
        "orientation": "h",
        "marker": {"color": colours, "line": {"width": 0}},
        "customdata": custom,
        "text": [t.number(v) for v in values.tolist()],
        "textposition": "outside",
        "cliponaxis": False,
        "hovertemplate": hover,
    }
    return _figure(
        [trace],
        title,
        note=note,
        height=max(300, 130 + 38 * len(labels)),
        # room for the count written after the longest bar: plotly's autorange leaves
        # none, and in a half-width column "16,180" was cut at the figure's edge
        xaxis=_count_axis(
            float(values.max()),
            title={"text": events},
            range=[0, float(values.max()) * 1.2 or 1],
        ),
        yaxis={"autorange": "reversed", "showgrid": False},
        bargap=0.25,
        t=t,
    )


def _vocab_bar(
    counts: pd.DataFrame,
    column: str,
    colours: dict[str, str],
    what: str,
    period: str,
    note: str,
    t: Translator | None,
) -> go.Figure:
    t = t or translator()
    title = _title(t.gettext(what), period)
    data = counts[counts["events"] > 0].sort_values("events", ascending=False, kind="stable")
    if data.empty:
        return _empty(title, note, t=t)
    keys = data[column].astype(str).tolist()
    return _bar(
        [t.vocab(column, k) for k in keys],
        data["events"].to_numpy(),
        keys=keys,
        colours=[colours.get(k, BAR_COLOUR) for k in keys],
        shares=data["share"].to_numpy() if "share" in data else None,
        title=title,
        note=note,
        t=t,
    )


# ----------------------------------------------------------------------------- bars


def theme_bar(
    counts: pd.DataFrame, *, period: str = "", note: str = "", t: Translator | None = None
) -> go.Figure:
    """Bars of query.theme_counts(), one colour per theme, largest first."""
    return _vocab_bar(counts, "theme", THEME_COLOURS, N_("Events by theme"), period, note, t)


def format_bar(
    counts: pd.DataFrame, *, period: str = "", note: str = "", t: Translator | None = None
) -> go.Figure:
    """Bars of query.format_counts() (in-person / virtual / hybrid)."""
    return _vocab_bar(counts, "format", FORMAT_COLOURS, N_("Events by format"), period, note, t)


def activity_bar(
    counts: pd.DataFrame, *, period: str = "", note: str = "", t: Translator | None = None
) -> go.Figure:
    """Bars of query.activity_counts()."""
    what = N_("Events by activity")
    return _vocab_bar(counts, "activity", ACTIVITY_COLOURS, what, period, note, t)


def country_bar(
    counts: pd.DataFrame,
    *,
    period: str = "",
    note: str = "",
    n: int = 15,
    t: Translator | None = None,
) -> go.Figure:
    """The top ``n`` partner countries of query.country_counts(); customdata holds the code."""
    t = t or translator()
    _ = t.gettext
    what = _("Top {n} partner countries").format(n=n) if len(counts) > n else _("Partner countries")
    title = _title(what, period)
    data = counts[counts["events"] > 0].head(n)
    if data.empty:
        return _empty(title, note, t=t)
    codes = data["country"].astype(str).tolist()
    return _bar(
        [t.country(c, name) for c, name in zip(codes, data["name"].astype(str), strict=True)],
        data["events"].to_numpy(),
        keys=codes,
        colours=BAR_COLOUR,
        shares=None,
        title=title,
        note=note,
        t=t,
    )


def region_bar(
    counts: pd.DataFrame, *, period: str = "", note: str = "", t: Translator | None = None
) -> go.Figure:
    """Bars of query.region_counts() (an event counts once per world region)."""
    t = t or translator()
    title = _title(t.gettext("Events by world region"), period)
    data = counts[counts["events"] > 0]
    if data.empty:
        return _empty(title, note, t=t)
    keys = data["region"].astype(str).tolist()
    return _bar(
        [t.region(k) for k in keys],
        data["events"].to_numpy(),
        keys=keys,
        colours=BAR_COLOUR,
        shares=None,
        title=title,
        note=note,
        t=t,
    )


def theme_format_heatmap(
    matrix: pd.DataFrame, *, period: str = "", note: str = "", t: Translator | None = None
) -> go.Figure:
    """Heatmap of query.theme_format_matrix(): themes down, formats across, counts in cells."""
    t = t or translator()
    _ = t.gettext
    title = _title(_("Events by theme and format"), period)
    z = matrix.to_numpy()
    if z.sum() == 0:
        return _empty(title, note, t=t)
    events = _("events")
    trace = {
        "type": "heatmap",
        "z": z,
        "x": [t.format(str(c)) for c in matrix.columns],
        "y": [t.theme(str(i)) for i in matrix.index],
        "text": z,
        "texttemplate": "%{text:,}",
        "textfont": {"size": 15},
        # sequential single hue: fine for colour-blind viewers; plotly.py's Blues spelt out
        # (validation did that, and plotly.js has a different scale under the same name)
        "colorscale": plotly.colors.get_colorscale("Blues"),
        "zmin": 0,
        "xgap": 2,
        "ygap": 2,
        "colorbar": {"title": {"text": events}, "thickness": 14},
        "hovertemplate": f"<b>%{{y}}</b> · %{{x}}<br>%{{z:,}} {events}<extra></extra>",
    }
    return _figure(
        [trace],
        title,
        note=note,
        height=max(380, 130 + 34 * len(matrix)),
        xaxis={"side": "top", "showgrid": False},
        yaxis={"autorange": "reversed", "showgrid": False},
        top_extra=34,  # the format names sit above the cells
        margin={"b": 20},
        t=t,
    )
