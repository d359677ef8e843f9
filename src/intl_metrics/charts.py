"""Figure builders: small aggregate frames in, plotly Figure / pydeck Deck out.

One builder serves the screen and every export, so what staff see is what the
communications office downloads. No Streamlit import. Titles say what and when:
what on the first line, the ``period`` (a :func:`intl_metrics.query.period_label`)
smaller on the second, so they fit a half-width column; ``note`` (e.g.
``Filters.describe()``) becomes a subtitle so an exported image carries its filters.
An empty frame gives a figure that says no events match, never an error. Every builder
takes ``t`` (an i18n.Translator, English by default): titles, axes, legends, hovers,
category names, numbers and the dates on date axes (plotly.js would name the months in
English) are in its language; data text (titles, place names) is shown as written.
Bars and map points carry their category key in ``customdata[0]`` (theme, format,
activity, ISO country code, place name) so a click selection can become a filter.
"""

from __future__ import annotations

import functools
import html
import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import plotly.colors
import plotly.graph_objects as go
import plotly.io as pio
import pydeck as pdk
import pydeck.bindings.deck as _pydeck_deck
from pydeck.bindings.json_tools import default_serialize

from intl_metrics.i18n import N_, Translator, translator
from intl_metrics.schema import (
    ACTIVITIES,
    ACTIVITY_COLOURS,
    FORMAT_COLOURS,
    FORMATS,
    THEME_COLOURS,
    THEMES,
)

__all__ = [
    "EMPTY_MESSAGE",
    "MAX_ARCS",
    "MAX_PLACES",
    "TORINO",
    "WORLD_GEOJSON_PATH",
    "CompactDeck",
    "activity_bar",
    "country_bar",
    "format_bar",
    "gantt_chart",
    "map_note",
    "overview_sparkline",
    "partner_map",
    "region_bar",
    "static_map_figure",
    "theme_bar",
    "theme_format_heatmap",
    "timeline_chart",
    "world_geojson",
]

# pydeck re-tries importing its Jupyter widget on every Deck() (~14 ms, a failed import is
# not cached); outside Jupyter the answer never changes, so remember it.
if not hasattr(_pydeck_deck.has_jupyter_extra, "cache_info"):
    _pydeck_deck.has_jupyter_extra = functools.cache(_pydeck_deck.has_jupyter_extra)

TORINO: tuple[float, float] = (45.0703, 7.6869)  # (lat, lon) of the hub
EMPTY_MESSAGE = N_("No events match these filters")
WORLD_GEOJSON_PATH = Path(__file__).resolve().parents[2] / "data" / "geo" / "world-110m.geojson"

# Sizes chosen to stay readable on a laptop and from the back of a room on a projector.
FONT_FAMILY = "Source Sans Pro, Segoe UI, Helvetica Neue, Arial, sans-serif"
TEXT_COLOUR = "#1f2933"
GRID_COLOUR = "#e4e7eb"
BAR_COLOUR = "#004488"  # for single-series bars (countries, regions): Tol's high-contrast blue
HUB_COLOUR = "#111111"
LAND_COLOUR = "#e6e8eb"
BORDER_COLOUR = "#a7adb4"
OCEAN_COLOUR = "#f4f8fb"
MUTED_COLOUR = "#52606d"
MAX_ARCS = 40  # arcs from Torino: more than a few dozen hide the map under a fan of lines
MAX_PLACES = 2000  # points on the map (~100 bytes each in the page's JSON)
GANTT_BAR_WIDTH = 0.7  # of a row: a gap shows between consecutive events
SPARKLINE_HEIGHT = 320
VALIDATE_FIGURES = False  # True: plotly validates each figure as built (slow; see _figure)

_BY_COLOURS: dict[str, tuple[tuple[str, ...], dict[str, str]]] = {
    "theme": (THEMES, THEME_COLOURS),
    "format": (FORMATS, FORMAT_COLOURS),
    "activity": (ACTIVITIES, ACTIVITY_COLOURS),
}


# ---------------------------------------------------------------------------- layout


def plain(text: object) -> str:
    """Data text as plotly shows it: as written, never as markup.

    plotly reads a subset of HTML in every label, title and hover (``<a href>`` makes a
    live link, ``<b>`` bold); escaping ``& < >`` makes any title show as typed, and
    plotly turns the three entities back into characters. Quotes are left alone:
    plotly does not decode ``&quot;``, which would show literally.
    """
    return html.escape(str(text), quote=False)


def _plain_all(values: Any) -> list[str]:
    return [plain(v) for v in values]


# Title block: the "what" on one line, the period (and any qualifier) on a smaller second
# line, the filters below as plotly's subtitle. One long line overflowed half-width columns
# ("Events by theme, 5 Nov 2003 – 21 Jun 2024" is ~480 px at 22 px; a column at 1280 px is
# ~400 px), and plotly never wraps titles itself.
TITLE_SIZE = 22
PERIOD_SIZE = 16
NOTE_SIZE = 15
_TITLE_PAD = 14  # px from the top edge to the title


def _title(what: str, period: str, *extra: str) -> str:
    """``what`` on the first line; the period and ``extra`` qualifiers, smaller, on the second."""
    second = " · ".join(x for x in (period, *extra) if x)
    if not second:
        return what
    return (
        f"{what}<br><span style='font-size:{PERIOD_SIZE}px;color:{MUTED_COLOUR}'>"
        f"{html.escape(second, quote=False)}</span>"
    )


