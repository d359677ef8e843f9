"""Figure builders: titles say what and when, one colour per theme, empty input never fails."""

from __future__ import annotations

import json
import re
from datetime import date

import pandas as pd
import plotly.graph_objects as go
import pytest
from seed_dataset import seed_dataset

from intl_metrics import charts, query
from intl_metrics.i18n import translator
from intl_metrics.query import Filters
from intl_metrics.schema import ACTIVITY_COLOURS, FORMAT_COLOURS, THEME_COLOURS

PERIOD = query.period_label(date(2021, 9, 1), date(2021, 10, 15))


@pytest.fixture(scope="module")
def ds():
    return seed_dataset()


@pytest.fixture(scope="module")
def empty(ds):
    return query.filter_dataset(ds, Filters(text="no such words anywhere"))


def every_figure(data, period: str = PERIOD) -> dict[str, go.Figure]:
    spans, total = query.event_spans(data)
    return {
        "theme": charts.theme_bar(query.theme_counts(data), period=period),
        "format": charts.format_bar(query.format_counts(data), period=period),
        "activity": charts.activity_bar(query.activity_counts(data), period=period),
        "country": charts.country_bar(query.country_counts(data), period=period),
        "region": charts.region_bar(query.region_counts(data), period=period),
        "heatmap": charts.theme_format_heatmap(query.theme_format_matrix(data), period=period),
        "timeline": charts.timeline_chart(
            query.events_over_time(data, "W", "theme"), freq="W", period=period
        ),
        "gantt": charts.gantt_chart(spans, total=total, period=period),
        "sparkline": charts.overview_sparkline(query.events_per_period(data), period=period),
        "static map": charts.static_map_figure(query.partner_place_counts(data), period=period),
    }


def title_lines(fig: go.Figure) -> list[str]:
    """The title's lines as read on screen (markup removed)."""
    return [re.sub(r"<[^>]+>", "", line) for line in fig.layout.title.text.split("<br>")]


@pytest.mark.parametrize("which", ["full", "empty"])
def test_every_figure_is_valid_plotly_as_built(ds, empty, which):
    # builders skip plotly's validation for speed: validating their output must change nothing
    for name, fig in every_figure(ds if which == "full" else empty).items():
        checked = go.Figure(fig.to_dict())  # validates; raises on a misspelt property
        assert json.loads(checked.to_json()) == json.loads(fig.to_json()), name


def test_theme_bar_title_says_what_and_when(ds):
    fig = charts.theme_bar(query.theme_counts(ds), period=PERIOD)
    assert title_lines(fig) == ["Events by theme", "1 Sept – 15 Oct 2021"]


def test_every_title_names_the_period_on_its_second_line(ds):
    for name, fig in every_figure(ds).items():
        assert title_lines(fig)[1].startswith("1 Sept – 15 Oct 2021"), name


LONG_PERIOD = query.period_label(date(2003, 11, 5), date(2024, 6, 21))


def test_titles_fit_a_half_width_column(ds):
    # A half-width column at a 1280 px window is ~400 px: about 34 characters at the
    # 22 px title size. "Events by theme, 5 Nov 2003 – 21 Jun 2024" on one line overflowed.
    for name, fig in every_figure(ds, period=LONG_PERIOD).items():
        assert all(len(line) <= 34 for line in title_lines(fig)), (name, title_lines(fig))
        # measured from the figure's edge, so long bar labels do not push it right
        assert fig.layout.title.xref == "container", name


def test_the_plot_starts_below_a_two_line_title_and_its_subtitle(ds):
    counts = query.theme_counts(ds)
    bare = charts.theme_bar(counts)
    dated = charts.theme_bar(counts, period=PERIOD)
    noted = charts.theme_bar(counts, period=PERIOD, note="theme: energy")
    assert bare.layout.margin.t < dated.layout.margin.t < noted.layout.margin.t
    # plotly shifts a multi-line title up by 0.7 em: the padding puts it back
    assert dated.layout.title.pad.t > bare.layout.title.pad.t


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
        key = trace.customdata[0][0]  # the theme's key, for a click; the name is shown
        assert trace.marker.color == THEME_COLOURS[key]
        assert trace.name == translator().theme(key)


def test_timeline_by_format_uses_format_colours(ds):
    fig = charts.timeline_chart(query.events_over_time(ds, "M", "format"), by="format")
    assert {t.name for t in fig.data} == {"In person", "Virtual", "Hybrid"}
    assert all(t.marker.color == FORMAT_COLOURS[t.customdata[0][0]] for t in fig.data)
    assert fig.layout.title.text == "Events per month by format"


