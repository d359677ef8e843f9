"""Figure builders: titles say what and when, one colour per theme, empty input never fails."""

from __future__ import annotations

import json
from datetime import date

import plotly.graph_objects as go
import pytest
from seed_dataset import seed_dataset

from intl_metrics import charts, query
from intl_metrics.query import Filters
from intl_metrics.schema import ACTIVITY_COLOURS, FORMAT_COLOURS, THEME_COLOURS

PERIOD = query.period_label(date(2021, 9, 1), date(2021, 10, 15))


@pytest.fixture(scope="module")
def ds():
    return seed_dataset()


@pytest.fixture(scope="module")
def empty(ds):
    return query.filter_dataset(ds, Filters(text="no such words anywhere"))


def every_figure(data) -> dict[str, go.Figure]:
    spans, total = query.event_spans(data)
    return {
        "theme": charts.theme_bar(query.theme_counts(data), period=PERIOD),
        "format": charts.format_bar(query.format_counts(data), period=PERIOD),
        "activity": charts.activity_bar(query.activity_counts(data), period=PERIOD),
        "country": charts.country_bar(query.country_counts(data), period=PERIOD),
        "region": charts.region_bar(query.region_counts(data), period=PERIOD),
        "heatmap": charts.theme_format_heatmap(query.theme_format_matrix(data), period=PERIOD),
        "timeline": charts.timeline_chart(
            query.events_over_time(data, "W", "theme"), freq="W", period=PERIOD
        ),
        "gantt": charts.gantt_chart(spans, total=total, period=PERIOD),
        "sparkline": charts.overview_sparkline(query.events_per_period(data), period=PERIOD),
        "static map": charts.static_map_figure(query.partner_place_counts(data), period=PERIOD),
    }


def test_theme_bar_title_says_what_and_when(ds):
    fig = charts.theme_bar(query.theme_counts(ds), period=PERIOD)
    assert fig.layout.title.text == "Events by theme, 1 Sep – 15 Oct 2021"


def test_every_title_names_the_period(ds):
    for name, fig in every_figure(ds).items():
        assert fig.layout.title.text.endswith(", 1 Sep – 15 Oct 2021"), name


def test_each_theme_bar_has_its_theme_colour_and_key(ds):
    (bar,) = charts.theme_bar(query.theme_counts(ds), period=PERIOD).data
    themes = [row[0] for row in bar.customdata]
    assert list(bar.marker.color) == [THEME_COLOURS[t] for t in themes]
    assert themes[0] in ("energy", "urban")  # three events each: the longest bars come first
    assert dict(zip(themes, bar.x, strict=True))["economy"] == 1


def test_format_and_activity_bars_use_their_vocabulary_colours(ds):
    (fmt,) = charts.format_bar(query.format_counts(ds)).data
    assert list(fmt.marker.color) == [FORMAT_COLOURS[k[0]] for k in fmt.customdata]
    (act,) = charts.activity_bar(query.activity_counts(ds)).data
    assert list(act.marker.color) == [ACTIVITY_COLOURS[k[0]] for k in act.customdata]


def test_timeline_stacks_one_trace_per_theme_in_its_colour(ds):
    fig = charts.timeline_chart(query.events_over_time(ds, "M", "theme"), period=PERIOD)
    assert fig.layout.barmode == "stack"
    assert sum(sum(t.y) for t in fig.data) == len(ds.events)
    for trace in fig.data:
        assert trace.marker.color == THEME_COLOURS[trace.name]


def test_timeline_by_format_uses_format_colours(ds):
    fig = charts.timeline_chart(query.events_over_time(ds, "M", "format"), by="format")
    assert {t.name for t in fig.data} == {"in-person", "virtual", "hybrid"}
    assert all(t.marker.color == FORMAT_COLOURS[t.name] for t in fig.data)
    assert fig.layout.title.text == "Events per month by format"


def test_gantt_shows_title_and_partners_on_hover_and_says_when_capped(ds):
    spans, total = query.event_spans(ds, limit=4)
    fig = charts.gantt_chart(spans, total=total, period=PERIOD)
    assert "most recent 4 of 11 events" in fig.layout.title.text
    hover = {row[1]: row[3] for trace in fig.data for row in trace.customdata}
    assert hover["Meeting of the UNESCO Creative Cities of Design"] == "Geelong"
    assert all("customdata[3]" in t.hovertemplate for t in fig.data)
    colours = {t.name: t.marker.color for t in fig.data}
    assert colours == {name: THEME_COLOURS[name] for name in colours}


def test_heatmap_writes_the_counts_in_the_cells(ds):
    fig = charts.theme_format_heatmap(query.theme_format_matrix(ds))
    (heat,) = fig.data
    assert heat.texttemplate == "%{text:,}"
    assert sum(map(sum, heat.z)) == len(ds.themes)


@pytest.mark.parametrize(
    "name",
    [
        "theme",
        "format",
        "activity",
        "country",
        "region",
        "heatmap",
        "timeline",
        "gantt",
        "sparkline",
        "static map",
    ],
)
def test_a_filter_that_selects_nothing_gives_a_figure_that_says_so(empty, name):
    fig = every_figure(empty)[name]
    assert [a.text for a in fig.layout.annotations] == [charts.EMPTY_MESSAGE]