def _title_height(title: str, note: str) -> int:
    """Pixels the title block takes from the top edge, so the plot starts below it.

    Measured on Kaleido renders: each title line takes about one title font size,
    plotly's subtitle ~40 px more, then some air before the plot.
    """
    lines = 1 + title.count("<br>")
    height = _TITLE_PAD + TITLE_SIZE * lines
    if note:
        height += round(NOTE_SIZE * 1.3) + 20
    return height + 18


def _title_pad(title: str) -> int:
    """Top padding that puts the title's first line ``_TITLE_PAD`` below the edge.

    plotly drops its cap-height shift (0.7 em) when a top-anchored title has several
    lines, which moved the first line up out of the figure; add it back.
    """
    return _TITLE_PAD + (round(0.7 * TITLE_SIZE) if "<br>" in title else 0)


def _count_axis(most: float, **overrides: Any) -> dict[str, Any]:
    """An axis of event counts: whole numbers only. With a few events plotly steps by 0.5
    ('0.5 events'); under 10 every whole number is a tick, above it plotly's own steps
    (1, 2, 5, 10 ...) are whole already."""
    axis: dict[str, Any] = {"rangemode": "tozero", "tickformat": ",d"}
    if most < 10:
        axis |= {"tick0": 0, "dtick": 1}
    return axis | overrides


def _date_ticks(first: Any, last: Any, t: Translator, *, months: bool = False) -> dict[str, Any]:
    """Ticks of a date axis from ``first`` to ``last``, named in ``t``'s language.

    plotly.js names months in English whatever the page's language, so the ticks are
    set here: Mondays ('6 set') over a few weeks, months ('set 2021') over a few years,
    years beyond; at most about ten. ``months``: a chart of months gets month ticks at
    least (its bars stand on the first of each month).
    """
    a, b = pd.Timestamp(first).normalize(), pd.Timestamp(last).normalize()
    days = max((b - a).days, 1)
    if days <= 75 and not months:
        monday = a - pd.Timedelta(days=a.weekday())
        step = max(1, math.ceil(days / 7 / 8))
        ticks = list(pd.date_range(monday, b + pd.Timedelta(days=1), freq=f"{7 * step}D"))
        text = [t.date(d.date(), "d MMM") for d in ticks]
    elif days <= 366 * 4:
        months = days / 30.44
        step = next((k for k in (1, 2, 3, 6, 12) if months / k <= 10), 12)
        first_month = pd.Timestamp(a.year, a.month, 1)
        ticks = [
            d
            for d in pd.date_range(first_month, b + pd.Timedelta(days=31), freq="MS")
            if (d.month - 1) % step == 0
        ]
        text = [t.date(d.date(), "LLL y") for d in ticks]
    else:
        years = days / 365.25
        step = next((k for k in (1, 2, 5, 10, 20, 50) if years / k <= 10), 100)
        ticks = [pd.Timestamp(y, 1, 1) for y in range(a.year, b.year + 2) if y % step == 0]
        text = [str(d.year) for d in ticks]
    return {"tickmode": "array", "tickvals": ticks, "ticktext": text}


def _period_names(periods: np.ndarray, freq: str, t: Translator) -> list[str]:
    """'Week of 6 Sept 2021' / 'September 2021' for each period start, in ``t``'s language."""
    starts = [pd.Timestamp(p).date() for p in periods]
    if freq == "W":
        week = t.gettext("Week of {date}")
        return [week.format(date=t.date(d)) for d in starts]
    return [t.month_year(d) for d in starts]


def _axis(**overrides: Any) -> dict[str, Any]:
    axis: dict[str, Any] = {
        "gridcolor": GRID_COLOUR,
        "zeroline": False,
        "tickfont": {"size": 14},
        "automargin": True,
    }
    axis.update(overrides)
    return axis


def _figure(
    traces: list[dict[str, Any]],
    title: str,
    *,
    note: str = "",
    height: int = 460,
    legend: bool = False,
    xaxis: dict[str, Any] | None = None,
    yaxis: dict[str, Any] | None = None,
    top_extra: int = 0,
    margin: dict[str, int] | None = None,
    t: Translator | None = None,
    **layout: Any,
) -> go.Figure:
    """One validated Figure from plain dicts.

    Built in one go: plotly's update_layout/update_xaxes cost ~10 ms each, which
    would dominate a page's rerun budget. The top margin fits the title block, plus
    ``top_extra`` (e.g. for axis labels on top); ``margin`` overrides single sides.
    """
    spec: dict[str, Any] = {
        "title": {
            "text": title,
            "font": {"size": TITLE_SIZE, "color": TEXT_COLOUR},
            # from the figure's left edge, not the plot area's: long y labels must not
            # push the title out of a narrow column
            "x": 0.0,
            "xanchor": "left",
            "xref": "container",
            "y": 1.0,
            "yanchor": "top",
            "yref": "container",
            "pad": {"l": 12, "t": _title_pad(title)},
            # the filters in words: text a link or a user typed
            "subtitle": {"text": plain(note), "font": {"size": NOTE_SIZE, "color": MUTED_COLOUR}},
        },
        "font": {"family": FONT_FAMILY, "size": 16, "color": TEXT_COLOUR},
        # the decimal and thousands signs of the language, for every number plotly writes
        "separators": (t or translator()).separators,
        "height": height,
        "margin": {"l": 20, "r": 30, "t": _title_height(title, note) + top_extra, "b": 40}
        | (margin or {}),
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "showlegend": legend,
        # on the right, one entry per line: never collides with the title, whatever the width
        "legend": {
            "orientation": "v",
            "yanchor": "top",
            "y": 1.0,
            "x": 1.01,
            "font": {"size": 14},
            "title": {"text": ""},
            "itemclick": "toggleothers",
            "traceorder": "normal",  # vocabulary order, also for stacked bars
        },
        "hoverlabel": {"font": {"size": 15, "family": FONT_FAMILY}, "align": "left"},
        # explicit styling, and no big template copied per figure; spelt out as validation
        # would (the figure is not validated, see below); go.Figure copies the layout
        "template": _none_template(),
        "xaxis": _axis(**(xaxis or {})),
        "yaxis": _axis(**(yaxis or {})),
    }
    spec.update(layout)
    # Not validated: plotly's validation of a dict we wrote costs ~5 ms a figure (most of
    # a bar chart's build) and turns nothing into something else; tests/test_charts.py
    # validates every builder's output instead.
    return go.Figure({"data": traces, "layout": spec}, _validate=VALIDATE_FIGURES)