def test_gantt_shows_title_and_partners_on_hover_and_says_when_capped(ds):
    spans, total = query.event_spans(ds, limit=4)
    fig = charts.gantt_chart(spans, total=total, period=PERIOD)
    assert title_lines(fig)[1] == "1 Sept – 15 Oct 2021 · most recent 4 of 11 events"
    hover = {row[1]: row[3] for trace in fig.data for row in trace.customdata}
    assert hover["Meeting of the UNESCO Creative Cities of Design"] == "Geelong"
    assert all("customdata[3]" in t.hovertemplate for t in fig.data)
    colours = {t.name: t.marker.color for t in fig.data}
    key = {translator().theme(k): k for k in THEME_COLOURS}
    assert colours == {name: THEME_COLOURS[key[name]] for name in colours}


def test_every_gantt_bar_is_one_row_thick(ds):
    # Without an explicit width plotly sizes each theme's bars from the gaps between that
    # theme's own rows: a theme with events 5 rows apart drew bars 5 rows thick.
    spans, total = query.event_spans(ds)
    fig = charts.gantt_chart(spans, total=total)
    rows = sorted(y for t in fig.data for y in t.y)
    assert rows == list(range(len(spans)))
    gaps = {
        t.name: max(b - a for a, b in zip(sorted(t.y), sorted(t.y)[1:], strict=False))
        for t in fig.data
        if len(t.y) > 1
    }
    assert max(gaps.values()) > 1  # some theme has rows apart: the case that went wrong
    for trace in fig.data:
        assert trace.width is not None and 0 < trace.width <= 1, trace.name
    # one slot per row, first event on top
    assert list(fig.layout.yaxis.range) == [len(spans) - 0.5, -0.5]


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
    assert fig.layout.title.subtitle.text == "theme: Energy"


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


def test_points_are_coloured_by_leading_theme(ds):
    deck = charts.partner_map(query.partner_place_counts(ds))
    cities = next(layer for layer in deck_json(deck)["layers"] if layer["id"] == "cities")
    geelong = next(p for p in cities["data"] if p["name"] == "Geelong")
    assert geelong["colour"][:3] == [0x33, 0x22, 0x88]  # design


def map_tips(places) -> dict[str, str]:
    layers = deck_json(charts.partner_map(places))["layers"]
    return {p["name"]: p["tip"] for layer in layers if layer.get("pickable") for p in layer["data"]}


def test_the_tooltip_shows_place_country_count_and_titles_on_separate_lines(ds):
    deck = charts.partner_map(query.partner_place_counts(ds))
    # text, not html: Streamlit escapes values in an html tooltip, so a <br/> in a value
    # showed literally; text is drawn with innerText, newlines kept (white-space: pre-line)
    assert deck._tooltip["text"] == "{tip}" and "html" not in deck._tooltip
    assert deck._tooltip["style"]["whiteSpace"] == "pre-line"
    tips = map_tips(query.partner_place_counts(ds))
    assert tips["Geelong"].split("\n") == [
        "Geelong",
        "Australia",
        "2 events",
        "",
        "Meeting of the UNESCO Creative Cities of Design",
        "Automotive Project seminar",
    ]
    assert tips["Wallonia"].split("\n")[:3] == ["Wallonia (region)", "Belgium", "1 event"]
    assert not any("<" in tip for tip in tips.values())


def test_titles_in_the_tooltip_stay_plain_text(ds):
    # No markup is interpreted in a text tooltip, in the dashboard or in the saved HTML
    # page (pydeck substitutes values unescaped there), and nothing is double-escaped.
    places = query.partner_place_counts(ds)
    places.loc[0, "titles"] = "<script>alert(1)</script> & friends"
    tip = map_tips(places)[places.loc[0, "name"]]
    assert tip.endswith("<script>alert(1)</script> & friends")
    assert "&amp;" not in tip


def many_places(ds, n: int = 100):
    """``n`` partner places with 1..n events (the seed's places, renamed and reweighted)."""
    base = query.partner_place_counts(ds)
    rows = base.sample(n, replace=True, random_state=1).reset_index(drop=True)
    rows["name"] = [f"Place {i}" for i in range(n)]
    rows["events"] = list(range(n, 0, -1))
    rows["lon"] = rows["lon"] + (rows.index % 7) * 0.5  # distinct positions
    return rows


