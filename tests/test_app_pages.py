"""The dashboard's pages under Streamlit's AppTest: every page draws, empty filters say so,
the URL carries the filters, and nothing ever shows a traceback."""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
from datetime import date

import pytest
from checkout import APP, RAW

sys.path.insert(0, str(APP.parent))  # the dashboard's own modules: state, ui

import state
import ui

pytestmark = pytest.mark.usefixtures("bundled_data")

PAGES = ["overview", "timeline", "map", "breakdown", "events", "about"]
NO_MATCH = "zzzz-no-match"


def shown(markdown: str) -> str:
    """Markdown source as the reader sees it: backslash escapes undone."""
    return re.sub(r"\\(.)", r"\1", markdown)


def assert_no_errors(at) -> None:
    """No traceback element and no error box anywhere on the page."""
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error, [e.body for e in at.error]


def plotly_figures(at) -> list[dict]:
    return [json.loads(el.proto.spec) for el in at.get("plotly_chart")]


def figure_title(fig: dict) -> str:
    title = fig["layout"].get("title", {})
    return title.get("text", "") if isinstance(title, dict) else str(title)


def metric_value(at, label: str) -> str:
    for m in at.metric:
        if m.label == label:
            return m.value
    raise AssertionError(f"no metric {label!r} in {[m.label for m in at.metric]}")


# ---------------------------------------------------------------- every page, bundled data


def test_overview_shows_the_headline_figures_a_timeline_and_the_themes(app_test):
    at = app_test("overview")
    assert_no_errors(at)
    assert metric_value(at, "Events") == "15"
    labels = {m.label for m in at.metric}
    assert len(labels) >= 6, labels
    figs = plotly_figures(at)
    assert len(figs) == 2
    # Titles say what and when: the seed agenda runs from September to October 2021.
    assert any("2021" in figure_title(f) for f in figs)


def test_timeline_shows_stacked_counts_and_a_gantt_of_event_spans(app_test):
    at = app_test("timeline")
    assert_no_errors(at)
    assert len(at.get("plotly_chart")) == 2
    # Switching to weekly counts stacked by format redraws without error, and says so in
    # the URL, so a copied link opens the same chart.
    at.segmented_control(key="tl_per").set_value("week")
    at.segmented_control(key="tl_by").set_value("format")
    at.run()
    assert_no_errors(at)
    titles = [figure_title(f).lower() for f in plotly_figures(at)]
    assert any("week" in t and "format" in t for t in titles), titles
    assert at.query_params["per"] == "week" and at.query_params["by"] == "format"


def test_a_timeline_link_opens_weekly_counts_by_activity(app_test):
    at = app_test("timeline", per="Week", by="activity")
    assert_no_errors(at)
    titles = [figure_title(f).lower() for f in plotly_figures(at)]
    assert any("per week by activity" in t for t in titles), titles


def test_map_draws_partner_places_and_ranks_cities_and_countries(app_test):
    at = app_test("map")
    assert_no_errors(at)
    maps = at.get("deck_gl_json_chart")
    assert len(maps) == 1
    deck = json.loads(maps[0].proto.json)
    assert deck.get("layers"), "the map has layers"
    # No map provider: the browser fetches no basemap tiles, the outline layer is the map.
    assert not deck.get("mapProvider")
    assert len(at.dataframe) == 2  # top partner cities, top countries
    cities = at.dataframe[0].value
    assert len(cities) >= 1


def test_breakdown_shows_six_charts(app_test):
    at = app_test("breakdown")
    assert_no_errors(at)
    assert len(at.get("plotly_chart")) == 6


def test_events_lists_every_filtered_event_with_every_field(app_test):
    at = app_test("events")
    assert_no_errors(at)
    table = at.dataframe[0].value
    assert len(table) == 15
    for column in (
        "start",
        "end",
        "title",
        "description",
        "format",
        "activity",
        "themes",
        "partners",
        "countries",
        "organisations",
        "projects",
        "language",
        "source_file",
        "source_line",
        "id",
    ):
        assert column in table.columns