@functools.cache
def _none_template() -> dict[str, Any]:
    """plotly's "none" template as the dict validation turns the name into."""
    return pio.templates["none"].to_plotly_json()


def _empty(title: str, note: str = "", height: int = 460, t: Translator | None = None) -> go.Figure:
    return _figure(
        [],
        title,
        note=note,
        height=height,
        xaxis={"visible": False},
        yaxis={"visible": False},
        annotations=[_empty_note(t)],
        t=t,
    )


def _empty_note(t: Translator | None = None) -> dict[str, Any]:
    return {
        "text": (t or translator()).gettext(EMPTY_MESSAGE),
        "showarrow": False,
        "xref": "paper",
        "yref": "paper",
        "x": 0.5,
        "y": 0.5,
        "font": {"size": 22, "color": MUTED_COLOUR},
        "bgcolor": "rgba(255,255,255,0.85)",
    }


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


# ------------------------------------------------------------------------ timelines


def timeline_chart(
    counts: pd.DataFrame,
    *,
    by: str = "theme",
    freq: str = "M",
    period: str = "",
    note: str = "",
    t: Translator | None = None,
) -> go.Figure:
    """Stacked bars of query.events_over_time(): events per week/month by theme/format/activity.

    Each event counts once, under its primary theme, so a stack's height is the
    number of events that started in that week or month.
    """
    t = t or translator()
    _ = t.gettext
    title = _title(_(_TIMELINE_TITLES[freq == "W", by]), period)
    if counts.empty or counts["events"].sum() == 0:
        return _empty(title, note, t=t)
    vocab, colours = _BY_COLOURS[by]
    events = _("events")
    groups = counts["group"].astype(str).to_numpy()
    periods = counts["period"].to_numpy()
    values = counts["events"].to_numpy()
    when = np.array(_period_names(periods, freq, t), dtype=object)
    traces = []
    for name in vocab:
        sel = groups == name
        if not sel.any():
            continue
        shown = plain(t.vocab(by, name))
        traces.append(
            {
                "type": "bar",
                "x": periods[sel],
                "y": values[sel],
                "name": shown,
                "marker": {"color": colours[name], "line": {"width": 0}},
                # the key first (a click filters by it), then the period in words
                "customdata": np.column_stack([np.full(int(sel.sum()), name, object), when[sel]]),
                "hovertemplate": (
                    f"<b>{shown}</b><br>%{{customdata[1]}}<br>%{{y:,}} {events}<extra></extra>"
                ),
            }
        )
    step = pd.Timedelta(days=7) if freq == "W" else pd.Timedelta(days=31)
    return _figure(
        traces,
        title,
        note=note,
        legend=True,
        height=480,
        xaxis={"type": "date", "showgrid": False}
        | _date_ticks(periods.min(), pd.Timestamp(periods.max()) + step, t, months=freq == "M"),
        # the tallest stack, not the tallest piece of one
        yaxis=_count_axis(
            float(counts.groupby("period")["events"].sum().max()), title={"text": events}
        ),
        barmode="stack",
        bargap=0.15,
        t=t,
    )


# Each title whole, for translators: (weekly?, stacked by) -> title.
_TIMELINE_TITLES: dict[tuple[bool, str], str] = {
    (True, "theme"): N_("Events per week by primary theme"),
    (False, "theme"): N_("Events per month by primary theme"),
    (True, "format"): N_("Events per week by format"),
    (False, "format"): N_("Events per month by format"),
    (True, "activity"): N_("Events per week by activity"),
    (False, "activity"): N_("Events per month by activity"),
}


