"""Filters and aggregates: what staff select is what the numbers count."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest
from seed_dataset import seed_dataset

from intl_metrics import query
from intl_metrics.i18n import translator
from intl_metrics.query import Filters
from intl_metrics.schema import ACTIVITIES, FORMATS, THEMES

SEP1, OCT15 = date(2021, 9, 1), date(2021, 10, 15)


@pytest.fixture(scope="module")
def ds():
    return seed_dataset()


def titles(ds) -> set[str]:
    return set(ds.events["title"])


# ------------------------------------------------------------------------ filtering


def test_filtering_by_energy_keeps_wallonia_moloc_and_nur_and_drops_tief(ds):
    got = titles(query.filter_dataset(ds, Filters(themes=("energy",))))
    assert got == {
        "Delegation from Wallonia",
        "MOLOC final conference",
        "NUR project at Cinemambiente Festival",
    }
    assert "TIEF" not in got


def test_two_themes_match_either_and_a_format_narrows_them(ds):
    either = titles(query.filter_dataset(ds, Filters(themes=("energy", "design"))))
    assert {"Delegation from Wallonia", "Automotive Project seminar"} <= either
    both = titles(
        query.filter_dataset(ds, Filters(themes=("energy", "design"), formats=("hybrid",)))
    )
    assert both == {"NUR project at Cinemambiente Festival"}


def test_filtered_tables_point_at_their_own_events(ds):
    sub = query.filter_dataset(ds, Filters(countries=("BE",)))
    assert titles(sub) == {"Delegation from Wallonia", "Automotive Project seminar"}
    ids = sub.events["id"].to_numpy()
    for table in (sub.themes, sub.partners, sub.countries):
        assert (ids[table["row"].to_numpy()] == table["event_id"].to_numpy()).all()
    # the Automotive seminar keeps all six partners, not only the Belgian one
    assert len(sub.partners) == 7


def test_a_period_keeps_events_that_run_into_it(ds):
    october = titles(
        query.filter_dataset(ds, Filters(start=date(2021, 10, 1), end=date(2021, 10, 31)))
    )
    assert "EUROCITIES Culture Forum" in october  # 30 Sep – 1 Oct
    assert "MOLOC final conference" not in october


def test_free_text_ignores_case_and_accents_and_needs_every_word(ds):
    assert titles(query.filter_dataset(ds, Filters(text="gdansk"))) == {
        "CO4CITIES transnational seminar"
    }
    assert titles(query.filter_dataset(ds, Filters(text="GDAŃSK"))) == {
        "CO4CITIES transnational seminar"
    }
    assert titles(query.filter_dataset(ds, Filters(text="saint etienne"))) == {
        "Automotive Project seminar"
    }
    assert titles(query.filter_dataset(ds, Filters(text="lille final"))) == {
        "MOLOC final conference"
    }
    assert titles(query.filter_dataset(ds, Filters(text="lille tampere"))) == set()


@pytest.mark.parametrize(
    ("word", "text"),
    [
        ("economie", "Forum de l'Économie sociale"),
        ("économie", "Forum de l'ECONOMIE sociale"),
        ("citta", "Rete delle Citta\u0300 creative"),  # a combining accent, as some pages have
        ("munchen", "Delegation from MÜNCHEN"),
        ("kyiv", "Visit to Kyïv"),
        ("athina", "Meeting in Athína"),
        ("1+1", "The 1+1 programme"),  # a regex character is a plain character
    ],
)
def test_a_search_word_finds_text_written_with_any_case_and_accents(word, text):
    events = pd.DataFrame(
        {
            "title": pd.array([text, "something else"], dtype="string"),
            "description": pd.array(["", ""], dtype="string"),
            "partners": [(), ()],
        }
    )
    (folded,) = query.search_words(word)
    assert query.word_mask(events, folded).tolist() == [True, False]


def test_free_text_ignores_quotes_and_commas_around_words(ds):
    assert titles(query.filter_dataset(ds, Filters(text='"Wallonia", CENEO.'))) == {
        "Delegation from Wallonia"
    }


def test_free_text_finds_partner_names_not_written_in_the_text(ds):
    # the gazetteer name is searchable even when the description spells it otherwise
    assert "Automotive Project seminar" in titles(
        query.filter_dataset(ds, Filters(text="Saint-Étienne"))
    )


def test_a_region_partner_can_be_picked_like_a_city(ds):
    assert titles(query.filter_dataset(ds, Filters(cities=("Wallonia",)))) == {
        "Delegation from Wallonia"
    }
    assert titles(query.filter_dataset(ds, Filters(cities=("Geelong",)))) == {
        "Meeting of the UNESCO Creative Cities of Design",
        "Automotive Project seminar",
    }


def test_no_filter_returns_the_dataset_itself(ds):
    assert query.filter_dataset(ds, Filters()) is ds
    assert Filters().is_default()
    assert not Filters(text="x").is_default()


def test_a_filter_that_selects_nothing_gives_empty_tables_and_zero_counts(ds):
    none = query.filter_dataset(ds, Filters(themes=("sport",)))
    assert none.events.empty and none.partners.empty and none.themes.empty
    assert query.theme_counts(none)["events"].sum() == 0
    assert query.format_counts(none)["share"].sum() == 0
    assert query.country_counts(none).empty
    assert query.region_counts(none).empty
    assert query.partner_place_counts(none).empty
    assert query.events_over_time(none).empty
    assert query.events_per_period(none).empty
    assert query.event_spans(none)[1] == 0
    assert query.theme_format_matrix(none).to_numpy().sum() == 0
    assert query.top_partner_cities(none).empty


def test_describe_names_the_active_filters():
    text = Filters(themes=("energy", "culture"), formats=("virtual",), text="Wallonia").describe()
    # names as the interface shows them; the text as typed
    assert text == "theme: Energy, Culture · format: Virtual · text “Wallonia”"
    assert Filters().describe() == ""
    italian = Filters(themes=("urban",), countries=("KR",)).describe(translator("it"))
    assert italian == "tema: Sviluppo urbano · paese: Corea del Sud"


# -------------------------------------------------------------------------- periods


def test_previous_period_has_equal_length_and_ends_the_day_before(ds):
    f = Filters(start=SEP1, end=OCT15, themes=("energy",))
    prev = query.previous_period(f, ds)
    assert prev.end == SEP1 - timedelta(days=1)
    assert (prev.end - prev.start) == (f.end - f.start)
    assert prev.themes == ("energy",)


def test_previous_period_of_all_dates_uses_the_data_range(ds):
    prev = query.previous_period(Filters(), ds)
    assert prev.end == date(2021, 9, 8)
    assert (prev.end - prev.start) == (date(2021, 10, 15) - date(2021, 9, 9))


@pytest.mark.parametrize(
    ("preset", "expected"),
    [
        ("All", (date(2021, 9, 9), date(2021, 10, 15))),  # the data's own range
        ("This year", (date(2026, 1, 1), date(2026, 12, 31))),
        ("Last 12 months", (date(2025, 11, 25), date(2026, 11, 24))),
        ("This quarter", (date(2026, 10, 1), date(2026, 12, 31))),
        ("Last quarter", (date(2026, 7, 1), date(2026, 9, 30))),
        ("This month", (date(2026, 11, 1), date(2026, 11, 30))),
        ("Last month", (date(2026, 10, 1), date(2026, 10, 31))),
    ],
)
def test_presets_count_back_from_today_whatever_dates_the_data_has(preset, expected):
    today = date(2026, 11, 24)
    assert query.preset_range(preset, today, date(2021, 9, 9), date(2021, 10, 15)) == expected


def test_presets_at_the_turn_of_a_year():
    span = (date(2020, 1, 1), date(2023, 1, 1))
    assert query.preset_range("Last quarter", date(2022, 2, 10), *span) == (
        date(2021, 10, 1),
        date(2021, 12, 31),
    )
    assert query.preset_range("Last month", date(2022, 1, 10), *span) == (
        date(2021, 12, 1),
        date(2021, 12, 31),
    )
    with pytest.raises(ValueError, match="unknown period preset"):
        query.preset_range("Next year", date(2022, 1, 1), *span)


@pytest.mark.parametrize(
    ("period", "before"),
    [
        # the last 12 months to any day: the 12 months right before, no day skipped
        ((date(2025, 12, 8), date(2026, 12, 7)), (date(2024, 12, 8), date(2025, 12, 7))),
        ((date(2024, 3, 1), date(2025, 2, 28)), (date(2023, 3, 1), date(2024, 2, 29))),
        # a quarter, a month, a year: the calendar one before
        ((date(2021, 7, 1), date(2021, 9, 30)), (date(2021, 4, 1), date(2021, 6, 30))),
        ((date(2021, 3, 1), date(2021, 3, 31)), (date(2021, 2, 1), date(2021, 2, 28))),
        ((date(2021, 1, 1), date(2021, 12, 31)), (date(2020, 1, 1), date(2020, 12, 31))),
        # any other span: as many days
        ((date(2021, 9, 1), date(2021, 10, 15)), (date(2021, 7, 18), date(2021, 8, 31))),
    ],
)
def test_previous_period_is_the_same_stretch_of_calendar_right_before(ds, period, before):
    prev = query.previous_period(Filters(start=period[0], end=period[1]), ds)
    assert (prev.start, prev.end) == before


def test_period_labels_read_like_a_title():
    # British English month abbreviations (CLDR: 'Sept'); the day range joined by an en dash
    assert query.period_label(SEP1, OCT15) == "1 Sept – 15 Oct 2021"
    assert query.period_label(date(2021, 5, 3), date(2021, 5, 9)) == "3–9 May 2021"
    assert query.period_label(date(2021, 3, 12), date(2021, 3, 12)) == "12 Mar 2021"
    assert query.period_label(date(2018, 12, 20), date(2019, 1, 5)) == "20 Dec 2018 – 5 Jan 2019"
    assert query.period_label(None, None) == "all dates"
    assert query.period_label(SEP1, OCT15, translator("it")) == "1 set – 15 ott 2021"


# -------------------------------------------------------------------------- metrics


def test_overview_metrics_count_the_period_and_compare_with_the_one_before(ds):
    f = Filters(start=SEP1, end=OCT15)
    prev = query.previous_period(f, ds)
    metrics = {
        m.label: m
        for m in query.overview_metrics(
            query.filter_dataset(ds, f),
            query.filter_dataset(ds, prev),
            period=(f.start, f.end),
            previous_period=(prev.start, prev.end),
        )
    }
    assert metrics["Events"].value == "11" and metrics["Events"].delta == "+11 (new)"
    # brute force: every day some event ran
    days = set()
    for s, e in zip(ds.events["start_date"], ds.events["end_date"], strict=True):
        days |= {s + pd.Timedelta(days=i) for i in range((e - s).days + 1)}
    assert metrics["Days of activity"].raw == len(days) == 13
    cities = {(p.name, p.country) for p in ds.partners.itertuples() if p.kind == "city"}
    assert metrics["Partner cities"].raw == len(cities) == 13  # Wallonia is a region
    assert metrics["Countries"].raw == ds.countries["country"].nunique() == 13
    assert metrics["Virtual or hybrid"].raw == pytest.approx(4 / 11)
    assert metrics["Virtual or hybrid"].delta is None  # nothing to compare with
    # energy and urban have three events each: the tie goes to the earlier theme in THEMES
    assert metrics["Leading theme"].value == "Energy"
    assert metrics["Leading theme"].code == "energy"
    assert [m.key for m in metrics.values()] == [
        "events", "days", "cities", "countries", "remote", "lead"
    ]  # fmt: skip


def test_overview_metrics_speak_the_language(ds):
    f = Filters(start=SEP1, end=OCT15)
    prev = query.previous_period(f, ds)
    it = query.overview_metrics(
        query.filter_dataset(ds, f),
        query.filter_dataset(ds, prev),
        period=(f.start, f.end),
        previous_period=(prev.start, prev.end),
        t=translator("it"),
    )
    cards = {m.key: m for m in it}
    assert cards["events"].label == "Eventi" and cards["events"].delta == "+11 (nuovo)"
    assert cards["lead"].label == "Tema principale" and cards["lead"].value == "Energia"
    assert "Confronto con il periodo precedente" in cards["days"].help


def test_days_of_activity_are_clipped_to_the_period(ds):
    f = Filters(start=date(2021, 10, 14), end=date(2021, 10, 31))
    cur = query.filter_dataset(ds, f)
    (events, active, *_rest) = query.overview_metrics(cur, cur, period=(f.start, f.end))
    assert events.raw == 2  # TIEF (13-15 Oct), UNESCO (12-14 Oct)
    assert active.raw == 2  # 14 and 15 Oct


# ---------------------------------------------------------------------- aggregates


def test_theme_counts_equal_bare_pandas_counts(ds):
    got = query.theme_counts(ds).set_index("theme")["events"]
    expected = ds.themes.groupby("theme", observed=False)["event_id"].nunique()
    assert got.astype(int).to_dict() == expected.astype(int).to_dict()
    assert list(got.index) == list(THEMES)


def test_format_and_activity_counts_equal_value_counts(ds):
    got = query.format_counts(ds).set_index("format")["events"]
    assert got.to_dict() == ds.events["format"].value_counts().reindex(FORMATS).to_dict()
    got = query.activity_counts(ds).set_index("activity")["events"]
    expected = ds.events["activity"].value_counts().reindex(ACTIVITIES, fill_value=0)
    assert got.to_dict() == expected.to_dict()


def test_country_counts_equal_bare_pandas_counts_most_first(ds):
    got = query.country_counts(ds)
    expected = ds.countries.groupby("country", observed=True)["event_id"].nunique()
    assert got.set_index("country")["events"].to_dict() == expected.to_dict()
    assert got["events"].is_monotonic_decreasing
    assert got.iloc[0]["country"] in {"FR", "BE", "AU"}  # two events each
    assert query.top_countries(ds, 3)["events"].tolist() == [2, 2, 2]


def test_region_counts_count_an_event_once_per_region(ds):
    # the Automotive seminar names FR, AT, BE, US, AU and MX: one event per world region
    seminar = query.filter_dataset(ds, Filters(cities=("Graz",)))
    regions = query.region_counts(seminar)
    assert regions["events"].tolist() == [1] * len(regions)
    assert len(regions) < 6  # France, Austria and Belgium share a region
    assert query.region_counts(ds)["events"].sum() >= len(regions)


def test_theme_format_matrix_equals_a_crosstab(ds):
    fmt = ds.events["format"].to_numpy()[ds.themes["row"].to_numpy()]
    expected = pd.crosstab(ds.themes["theme"].astype(str), fmt)
    got = query.theme_format_matrix(ds)
    for theme in expected.index:
        for f in expected.columns:
            assert got.loc[theme, f] == expected.loc[theme, f]
    assert got.to_numpy().sum() == len(ds.themes)


def test_events_over_time_stacks_add_up_to_events_per_month(ds):
    got = query.events_over_time(ds, "M", "theme")
    assert got["events"].sum() == len(ds.events)
    per_month = got.groupby("period")["events"].sum()
    expected = ds.events.groupby(ds.events["start_date"].dt.to_period("M").dt.start_time).size()
    assert per_month.to_dict() == expected.to_dict()
    # an event counts under its primary theme: NUR (energy, culture) is energy
    october = got[got["period"] == pd.Timestamp("2021-10-01")].set_index("group")["events"]
    assert october["energy"] == 2


def test_weeks_start_on_monday(ds):
    got = query.events_over_time(ds, "W", "format")
    assert (got["period"].dt.day_of_week == 0).all()
    assert got["events"].sum() == len(ds.events)
    tief_week = got[got["period"] == pd.Timestamp("2021-10-11")]
    assert tief_week["events"].sum() == 3  # TIEF, UNESCO, CONNECTION


def test_events_per_period_fills_empty_months_with_zero(ds):
    got = query.events_per_period(ds, "M", date(2021, 7, 1), date(2021, 12, 31))
    assert got["period"].dt.month.tolist() == [7, 8, 9, 10, 11, 12]
    assert got["events"].tolist() == [0, 0, 6, 5, 0, 0]


def test_partner_places_count_events_per_place_with_titles(ds):
    places = query.partner_place_counts(ds)
    expected = ds.partners.groupby(["name", "kind", "country"], observed=True)["event_id"].nunique()
    got = places.set_index(["name", "kind", "country"])["events"]
    assert got.to_dict() == expected.to_dict()
    geelong = places.set_index("name").loc["Geelong"]
    assert geelong["events"] == 2 and places.iloc[0]["name"] == "Geelong"  # most events first
    assert "Automotive Project seminar" in geelong["titles"]
    assert geelong["leading_theme"] == "design"
    wallonia = places.set_index("name").loc["Wallonia"]
    assert wallonia["kind"] == "region" and wallonia["country"] == "BE"
    assert len(query.partner_place_counts(ds, limit=3)) == 3


def test_top_partner_cities_leave_out_regions(ds):
    top = query.top_partner_cities(ds, 50)
    assert "Wallonia" not in set(top["name"])
    assert top.iloc[0]["name"] == "Geelong"


def test_event_spans_keep_the_most_recent_and_say_how_many_matched(ds):
    spans, total = query.event_spans(ds, limit=3)
    assert total == 11
    assert spans["title"].tolist() == [
        "CONNECTION workshop",
        "Meeting of the UNESCO Creative Cities of Design",
        "TIEF",
    ]
    tief = spans.iloc[-1]
    assert tief["end"] == pd.Timestamp("2021-10-16")  # exclusive end: the bar covers 15 Oct
    assert tief["dates"] == "13–15 Oct 2021"


# ------------------------------------------------------------------ real data door


def test_counts_on_the_bundled_agenda_equal_bare_pandas_counts(bundled_data):
    from intl_metrics import load_events

    ds = load_events([bundled_data])
    assert len(ds.events) > 0
    themes = query.theme_counts(ds).set_index("theme")["events"]
    assert themes.sum() == ds.themes.drop_duplicates(["row", "theme"]).shape[0]
    assert query.format_counts(ds)["events"].sum() == len(ds.events)
    per_place = ds.partners.groupby(["name", "kind", "country"], observed=True)["row"].nunique()
    assert sorted(query.partner_place_counts(ds)["events"].tolist()) == sorted(per_place.tolist())
    energy = query.filter_dataset(ds, Filters(themes=("energy",)))
    assert all("energy" in t for t in energy.events["themes"])
    assert len(energy.events) == sum("energy" in t for t in ds.events["themes"])


def test_aggregates_stay_small_whatever_the_number_of_events(ds):
    # 11 events copied 2,000 times: the aggregates have as many rows as before
    big = _replicate(ds, 2000)
    assert len(big.events) == 22_000
    assert query.theme_counts(big)["events"].sum() == 2000 * len(ds.themes)
    assert len(query.partner_place_counts(big)) == len(query.partner_place_counts(ds))
    assert len(query.events_over_time(big, "W")) == len(query.events_over_time(ds, "W"))
    filtered = query.filter_dataset(big, Filters(text="wallonia"))
    assert len(filtered.events) == 2000


def _replicate(ds, times: int):
    """The dataset's events ``times`` over, exploded tables re-pointed at each copy."""
    from dataclasses import replace

    n = len(ds.events)
    events = ds.events.take(np.tile(np.arange(n), times)).reset_index(drop=True)
    tables = {}
    for name in ("themes", "partners", "countries"):
        t = getattr(ds, name)
        copy = t.take(np.tile(np.arange(len(t)), times)).reset_index(drop=True)
        copy["row"] = (copy["row"] + np.repeat(np.arange(times) * n, len(t))).astype("int32")
        tables[name] = copy
    return replace(ds, events=events, **tables)