def test_arcs_go_only_to_the_busiest_partners_and_the_subtitle_says_so(ds):
    places = many_places(ds)
    spec = deck_json(charts.partner_map(places))
    layers = {layer["id"]: layer for layer in spec["layers"]}
    arcs = layers["arcs"]["data"]
    assert len(arcs) == charts.MAX_ARCS == 40
    top = places.head(40)
    assert sorted((a["lon"], a["lat"]) for a in arcs) == sorted(
        zip(top["lon"], top["lat"], strict=True)
    )
    # every place keeps its dot
    assert len(layers["cities"]["data"]) + len(layers["areas"]["data"]) == 100
    # wider for more events, and see-through
    widths = [a["width"] for a in arcs]
    assert widths[0] > widths[-1] and widths == sorted(widths, reverse=True)
    assert all(a["arc_colour"][3] < 255 for a in arcs)
    assert charts.map_note(len(places)) == "arcs to the 40 most frequent partners"


def test_few_partners_all_get_an_arc_and_no_note(ds):
    places = query.partner_place_counts(ds)
    assert charts.map_note(len(places)) == ""
    static = charts.static_map_figure(places, note="theme: energy")
    assert static.layout.title.subtitle.text == "theme: energy"


def test_the_map_note_says_when_dots_are_capped_too():
    assert charts.map_note(4010) == (
        "arcs to the 40 most frequent partners · dots for the 2,000 most frequent of 4,010 places"
    )


def test_the_static_map_also_draws_arcs_to_the_busiest_only(ds):
    places = many_places(ds)
    fig = charts.static_map_figure(places, note="theme: energy")
    arcs = [t for t in fig.data if t.mode == "lines" and t.fill != "toself"]
    assert len(arcs) == 40
    assert fig.layout.title.subtitle.text == (
        "theme: energy · arcs to the 40 most frequent partners"
    )


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
    assert any(t.name == "Energy" for t in ring)  # Wallonia, a region, drawn as a ring


def test_world_outline_is_small_and_names_countries():
    world = charts.world_geojson()
    assert charts.WORLD_GEOJSON_PATH.stat().st_size < 500_000
    props = {f["properties"]["ISO_A2"]: f["properties"]["name"] for f in world["features"]}
    assert props["IT"] == "Italy" and props["FR"] == "France" and props["BE"] == "Belgium"
    assert charts.world_geojson() is world  # loaded once


def test_the_count_after_the_longest_bar_has_room(ds):
    # plotly's autorange leaves no room for outside text: "16,180" was cut at the edge
    (bar,) = charts.format_bar(query.format_counts(ds)).data
    fig = charts.format_bar(query.format_counts(ds))
    assert fig.layout.xaxis.range[1] >= 1.2 * max(bar.x)


def test_every_period_of_the_sparkline_is_drawn_at_its_value_the_newest_too():
    series = pd.DataFrame(
        {
            "period": pd.to_datetime(["2021-08-01", "2021-09-01", "2021-10-01"]),
            "events": [2, 0, 5],
        }
    )
    fig = charts.overview_sparkline(series, freq="M")
    (bars,) = fig.data
    assert bars.type == "bar" and list(bars.y) == [2, 0, 5]
    # each bar spans its month, and the axis ends where the newest month ends
    assert bars.offset == 0
    assert pd.Timestamp(fig.layout.xaxis.range[1]) == pd.Timestamp("2021-11-01")
    assert bars.width[-1] == pytest.approx(31 * 24 * 3600 * 1000)


@pytest.mark.parametrize("most", [1, 2, 3, 9])
def test_count_axes_show_whole_numbers_only(most):
    series = pd.DataFrame({"period": pd.to_datetime(["2021-09-01"]), "events": [most]})
    axis = charts.overview_sparkline(series).layout.yaxis
    assert axis.dtick == 1 and axis.tick0 == 0 and axis.tickformat == ",d"


def test_date_axes_name_their_months_in_the_language_and_weeks_start_on_monday(ds):
    it, en = translator("it"), translator("en")
    counts = query.events_over_time(ds, "M", "theme")
    italian = charts.timeline_chart(counts, t=it)
    assert italian.layout.xaxis.ticktext[:2] == ("set 2021", "ott 2021")
    assert charts.timeline_chart(counts, t=en).layout.xaxis.ticktext[:2] == (
        "Sept 2021",
        "Oct 2021",
    )
    assert italian.layout.separators == ",." and italian.layout.yaxis.title.text == "eventi"
    weekly = charts.overview_sparkline(query.events_per_period(ds, "W"), freq="W", t=it)
    mondays = [pd.Timestamp(v) for v in weekly.layout.xaxis.tickvals]
    assert mondays and all(d.weekday() == 0 for d in mondays)
    assert weekly.layout.xaxis.ticktext[0] == f"{mondays[0].day} set"
    assert weekly.data[0].customdata[0].startswith("Settimana del ")