def gantt_chart(
    spans: pd.DataFrame,
    *,
    total: int | None = None,
    period: str = "",
    note: str = "",
    t: Translator | None = None,
) -> go.Figure:
    """Each event's span (query.event_spans) coloured by primary theme; title + partners on hover.

    ``total`` is how many events matched; when more than shown, the title says so.
    customdata[5] of each bar is the event id.
    """
    t = t or translator()
    _ = t.gettext
    shown = len(spans)
    capped = (
        _("most recent {shown} of {total} events").format(
            shown=t.number(shown), total=t.number(total)
        )
        if total and total > shown
        else ""
    )
    title = _title(_("Event dates"), period, capped)
    if spans.empty:
        return _empty(title, note, t=t)
    rows = np.arange(shown)
    start = spans["start"].to_numpy()
    end = spans["end"].to_numpy()
    duration = (end - start) / np.timedelta64(1, "ms")
    # over years a one-day bar is thinner than a pixel: draw at least 0.4% of the axis
    # (the hover gives the true dates)
    visible = (end.max() - start.min()) / np.timedelta64(1, "ms")
    duration = np.maximum(duration, 0.004 * visible)
    titles = spans["title"].astype(str).to_numpy()
    partners = spans["partners"].fillna("").astype(str).to_numpy()
    themes = spans["theme"].astype(str).to_numpy()
    # the dates in the language (the frame's 'dates' column is English)
    day = np.timedelta64(1, "D")
    dates = [
        t.period(pd.Timestamp(s).date(), pd.Timestamp(e - day).date())
        for s, e in zip(start, end, strict=True)
    ]
    custom = np.column_stack(
        [
            np.array([t.theme(x) for x in themes], dtype=object),
            np.array(_plain_all(titles), dtype=object),
            np.array(dates, dtype=object),
            np.array(_plain_all(np.where(partners == "", "–", partners)), dtype=object),
            np.array([t.format(f) for f in spans["format"].astype(str)], dtype=object),
            spans["id"].astype(str).to_numpy(),
        ]
    )
    theme_word, partners_word = _("Theme"), _("Partners")
    traces = []
    for name in THEMES:
        sel = themes == name
        if not sel.any():
            continue
        traces.append(
            {
                "type": "bar",
                "base": start[sel],
                "x": duration[sel],
                "y": rows[sel],
                "orientation": "h",
                # one row thick: without a width plotly sizes a trace's bars from the gaps
                # between *its own* rows, so a theme with events 5 rows apart got 5-row bars
                "width": GANTT_BAR_WIDTH,
                "name": plain(t.theme(name)),
                "marker": {"color": THEME_COLOURS[name], "line": {"width": 0}},
                "customdata": custom[sel],
                "hovertemplate": (
                    "<b>%{customdata[1]}</b><br>%{customdata[2]} · %{customdata[4]}"
                    f"<br>{theme_word}: %{{customdata[0]}}<br>{partners_word}: "
                    "%{customdata[3]}<extra></extra>"
                ),
            }
        )
    # row 0 (the first span) on top, every row the same height
    yaxis: dict[str, Any] = {"range": [shown - 0.5, -0.5], "showgrid": False, "zeroline": False}
    if shown <= 40:
        # few enough to name each row; long titles are cut, the hover has them whole
        yaxis["tickvals"] = rows
        yaxis["ticktext"] = [plain(t if len(t) <= 42 else t[:40] + "…") for t in titles]
    else:
        yaxis["showticklabels"] = False
    return _figure(
        traces,
        title,
        note=note,
        legend=True,
        height=int(min(1400, max(360, 150 + 22 * shown))),
        xaxis={"type": "date"} | _date_ticks(start.min(), end.max(), t),
        yaxis=yaxis,
        barmode="overlay",
        bargap=0.25,
        t=t,
    )


def overview_sparkline(
    series: pd.DataFrame,
    *,
    period: str = "",
    freq: str = "M",
    note: str = "",
    t: Translator | None = None,
) -> go.Figure:
    """Events per week or month (query.events_per_period()) for the Overview page.

    One bar per period, from its first day to its last, so the first and the newest
    period are drawn at their value like every other (a stepped line ended in a bare
    tick at the right edge, and the newest number read wrong).
    """
    t = t or translator()
    _ = t.gettext
    title = _title(_("Events per week") if freq == "W" else _("Events per month"), period)
    if series.empty or series["events"].sum() == 0:
        return _empty(title, note, height=SPARKLINE_HEIGHT, t=t)
    starts = pd.DatetimeIndex(series["period"])
    ends = starts + (pd.Timedelta(days=7) if freq == "W" else pd.offsets.MonthBegin(1))
    values = series["events"].to_numpy()
    trace = {
        "type": "bar",
        "x": starts.to_numpy(),
        "y": values,
        "width": ((ends - starts) / pd.Timedelta(milliseconds=1)).to_numpy(),
        "offset": 0,
        "marker": {"color": BAR_COLOUR, "line": {"width": 0}, "opacity": 0.85},
        "customdata": _period_names(starts.to_numpy(), freq, t),
        "hovertemplate": f"%{{customdata}}<br>%{{y:,}} {_('events')}<extra></extra>",
    }
    return _figure(
        [trace],
        title,
        note=note,
        height=SPARKLINE_HEIGHT,
        xaxis={"type": "date", "showgrid": False, "range": [starts[0], ends[-1]]}
        | _date_ticks(starts[0], ends[-1], t, months=freq == "M"),
        yaxis=_count_axis(float(values.max()), nticks=5),
        margin={"b": 30},
        bargap=0.1,
        t=t,
    )


# ------------------------------------------------------------------------------ map


@functools.cache
def world_geojson() -> dict[str, Any]:
    """The shipped Natural Earth 110m country outline (data/geo), loaded once."""
    return json.loads(WORLD_GEOJSON_PATH.read_text(encoding="utf-8"))


class CompactDeck(pdk.Deck):
    """A pydeck Deck whose JSON has no indentation.

    pydeck serialises with ``indent=2``, one number per line, which turns the
    160 KB world outline into ~1 MB on every Streamlit rerun; compact JSON keeps the
    map page's payload near the size of its data.
    """

    def to_json(self) -> str:
        return json.dumps(self, sort_keys=True, default=default_serialize, separators=(",", ":"))


def _rgb(hex_colour: str, alpha: int = 255) -> list[int]:
    h = hex_colour.lstrip("#")
    return [int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16), alpha]


def _size_scale(events: np.ndarray) -> np.ndarray:
    """0..1 by the square root of events (area ~ count); a peak under 25 is not blown up."""
    peak = max(float(events.max()) if len(events) else 1.0, 25.0)
    return np.sqrt(events / peak)