def test_filters_are_hashable_for_caching():
    assert len({Filters(themes=("energy",)), Filters(themes=("energy",)), Filters()}) == 2


# ------------------------------------------------- filtered datasets are built lazily


def _built_in_full(sub):
    """The same filtered data as a plain Dataset whose every table is built."""
    from intl_metrics.load import Dataset

    return Dataset(sub.events, sub.themes, sub.partners, sub.countries, sub.files, sub.load_seconds)


FILTER_CASES = [
    Filters(themes=("energy",)),
    Filters(countries=("BE",), formats=("in-person", "hybrid")),
    Filters(start=date(2021, 9, 15), end=date(2021, 10, 31)),
    Filters(text="wallonia"),
    Filters(cities=("Geelong",)),
    Filters(themes=("sport",)),  # nothing
]


@pytest.mark.parametrize("f", FILTER_CASES, ids=lambda f: f.describe() or "dates")
def test_a_filtered_dataset_counts_what_its_built_tables_count(ds, f):
    # the aggregates read single columns of a filtered dataset; building its tables in
    # full (as before) must give the very same numbers
    sub = query.filter_dataset(ds, f)
    built = _built_in_full(query.filter_dataset(ds, f))
    for name in (
        "theme_counts",
        "format_counts",
        "activity_counts",
        "country_counts",
        "region_counts",
        "partner_place_counts",
    ):
        pd.testing.assert_frame_equal(
            getattr(query, name)(sub), getattr(query, name)(built), obj=name
        )
    pd.testing.assert_frame_equal(query.theme_format_matrix(sub), query.theme_format_matrix(built))
    pd.testing.assert_frame_equal(
        query.events_over_time(sub, "W", "format"), query.events_over_time(built, "W", "format")
    )
    pd.testing.assert_frame_equal(query.event_spans(sub)[0], query.event_spans(built)[0])
    assert query.overview_metrics(sub, sub) == query.overview_metrics(built, built)
    assert query.event_count(sub) == len(built.events)
    assert query.data_range(sub) == query.data_range(built)


