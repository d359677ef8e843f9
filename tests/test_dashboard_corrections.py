"""The dashboard's corrections, History, undo, Review and Changes under AppTest.

The tests that write run on SQLite and on a real PostgreSQL (the store_url fixture): the
app reads INTL_METRICS_DB, which the fixture points at a new store; the bundled agenda
is ingested into it on the first run, as on a fresh server.
"""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa
from staff import PASSWORD, add_account, log_in

from intl_metrics.store import open_store, users

pytestmark = pytest.mark.usefixtures("bundled_data")

WENZHOU = "Cooperation Pact between Torino and Wenzhou"


def event_id(title: str) -> str:
    with open_store().read() as conn:
        return conn.execute(
            sa.text("SELECT event_id FROM entries WHERE current AND title = :t"), {"t": title}
        ).scalar_one()


def audit_rows() -> list[tuple]:
    with open_store().read() as conn:
        return [tuple(r) for r in conn.execute(sa.text("SELECT who, action, field FROM audit"))]


def ok(at) -> None:
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error, [e.body for e in at.error]


def buttons(at) -> list[str]:
    return [b.label for b in at.button]


def form_key(at, suffix: str) -> str:
    """The key of a widget of the correction form (they carry the event and a counter)."""
    widgets = (*at.multiselect, *at.selectbox, *at.button, *at.text_input, *at.checkbox)
    keys = [w.key for w in widgets]
    return next(k for k in keys if k and k.startswith("fix-") and k.endswith(suffix))


def theme_counts(at) -> dict[str, int]:
    """Theme key -> events, read from the Breakdown's theme chart as drawn."""
    for chart in at.get("plotly_chart"):
        fig = json.loads(chart.proto.spec)
        if "by theme" not in json.dumps(fig["layout"].get("title", {})):
            continue
        out = {}
        for trace in fig["data"]:
            # the bar labels: the counts as drawn (x itself is sent binary-encoded)
            for key, n in zip(trace["customdata"], trace["text"], strict=True):
                out[key[0] if isinstance(key, list) else key] = int(n)
        return out
    raise AssertionError("no theme chart on the page")


def open_event(app_test, title: str = WENZHOU):
    at = app_test("events")  # loads the bundled agenda into the test's store
    at.query_params["event"] = event_id(title)
    return at.run()


def back_to_event(at, title: str = WENZHOU):
    """The Events page again, on the event (a link to it: other pages drop ``event``)."""
    at.query_params["event"] = event_id(title)
    return at.switch_page("app_pages/events.py").run()


# ---------------------------------------------------------------- viewers and forgers


def test_a_viewer_reads_the_corrected_labels_but_has_no_editing_controls(app_test):
    at = open_event(app_test)
    ok(at)
    assert "Save the correction" not in buttons(at) and "Undo" not in buttons(at)
    assert not [e for e in at.expander if e.label == "History of this event"]
    at.switch_page("app_pages/review.py").run()
    assert any("for editors" in i.value for i in at.info) and "Confirm" not in buttons(at)
    at.switch_page("app_pages/changes.py").run()
    assert any("logged-in staff only" in i.value for i in at.info) and not at.dataframe


def test_a_forged_session_that_fools_the_page_is_refused_by_the_store(app_test, monkeypatch):
    # Even if the page believed a forged session (here: its own check bypassed), the
    # write carries the made-up token, and the store refuses it: nothing is written.
    import auth

    from intl_metrics.store.users import SessionUser

    at = open_event(app_test)
    monkeypatch.setattr(auth, "current_user", lambda: SessionUser("mallory", "admin"))
    at.session_state["auth_token"] = "made-up-token"
    at.run()
    before = audit_rows()
    at.multiselect(key=form_key(at, "-themes")).set_value(["culture"]).run()
    at.button(key=form_key(at, "-save")).click().run()
    assert not at.exception
    assert any("Log in first" in e.value for e in at.error)
    assert audit_rows() == before


# ---------------------------------------------------------------- correct and undo