def test_figures_are_readable_on_a_projector(ds):
    for name, fig in every_figure(ds).items():
        assert fig.layout.font.size >= 16, name
        assert fig.layout.title.font.size >= 20, name


def test_filters_become_a_subtitle_so_exports_carry_them(ds):
    note = Filters(themes=("energy",)).describe()
    fig = charts.theme_bar(query.theme_counts(ds), period=PERIOD, note=note)
    assert fig.layout.title.subtitle.text == "theme: energy"


# ------------------------------------------------------------------------------ map


def deck_json(deck) -> dict:
    return json.loads(deck.to_json())


def test_partner_map_needs_no_basemap_and_draws_the_world_under_everything(ds):
    spec = deck_json(charts.partner_map(query.partner_place_counts(ds)))
    assert "mapProvider" not in spec or spec["mapProvider"] is None
    layers = [(layer["@@type"], layer["id"]) for layer in spec["layers"]]
    assert layers[0] == ("GeoJsonLayer", "world")
    assert len(spec["layers"][0]["data"]["features"]) > 150
    assert ("ArcLayer", "arcs") in layers


def test_arcs_leave_from_torino(ds):
    spec = deck_json(charts.partner_map(query.partner_place_counts(ds)))
    arcs = next(layer for layer in spec["layers"] if layer["id"] == "arcs")
    assert arcs["getSourcePosition"] == [7.6869, 45.0703]
    assert len(arcs["data"]) == len(query.partner_place_counts(ds))


def test_region_partners_are_hollow_rings_and_cities_are_dots(ds):
    spec = deck_json(charts.partner_map(query.partner_place_counts(ds)))
    layers = {layer["id"]: layer for layer in spec["layers"]}
    assert [p["name"] for p in layers["areas"]["data"]] == ["Wallonia"]
    assert layers["areas"]["filled"] is False and layers["areas"]["stroked"] is True
    assert "Wallonia" not in {p["name"] for p in layers["cities"]["data"]}
    assert layers["cities"]["filled"] is True


def test_points_are_coloured_by_leading_theme_and_the_tooltip_lists_titles(ds):
    deck = charts.partner_map(query.partner_place_counts(ds))
    cities = next(layer for layer in deck_json(deck)["layers"] if layer["id"] == "cities")
    geelong = next(p for p in cities["data"] if p["name"] == "Geelong")
    assert geelong["colour"][:3] == [0x33, 0x22, 0x88]  # design
    assert "Automotive Project seminar" in geelong["titles_html"]
    assert geelong["events_text"] == "2 events"
    html = deck._tooltip["html"]
    assert "{country_name}" in html and "{titles_html}" in html


def test_titles_in_the_tooltip_are_escaped(ds):
    places = query.partner_place_counts(ds)
    places.loc[0, "titles"] = "<script>alert(1)</script>"
    cities = next(
        layer
        for layer in deck_json(charts.partner_map(places))["layers"]
        if layer["id"] in ("cities", "areas")
        and any(p["name"] == places.loc[0, "name"] for p in layer["data"])
    )
    text = next(p["titles_html"] for p in cities["data"] if p["name"] == places.loc[0, "name"])
    assert "<script>" not in text and "&lt;script&gt;" in text


def test_the_map_json_is_compact_and_capped(ds):
    places = query.partner_place_counts(ds)
    deck = charts.partner_map(places, max_places=5)
    text = deck.to_json()
    assert "\n" not in text  # no pretty-printing: the outline alone would triple in size
    spec = json.loads(text)
    drawn = sum(
        len(layer["data"]) for layer in spec["layers"] if layer["id"] in ("cities", "areas")
    )
    assert drawn == 5
    assert len(text) < 250_000


def test_the_map_can_take_its_outline_from_a_url(ds):
    spec = deck_json(
        charts.partner_map(query.partner_place_counts(ds), world="app/static/world-110m.geojson")
    )
    assert spec["layers"][0]["data"] == "app/static/world-110m.geojson"


def test_an_empty_map_still_shows_the_world_and_torino(empty):
    spec = deck_json(charts.partner_map(query.partner_place_counts(empty)))
    assert [layer["id"] for layer in spec["layers"]] == ["world", "hub", "hub-label"]


def test_static_map_draws_from_the_outline_without_geo_traces(ds):
    fig = charts.static_map_figure(query.partner_place_counts(ds), period=PERIOD)
    assert {t.type for t in fig.data} == {"scatter"}  # no scattergeo: it would fetch topojson
    assert fig.data[0].fill == "toself"
    ring = [t for t in fig.data if t.marker and t.marker.symbol == "circle-open"]
    assert any(t.name == "energy" for t in ring)  # Wallonia, a region, drawn as a ring


def test_world_outline_is_small_and_names_countries():
    world = charts.world_geojson()
    assert charts.WORLD_GEOJSON_PATH.stat().st_size < 500_000
    props = {f["properties"]["ISO_A2"]: f["properties"]["name"] for f in world["features"]}
    assert props["IT"] == "Italy" and props["FR"] == "France" and props["BE"] == "Belgium"
    assert charts.world_geojson() is world  # loaded once
