"""The partner map as a plotly figure for PNG export, drawn from the bundled outline (no
network): plate carrée framing the partners, arcs to the busiest, and the names of the
biggest places laid out so they overlap neither each other nor Torino.
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from intl_metrics.charts.interactive_map import (
    MAX_ARCS,
    TORINO,
    _arc_records,
    _size_scale,
    map_note,
    world_geojson,
)
from intl_metrics.charts.style import (
    BORDER_COLOUR,
    HUB_COLOUR,
    LAND_COLOUR,
    MUTED_COLOUR,
    OCEAN_COLOUR,
    TEXT_COLOUR,
    _empty_note,
    _figure,
    _plain_all,
    _title,
    _title_height,
    plain,
)
from intl_metrics.i18n import Translator, translator
from intl_metrics.schema import (
    THEME_COLOURS,
    THEMES,
)

LABEL_SIZE = 13  # px, place names on the static map
# Where a name may sit around its dot, in order of preference (plotly's textposition).
_LABEL_SPOTS = ("top center", "bottom center", "middle right", "middle left", "top right",
                "top left", "bottom right", "bottom left")  # fmt: skip
# The static map's export size, and the width its legend takes at the right.
_STATIC_PX = (1200.0, 700.0)
_STATIC_LEGEND_PX = 280.0  # the right margin, where the legend sits


@functools.cache
def _outline_xy() -> tuple[tuple[float | None, ...], tuple[float | None, ...]]:
    """Every outline ring as one None-separated x/y path (one plotly trace draws the world)."""
    xs: list[float | None] = []
    ys: list[float | None] = []
    for feature in world_geojson()["features"]:
        geom = feature["geometry"]
        polygons = [geom["coordinates"]] if geom["type"] == "Polygon" else geom["coordinates"]
        for polygon in polygons:
            for ring in polygon[:1]:  # outer rings: lakes at 1:110m are not worth the ink
                xs.extend(p[0] for p in ring)
                ys.extend(p[1] for p in ring)
                xs.append(None)
                ys.append(None)
    return tuple(xs), tuple(ys)


def _arc_paths(
    lons: np.ndarray, lats: np.ndarray, hub: tuple[float, float], steps: int = 24
) -> tuple[np.ndarray, np.ndarray]:
    """Curved hub->place paths (quadratic Bézier bulging to one side), None-separated."""
    x0, y0 = hub[1], hub[0]
    dx, dy = lons - x0, lats - y0
    # control point: the midpoint pushed sideways by a fifth of the distance
    cx, cy = x0 + dx / 2 - dy * 0.2, y0 + dy / 2 + dx * 0.2
    t = np.linspace(0.0, 1.0, steps)[:, None]
    px = (1 - t) ** 2 * x0 + 2 * (1 - t) * t * cx + t**2 * lons
    py = (1 - t) ** 2 * y0 + 2 * (1 - t) * t * cy + t**2 * lats
    gap = np.full((1, len(lons)), np.nan)
    return np.vstack([px, gap]).T.ravel(), np.vstack([py, gap]).T.ravel()


def static_map_figure(
    places: pd.DataFrame,
    *,
    period: str = "",
    note: str = "",
    hub: tuple[float, float] = TORINO,
    labels: int = 8,
    max_arcs: int = MAX_ARCS,
    t: Translator | None = None,
) -> go.Figure:
    """The partner map as a plotly figure drawn from the outline (no network), for PNG export.

    Plate carrée projection framing the partners; the ``labels`` biggest places are
    named. Like the interactive map, arcs go to the ``max_arcs`` busiest places only,
    and the subtitle says so. Not ``scatter_geo``: that fetches its topojson from a CDN.
    """
    t = t or translator()
    title = _title(t.gettext("Partner places"), period)
    # every place is drawn here: only the arcs are left out
    left_out = map_note(len(places), max_arcs=max_arcs, max_places=len(places), t=t)
    note = " · ".join(x for x in (note, left_out) if x)
    # The plot's size in the export is fixed (the legend has its own margin), and the
    # ranges are fitted to its aspect: a degree is the same number of pixels across
    # and up, known here, so place names can be laid out where they will print.
    plot_px = (
        _STATIC_PX[0] - 20 - _STATIC_LEGEND_PX,
        _STATIC_PX[1] - _title_height(title, note) - 40,
    )
    x_range, y_range = _fit_aspect(*_map_ranges(places, hub), plot_px)
    xs, ys = _outline_xy()
    traces: list[dict[str, Any]] = [
        {
            "type": "scatter",
            "x": xs,
            "y": ys,
            "mode": "lines",
            "fill": "toself",
            "fillcolor": LAND_COLOUR,
            "line": {"color": BORDER_COLOUR, "width": 0.6},
            "hoverinfo": "skip",
            "showlegend": False,
        }
    ]
    if len(places):
        lons = places["lon"].to_numpy(dtype=float)
        lats = places["lat"].to_numpy(dtype=float)
        lead = places["leading_theme"].astype(str).to_numpy()
        names = np.array(_plain_all(places["name"].astype(str)), dtype=object)
        size = 5 + 24 * _size_scale(places["events"].to_numpy(dtype=float))
        is_city = (places["kind"] == "city").to_numpy()
        arcs = _arc_records(places, max_arcs)
        for arc in arcs:
            lon, lat, width, colour = arc["lon"], arc["lat"], arc["width"], arc["arc_colour"]
            ax, ay = _arc_paths(np.array([lon]), np.array([lat]), hub)
            traces.append(
                {
                    "type": "scatter",
                    "x": ax,
                    "y": ay,
                    "mode": "lines",
                    "line": {"color": "rgb({},{},{})".format(*colour[:3]), "width": width / 2},
                    "opacity": 0.55,
                    "hoverinfo": "skip",
                    "showlegend": False,
                }
            )
        for name in THEMES:
            for city in (True, False):
                sel = (lead == name) & (is_city == city)
                if not sel.any():
                    continue
                colour = THEME_COLOURS[name]
                traces.append(
                    {
                        "type": "scatter",
                        "x": lons[sel],
                        "y": lats[sel],
                        "mode": "markers",
                        "name": plain(t.theme(name)),
                        "legendgroup": name,
                        "showlegend": city or not ((lead == name) & is_city).any(),
                        "marker": {
                            "symbol": "circle" if city else "circle-open",
                            "size": size[sel],
                            "color": colour,
                            "line": {
                                "color": "white" if city else colour,
                                "width": 1 if city else 3,
                            },
                            "opacity": 0.9,
                        },
                        "text": names[sel],
                        "hovertemplate": "%{text}<extra></extra>",
                    }
                )
        if (~is_city).any():
            traces.append(
                {
                    "type": "scatter",
                    "x": [None],
                    "y": [None],
                    "mode": "markers",
                    "name": t.gettext("ring: region or country partner"),
                    "marker": {
                        "symbol": "circle-open",
                        "size": 14,
                        "color": MUTED_COLOUR,
                        "line": {"width": 3},
                    },
                }
            )
        chosen = _label_layout(
            lons,
            lats,
            places["name"].astype(str).tolist(),
            size,
            x_range,
            y_range,
            hub,
            labels,
            plot_px,
        )
        if chosen:
            rows = [i for i, _ in chosen]
            traces.append(
                {
                    "type": "scatter",
                    "x": lons[rows],
                    "y": lats[rows],
                    # invisible dots as big as the drawn ones: plotly sets text off by
                    # its own trace's marker size, and a name must clear its dot
                    "mode": "markers+text",
                    "marker": {"size": size[rows], "opacity": 0},
                    "text": [names[i] for i in rows],
                    "textposition": [position for _, position in chosen],
                    # a white halo keeps a name readable over the dots around it
                    "textfont": {
                        "size": LABEL_SIZE,
                        "color": TEXT_COLOUR,
                        "shadow": "0 0 3px white, 0 0 3px white, 0 0 2px white",
                    },
                    "hoverinfo": "skip",
                    "showlegend": False,
                }
            )
    traces.append(
        {
            "type": "scatter",
            "x": [hub[1]],
            "y": [hub[0]],
            "mode": "markers+text",
            "text": ["<b>Torino</b>"],
            "textposition": "bottom center",
            "textfont": {"size": 14},
            "marker": {
                "symbol": "star",
                "size": 18,
                "color": HUB_COLOUR,
                "line": {"color": "white", "width": 1},
            },
            "hoverinfo": "skip",
            "showlegend": False,
        }
    )
    return _figure(
        traces,
        title,
        note=note,
        legend=bool(len(places)),
        height=int(_STATIC_PX[1]),
        margin={"r": int(_STATIC_LEGEND_PX)},  # the legend's own room: the plot's size is known
        xaxis={"range": x_range, "visible": False, "showgrid": False},
        yaxis={
            "range": y_range,
            "visible": False,
            "showgrid": False,
            "scaleanchor": "x",
            "scaleratio": 1,
        },
        plot_bgcolor=OCEAN_COLOUR,
        t=t,
        **({} if len(places) else {"annotations": [_empty_note(t)]}),
    )


def _fit_aspect(
    x_range: list[float], y_range: list[float], plot_px: tuple[float, float]
) -> tuple[list[float], list[float]]:
    """The ranges widened (about their middle) to the plot's aspect: equal degrees per pixel."""
    scale = max((x_range[1] - x_range[0]) / plot_px[0], (y_range[1] - y_range[0]) / plot_px[1])

    def widened(r: list[float], px: float) -> list[float]:
        middle, half = (r[0] + r[1]) / 2, scale * px / 2
        return [middle - half, middle + half]

    return widened(x_range, plot_px[0]), widened(y_range, plot_px[1])


