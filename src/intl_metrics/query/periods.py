"""Periods and comparisons: the data's date range, calendar months and quarters, the
period presets ('This quarter' ...), the previous period to compare with, and the
period in words for titles.
"""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import pandas as pd

from intl_metrics.i18n import NP_, Translator, translator
from intl_metrics.load import Dataset
from intl_metrics.query.filters import Filters
from intl_metrics.query.subset import _column, event_count

PERIOD_PRESETS: tuple[str, ...] = (
    # the values are the English names (kept in sessions and links); shown translated
    NP_("period", "All"),
    NP_("period", "This year"),
    NP_("period", "Last 12 months"),
    NP_("period", "This quarter"),
    NP_("period", "Last quarter"),
    NP_("period", "This month"),
    NP_("period", "Last month"),
)


def data_range(ds: Dataset) -> tuple[date, date] | None:
    """First start and last end date in the dataset, None when it is empty."""
    if not event_count(ds):
        return None
    return (
        pd.Timestamp(_column(ds, "start_date").min()).date(),
        pd.Timestamp(_column(ds, "end_date").max()).date(),
    )


def _month_end(year: int, month: int) -> date:
    nxt = date(year + (month == 12), month % 12 + 1, 1)
    return nxt - timedelta(days=1)


def month_range(year: int, month: int) -> tuple[date, date]:
    """First and last day of a month."""
    return date(year, month, 1), _month_end(year, month)


def quarter_range(year: int, quarter: int) -> tuple[date, date]:
    """First and last day of quarter 1-4."""
    first = 3 * (quarter - 1) + 1
    return date(year, first, 1), _month_end(year, first + 2)


def preset_range(name: str, today: date, data_min: date, data_max: date) -> tuple[date, date]:
    """The (start, end) of a PERIOD_PRESETS entry.

    Presets count back from ``today``, as people read them ('This quarter' is the quarter
    we are in), whatever dates the data has; a period after the agenda's last event is
    empty and the pages say so. 'All' is the data's own range.
    """
    ref = today
    if name == "All":
        return data_min, data_max
    if name == "This year":
        return date(ref.year, 1, 1), date(ref.year, 12, 31)
    if name == "Last 12 months":
        start = (pd.Timestamp(ref) - pd.DateOffset(years=1)).date() + timedelta(days=1)
        return start, ref
    quarter = (ref.month - 1) // 3 + 1
    if name == "This quarter":
        return quarter_range(ref.year, quarter)
    if name == "Last quarter":
        return quarter_range(ref.year - (quarter == 1), (quarter - 2) % 4 + 1)
    if name == "This month":
        return month_range(ref.year, ref.month)
    if name == "Last month":
        return month_range(ref.year - (ref.month == 1), (ref.month - 2) % 12 + 1)
    raise ValueError(f"unknown period preset {name!r}; expected one of {PERIOD_PRESETS}")


def _bounds(f: Filters, ds: Dataset) -> tuple[date, date] | None:
    """The filter's period with open ends closed by the data's range."""
    rng = data_range(ds)
    start = f.start or (rng[0] if rng else None)
    end = f.end or (rng[1] if rng else None)
    if start is None or end is None:
        return None
    return start, end


def previous_period(f: Filters, ds: Dataset) -> Filters:
    """The same filters over the period of equal length that ends the day before the start.

    A period of whole calendar months (a month, a quarter, a year, the last 12 months
    to any day) is compared with as many calendar months right before it, not with as
    many days: the quarter before 1 Jul - 30 Sep is 1 Apr - 30 Jun, and the year before
    8 Dec 2025 - 7 Dec 2026 starts on 8 Dec 2024. Open ends are closed with the data's
    first/last date first, so 'All' compares with the equally long stretch before the
    first event (usually empty).
    """
    bounds = _bounds(f, ds)
    if bounds is None:
        return f
    start, end = bounds
    months = _whole_months(start, end)
    if months:
        before = (pd.Timestamp(start) - pd.DateOffset(months=months)).date()
        return dataclasses.replace(f, start=before, end=start - timedelta(1))
    length = (end - start).days + 1
    return dataclasses.replace(f, start=start - timedelta(days=length), end=start - timedelta(1))


def _whole_months(start: date, end: date) -> int:
    """How many calendar months [start, end] spans exactly (end + 1 day = start + N months),
    0 when it is not a whole number of months."""
    after = end + timedelta(days=1)
    months = (after.year - start.year) * 12 + after.month - start.month
    if months <= 0:
        return 0
    same_day = after.day == start.day
    month_starts = start.day == 1 and after.day == 1
    return months if same_day or month_starts else 0


def period_label(start: date | None, end: date | None, t: Translator | None = None) -> str:
    """Human period for titles, in ``t``'s language (English by default):
    '1 Sept – 15 Oct 2021', '3–9 May 2021', '12 Mar 2021' (Translator.period)."""
    return (t or translator()).period(start, end)
