"""The dashboard's view in plain form: URL query parameters <-> ViewState -> Filters.

Pure (no Streamlit): the dashboard's sidebar (dashboard/state.py) keeps these values in
its widgets and writes them to the URL, and the command line (``intl-metrics briefing``)
reads the same parameters, so a link and a command mean the same events.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import parse_qs, urlencode, urlsplit

from intl_metrics.i18n import NP_
from intl_metrics.query import PERIOD_PRESETS, Filters, preset_range
from intl_metrics.schema import ACTIVITIES, FORMATS, THEMES

# Period choices: the query presets (relative to today) plus a chosen quarter or month
# of the data, or any dates.
# (English values, kept in sessions; shown translated in the 'period' context)
QUARTER = NP_("period", "Choose a quarter")
MONTH = NP_("period", "Choose a month")
CUSTOM = NP_("period", "Custom dates")
PERIOD_CHOICES: tuple[str, ...] = (*PERIOD_PRESETS, QUARTER, MONTH, CUSTOM)
ALL = PERIOD_PRESETS[0]

MAX_TEXT = 200  # a pasted URL cannot make the free-text filter huge


def slug(choice: str) -> str:
    """'Last 12 months' -> 'last-12-months' (the period's URL form)."""
    return choice.lower().replace(" ", "-")


_BY_SLUG: dict[str, str] = {slug(c): c for c in PERIOD_CHOICES}
_BY_SLUG.update({"quarter": QUARTER, "month": MONTH, "custom": CUSTOM})
_URL_SLUG: dict[str, str] = {QUARTER: "quarter", MONTH: "month", CUSTOM: "custom"}
# The periods as a link writes them ('last-quarter'), for the command line's help.
PERIOD_SLUGS: tuple[str, ...] = tuple(_BY_SLUG)


def period_choice(value: str) -> str | None:
    """The period a link's 'period=' value names ('last-quarter' -> 'Last quarter'), or None."""
    return _BY_SLUG.get(value.strip().lower())


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
        v = v.strip()[:MAX_TEXT]
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
        text=one("q").strip()[:MAX_TEXT],
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


def parse_link(link: str) -> dict[str, list[str]]:
    """The query parameters of a dashboard link (or of its bare '?a=b&c=d' part)."""
    query = urlsplit(link).query if ("?" in link or "://" in link) else link
    return {k: list(v) for k, v in parse_qs(query, keep_blank_values=False).items()}


def query_string(vs: ViewState) -> str:
    """The '?theme=energy&period=quarter&...' part of a dashboard link to this view."""
    params = to_params(vs)
    return "?" + urlencode(params, doseq=True) if params else ""
