"""The interactive partner map: a pydeck Deck of the world outline, arcs from Torino and a
dot (or ring) per partner place, drawn offline with no basemap.

Also the map's shared data and sizing: the hub, the bundled world outline, the caps on
places and arcs (and :func:`map_note`, which says in words what they leave out), the
dot size scale and the arc records, which the static map reuses.
"""

from __future__ import annotations

import functools
import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pydeck as pdk
import pydeck.bindings.deck as _pydeck_deck
from pydeck.bindings.json_tools import default_serialize

from intl_metrics.charts.style import (
    BORDER_COLOUR,
    FONT_FAMILY,
    HUB_COLOUR,
    LAND_COLOUR,
    TEXT_COLOUR,
)
from intl_metrics.i18n import Translator, translator
from intl_metrics.schema import (
    THEME_COLOURS,
)

# pydeck re-tries importing its Jupyter widget on every Deck() (~14 ms, a failed import is
# not cached); outside Jupyter the answer never changes, so remember it.
if not hasattr(_pydeck_deck.has_jupyter_extra, "cache_info"):
    _pydeck_deck.has_jupyter_extra = functools.cache(_pydeck_deck.has_jupyter_extra)

TORINO: tuple[float, float] = (45.0703, 7.6869)  # (lat, lon) of the hub
WORLD_GEOJSON_PATH = Path(__file__).resolve().parents[3] / "data" / "geo" / "world-110m.geojson"
MAX_ARCS = 40  # arcs from Torino: more than a few dozen hide the map under a fan of lines
MAX_PLACES = 2000  # points on the map (~100 bytes each in the page's JSON)


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
