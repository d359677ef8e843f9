"""Charts over time: stacked bars of events per week or month, the Gantt chart of each
event's span, and the Overview's sparkline of events per period.

Date axes are ticked here in the reader's language (see ``style._date_ticks``).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from intl_metrics.charts.style import (
    BAR_COLOUR,
    _count_axis,
    _date_ticks,
    _empty,
    _figure,
    _period_names,
    _plain_all,
    _title,
    plain,
)
from intl_metrics.i18n import N_, Translator, translator
from intl_metrics.schema import (
    ACTIVITIES,
    ACTIVITY_COLOURS,
    FORMAT_COLOURS,
    FORMATS,
    THEME_COLOURS,
    THEMES,
)

GANTT_BAR_WIDTH = 0.7  # of a row: a gap shows between consecutive events
SPARKLINE_HEIGHT = 320

_BY_COLOURS: dict[str, tuple[tuple[str, ...], dict[str, str]]] = {
    "theme": (THEMES, THEME_COLOURS),
    "format": (FORMATS, FORMAT_COLOURS),
    "activity": (ACTIVITIES, ACTIVITY_COLOURS),
}


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
