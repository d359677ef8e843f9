"""The Overview's figures (events, days of activity, partner cities, countries, share
virtual or hybrid, leading theme), each with its change against the previous period.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from intl_metrics.i18n import Translator, translator
from intl_metrics.load import Dataset
from intl_metrics.query.aggregates import _theme_counts
from intl_metrics.query.subset import _coded, _codes_mask, _column, _places, event_count
from intl_metrics.schema import THEMES


@dataclass(frozen=True)
class Metric:
    """One overview number with its change against the previous period."""

    label: str
    value: str  # formatted for display
    delta: str | None  # formatted change ('+3', '-2 pts', 'was culture'), None if not comparable
    help: str
    raw: float | None = None  # the unformatted value, for tests and exports
    raw_delta: float | None = None
    key: str = ""  # which figure, whatever the language: events, days, cities, ...
    code: str | None = None  # a label's key behind the value (the leading theme's)

    @property
    def moved(self) -> bool:
        """A change worth an arrow: a number that went up or down by a shown unit."""
        return self.raw_delta is not None and round(self.raw_delta) != 0


def _active_days(ds: Dataset, period: tuple[date, date] | None) -> int:
    """Days on which at least one event ran (union of spans), inside the period if given."""
    if not event_count(ds):
        return 0
    start = _column(ds, "start_date").to_numpy().astype("datetime64[D]").astype(np.int64)
    end = _column(ds, "end_date").to_numpy().astype("datetime64[D]").astype(np.int64)
    if period is not None:
        lo = np.datetime64(period[0], "D").astype(np.int64)
        hi = np.datetime64(period[1], "D").astype(np.int64)
        start, end = np.maximum(start, lo), np.minimum(end, hi)
        keep = start <= end
        start, end = start[keep], end[keep]
        if not len(start):
            return 0
    origin = start.min()
    size = int(end.max() - origin) + 2
    # difference array: +1 where a span starts, -1 the day after it ends
    diff = np.bincount(start - origin, minlength=size) - np.bincount(
        end - origin + 1, minlength=size
    )
    return int(np.count_nonzero(np.cumsum(diff)[:-1] > 0))


def _partner_city_count(ds: Dataset) -> int:
    codes, places = _places(ds)
    if not len(codes):
        return 0
    used = np.flatnonzero(np.bincount(codes, minlength=len(places)))
    return int((places["kind"].to_numpy()[used] == "city").sum())


def _country_count(ds: Dataset) -> int:
    codes, _ = _coded(ds, "country", "countries")
    if not len(codes):
        return 0
    return int(np.count_nonzero(np.bincount(codes.astype(np.int64) + 1)[1:]))


def _remote_share(ds: Dataset) -> float | None:
    n = event_count(ds)
    if not n:
        return None
    return float(_codes_mask(_coded(ds, "format"), ("virtual", "hybrid")).sum()) / n


def _leading_theme(ds: Dataset) -> str | None:
    counts = _theme_counts(ds)
    if counts.sum() == 0:
        return None
    return THEMES[int(counts.argmax())]  # the first of equals, in THEMES order


def _change(t: Translator, now: int, before: int) -> str:
    """'+13 (+0.9%)', '−3 (−2%)', '+11 (new)': the change in number and percent."""
    _ = t.gettext
    if now == before:
        return _("no change")
    if before == 0:
        return _("{change} (new)").format(change=t.signed(now - before))
    pct = (now - before) / before
    digits = 1 if abs(pct) < 0.1 else 0
    return f"{t.signed(now - before)} ({t.signed_percent(pct, digits)})"


def overview_metrics(
    current: Dataset,
    previous: Dataset,
    *,
    period: tuple[date, date] | None = None,
    previous_period: tuple[date, date] | None = None,
    t: Translator | None = None,
) -> list[Metric]:
    """Events, days of activity, partner cities, countries, share virtual/hybrid, leading theme.

    Each with its change against ``previous`` (the same filters over the previous period
    of equal length). ``period``/``previous_period`` clip the spans for 'days of activity'.
    Labels, values and changes in ``t``'s language (English by default); ``key`` names
    each figure whatever the language.
    """
    t = t or translator()
    _ = t.gettext
    vs = (
        _("the previous period ({period})").format(period=t.period(*previous_period))
        if previous_period
        else _("the previous period of equal length")
    )
    compared = _("Compared with {period}.").format(period=vs)
    out: list[Metric] = []
    counts = (
        ("events", _("Events"), event_count(current), event_count(previous),
         _("Events in the period.")),
        (
            "days",
            _("Days of activity"),
            _active_days(current, period),
            _active_days(previous, previous_period),
            _("Days on which at least one event took place (multi-day events count each day)."),
        ),
        (
            "cities",
            _("Partner cities"),
            _partner_city_count(current),
            _partner_city_count(previous),
            _("Distinct partner cities named in the events."),
        ),
        (
            "countries",
            _("Countries"),
            _country_count(current),
            _country_count(previous),
            _("Distinct partner countries (from cities, regions and national bodies)."),
        ),
    )  # fmt: skip
    for key, label, now, before, text in counts:
        out.append(
            Metric(
                label,
                t.number(now),
                _change(t, now, before),
                f"{text} {compared}",
                float(now),
                float(now - before),
                key=key,
            )
        )
    share, share_before = _remote_share(current), _remote_share(previous)
    share_delta = None if share is None or share_before is None else 100 * (share - share_before)
    if share_delta is None:
        share_change = None
    elif round(share_delta) == 0:
        share_change = _("no change")
    else:
        share_change = _("{change} pts").format(change=t.signed(round(share_delta)))
    out.append(
        Metric(
            _("Virtual or hybrid"),
            "–" if share is None else t.percent(share),
            share_change,
            _("Share of events held online or partly online.") + " " + compared,
            share,
            share_delta,
            key="remote",
        )
    )
    lead, lead_before = _leading_theme(current), _leading_theme(previous)
    if lead is None or lead_before is None:
        lead_delta = None
    elif lead == lead_before:
        lead_delta = _("same as before")
    else:
        lead_delta = _("was {theme}").format(theme=t.theme(lead_before))
    out.append(
        Metric(
            _("Leading theme"),
            t.theme(lead) if lead else "–",
            lead_delta,
            _("The theme with most events (an event counts under each of its themes).")
            + " "
            + compared,
            key="lead",
            code=lead,
        )
    )
    return out