def _label_layout(
    lons: np.ndarray,
    lats: np.ndarray,
    names: list[str],
    sizes: np.ndarray,
    x_range: list[float],
    y_range: list[float],
    hub: tuple[float, float],
    wanted: int,
    plot_px: tuple[float, float],
) -> list[tuple[int, str]]:
    """Which places to name and where: the biggest first, each name put in the first spot
    around its dot where it overlaps no name placed before it (nor Torino's star and
    name), else left out. Around Torino, where Europe's partners crowd, names used to
    print over each other. Positions are worked out in the export's pixels, from the
    plot area and the degrees per pixel that the equal-aspect axes give."""
    scale = max(
        (x_range[1] - x_range[0]) / plot_px[0], (y_range[1] - y_range[0]) / plot_px[1]
    )  # degrees per pixel: the equal-aspect axes take the larger

    def px(lon: float, lat: float) -> tuple[float, float]:
        return lon / scale, lat / scale

    char_w, line_h, pad = 0.58 * LABEL_SIZE, LABEL_SIZE + 3, 3.0
    hx, hy = px(hub[1], hub[0])
    taken = [  # Torino's star and its bold name below it
        (hx - 10, hy - 10, hx + 10, hy + 10),
        (hx - 30, hy - 12 - line_h, hx + 30, hy - 12),
    ]
    chosen: list[tuple[int, str]] = []
    for i in range(min(len(names), 4 * wanted)):
        if len(chosen) == wanted:
            break
        x, y = px(float(lons[i]), float(lats[i]))
        w, r = char_w * len(names[i]), float(sizes[i]) / 2 + 2
        for spot in _LABEL_SPOTS:
            vertical, horizontal = spot.split()
            x0 = {"center": x - w / 2, "right": x + r, "left": x - r - w}[horizontal]
            y0 = {"top": y + r, "middle": y - line_h / 2, "bottom": y - r - line_h}[vertical]
            box = (x0, y0, x0 + w, y0 + line_h)
            if not any(
                box[0] < b[2] + pad
                and b[0] < box[2] + pad
                and box[1] < b[3] + pad
                and b[1] < box[3] + pad
                for b in taken
            ):
                taken.append(box)
                chosen.append((i, spot))
                break
    return chosen


def _map_ranges(places: pd.DataFrame, hub: tuple[float, float]) -> tuple[list[float], list[float]]:
    if not len(places):
        return [-170.0, 190.0], [-58.0, 84.0]
    lons = np.append(places["lon"].to_numpy(dtype=float), hub[1])
    lats = np.append(places["lat"].to_numpy(dtype=float), hub[0])
    lon_pad = max(8.0, 0.08 * (lons.max() - lons.min()))
    lat_pad = max(6.0, 0.08 * (lats.max() - lats.min()))
    x = [max(-180.0, lons.min() - lon_pad), min(180.0, lons.max() + lon_pad)]
    y = [max(-60.0, lats.min() - lat_pad), min(85.0, lats.max() + lat_pad)]
    return x, y