def test_events_search_box_narrows_the_table(app_test):
    at = app_test("events")
    at.text_input(key="ev_search").set_value("Wallonia").run()
    assert_no_errors(at)
    table = at.dataframe[0].value
    assert 1 <= len(table) < 15
    assert table["title"].str.contains("Wallonia").any()


def test_about_lists_files_counts_warnings_and_credits(app_test):
    at = app_test("about")
    assert_no_errors(at)
    text = " ".join(m.value for m in at.markdown)
    assert "GeoNames" in text and "CC BY 4.0" in text
    assert "Natural Earth" in text and "public domain" in text
    files = at.dataframe[0].value
    assert "agenda-2021-09-10.txt" in set(files["file"])
    assert metric_value(at, "Events") == "15"


# ---------------------------------------------------------------- a filter that selects nothing


@pytest.mark.parametrize("page", PAGES[:-1])
def test_a_filter_that_selects_nothing_gives_a_clear_empty_state(app_test, page):
    at = app_test(page, q=NO_MATCH)
    assert_no_errors(at)
    assert any("No events match" in i.body for i in at.info), [i.body for i in at.info]
    assert not at.get("plotly_chart")
    assert not at.get("deck_gl_json_chart")


def test_about_still_describes_the_data_when_the_filters_select_nothing(app_test):
    at = app_test("about", q=NO_MATCH)
    assert_no_errors(at)
    assert metric_value(at, "Events") == "15"


# ---------------------------------------------------------------- filters <-> URL


def test_a_link_with_filters_opens_the_same_view(app_test):
    at = app_test("events", theme="energy")
    assert_no_errors(at)
    assert at.multiselect(key=state.K_THEMES).value == ["energy"]
    assert at.query_params.get("theme") == "energy"
    table = at.dataframe[0].value
    assert 1 <= len(table) < 15
    assert all("Energy" in t for t in table["themes"])  # the names the sidebar shows


def test_changing_a_sidebar_filter_writes_it_to_the_url(app_test):
    at = app_test("overview")
    assert "theme" not in at.query_params
    at.multiselect(key=state.K_THEMES).set_value(["culture", "design"]).run()
    assert_no_errors(at)
    assert at.query_params.get("theme") == ["culture", "design"]
    at.text_input(key=state.K_TEXT).set_value("UNESCO").run()
    assert at.query_params.get("q") == "UNESCO"


def test_reset_clears_every_filter_and_the_url(app_test):
    at = app_test(
        "overview",
        theme="energy",
        q="Wallonia",
        period="custom",
        **{"from": "2021-10-01", "to": "2021-10-31"},
    )
    assert at.query_params.get("period") == "custom"
    next(b for b in at.button if b.label == "Reset filters").click().run()
    assert_no_errors(at)
    assert at.multiselect(key=state.K_THEMES).value == []
    assert at.text_input(key=state.K_TEXT).value == ""
    assert not set(at.query_params) & state.OWN_PARAMS
    assert metric_value(at, "Events") == "15"


def test_a_month_link_restricts_the_period(app_test):
    at = app_test("events", period="month", month="2021-09")
    assert_no_errors(at)
    table = at.dataframe[0].value
    assert 1 <= len(table) < 15
    assert all(d <= date(2021, 9, 30) for d in table["start"])


def test_choosing_a_quarter_picks_the_latest_one_and_puts_it_in_the_url(app_test):
    at = app_test("events")
    at.selectbox(key=state.K_PERIOD).set_value(state.QUARTER).run()
    assert_no_errors(at)
    # The seed agenda ends in October 2021: the newest quarter with data is Q4 2021.
    assert at.selectbox(key=state.K_QUARTER).value == "2021-Q4"
    assert at.query_params.get("period") == "quarter"
    assert at.query_params.get("quarter") == "2021-Q4"
    assert at.date_input(key=state.K_RANGE).value == (date(2021, 10, 1), date(2021, 12, 31))
    table = at.dataframe[0].value
    assert 1 <= len(table) < 15
    assert all(e >= date(2021, 10, 1) for e in table["end"])


