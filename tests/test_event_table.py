"""The Events page's table: search any field, sort and page every matching event."""

from __future__ import annotations

import numpy as np
import pytest
from seed_dataset import seed_dataset

from intl_metrics import event_table, export, query
from intl_metrics.query import Filters


@pytest.fixture(scope="module")
def ds():
    return seed_dataset()


def titles(ds, positions):
    return event_table.events_at(ds, positions)["title"].tolist()


def test_a_search_finds_words_in_any_field_in_any_case_or_accent(ds):
    assert titles(ds, event_table.matching_events(ds, "WALLONIA")) == ["Delegation from Wallonia"]
    # the format and activity are fields too: 'hybrid' finds the hybrid events
    hybrid = event_table.matching_events(ds, "hybrid")
    assert set(event_table.events_at(ds, hybrid)["format"]) == {"hybrid"}
    # every word must be found, each in any field
    both = event_table.matching_events(ds, "delegation energy")
    assert titles(ds, both) == ["Delegation from Wallonia"]
    assert len(event_table.matching_events(ds, "")) == query.event_count(ds)


def test_a_search_covers_every_filtered_event_and_only_those(ds):
    design = query.filter_dataset(ds, Filters(themes=("design",)))
    found = event_table.matching_events(design, "cities")
    assert 0 < len(found) <= query.event_count(design)
    assert all("design" in t for t in event_table.events_at(design, found)["themes"])


@pytest.mark.parametrize("sort", list(event_table.SORTS))
def test_each_order_covers_every_matching_event(ds, sort):
    everything = event_table.matching_events(ds, "")
    order = event_table.sorted_events(ds, everything, sort)
    assert sorted(order.tolist()) == everything.tolist()
    rows = event_table.events_at(ds, order)
    starts = rows["start_date"].to_numpy()
    if sort == "newest":
        assert (np.diff(starts.astype(np.int64)) <= 0).all()
    if sort == "oldest":
        assert (np.diff(starts.astype(np.int64)) >= 0).all()
    if sort == "title":
        assert rows["title"].str.lower().tolist() == sorted(rows["title"].str.lower())
    if sort == "longest":
        assert rows["days"].is_monotonic_decreasing


def test_an_unknown_order_is_refused(ds):
    with pytest.raises(ValueError, match="unknown sort"):
        event_table.sorted_events(ds, np.arange(3), "random")


def test_pages_cover_the_events_without_gaps():
    assert event_table.page_count(0, 100) == 1
    assert event_table.page_count(100, 100) == 1
    assert event_table.page_count(101, 100) == 2


def test_the_download_holds_every_matching_row_in_the_order_shown(ds):
    order = event_table.sorted_events(ds, event_table.matching_events(ds, "meeting"), "oldest")
    frame = export.events_export_frame(event_table.events_at(ds, order))
    assert len(frame) == len(order) > 1
    assert frame["title"].tolist() == titles(ds, order)
    assert list(frame["start date"]) == sorted(frame["start date"])


def test_the_download_file_name_says_the_search():
    name = export.export_filename("events", None, None, "csv", search="Wallonia energy")
    assert name == "events_all-dates_search-wallonia-energy.csv"