def _records(columns: dict[str, list[Any]], keep: list[bool] | None = None) -> list[dict[str, Any]]:
    """Rows as dicts of plain Python values (the ``keep`` ones), what pydeck sends.

    pydeck turns a DataFrame into records with ``to_dict``, which boxes every Arrow
    string cell one by one (~60 ms for 2,000 places); lists of whole columns zip at once.
    """
    names = list(columns)
    rows = zip(*columns.values(), strict=True)
    if keep is not None:
        rows = (row for row, k in zip(rows, keep, strict=True) if k)
    return [dict(zip(names, row, strict=True)) for row in rows]


def _map_records(places: pd.DataFrame, t: Translator) -> dict[str, list[Any]]:
    """The columns the deck's point layers and tooltip read, as Python lists."""
    scale = _size_scale(places["events"].to_numpy(dtype=float))
    themes = places["leading_theme"].tolist()
    # a little see-through: where dots crowd (Europe at 20k events) the ones below still show
    colours = {t: _rgb(THEME_COLOURS.get(t, "#777777"), 210) for t in set(themes)}
    return {
        "name": places["name"].tolist(),
        "country": places["country"].tolist(),
        "events": places["events"].tolist(),
        "tip": _tooltip_texts(places, t),
        "lon": places["lon"].to_numpy(dtype=float).tolist(),
        "lat": places["lat"].to_numpy(dtype=float).tolist(),
        # small at the low end: at 20k events a median place has 3 events and 2,000 dots crowd
        "radius": np.round(2.5 + 15.5 * scale, 1).tolist(),  # pixels
        "colour": [list(colours[t]) for t in themes],
        "kind": places["kind"].tolist(),
    }


def _tooltip_texts(places: pd.DataFrame, t: Translator) -> list[str]:
    """Plain text, one fact a line: place, country, events, then the latest titles.

    Plain text, not HTML: Streamlit escapes values put into an html tooltip (a ``<br/>``
    inside a value showed literally) while pydeck's saved HTML page does not escape them
    at all; a text tooltip is drawn with innerText by both, newlines included.
    """
    _ = t.gettext
    kind_text = {"region": " (" + _("region") + ")", "country": " (" + _("country") + ")"}
    out = []
    # whole columns to Python lists first: iterating Arrow-backed columns goes cell by cell
    for name, kind, code, country, events, titles in zip(
        places["name"].tolist(),
        places["kind"].tolist(),
        places["country"].tolist(),
        places["country_name"].tolist(),
        places["events"].tolist(),
        places["titles"].tolist(),
        strict=True,
    ):
        lines = [f"{name}{kind_text.get(kind, '')}"]
        if country and not (kind == "country" and country == name):
            lines.append(t.country(code, str(country)) if code else str(country))
        lines.append(t.ngettext("{n} event", "{n} events", events).format(n=t.number(events)))
        if titles:
            lines.append("")  # a blank line sets the titles apart
            lines.extend(str(titles).split("\n"))
        out.append("\n".join(lines))
    return out


def _arc_records(places: pd.DataFrame, max_arcs: int) -> list[dict[str, Any]]:
    """The ``max_arcs`` places with most events, with arc widths and colours.

    Width grows with the square root of events (as dot areas do), so the strongest
    partnerships stand out; arcs are half transparent so crossings stay legible.
    """
    events = places["events"].to_numpy(dtype=float)
    # the busiest first (equals in their order), as DataFrame.nlargest(keep="first")
    top = (
        np.argsort(-events, kind="stable")[:max_arcs]
        if len(places) > max_arcs
        else np.arange(len(places))
    )
    themes = places["leading_theme"].to_numpy()[top].tolist()
    return _records(
        {
            "lon": places["lon"].to_numpy(dtype=float)[top].tolist(),
            "lat": places["lat"].to_numpy(dtype=float)[top].tolist(),
            "width": np.round(1 + 5 * _size_scale(events[top]), 2).tolist(),
            "arc_colour": [_rgb(THEME_COLOURS.get(t, "#777777"), 150) for t in themes],
        }
    )


def map_note(
    places: int,
    *,
    max_arcs: int = MAX_ARCS,
    max_places: int = MAX_PLACES,
    t: Translator | None = None,
) -> str:
    """What the map leaves out, for its subtitle: '' when it draws every place and arc.

    ``places`` is the number of partner places (rows of query.partner_place_counts).
    """
    t = t or translator()
    _ = t.gettext
    parts = []
    if places > max_arcs:
        parts.append(_("arcs to the {n} most frequent partners").format(n=t.number(max_arcs)))
    if places > max_places:
        parts.append(
            _("dots for the {n} most frequent of {total} places").format(
                n=t.number(max_places), total=t.number(places)
            )
        )
    return " · ".join(parts)


def _view(places: pd.DataFrame, hub: tuple[float, float]) -> pdk.ViewState:
    """A view that frames the hub and every partner (whole world at most)."""
    lats = np.append(places["lat"].to_numpy(dtype=float), hub[0])
    lons = np.append(places["lon"].to_numpy(dtype=float), hub[1])
    lat_span = max(lats.max() - lats.min(), 8.0)
    lon_span = max(lons.max() - lons.min(), 12.0)
    # Web-Mercator zoom z shows ~360 / 2**z degrees of longitude across ~1000 px
    zoom = math.log2(min(360 / (lon_span * 1.3), 170 / (lat_span * 1.5)))
    return pdk.ViewState(
        latitude=float((lats.max() + lats.min()) / 2),
        longitude=float((lons.max() + lons.min()) / 2),
        zoom=float(min(max(zoom, 0.6), 6.0)),
        pitch=0,
        bearing=0,
    )


