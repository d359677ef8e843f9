"""Filters and pure aggregate functions: Dataset + Filters -> filtered Dataset and small frames.

Everything here is vectorised numpy/pandas on the row-indexed exploded tables of
:class:`intl_metrics.load.Dataset` (boolean masks, ``np.bincount`` on category
codes): no per-row Python, so a filter plus every aggregate of a page stays in
milliseconds at 100k events. A filtered dataset holds the full one and a mask, and
builds only the columns that are read (see ``subset._Subset``): a filter change copies
no text. Nothing imports Streamlit.

The rooms: ``filters`` (Filters and filter_dataset), ``subset`` (the filtered Dataset
and the column readers), ``search`` (the free-text search, what the Events page's table
reads), ``periods`` (presets, the previous period, period names), ``aggregates`` (counts
over time and by category, partner places) and ``metrics`` (the Overview's figures).
Callers use this package: ``from intl_metrics.query import Filters, filter_dataset``.
"""

from intl_metrics.query.aggregates import (
    activity_counts,
    country_counts,
    event_spans,
    events_over_time,
    events_per_period,
    format_counts,
    partner_place_counts,
    region_counts,
    theme_counts,
    theme_format_matrix,
    top_countries,
    top_partner_cities,
)
from intl_metrics.query.filters import Filters, filter_dataset, prepare
from intl_metrics.query.metrics import Metric, overview_metrics
from intl_metrics.query.periods import (
    PERIOD_PRESETS,
    data_range,
    month_range,
    period_label,
    preset_range,
    previous_period,
    quarter_range,
)
from intl_metrics.query.search import (
    derived,
    events_at,
    frame_positions,
    latest_events,
    search_words,
    word_mask,
    word_regex,
)
from intl_metrics.query.subset import Coded, corrected_label_count, event_count

__all__ = [
    "PERIOD_PRESETS",
    "Coded",
    "Filters",
    "Metric",
    "activity_counts",
    "corrected_label_count",
    "country_counts",
    "data_range",
    "derived",
    "event_count",
    "event_spans",
    "events_at",
    "events_over_time",
    "events_per_period",
    "filter_dataset",
    "format_counts",
    "frame_positions",
    "latest_events",
    "month_range",
    "overview_metrics",
    "partner_place_counts",
    "period_label",
    "prepare",
    "preset_range",
    "previous_period",
    "quarter_range",
    "region_counts",
    "search_words",
    "theme_counts",
    "theme_format_matrix",
    "top_countries",
    "top_partner_cities",
    "word_mask",
    "word_regex",
]