def test_editing_the_dates_makes_a_custom_period(app_test):
    at = app_test("overview")
    at.date_input(key=state.K_RANGE).set_value((date(2021, 9, 20), date(2021, 9, 30))).run()
    assert_no_errors(at)
    assert at.selectbox(key=state.K_PERIOD).value == state.CUSTOM
    assert at.query_params.get("from") == "2021-09-20"
    assert at.query_params.get("to") == "2021-09-30"
    events = int(metric_value(at, "Events"))
    assert 1 <= events < 15
    # A custom period is compared with the one before it.
    assert any(m.proto.delta for m in at.metric if m.label == "Events")


def test_this_year_on_an_archive_that_ended_says_where_its_events_are(app_test):
    at = app_test("overview", period="this-year")
    assert_no_errors(at)
    assert at.selectbox(key=state.K_PERIOD).value == "This year"
    (box,) = at.info
    assert f"{date.today().year}" in shown(box.body)
    assert "after the agenda's events, which run from 9 Sept 2021 to 15 Oct 2021" in shown(box.body)


def test_garbage_in_the_url_is_ignored_not_an_error(app_test):
    at = app_test(
        "overview",
        theme=["energy", "<script>"],
        period="bogus",
        month="2021-13",
        **{"from": "yesterday"},
    )
    assert_no_errors(at)
    assert at.multiselect(key=state.K_THEMES).value == ["energy"]


# ---------------------------------------------------------------- robustness


def test_a_broken_chart_becomes_a_short_message_not_a_traceback(app_test, monkeypatch):
    from intl_metrics import charts

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(charts, "theme_bar", broken)
    monkeypatch.setattr(ui, "_memo", {})  # figures built by earlier tests are remembered
    at = app_test("breakdown")
    assert not at.exception
    assert len(at.error) == 1 and "could not be drawn" in at.error[0].body
    assert len(at.get("plotly_chart")) == 5  # the other charts still draw


def test_a_package_that_cannot_load_gives_a_message_not_a_traceback(app_test, monkeypatch):
    monkeypatch.setitem(sys.modules, "ui", None)  # `import ui` now raises ImportError
    at = app_test()
    assert not at.exception
    assert len(at.error) == 1 and "could not start" in at.error[0].body


def test_a_file_that_fails_shows_on_about_while_the_rest_stays_up(app_test, monkeypatch, tmp_path):
    from intl_metrics import load

    shutil.copy(RAW / "agenda-2021-09-10.txt", tmp_path)
    # Dated lines whose dates cannot exist: the parser warns and skips them.
    (tmp_path / "broken.txt").write_text(
        "Navigation Menu\n"
        "October 45th 2021 Impossible dayThe City met nobody.\n"
        "31/02/21 Another impossible dayText.\n",
        encoding="utf-8",
    )
    (tmp_path / "noise.txt").write_bytes(os.urandom(2000))
    (tmp_path / "locked.txt").write_text("October 1st 2021 LockedText.", encoding="utf-8")
    real_read = load._read

    def read_or_fail(path):
        if path.name == "locked.txt":
            raise PermissionError(13, "Permission denied")
        return real_read(path)

    monkeypatch.setattr(load, "_read", read_or_fail)
    load.clear_cache()
    monkeypatch.setenv("INTL_METRICS_DATA", str(tmp_path))
    at = app_test("about")
    assert not at.exception
    assert any(
        "locked.txt" in shown(w.body) and "Permission denied" in shown(w.body) for w in at.warning
    )
    files = at.dataframe[0].value
    assert {"agenda-2021-09-10.txt", "broken.txt", "noise.txt", "locked.txt"} <= set(files["file"])
    warnings = at.dataframe[1].value
    assert set(warnings["file"]) >= {"broken.txt"}
    assert (warnings["line"] == 2).any()
    at.switch_page("app_pages/overview.py").run()
    assert_no_errors(at)
    assert metric_value(at, "Events") == "15"