def partner_map(
    places: pd.DataFrame,
    *,
    period: str = "",
    world: dict[str, Any] | str | None = None,
    hub: tuple[float, float] = TORINO,
    max_places: int = MAX_PLACES,
    max_arcs: int = MAX_ARCS,
    t: Translator | None = None,
) -> pdk.Deck:
    """Offline pydeck map of query.partner_place_counts(): outline, arcs from Torino, points.

    ``world`` is the outline layer's data: None -> the bundled GeoJSON dict (~170 KB
    sent with the deck on every rerun), a URL string (e.g. a file served by
    Streamlit's static serving, fetched once and cached by the browser), or a dict.
    Cities are filled dots sized by events and coloured by their leading theme;
    partners known only as a region or country are hollow rings at the area's centre.
    Only the ``max_places`` places with most events are drawn (~100 bytes each), and
    arcs go to the ``max_arcs`` busiest only: thousands of arcs hide the map
    (:func:`map_note` says so in words for the subtitle).
    No basemap: ``map_provider=None`` makes no request. ``period`` is unused by the
    deck itself (pydeck has no title) and kept so the call reads like the others.
    """
    del period  # the page heading carries the title
    # places come most-events first: the cap keeps the page's JSON small at 1M events
    places = places.head(max_places)
    layers: list[pdk.Layer] = [
        pdk.Layer(
            "GeoJsonLayer",
            data=world if world is not None else world_geojson(),
            id="world",
            stroked=True,
            filled=True,
            get_fill_color=_rgb(LAND_COLOUR),
            get_line_color=_rgb(BORDER_COLOUR),
            line_width_min_pixels=0.6,
            pickable=False,
        )
    ]
    if len(places):
        data = _map_records(places, t or translator())
        is_city = [kind == "city" for kind in data["kind"]]
        layers.append(
            pdk.Layer(
                "ArcLayer",
                data=_arc_records(places, max_arcs),
                id="arcs",
                get_source_position=[hub[1], hub[0]],
                get_target_position="[lon, lat]",
                get_source_color=[120, 120, 120, 40],  # faint at the hub, which all arcs share
                get_target_color="arc_colour",
                get_width="width",
                width_units="pixels",
                great_circle=True,
                pickable=False,
            )
        )
        layers.append(
            pdk.Layer(
                "ScatterplotLayer",
                data=_records(data, [not city for city in is_city]),
                id="areas",  # regions and countries: hollow rings at the area's centre
                get_position="[lon, lat]",
                get_radius="radius",
                radius_units="pixels",
                filled=False,
                stroked=True,
                get_line_color="colour",
                line_width_units="pixels",
                get_line_width=3,
                pickable=True,
                auto_highlight=True,
            )
        )
        layers.append(
            pdk.Layer(
                "ScatterplotLayer",
                data=_records(data, is_city),
                id="cities",
                get_position="[lon, lat]",
                get_radius="radius",
                radius_units="pixels",
                radius_min_pixels=3,
                filled=True,
                stroked=True,
                get_fill_color="colour",
                get_line_color=[255, 255, 255, 255],
                line_width_units="pixels",
                get_line_width=1,
                pickable=True,
                auto_highlight=True,
            )
        )
    layers.append(
        pdk.Layer(
            "ScatterplotLayer",
            data=[{"lon": hub[1], "lat": hub[0]}],
            id="hub",
            get_position="[lon, lat]",
            get_radius=7,
            radius_units="pixels",
            get_fill_color=_rgb(HUB_COLOUR),
            get_line_color=[255, 255, 255, 255],
            stroked=True,
            line_width_units="pixels",
            get_line_width=2,
            pickable=False,
        )
    )
    layers.append(
        pdk.Layer(
            "TextLayer",
            data=[{"lon": hub[1], "lat": hub[0], "text": "Torino"}],
            id="hub-label",
            get_position="[lon, lat]",
            get_text="text",
            get_size=15,
            get_color=_rgb(HUB_COLOUR),
            get_pixel_offset=[0, -16],
            font_weight=700,
            pickable=False,
        )
    )
    tooltip = {
        "text": "{tip}",
        "style": {
            "backgroundColor": "white",
            "color": TEXT_COLOUR,
            "fontFamily": FONT_FAMILY,
            "fontSize": "14px",
            "lineHeight": "1.35",
            "border": "1px solid #cbd2d9",
            "maxWidth": "360px",
            "whiteSpace": "pre-line",  # keeps the newlines, wraps long titles
            # Pinned to the map's top right corner, not at the pointer: a tooltip that
            # followed it ran off the map's right and bottom edges. The widget sets its
            # position with a transform, which this style replaces.
            "transform": "none",
            "top": "10px",
            "right": "10px",
            "left": "auto",
            "maxHeight": "calc(100% - 20px)",
            "overflow": "hidden",
        },
    }
    return CompactDeck(
        layers=layers,
        initial_view_state=_view(places, hub)
        if len(places)
        else pdk.ViewState(latitude=30, longitude=10, zoom=0.6),
        map_provider=None,
        tooltip=tooltip,
        parameters={"clearColor": [0.957, 0.973, 0.984, 1.0]},  # ocean tint behind the land
    )


# ------------------------------------------------------------ static map (for PNG)


@functools.cache
def _outline_xy() -> tuple[tuple[float | None, ...], tuple[float | None, ...]]:
    """Every outline ring as one None-separated x/y path (one plotly trace draws the world)."""
    xs: list[float | None] = []
    ys: list[float | None] = []
    for feature in world_geojson()["features"]:
        geom = feature["geometry"]
        polygons = [geom["coordinates"]] if geom["type"] == "Polygon" else geom["coordinates"]
        for polygon in polygons:
            for ring in polygon[:1]:  # outer rings: lakes at 1:110m are not worth the ink
                xs.extend(p[0] for p in ring)
                ys.extend(p[1] for p in ring)
                xs.append(None)
                ys.append(None)
    return tuple(xs), tuple(ys)


