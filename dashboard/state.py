"""Filters <-> sidebar widgets <-> URL query parameters.

The widgets' session-state keys are the truth during a session; the URL is written
from them on every run so that a copied link opens the same view, and read once when
a session starts (a fresh tab, a pasted link). Clicks on charts change the same keys
from a callback, which runs before the sidebar is drawn, so the sidebar and the URL
follow the click.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date, timedelta

import streamlit as st

from intl_metrics.i18n import Translator, translator
from intl_metrics.query import Filters
from intl_metrics.schema import ACTIVITIES, FORMATS, THEMES

# The pure part (periods, URL parameters, Filters) lives in the package, where the
# command line reads the same links; re-exported here under the names pages use.
from intl_metrics.viewstate import (  # noqa: F401
    ALL,
    CUSTOM,
    MAX_TEXT,
    MONTH,
    PERIOD_CHOICES,
    QUARTER,
    ViewState,
    from_params,
    month_range,
    months_between,
    period_dates,
    quarter_range,
    quarters_between,
    slug,
    to_filters,
    to_params,
)

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


def month_label(label: str, t: Translator | None = None) -> str:
    """'2021-09' -> 'September 2021' / 'settembre 2021' for the month picker."""
    r = month_range(label)
    return (t or translator()).month_year(r[0]) if r else label


def quarter_label(label: str, t: Translator | None = None) -> str:
    """'2021-Q3' -> 'Q3 2021 (Jul – Sept)' / 'Q3 2021 (lug – set)' for the quarter picker."""
    t = t or translator()
    r = quarter_range(label)
    if not r:
        return label
    first, last = (t.month_name(d.month, "abbreviated") for d in r)
    return f"{label[-2:]} {label[:4]} ({first} – {last})"


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
        value = values[-1].strip()[:MAX_TEXT] if values else ""
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
        text=str(ss.get(K_TEXT) or "")[:MAX_TEXT],
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
    t: Translator | None = None,
) -> Filters:
    """Draw the shared filters in the sidebar, write the URL, and return the Filters.

    ``page``: the url path of the page shown (its own URL parameters are kept). ``t``:
    the language of the labels; the values (and the URL) stay the same in every language.
    """
    t = t or translator()
    _ = t.gettext
    start_session(today, data_min, data_max)
    ss = st.session_state
    args = (today, data_min, data_max)
    sb = st.sidebar
    sb.markdown("### " + _("Filters"))

    sb.selectbox(
        _("Period"),
        PERIOD_CHOICES,
        key=K_PERIOD,
        on_change=_on_period_change,
        args=(data_min, data_max),
        format_func=lambda choice: t.pgettext("period", choice),
        help=_(
            "Presets count back from today (This quarter is the quarter we are in); "
            "'All' covers every loaded event. Or choose a quarter or a month of the data, or "
            "any dates."
        ),
    )
    period = ss.get(K_PERIOD, ALL)
    if period == QUARTER:
        options = quarters_between(data_min, data_max)
        if ss.get(K_QUARTER) and ss[K_QUARTER] not in options:
            options.insert(0, ss[K_QUARTER])
        sb.selectbox(
            _("Quarter"),
            options,
            key=K_QUARTER,
            format_func=lambda q: quarter_label(q, t),
        )
    elif period == MONTH:
        options = months_between(data_min, data_max)
        if ss.get(K_MONTH) and ss[K_MONTH] not in options:
            options.insert(0, ss[K_MONTH])
        sb.selectbox(
            _("Month"),
            options,
            key=K_MONTH,
            format_func=lambda m: month_label(m, t),
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
        _("Dates"),
        key=K_RANGE,
        min_value=lo,
        max_value=hi,
        format="DD/MM/YYYY",
        on_change=_on_range_change,
        help=_("Events that overlap these dates. Editing them makes a custom period."),
    )

    sb.multiselect(
        _("Themes"), THEMES, key=K_THEMES, format_func=t.theme, placeholder=_("All themes")
    )
    sb.multiselect(
        _("Formats"),
        FORMATS,
        key=K_FORMATS,
        format_func=t.format,
        placeholder=_("All formats"),
    )
    sb.multiselect(
        _("Activities"),
        ACTIVITIES,
        key=K_ACTIVITIES,
        format_func=t.activity,
        placeholder=_("All activities"),
    )
    sb.multiselect(
        _("Countries"),
        _with_selected(countries, ss.get(K_COUNTRIES)),
        key=K_COUNTRIES,
        format_func=lambda c: f"{t.country(c, country_name(c))} ({c})",
        placeholder=_("All countries"),
    )
    sb.multiselect(
        _("Partner cities and places"),
        _with_selected(cities, ss.get(K_CITIES)),
        key=K_CITIES,
        placeholder=_("All partners"),
        help=_(
            "Partner cities, regions and countries named in the events (the most frequent "
            "ones on a very large archive; the Text filter finds any other)."
        ),
    )
    sb.text_input(
        _("Text"),
        key=K_TEXT,
        placeholder=_("Words in title, text or partners"),
        max_chars=MAX_TEXT,
    )
    sb.button(
        _("Reset filters"),
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