@pytest.mark.usefixtures("store_url")
def test_an_editor_corrects_a_theme_sees_it_everywhere_and_undoes_it(app_test):
    add_account("ann")
    at = log_in(open_event(app_test))
    ok(at)
    at.switch_page("app_pages/breakdown.py").run()
    before = theme_counts(at)
    back_to_event(at)
    at.multiselect(key=form_key(at, "-themes")).set_value(["culture"]).run()
    at.text_area[0].set_value("the pact is about culture").run()
    at.button(key=form_key(at, "-save")).click().run()
    ok(at)
    assert any("Saved: Themes" in s.value for s in at.success)
    labels = at.dataframe[-2].value.set_index("Field")
    assert labels.loc["Themes", "Machine's label"] == "Migration"
    assert labels.loc["Themes", "Shown now"] == "Culture"
    assert labels.loc["Themes", "Corrected by"] == "ann"
    history = at.dataframe[-1].value
    assert history.iloc[0][["Who", "Action", "Old value", "New value"]].tolist() == [
        "ann", "correction", "Migration", "Culture",
    ]  # fmt: skip

    at.switch_page("app_pages/breakdown.py").run()
    after = theme_counts(at)
    assert after.get("culture", 0) == before.get("culture", 0) + 1
    assert after.get("migration", 0) == before.get("migration", 0) - 1

    # back on Events from the sidebar, the event read last is open again
    at.switch_page("app_pages/events.py").run()
    at.button(key=f"undo-{event_id(WENZHOU)}-go").click().run()
    ok(at)
    assert any("Undone: Themes" in s.value for s in at.success)
    at.switch_page("app_pages/breakdown.py").run()
    assert theme_counts(at) == before
    assert [r for r in audit_rows() if r[1] in ("correct", "undo")] == [
        ("ann", "correct", "themes"),
        ("ann", "undo", "themes"),
    ]


@pytest.mark.usefixtures("store_url")
def test_a_partner_is_added_from_the_gazetteer_with_its_country(app_test):
    from intl_metrics.store.corrections import event_record

    add_account("ann")
    at = log_in(open_event(app_test))
    at.text_input(key=form_key(at, "-search")).set_value("Lyon").run()
    found = at.selectbox(key=form_key(at, "-found"))
    assert found.options[0] == "Lyon — city, France (FR)"  # the country beside the name
    at.button(key=form_key(at, "-add")).click().run()
    at.button(key=form_key(at, "-save")).click().run()
    ok(at)
    rec = event_record(open_store(), event_id(WENZHOU))
    assert [p["name"] for p in rec.effective["partners"]] == ["Wenzhou", "Lyon"]
    assert rec.effective["countries"] == ["CN", "FR"]
    assert rec.corrections["partners"].by == "ann"


@pytest.mark.usefixtures("store_url")
def test_not_an_event_leaves_every_page_and_is_put_back_from_its_detail(app_test):
    add_account("ann")
    at = log_in(open_event(app_test))
    at.switch_page("app_pages/overview.py").run()
    total = next(m.value for m in at.metric if m.label == "Events")
    back_to_event(at)
    at.checkbox(key=form_key(at, "-not_event")).check().run()
    at.button(key=form_key(at, "-save")).click().run()
    ok(at)
    assert any("not an event" in w.value for w in at.warning)  # still open, from the store
    at.switch_page("app_pages/overview.py").run()
    assert int(next(m.value for m in at.metric if m.label == "Events")) == int(total) - 1
    back_to_event(at)
    at.button(key=f"undo-{event_id(WENZHOU)}-go").click().run()
    ok(at)
    at.switch_page("app_pages/overview.py").run()
    assert next(m.value for m in at.metric if m.label == "Events") == total


def test_a_bad_value_is_refused_with_the_reason_and_nothing_written(app_test):
    add_account("ann")
    at = log_in(open_event(app_test))
    before = audit_rows()
    at.text_input(key=form_key(at, "-duplicate_of")).set_value("no-such-event").run()
    at.button(key=form_key(at, "-save")).click().run()
    assert not at.exception
    assert any("Not saved" in e.value and "no\\-such\\-event" in e.value for e in at.error)
    assert audit_rows() == before