def _arc_paths(
    lons: np.ndarray, lats: np.ndarray, hub: tuple[float, float], steps: int = 24
) -> tuple[np.ndarray, np.ndarray]:
    """Curved hub->place paths (quadratic Bézier bulging to one side), None-separated."""
    x0, y0 = hub[1], hub[0]
    dx, dy = lons - x0, lats - y0
    # control point: the midpoint pushed sideways by a fifth of the distance
    cx, cy = x0 + dx / 2 - dy * 0.2, y0 + dy / 2 + dx * 0.2
    t = np.linspace(0.0, 1.0, steps)[:, None]
    px = (1 - t) ** 2 * x0 + 2 * (1 - t) * t * cx + t**2 * lons
    py = (1 - t) ** 2 * y0 + 2 * (1 - t) * t * cy + t**2 * lats
    gap = np.full((1, len(lons)), np.nan)
    return np.vstack([px, gap]).T.ravel(), np.vstack([py, gap]).T.ravel()


def static_map_figure(
    places: pd.DataFrame,
    *,
    period: str = "",
    note: str = "",
    hub: tuple[float, float] = TORINO,
    labels: int = 8,
    max_arcs: int = MAX_ARCS,
    t: Translator | None = None,
) -> go.Figure:
    """The partner map as a plotly figure drawn from the outline (no network), for PNG export.

    Plate carrée projection framing the partners; the ``labels`` biggest places are
    named. Like the interactive map, arcs go to the ``max_arcs`` busiest places only,
    and the subtitle says so. Not ``scatter_geo``: that fetches its topojson from a CDN.
    """
    t = t or translator()
    title = _title(t.gettext("Partner places"), period)
    # every place is drawn here: only the arcs are left out
    left_out = map_note(len(places), max_arcs=max_arcs, max_places=len(places), t=t)
    note = " · ".join(x for x in (note, left_out) if x)
    # The plot's size in the export is fixed (the legend has its own margin), and the
    # ranges are fitted to its aspect: a degree is the same number of pixels across
    # and up, known here, so place names can be laid out where they will print.
    plot_px = (
        _STATIC_PX[0] - 20 - _STATIC_LEGEND_PX,
        _STATIC_PX[1] - _title_height(title, note) - 40,
    )
    x_range, y_range = _fit_aspect(*_map_ranges(places, hub), plot_px)
    xs, ys = _outline_xy()
    traces: list[dict[str, Any]] = [
        {
            "type": "scatter",
            "x": xs,
            "y": ys,
            "mode": "lines",
            "fill": "toself",
            "fillcolor": LAND_COLOUR,
            "line": {"color": BORDER_COLOUR, "width": 0.6},
            "hoverinfo": "skip",
            "showlegend": False,
        }
    ]
    if len(places):
        lons = places["lon"].to_numpy(dtype=float)
        lats = places["lat"].to_numpy(dtype=float)
        lead = places["leading_theme"].astype(str).to_numpy()
        names = np.array(_plain_all(places["name"].astype(str)), dtype=object)
        size = 5 + 24 * _size_scale(places["events"].to_numpy(dtype=float))
        is_city = (places["kind"] == "city").to_numpy()
        arcs = _arc_records(places, max_arcs)
        for arc in arcs:
            lon, lat, width, colour = arc["lon"], arc["lat"], arc["width"], arc["arc_colour"]
            ax, ay = _arc_paths(np.array([lon]), np.array([lat]), hub)
            traces.append(
                {
                    "type": "scatter",
                    "x": ax,
                    "y": ay,
                    "mode": "lines",
                    "line": {"color": "rgb({},{},{})".format(*colour[:3]), "width": width / 2},
                    "opacity": 0.55,
                    "hoverinfo": "skip",
                    "showlegend": False,
                }
            )
        for name in THEMES:
            for city in (True, False):
                sel = (lead == name) & (is_city == city)
                if not sel.any():
                    continue
                colour = THEME_COLOURS[name]
                traces.append(
                    {
                        "type": "scatter",
                        "x": lons[sel],
                        "y": lats[sel],
                        "mode": "markers",
                        "name": plain(t.theme(name)),
                        "legendgroup": name,
                        "showlegend": city or not ((lead == name) & is_city).any(),
                        "marker": {
                            "symbol": "circle" if city else "circle-open",
                            "size": size[sel],
                            "color": colour,
                            "line": {
                                "color": "white" if city else colour,
                                "width": 1 if city else 3,
                            },
                            "opacity": 0.9,
                        },
                        "text": names[sel],
                        "hovertemplate": "%{text}<extra></extra>",
                    }
                )
        if (~is_city).any():
            traces.append(
                {
                    "type": "scatter",
                    "x": [None],
                    "y": [None],
                    "mode": "markers",
                    "name": t.gettext("ring: region or country partner"),
                    "marker": {
                        "symbol": "circle-open",
                        "size": 14,
                        "color": MUTED_COLOUR,
                        "line": {"width": 3},
                    },
                }
            )
        chosen = _label_layout(
            lons,
            lats,
            places["name"].astype(str).tolist(),
            size,
            x_range,
            y_range,
            hub,
            labels,
            plot_px,
        )
        if chosen:
            rows = [i for i, _ in chosen]
            traces.append(
                {
                    "type": "scatter",
                    "x": lons[rows],
                    "y": lats[rows],
                    # invisible dots as big as the drawn ones: plotly sets text off by
                    # its own trace's marker size, and a name must clear its dot
                    "mode": "markers+text",
                    "marker": {"size": size[rows], "opacity": 0},
                    "text": [names[i] for i in rows],
                    "textposition": [position for _, position in chosen],
                    # a white halo keeps a name readable over the dots around it
                    "textfont": {
                        "size": LABEL_SIZE,
                        "color": TEXT_COLOUR,
                        "shadow": "0 0 3px white, 0 0 3px white, 0 0 2px white",
                    },
                    "hoverinfo": "skip",
                    "showlegend": False,
                }
            )
    traces.append(
        {
            "type": "scatter",
            "x": [hub[1]],
            "y": [hub[0]],
            "mode": "markers+text",
            "text": ["<b>Torino</b>"],
            "textposition": "bottom center",
            "textfont": {"size": 14},
            "marker": {
                "symbol": "star",
                "size": 18,
                "color": HUB_COLOUR,
                "line": {"color": "white", "width": 1},
            },
            "hoverinfo": "skip",
            "showlegend": False,
        }
    )
    return _figure(
        traces,
        title,
        note=note,
        legend=bool(len(places)),
        height=int(_STATIC_PX[1]),
        margin={"r": int(_STATIC_LEGEND_PX)},  # the legend's own room: the plot's size is known
        xaxis={"range": x_range, "visible": False, "showgrid": False},
        yaxis={
            "range": y_range,
            "visible": False,
            "showgrid": False,
            "scaleanchor": "x",
            "scaleratio": 1,
        },
        plot_bgcolor=OCEAN_COLOUR,
        t=t,
        **({} if len(places) else {"annotations": [_empty_note(t)]}),
    )


