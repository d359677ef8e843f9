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

The rooms: ``style`` (colours, title block, axes, the one Figure maker), ``breakdowns``
(bars by category, the theme x format heatmap), ``timelines`` (over time, Gantt,
sparkline), ``interactive_map`` (the pydeck map and the map data both maps share) and
``static_map`` (the plotly map for PNG, with its place-name layout). Callers use this
package: ``charts.theme_bar(...)``.
"""

from intl_metrics.charts.breakdowns import (
    activity_bar,
    country_bar,
    format_bar,
    region_bar,
    theme_bar,
    theme_format_heatmap,
)
from intl_metrics.charts.interactive_map import (
    MAX_ARCS,
    MAX_PLACES,
    TORINO,
    WORLD_GEOJSON_PATH,
    CompactDeck,
    map_note,
    partner_map,
    world_geojson,
)
from intl_metrics.charts.static_map import static_map_figure
from intl_metrics.charts.style import EMPTY_MESSAGE, plain
from intl_metrics.charts.timelines import gantt_chart, overview_sparkline, timeline_chart

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
    "plain",
    "region_bar",
    "static_map_figure",
    "theme_bar",
    "theme_format_heatmap",
    "timeline_chart",
    "world_geojson",
]
