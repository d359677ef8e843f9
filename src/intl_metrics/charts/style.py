"""Chart style and the common parts of every figure: colours, fonts, title block, axes.

:func:`_figure` builds each plotly Figure in one go from plain dicts with the house
styling; the title block (what, then the period smaller, then the filters as a
subtitle), count and date axes in the reader's language, the empty-figure message, and
:func:`plain` for data text shown as written. The builders in the sibling modules all
go through here, so the screen and every export look alike.
"""

from __future__ import annotations

import functools
import html
import math
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from intl_metrics.i18n import N_, Translator, translator

EMPTY_MESSAGE = N_("No events match these filters")

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
VALIDATE_FIGURES = False  # True: plotly validates each figure as built (slow; see _figure)


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