def test_a_filter_change_does_not_copy_the_description_text(ds):
    sub = query.filter_dataset(ds, Filters(themes=("energy",)))
    query.theme_counts(sub)
    query.partner_place_counts(sub)
    query.event_spans(sub)
    assert "events" not in sub._built  # no full copy of the events frame was made
    assert set(sub.events["title"]) == {  # and it is there when someone reads it
        "Delegation from Wallonia",
        "MOLOC final conference",
        "NUR project at Cinemambiente Festival",
    }


def test_the_previous_period_reuses_the_current_filters_and_gives_the_same_events(ds):
    f = Filters(start=date(2021, 10, 1), end=date(2021, 10, 31), themes=("culture", "energy"))
    current = query.filter_dataset(ds, f)
    before = query.previous_period(f, ds)
    assert titles(query.filter_dataset(ds, before, like=current)) == titles(
        query.filter_dataset(ds, before)
    )
    # a dataset filtered otherwise is not reused
    other = query.filter_dataset(ds, Filters(themes=("sport",), start=f.start))
    assert titles(query.filter_dataset(ds, before, like=other)) == titles(
        query.filter_dataset(ds, before)
    )


def test_filtering_a_filtered_dataset_keeps_what_both_filters_keep(ds):
    energy = query.filter_dataset(ds, Filters(themes=("energy",)))
    hybrid_energy = query.filter_dataset(energy, Filters(formats=("hybrid",)))
    assert titles(hybrid_energy) == {"NUR project at Cinemambiente Festival"}


def test_latest_events_are_the_most_recent_first(ds):
    latest = query.latest_events(ds, 3)
    assert len(latest) == 3
    assert list(latest["start_date"]) == sorted(ds.events["start_date"], reverse=True)[:3]
    sub = query.filter_dataset(ds, Filters(themes=("energy",)))
    assert list(query.latest_events(sub, 10)["title"]) == list(sub.events["title"][::-1])


def test_top_partner_cities_from_counted_places_equal_a_fresh_count(ds):
    places = query.partner_place_counts(ds)
    pd.testing.assert_frame_equal(
        query.top_partner_cities(ds, 5, places=places), query.top_partner_cities(ds, 5)
    )
