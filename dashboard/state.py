"""Filters <-> sidebar widgets <-> URL query parameters.

The widgets' session-state keys are the truth during a session; the URL is written
from them on every run so that a copied link opens the same view, and read once when
a session starts (a fresh tab, a pasted link). Clicks on charts change the same keys
from a callback, which runs before the sidebar is drawn, so the sidebar and the URL
follow the click.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import streamlit as st

from intl_metrics.query import PERIOD_PRESETS, Filters, preset_range
from intl_metrics.schema import ACTIVITIES, FORMATS, THEMES

# Period choices: the query presets (relative to today) plus a chosen quarter or month
# of the data, or any dates.
QUARTER = "Choose a quarter"
MONTH = "Choose a month"
CUSTOM = "Custom dates"
PERIOD_CHOICES: tuple[str, ...] = (*PERIOD_PRESETS, QUARTER, MONTH, CUSTOM)
ALL = PERIOD_PRESETS[0]

# Session-state keys of the sidebar widgets.
K_PERIOD = "flt_period"
K_QUARTER = "flt_quarter"
K_MONTH = "flt_month"
K_RANGE = "flt_range"
K_THEMES = "flt_themes"
K_FORMATS = "flt_formats"
K_ACTIVITIES = "flt_activities"
K_COUNTRIES = "flt_countries"
K_CITIES = "flt_cities"
K_TEXT = "flt_text"
_K_STARTED = "flt_started"

# URL parameter -> session key of the list-valued filters.
LIST_PARAMS: dict[str, str] = {
    "theme": K_THEMES,
    "format": K_FORMATS,
    "activity": K_ACTIVITIES,
    "country": K_COUNTRIES,
    "city": K_CITIES,
}
# Every parameter this module owns (others in the URL are left alone).
OWN_PARAMS: frozenset[str] = frozenset(
    {*LIST_PARAMS, "q", "period", "from", "to", "quarter", "month"}
)
# Each page's own controls kept in the URL (page url path -> parameters); on another
# page they are dropped, so a copied link holds only what its page shows.
PAGE_PARAMS: dict[str, tuple[str, ...]] = {
    "events": ("search", "sort"),
    "timeline": ("per", "by"),
}

_MAX_TEXT = 200  # a pasted URL cannot make the free-text filter huge


def slug(choice: str) -> str:
    """'Last 12 months' -> 'last-12-months' (the period's URL form)."""
    return choice.lower().replace(" ", "-")


_BY_SLUG: dict[str, str] = {slug(c): c for c in PERIOD_CHOICES}
_BY_SLUG.update({"quarter": QUARTER, "month": MONTH, "custom": CUSTOM})
_URL_SLUG: dict[str, str] = {QUARTER: "quarter", MONTH: "month", CUSTOM: "custom"}


@dataclass(frozen=True)
class ViewState:
    """The sidebar's values in plain form: what the URL stores and Filters are made of."""

    period: str = ALL
    start: date | None = None
    end: date | None = None
    quarter: str = ""  # '2021-Q3'
    month: str = ""  # '2021-09'
    themes: tuple[str, ...] = ()
    formats: tuple[str, ...] = ()
    activities: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    cities: tuple[str, ...] = ()
    text: str = ""


# ---------------------------------------------------------------- periods


def quarter_range(label: str) -> tuple[date, date] | None:
    """'2021-Q3' -> (1 Jul 2021, 30 Sep 2021); None when the label is not a quarter."""
    try:
        year_s, q_s = label.split("-Q")
        year, q = int(year_s), int(q_s)
        if not 1 <= q <= 4 or not 1 <= year <= 9999:
            return None
        start = date(year, 3 * q - 2, 1)
        end = date(year + 1, 1, 1) if q == 4 else date(year, 3 * q + 1, 1)
        return start, end - timedelta(days=1)
    except ValueError:
        return None


def month_range(label: str) -> tuple[date, date] | None:
    """'2021-09' -> (1 Sep 2021, 30 Sep 2021); None when the label is not a month."""
    try:
        year_s, m_s = label.split("-")
        year, m = int(year_s), int(m_s)
        start = date(year, m, 1)
        end = date(year + 1, 1, 1) if m == 12 else date(year, m + 1, 1)
        return start, end - timedelta(days=1)
    except ValueError:
        return None


def quarters_between(first: date, last: date) -> list[str]:
    """Quarter labels from ``last`` back to ``first`` (newest first, as people pick them)."""
    out: list[str] = []
    y, q = last.year, (last.month - 1) // 3 + 1
    while (y, q) >= (first.year, (first.month - 1) // 3 + 1) and len(out) < 400:
        out.append(f"{y}-Q{q}")
        y, q = (y - 1, 4) if q == 1 else (y, q - 1)
    return out


def months_between(first: date, last: date) -> list[str]:
    """Month labels from ``last`` back to ``first``, newest first."""
    out: list[str] = []
    y, m = last.year, last.month
    while (y, m) >= (first.year, first.month) and len(out) < 1200:
        out.append(f"{y}-{m:02d}")
        y, m = (y - 1, 12) if m == 1 else (y, m - 1)
    return out


def month_label(label: str) -> str:
    """'2021-09' -> 'September 2021' for the month picker."""
    r = month_range(label)
    return r[0].strftime("%B %Y") if r else label


def quarter_label(label: str) -> str:
    """'2021-Q3' -> 'Q3 2021 (Jul – Sep)' for the quarter picker."""
    r = quarter_range(label)
    if not r:
        return label
    return f"{label[-2:]} {label[:4]} ({r[0]:%b} – {r[1]:%b})"


def period_dates(
    vs: ViewState, today: date, data_min: date, data_max: date
) -> tuple[date | None, date | None]:
    """The (start, end) a view state means; (None, None) for all dates."""
    if vs.period == ALL:
        return None, None
    if vs.period in PERIOD_PRESETS:
        return preset_range(vs.period, today, data_min, data_max)
    if vs.period == QUARTER and (r := quarter_range(vs.quarter)):
        return r
    if vs.period == MONTH and (r := month_range(vs.month)):
        return r
    if vs.start and vs.end:
        return (vs.start, vs.end) if vs.start <= vs.end else (vs.end, vs.start)
    return None, None


def to_filters(vs: ViewState, today: date, data_min: date, data_max: date) -> Filters:
    """The query Filters of a view state."""
    start, end = period_dates(vs, today, data_min, data_max)
    return Filters(
        start=start,
        end=end,
        themes=vs.themes,
        formats=vs.formats,
        activities=vs.activities,
        countries=vs.countries,
        cities=vs.cities,
        text=vs.text.strip(),
    )


# ---------------------------------------------------------------- URL


def _iso(value: str) -> date | None:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        return None


def _clean(values: Iterable[str], allowed: Sequence[str] | None) -> tuple[str, ...]:
    """Drop blanks, duplicates and (for closed vocabularies) unknown labels, keep order.

    A closed vocabulary's label is taken in any case (a hand-typed ?theme=Migration).
    """
    by_case = {a.casefold(): a for a in allowed} if allowed is not None else None
    out: list[str] = []
    for v in values:
        v = v.strip()[:_MAX_TEXT]
        if by_case is not None:
            v = by_case.get(v.casefold(), "")
        if v and v not in out:
            out.append(v)
    return tuple(out)


def from_params(params: Mapping[str, Sequence[str]]) -> ViewState:
    """A view state from URL parameters (each a list of values); bad values are ignored."""

    def one(name: str) -> str:
        vals = params.get(name) or []
        return vals[-1] if vals else ""

    period = _BY_SLUG.get(one("period").strip().lower(), "")
    start, end = _iso(one("from")), _iso(one("to"))
    if not period:
        # A link with only dates is a custom range; with nothing, all dates.
        period = CUSTOM if (start and end) else ALL
    if period == CUSTOM and not (start and end):
        period = ALL
    quarter = one("quarter") if quarter_range(one("quarter")) else ""
    month = one("month") if month_range(one("month")) else ""
    if (period == QUARTER and not quarter) or (period == MONTH and not month):
        period = ALL
    return ViewState(
        period=period,
        start=start if period == CUSTOM else None,
        end=end if period == CUSTOM else None,
        quarter=quarter if period == QUARTER else "",
        month=month if period == MONTH else "",
        themes=_clean(params.get("theme", []), THEMES),
        formats=_clean(params.get("format", []), FORMATS),
        activities=_clean(params.get("activity", []), ACTIVITIES),
        countries=tuple(c.upper() for c in _clean(params.get("country", []), None)),
        cities=_clean(params.get("city", []), None),
        text=one("q").strip()[:_MAX_TEXT],
    )


def to_params(vs: ViewState) -> dict[str, list[str]]:
    """URL parameters of a view state; defaults are left out so a plain link stays plain."""
    out: dict[str, list[str]] = {}
    if vs.period != ALL:
        out["period"] = [_URL_SLUG.get(vs.period, slug(vs.period))]
    if vs.period == QUARTER and vs.quarter:
        out["quarter"] = [vs.quarter]
    if vs.period == MONTH and vs.month:
        out["month"] = [vs.month]
    if vs.period == CUSTOM and vs.start and vs.end:
        out["from"] = [vs.start.isoformat()]
        out["to"] = [vs.end.isoformat()]
    for name, values in (
        ("theme", vs.themes),
        ("format", vs.formats),
        ("activity", vs.activities),
        ("country", vs.countries),
        ("city", vs.cities),
    ):
        if values:
            out[name] = list(values)
    if vs.text.strip():
        out["q"] = [vs.text.strip()]
    return out


def _current_params() -> dict[str, list[str]]:
    return {k: st.query_params.get_all(k) for k in st.query_params}


def write_url(vs: ViewState, page: str = "") -> None:
    """Make the URL show the view state, keeping parameters that are not ours.

    ``page``: the url path of the page shown; other pages' own parameters are dropped.
    """
    want = to_params(vs)
    have = _current_params()
    stale = {p for name, ps in PAGE_PARAMS.items() if name != page for p in ps}
    if {k: v for k, v in have.items() if k in OWN_PARAMS} == want and not stale & set(have):
        return  # an unchanged URL sends nothing to the browser
    merged = {k: v for k, v in have.items() if k not in OWN_PARAMS and k not in stale}
    merged.update(want)
    st.query_params.from_dict(merged)


def page_param(name: str, key: str, default: str, allowed: Sequence[str] | None = None) -> str:
    """A page control's value, first taken from the URL (a pasted link) when the control
    has none yet in this session. Case does not count for a closed list of values."""
    ss = st.session_state
    if key not in ss:
        values = st.query_params.get_all(name)
        value = values[-1].strip()[:_MAX_TEXT] if values else ""
        if allowed is not None:
            by_case = {a.casefold(): a for a in allowed}
            value = by_case.get(value.casefold(), "")
        ss[key] = value or default
    return ss[key]


def write_page_params(values: Mapping[str, str], defaults: Mapping[str, str]) -> None:
    """Put a page's control values into the URL; a default value is left out."""
    have = _current_params()
    merged = dict(have)
    for name, value in values.items():
        value = value.strip()
        if value and value != defaults.get(name, ""):
            merged[name] = [value]
        else:
            merged.pop(name, None)
    if merged != have:
        st.query_params.from_dict(merged)


# ---------------------------------------------------------------- session state


def _put(vs: ViewState, today: date, data_min: date, data_max: date) -> None:
    """Write a view state into the widgets' session-state keys."""
    ss = st.session_state
    ss[K_PERIOD] = vs.period
    ss[K_QUARTER] = vs.quarter or None
    ss[K_MONTH] = vs.month or None
    start, end = period_dates(vs, today, data_min, data_max)
    ss[K_RANGE] = (start or data_min, end or data_max)
    ss[K_THEMES] = list(vs.themes)
    ss[K_FORMATS] = list(vs.formats)
    ss[K_ACTIVITIES] = list(vs.activities)
    ss[K_COUNTRIES] = list(vs.countries)
    ss[K_CITIES] = list(vs.cities)
    ss[K_TEXT] = vs.text


def read() -> ViewState:
    """The view state the widgets hold now."""
    ss = st.session_state
    period = ss.get(K_PERIOD, ALL)
    rng = ss.get(K_RANGE) or ()
    start = rng[0] if len(rng) >= 1 else None
    end = rng[1] if len(rng) >= 2 else None
    return ViewState(
        period=period if period in PERIOD_CHOICES else ALL,
        start=start if period == CUSTOM else None,
        end=end if period == CUSTOM else None,
        quarter=(ss.get(K_QUARTER) or "") if period == QUARTER else "",
        month=(ss.get(K_MONTH) or "") if period == MONTH else "",
        themes=tuple(ss.get(K_THEMES) or ()),
        formats=tuple(ss.get(K_FORMATS) or ()),
        activities=tuple(ss.get(K_ACTIVITIES) or ()),
        countries=tuple(ss.get(K_COUNTRIES) or ()),
        cities=tuple(ss.get(K_CITIES) or ()),
        text=str(ss.get(K_TEXT) or "")[:_MAX_TEXT],
    )


def start_session(today: date, data_min: date, data_max: date) -> None:
    """On a session's first run, take the view from the URL (a pasted link)."""
    if st.session_state.get(_K_STARTED):
        return
    _put(from_params(_current_params()), today, data_min, data_max)
    st.session_state[_K_STARTED] = True


def reset(today: date, data_min: date, data_max: date) -> None:
    """Clear every filter (a callback: runs before the widgets are drawn)."""
    _put(ViewState(), today, data_min, data_max)


def set_filter(field: str, values: Sequence[str]) -> None:
    """Replace one list filter ('themes', 'formats', 'activities', 'countries', 'cities').

    Called from chart-click callbacks, before the sidebar widgets are drawn.
    """
    key = {
        "themes": K_THEMES,
        "formats": K_FORMATS,
        "activities": K_ACTIVITIES,
        "countries": K_COUNTRIES,
        "cities": K_CITIES,
    }[field]
    st.session_state[key] = list(dict.fromkeys(values))


# ---------------------------------------------------------------- widgets


def _on_period_change(data_min: date, data_max: date) -> None:
    """Choosing 'a quarter' or 'a month' starts at the newest one with data.

    (The dates box follows the period by itself: the sidebar recomputes it every run.)
    """
    ss = st.session_state
    period = ss.get(K_PERIOD, ALL)
    if period == QUARTER and not ss.get(K_QUARTER):
        ss[K_QUARTER] = quarters_between(data_min, data_max)[0]
    if period == MONTH and not ss.get(K_MONTH):
        ss[K_MONTH] = months_between(data_min, data_max)[0]


def _on_range_change() -> None:
    """Editing the dates by hand makes the period a custom one."""
    rng = st.session_state.get(K_RANGE) or ()
    if len(rng) == 2:
        st.session_state[K_PERIOD] = CUSTOM


def sidebar(
    today: date,
    data_min: date,
    data_max: date,
    *,
    countries: Sequence[str],
    cities: Sequence[str],
    country_name: Callable[[str], str],
    page: str = "",
) -> Filters:
    """Draw the shared filters in the sidebar, write the URL, and return the Filters.

    ``page``: the url path of the page shown (its own URL parameters are kept).
    """
    start_session(today, data_min, data_max)
    ss = st.session_state
    args = (today, data_min, data_max)
    sb = st.sidebar
    sb.markdown("### Filters")

    sb.selectbox(
        "Period",
        PERIOD_CHOICES,
        key=K_PERIOD,
        on_change=_on_period_change,
        args=(data_min, data_max),
        help="Presets count back from today (This quarter is the quarter we are in); "
        "'All' covers every loaded event. Or choose a quarter or a month of the data, or "
        "any dates.",
    )
    period = ss.get(K_PERIOD, ALL)
    if period == QUARTER:
        options = quarters_between(data_min, data_max)
        if ss.get(K_QUARTER) and ss[K_QUARTER] not in options:
            options.insert(0, ss[K_QUARTER])
        sb.selectbox(
            "Quarter",
            options,
            key=K_QUARTER,
            format_func=quarter_label,
        )
    elif period == MONTH:
        options = months_between(data_min, data_max)
        if ss.get(K_MONTH) and ss[K_MONTH] not in options:
            options.insert(0, ss[K_MONTH])
        sb.selectbox(
            "Month",
            options,
            key=K_MONTH,
            format_func=month_label,
        )
    lo = min(data_min, today) - timedelta(days=366 * 5)
    hi = max(data_max, today) + timedelta(days=366 * 2)
    rng = ss.get(K_RANGE)
    if period != CUSTOM:
        # The dates box shows what the chosen period means now (the data may have grown).
        start, end = period_dates(read(), today, data_min, data_max)
        ss[K_RANGE] = (start or data_min, end or data_max)
    elif not rng or any(not lo <= d <= hi for d in rng):
        ss[K_RANGE] = (data_min, data_max)
    sb.date_input(
        "Dates",
        key=K_RANGE,
        min_value=lo,
        max_value=hi,
        format="DD/MM/YYYY",
        on_change=_on_range_change,
        help="Events that overlap these dates. Editing them makes a custom period.",
    )

    sb.multiselect(
        "Themes", THEMES, key=K_THEMES, format_func=str.capitalize, placeholder="All themes"
    )
    sb.multiselect(
        "Formats",
        FORMATS,
        key=K_FORMATS,
        format_func=str.capitalize,
        placeholder="All formats",
    )
    sb.multiselect(
        "Activities",
        ACTIVITIES,
        key=K_ACTIVITIES,
        format_func=str.capitalize,
        placeholder="All activities",
    )
    sb.multiselect(
        "Countries",
        _with_selected(countries, ss.get(K_COUNTRIES)),
        key=K_COUNTRIES,
        format_func=lambda c: f"{country_name(c)} ({c})",
        placeholder="All countries",
    )
    sb.multiselect(
        "Partner cities and places",
        _with_selected(cities, ss.get(K_CITIES)),
        key=K_CITIES,
        placeholder="All partners",
        help="Partner cities, regions and countries named in the events (the most frequent "
        "ones on a very large archive; the Text filter finds any other).",
    )
    sb.text_input(
        "Text", key=K_TEXT, placeholder="Words in title, text or partners", max_chars=_MAX_TEXT
    )
    sb.button(
        "Reset filters",
        on_click=reset,
        args=args,
        icon=":material/restart_alt:",
        width="stretch",
    )

    vs = read()
    write_url(vs, page)
    return to_filters(vs, today, data_min, data_max)


def _with_selected(options: Sequence[str], selected: Sequence[str] | None) -> list[str]:
    """Options plus any selected value missing from them (a link may name a place we lack)."""
    out = list(options)
    seen = set(out)
    out.extend(v for v in selected or () if v not in seen)
    return out