def test_a_file_added_to_the_data_folder_shows_after_a_reload(app_test, monkeypatch, tmp_path):
    shutil.copy(RAW / "agenda-2021-09-10.txt", tmp_path)
    monkeypatch.setenv("INTL_METRICS_DATA", str(tmp_path))
    at = app_test("overview")
    assert metric_value(at, "Events") == "15"
    seed = (RAW / "agenda-2021-09-10.txt").read_text(encoding="utf-8")
    first_entry = seed.splitlines()[0].replace("2021", "2022")
    (tmp_path / "agenda-2022.txt").write_text(first_entry + "\n", encoding="utf-8")
    at.run()
    assert_no_errors(at)
    assert metric_value(at, "Events") == "16"


@pytest.mark.parametrize("page", PAGES)
def test_with_no_agenda_files_every_page_says_so_calmly(app_test, monkeypatch, tmp_path, page):
    monkeypatch.setenv("INTL_METRICS_DATA", str(tmp_path))
    at = app_test(page)
    assert_no_errors(at)
    if page == "about":
        assert any("No agenda files" in i.body for i in at.info)
    else:
        assert any("No events are loaded yet" in i.body for i in at.info)


# ---------------------------------------------------------------- state and click helpers


def test_url_parameters_round_trip_through_the_view_state():
    vs = state.ViewState(
        period=state.QUARTER,
        quarter="2021-Q3",
        themes=("energy", "culture"),
        countries=("BE",),
        cities=("Wallonia",),
        text="energy transition",
    )
    params = state.to_params(vs)
    assert params["period"] == ["quarter"] and params["quarter"] == ["2021-Q3"]
    assert state.from_params(params) == vs


def test_a_plain_link_is_all_dates_and_no_filters():
    assert state.to_params(state.ViewState()) == {}
    assert state.from_params({}) == state.ViewState()


def test_a_quarter_runs_from_its_first_to_its_last_day():
    assert state.quarter_range("2021-Q3") == (date(2021, 7, 1), date(2021, 9, 30))
    assert state.quarter_range("2021-Q4") == (date(2021, 10, 1), date(2021, 12, 31))
    assert state.quarter_range("2021-Q5") is None
    assert state.month_range("2024-02") == (date(2024, 2, 1), date(2024, 2, 29))
    assert state.quarters_between(date(2021, 9, 10), date(2022, 1, 5)) == [
        "2022-Q1",
        "2021-Q4",
        "2021-Q3",
    ]


def test_a_clicked_bar_gives_its_category_key():
    points = [{"x": 3, "y": "Energy", "customdata": ["energy"], "point_index": 1}]
    assert ui.click_values(points) == ["energy"]
    assert ui.click_values([{"x": "virtual", "y": 4}]) == ["virtual"]
    assert ui.click_values([]) == []


def test_markdown_in_event_text_is_shown_as_written():
    assert ui.md_escape("*Resolve* [and] $5") == r"\*Resolve\* \[and\] \$5"


def test_the_map_outline_served_to_the_browser_is_the_shipped_one(monkeypatch, tmp_path):
    from intl_metrics.charts import WORLD_GEOJSON_PATH

    monkeypatch.setattr(ui, "_STATIC_WORLD", tmp_path / "static" / "world-110m.geojson")
    monkeypatch.setattr(ui.st, "get_option", lambda name: True)
    assert ui.world_layer_data() == "app/static/world-110m.geojson"
    assert ui._STATIC_WORLD.read_bytes() == WORLD_GEOJSON_PATH.read_bytes()