# ---------------------------------------------------------------- review and changes


@pytest.mark.usefixtures("store_url")
def test_the_review_page_confirms_and_corrects_in_place_and_counts_progress(app_test):
    add_account("ann")
    at = log_in(app_test("review"))
    ok(at)
    # each item links to its event's full detail on the Events page
    links = at.get("page_link")
    assert links and all(link.proto.label == "Open in Events" for link in links)
    progress = at.get("progress")[0].proto.text
    done, total = (int(x) for x in progress.split(" reviewed")[0].split(" of "))
    assert done == 0 and total > 2
    at.button(key=next(b.key for b in at.button if b.label == "Confirm")).click().run()
    ok(at)
    assert any("Confirmed" in s.value for s in at.success)
    assert at.get("progress")[0].proto.text == f"1 of {total} reviewed"

    correct = next(b for b in at.button if b.label == "Correct")
    eid = correct.key.removeprefix("rv-fix-")
    correct.click().run()
    at.multiselect(key=form_key(at, "-themes")).set_value(["culture", "economy"]).run()
    at.button(key=form_key(at, "-save")).click().run()
    ok(at)
    assert at.get("progress")[0].proto.text == f"2 of {total} reviewed"
    with open_store().read() as conn:
        outcomes = conn.execute(
            sa.text("SELECT event_id, outcome, reviewed_by FROM reviews ORDER BY id")
        ).all()
    assert [tuple(o) for o in outcomes][1] == (eid, "corrected", "ann")


@pytest.mark.usefixtures("store_url")
def test_the_changes_page_lists_and_filters_the_audit_for_staff(app_test):
    add_account("ann")
    add_account("bob")
    at = log_in(open_event(app_test))
    at.multiselect(key=form_key(at, "-themes")).set_value(["culture"]).run()
    at.button(key=form_key(at, "-save")).click().run()
    at.switch_page("app_pages/changes.py").run()
    ok(at)
    table = at.dataframe[0].value
    assert {"ann", "admin-cli"} <= set(table["Who"])
    at.multiselect(key="ch_who").set_value(["ann"]).run()
    table = at.dataframe[0].value
    assert table[["Who", "Action", "Field", "New value"]].values.tolist() == [
        ["ann", "correction", "Themes", "Culture"]
    ]
    # a row chosen links to its event, in this session
    at.session_state[at.dataframe[0].key] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    at.run()
    (link,) = at.get("page_link")
    assert link.proto.label == f"Open the event {event_id(WENZHOU)} in Events"
    at.multiselect(key="ch_fields").set_value(["countries"]).run()
    assert any("No change matches" in i.value for i in at.info)
    assert at.get("download_button")  # the CSV of what the filters keep


def test_the_changes_csv_cannot_carry_a_formula(app_test):
    from audit_view import changes_csv

    from intl_metrics.i18n import translator
    from intl_metrics.store import changes as audit_log
    from intl_metrics.store.access import Actor
    from intl_metrics.store.corrections import correct

    app_test()  # the bundled agenda into the store
    add_account("ann")
    token = users.log_in(open_store(), "ann", PASSWORD).token
    correct(open_store(), Actor(token), event_id(WENZHOU), {"title": "=HYPERLINK(1)"}, "@note")
    rows, _n = audit_log.changes(open_store(), who=["ann"])
    text = changes_csv(rows, translator("en")).decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in text and "'@note" in text
    assert ",=HYPERLINK" not in text and ",@note" not in text


def test_a_row_chosen_opens_its_detail_and_unticking_it_closes_it(app_test):
    at = app_test("events")
    key = at.dataframe[0].key
    at.session_state[key] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    at.run()
    chosen = at.dataframe[0].value.iloc[0]["title"]
    assert [s.value for s in at.subheader] == [ui_escape(chosen)]
    assert at.query_params["event"]
    at.session_state[key] = {"selection": {"rows": [], "columns": [], "cells": []}}
    at.run()
    ok(at)
    assert not at.subheader and "event" not in at.query_params


def ui_escape(text: str) -> str:
    import ui

    return ui.md_escape(text)