LABEL_SIZE = 13  # px, place names on the static map
# Where a name may sit around its dot, in order of preference (plotly's textposition).
_LABEL_SPOTS = ("top center", "bottom center", "middle right", "middle left", "top right",
                "top left", "bottom right", "bottom left")  # fmt: skip
# The static map's export size, and the width its legend takes at the right.
_STATIC_PX = (1200.0, 700.0)
_STATIC_LEGEND_PX = 280.0  # the right margin, where the legend sits


def _fit_aspect(
    x_range: list[float], y_range: list[float], plot_px: tuple[float, float]
) -> tuple[list[float], list[float]]:
    """The ranges widened (about their middle) to the plot's aspect: equal degrees per pixel."""
    scale = max((x_range[1] - x_range[0]) / plot_px[0], (y_range[1] - y_range[0]) / plot_px[1])

    def widened(r: list[float], px: float) -> list[float]:
        middle, half = (r[0] + r[1]) / 2, scale * px / 2
        return [middle - half, middle + half]

    return widened(x_range, plot_px[0]), widened(y_range, plot_px[1])


def _label_layout(
    lons: np.ndarray,
    lats: np.ndarray,
    names: list[str],
    sizes: np.ndarray,
    x_range: list[float],
    y_range: list[float],
    hub: tuple[float, float],
    wanted: int,
    plot_px: tuple[float, float],
) -> list[tuple[int, str]]:
    """Which places to name and where: the biggest first, each name put in the first spot
    around its dot where it overlaps no name placed before it (nor Torino's star and
    name), else left out. Around Torino, where Europe's partners crowd, names used to
    print over each other. Positions are worked out in the export's pixels, from the
    plot area and the degrees per pixel that the equal-aspect axes give."""
    scale = max(
        (x_range[1] - x_range[0]) / plot_px[0], (y_range[1] - y_range[0]) / plot_px[1]
    )  # degrees per pixel: the equal-aspect axes take the larger

    def px(lon: float, lat: float) -> tuple[float, float]:
        return lon / scale, lat / scale

    char_w, line_h, pad = 0.58 * LABEL_SIZE, LABEL_SIZE + 3, 3.0
    hx, hy = px(hub[1], hub[0])
    taken = [  # Torino's star and its bold name below it
        (hx - 10, hy - 10, hx + 10, hy + 10),
        (hx - 30, hy - 12 - line_h, hx + 30, hy - 12),
    ]
    chosen: list[tuple[int, str]] = []
    for i in range(min(len(names), 4 * wanted)):
        if len(chosen) == wanted:
            break
        x, y = px(float(lons[i]), float(lats[i]))
        w, r = char_w * len(names[i]), float(sizes[i]) / 2 + 2
        for spot in _LABEL_SPOTS:
            vertical, horizontal = spot.split()
            x0 = {"center": x - w / 2, "right": x + r, "left": x - r - w}[horizontal]
            y0 = {"top": y + r, "middle": y - line_h / 2, "bottom": y - r - line_h}[vertical]
            box = (x0, y0, x0 + w, y0 + line_h)
            if not any(
                box[0] < b[2] + pad
                and b[0] < box[2] + pad
                and box[1] < b[3] + pad
                and b[1] < box[3] + pad
                for b in taken
            ):
                taken.append(box)
                chosen.append((i, spot))
                break
    return chosen


def _map_ranges(places: pd.DataFrame, hub: tuple[float, float]) -> tuple[list[float], list[float]]:
    if not len(places):
        return [-170.0, 190.0], [-58.0, 84.0]
    lons = np.append(places["lon"].to_numpy(dtype=float), hub[1])
    lats = np.append(places["lat"].to_numpy(dtype=float), hub[0])
    lon_pad = max(8.0, 0.08 * (lons.max() - lons.min()))
    lat_pad = max(6.0, 0.08 * (lats.max() - lats.min()))
    x = [max(-180.0, lons.min() - lon_pad), min(180.0, lons.max() + lon_pad)]
    y = [max(-60.0, lats.min() - lat_pad), min(85.0, lats.max() + lat_pad)]
    return x, y