def test_a_clicked_map_place_filters_to_the_place_or_its_country():
    wallonia = {"name": "Wallonia", "kind": "region", "country": "BE", "events": 1}
    korea = {"name": "South Korea", "kind": "country", "country": "KR", "events": 1}
    geelong = {"name": "Geelong", "kind": "city", "country": "AU", "events": 2}
    assert ui.place_filter({"places": [geelong]}) == ("cities", ["Geelong"])
    assert ui.place_filter({"places": [wallonia]}) == ("cities", ["Wallonia"])
    assert ui.place_filter({"places": [korea]}) == ("countries", ["KR"])
    assert ui.place_filter({"world": [{"name": "France"}]}) is None  # the outline is not a place
    assert ui.place_filter({}) is None


def test_a_reloaded_dataset_is_not_kept_alive_by_remembered_filters():
    import gc
    import weakref

    from seed_dataset import seed_dataset

    from intl_metrics.query import Filters

    old = seed_dataset()
    ui.filtered(old, Filters(themes=("energy",)))  # a filtered dataset refers to its source
    gone = weakref.ref(old)
    new = seed_dataset()  # files reloaded: a new dataset object
    assert ui.filtered(new, Filters(themes=("energy",))).events["title"].size == 3
    del old
    gc.collect()
    assert gone() is None


def test_a_synthetic_archive_is_flagged_on_every_page_and_in_the_credits(
    app_test, monkeypatch, tmp_path
):
    from intl_metrics.synth import write_synthetic

    write_synthetic(tmp_path / "synth.txt", 60, 3)
    monkeypatch.setenv("INTL_METRICS_DATA", str(tmp_path))
    for page in PAGES:
        at = app_test(page)
        assert_no_errors(at)
        assert any("Synthetic test data" in w.body for w in at.warning), page
    credits = " ".join(m.value for m in at.markdown)
    assert "synthetic test data" in credits and "City of Torino, International Affairs" not in (
        credits
    )


def test_a_hand_typed_theme_in_any_case_is_taken(app_test):
    at = app_test("overview", theme=["Energy", "MIGRATION"])
    assert_no_errors(at)
    assert at.multiselect(key=state.K_THEMES).value == ["energy", "migration"]


def test_the_map_names_its_colours_and_keeps_its_tooltip_inside(app_test):
    at = app_test("map")
    assert_no_errors(at)
    legend = " ".join(h.proto.body for h in at.get("html"))
    assert "Design" in legend and "#332288" in legend  # a swatch per theme on the map
    (deck,) = at.get("deck_gl_json_chart")
    style = json.loads(deck.proto.tooltip)["style"]
    assert style["transform"] == "none" and style["top"] == "10px"


def test_cards_say_changes_in_number_and_percent_and_no_change_has_no_arrow(app_test):
    at = app_test("overview", period="custom", **{"from": "2021-10-01", "to": "2021-10-31"})
    assert_no_errors(at)
    cards = {m.label: m for m in at.metric}
    assert re.fullmatch(r"[+-]\d+ \([+-]\d+(\.\d)?%\)|[+-]\d+ \(new\)", cards["Events"].proto.delta)
    assert cards["Days of activity"].proto.delta == "no change"  # 7 days both months
    unchanged = cards["Days of activity"].proto
    field = unchanged.DESCRIPTOR.fields_by_name
    direction = field["direction"].enum_type.values_by_number[unchanged.direction].name
    colour = field["color"].enum_type.values_by_number[unchanged.color].name
    assert (direction, colour) == ("NONE", "GRAY")


def test_the_gantt_names_the_newest_events_and_says_how_many_it_leaves_out(monkeypatch, tmp_path):
    from intl_metrics import charts, query
    from intl_metrics.load import load_events
    from intl_metrics.synth import write_synthetic

    write_synthetic(tmp_path / "s.txt", 300, 5)
    spans, total = query.event_spans(load_events([tmp_path]))
    fig = charts.gantt_chart(spans, total=total)
    assert len(fig.layout.yaxis.ticktext) == 40 == len(spans) < total
    assert f"most recent 40 of {total:,} events" in fig.layout.title.text
