"""The Add agenda page under AppTest: paste, preview with warnings, write only on confirm."""

from __future__ import annotations

import sqlalchemy as sa
from checkout import RAW

from intl_metrics.store import open_store

SEED_TEXT = (RAW / "agenda-2021-09-10.txt").read_text(encoding="utf-8")
HOSTILE = "May 9th 2024 **Bold** [click](http://x.example) <b>tag</b>The City met <i>nobody</i>.\n"


def _events_in_store() -> int:
    with open_store().read() as conn:
        return conn.execute(sa.text("SELECT count(*) FROM events")).scalar_one()


def _button(at, label_start: str):
    return next(b for b in at.button if b.label.startswith(label_start))


def _page(app_test, tmp_path, monkeypatch):
    monkeypatch.setenv("INTL_METRICS_DATA", str(tmp_path))  # an empty data folder
    return app_test("add_agenda")


def test_pasted_text_is_previewed_with_its_warnings_and_written_only_on_confirm(
    app_test, tmp_path, monkeypatch
):
    at = _page(app_test, tmp_path, monkeypatch)
    assert not at.exception
    text = SEED_TEXT + "\nFebruary 30th 2021 Impossible dayThe City met nobody.\n"
    at.text_area[0].set_value(text)
    at.text_input[0].set_value("september.txt")
    _button(at, "Preview").click().run()
    assert not at.exception and not at.error
    assert "15 new" in " ".join(t.value for t in at.text)
    events = at.dataframe[0].value
    assert len(events) == 15 and set(events["change"]) == {"new"}
    assert "Delegation from Wallonia" in set(events["title"])
    warnings = at.dataframe[-1].value
    assert any(w.startswith("september.txt:") for w in warnings["warning"])
    assert _events_in_store() == 0  # previewed, not written

    _button(at, "Write").click().run()
    assert not at.exception and not at.error
    assert _events_in_store() == 15
    assert any("15 new" in t.value for t in at.text)
    with open_store().read() as conn:
        who = conn.execute(sa.text("SELECT who FROM audit")).scalar_one()
    assert who == "dashboard"

    # the other pages show the new events at the next rerun
    at.switch_page("app_pages/overview.py").run()
    assert next(m.value for m in at.metric if m.label == "Events") == "15"


def test_the_same_text_again_offers_nothing_to_write(app_test, tmp_path, monkeypatch):
    at = _page(app_test, tmp_path, monkeypatch)
    at.text_area[0].set_value(SEED_TEXT)
    _button(at, "Preview").click().run()
    _button(at, "Write").click().run()
    at.text_area[0].set_value(SEED_TEXT)
    _button(at, "Preview").click().run()
    assert _button(at, "Nothing to write").disabled


def test_data_text_in_the_preview_is_text_never_markup(app_test, tmp_path, monkeypatch):
    at = _page(app_test, tmp_path, monkeypatch)
    at.text_area[0].set_value(HOSTILE)
    at.text_input[0].set_value("**x**<img src=y>.txt")
    _button(at, "Preview").click().run()
    assert not at.exception
    titles = at.dataframe[0].value["title"].tolist()
    assert len(titles) == 1 and titles[0].startswith("**Bold** [click](http://x.example) <b>tag")
    for el in [*at.markdown, *at.caption, *at.success, *at.info, *at.warning]:
        assert "Bold" not in el.value and "img" not in el.value


def test_a_refused_write_writes_nothing_and_says_so(app_test, tmp_path, monkeypatch):
    from intl_metrics.store import access

    at = _page(app_test, tmp_path, monkeypatch)
    at.text_area[0].set_value(SEED_TEXT)
    _button(at, "Preview").click().run()

    def refuse(who, action):
        raise access.WriteRefused(f"{who} may not {action}")

    monkeypatch.setattr(access, "check_write", refuse)
    _button(at, "Write").click().run()
    assert not at.exception
    assert any("may not ingest" in e.value for e in at.error)
    assert _events_in_store() == 0
