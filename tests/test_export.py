"""Downloads: every chart as PNG/SVG/PDF/HTML, the map as HTML/PNG, events as CSV/XLSX."""

from __future__ import annotations

import io
import re
import shutil
from datetime import date
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from PIL import Image
from seed_dataset import seed_dataset

from intl_metrics import charts, export, query
from intl_metrics.charts import static_map
from intl_metrics.query import Filters

CHROMIUM = Path("/usr/bin/chromium")
needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists() and shutil.which("chromium") is None,
    reason="static export needs Debian's chromium (apt-get install chromium) for Kaleido",
)
PERIOD = (date(2021, 9, 1), date(2021, 10, 15))


@pytest.fixture(scope="module")
def ds():
    return seed_dataset()


@pytest.fixture(scope="module")
def theme_figure(ds):
    return charts.theme_bar(query.theme_counts(ds), period=query.period_label(*PERIOD))


@pytest.fixture(scope="module")
def kaleido_server():
    export.start_export_server()
    yield
    export.stop_export_server()


# ------------------------------------------------------------------ static images


@needs_chromium
def test_png_is_print_resolution_whatever_the_screen_height(theme_figure, kaleido_server):
    png = export.figure_bytes(theme_figure, "png")
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    assert image.size == (3 * export.EXPORT_WIDTH, 3 * export.EXPORT_HEIGHT) == (3600, 2100)


@needs_chromium
def test_svg_and_pdf_have_their_magic_bytes(theme_figure, kaleido_server):
    svg = export.figure_bytes(theme_figure, "svg")
    assert svg.lstrip().startswith((b"<svg", b"<?xml"))
    # the title and its period (on the title's second line) travel with the image
    assert b"Events by theme" in svg and b"1 Sep" in svg
    assert export.figure_bytes(theme_figure, "pdf").startswith(b"%PDF-")


@needs_chromium
def test_static_map_png_is_drawn_without_network(ds, kaleido_server):
    png = export.deck_png(query.partner_place_counts(ds), period="1 Sep – 15 Oct 2021")
    image = Image.open(io.BytesIO(png)).convert("RGB")
    assert image.size == (2 * export.EXPORT_WIDTH, 2 * export.EXPORT_HEIGHT)
    # the outline is drawn: land grey appears, not only the white page and ocean tint
    assert (0xE6, 0xE8, 0xEB) in {c for _, c in image.getcolors(1 << 20)}


@needs_chromium
def test_an_empty_figure_exports_too(ds, kaleido_server):
    empty = query.filter_dataset(ds, Filters(themes=("sport",)))
    fig = charts.theme_bar(query.theme_counts(empty))
    assert Image.open(io.BytesIO(export.figure_bytes(fig, "png", scale=1))).size == (1200, 700)


def test_html_is_standalone(theme_figure):
    page = export.figure_bytes(theme_figure, "html").decode("utf-8")
    assert "<html" in page[:200]
    assert not re.search(r"<script[^>]+src=[\"']https?://", page)  # plotly.js is inline
    assert len(page) > 1_000_000


def test_unknown_format_is_refused(theme_figure):
    with pytest.raises(ValueError, match="unknown figure format"):
        export.figure_bytes(theme_figure, "gif")


def test_the_toolbar_has_no_camera_so_every_picture_carries_its_source():
    config = export.plotly_config()
    assert "toImage" in config["modeBarButtonsToRemove"]
    assert "toImageButtonOptions" not in config


# ---------------------------------------------------------------------------- map


def test_map_html_is_standalone_and_offline(ds):
    deck = charts.partner_map(query.partner_place_counts(ds))
    page = export.deck_html(deck, title="Partner places, 1 Sep – 15 Oct 2021").decode("utf-8")
    assert not re.search(r"<script[^>]+src=[\"']?https?://", page)
    assert not re.search(r"<link[^>]+href=[\"']?https?://", page)
    assert "GeoJsonLayer" in page and "Wallonia" in page
    assert "<title>Partner places, 1 Sep – 15 Oct 2021</title>" in page
    assert "createDeck" in page and len(page) > 1_000_000  # deck.gl itself is inline


def test_map_html_inlines_an_outline_served_as_a_url(ds):
    deck = charts.partner_map(query.partner_place_counts(ds), world="app/static/world-110m.geojson")
    page = export.deck_html(deck).decode("utf-8")
    assert "app/static/world-110m.geojson" not in page
    assert '"ISO_A2":"BE"' in page


# ------------------------------------------------------------------------- frames


def test_xlsx_opens_with_every_row_and_lists_joined(ds):
    frame = export.events_export_frame(ds.events)
    book = openpyxl.load_workbook(io.BytesIO(export.frame_xlsx(frame)))
    sheet = book.active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == len(ds.events) + 1
    header = rows[0]
    assert header[:3] == ("id", "start date", "end date")
    by_title = {r[header.index("title")]: r for r in rows[1:]}
    seminar = by_title["Automotive Project seminar"]
    assert seminar[header.index("partners")] == (
        "Saint-Étienne; Graz; Kortrijk; Detroit; Geelong; Puebla"
    )
    assert seminar[header.index("themes")] == "design; urban"
    assert seminar[header.index("start date")].date() == date(2021, 9, 16)


def test_xlsx_keeps_text_that_looks_like_a_formula_as_text():
    frame = pd.DataFrame({"title": ['=HYPERLINK("http://x")', "+39 011"], "n": [1, 2]})
    sheet = openpyxl.load_workbook(io.BytesIO(export.frame_xlsx(frame))).active
    assert sheet["A2"].value == '=HYPERLINK("http://x")'
    assert sheet["A2"].data_type == "s"


def test_csv_has_every_row_accents_and_joined_lists(ds):
    data = export.frame_csv(export.events_export_frame(ds.events))
    assert data.startswith(b"\xef\xbb\xbf")  # BOM: Excel then reads UTF-8
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert len(back) == len(ds.events)
    assert "Gdańsk; Cluj-Napoca; Budapest" in set(back["partners"])
    assert back.loc[back["title"] == "TIEF", "start date"].item() == "2021-10-13"


def test_filtered_events_export_only_the_filtered_rows(ds):
    energy = query.filter_dataset(ds, Filters(themes=("energy",)))
    back = pd.read_csv(io.BytesIO(export.frame_csv(export.events_export_frame(energy.events))))
    assert set(back["title"]) == {
        "Delegation from Wallonia",
        "MOLOC final conference",
        "NUR project at Cinemambiente Festival",
    }


# ---------------------------------------------------------------------- file names


def test_filename_says_chart_period_and_filters():
    name = export.export_filename("events-by-theme", Filters(themes=("energy",)), PERIOD, "png")
    assert name == "events-by-theme_2021-09-01_2021-10-15_theme-energy.png"


def test_filename_without_filters_or_period():
    assert export.export_filename("Events by theme", Filters(), None, ".pdf") == (
        "events-by-theme_all-dates.pdf"
    )


def test_filename_uses_safe_characters_only():
    f = Filters(
        themes=("energy", "culture"),
        countries=("BE",),
        cities=("Gdańsk", "Saint-Étienne"),
        text='Wallonia / "CENEO" <b>',
    )
    name = export.export_filename("Partner map", f, PERIOD, "html")
    assert re.fullmatch(r"[a-z0-9_.-]+", name)
    assert name == (
        "partner-map_2021-09-01_2021-10-15_theme-energy-culture_country-be"
        "_partner-gdansk-saint-etienne_text-wallonia-ceneo-b.html"
    )


def test_a_long_filter_gives_a_bounded_filename():
    f = Filters(cities=tuple(f"City number {i}" for i in range(60)), text="x" * 500)
    name = export.export_filename("events", f, PERIOD, "xlsx")
    assert len(name) <= 160 and name.endswith(".xlsx")


# ------------------------------------------------------------------ source, credits, print


@needs_chromium
def test_a_chart_png_is_marked_300_dpi_and_carries_its_source(theme_figure, kaleido_server):
    png = export.figure_bytes(theme_figure, "png", credit=export.credit_line())
    image = Image.open(io.BytesIO(png))
    assert image.info["dpi"] == pytest.approx((300, 300), abs=0.1)
    assert image.size == (3600, 2100)  # the page size did not change
    svg = export.figure_bytes(theme_figure, "svg", credit=export.credit_line()).decode()
    assert "Source: City of Torino, International Affairs agenda" in svg


def test_a_chart_html_export_is_titled_like_the_chart_and_says_its_source(theme_figure):
    page = export.figure_bytes(theme_figure, "html", credit=export.credit_line()).decode()
    assert "<title>Events by theme, 1 Sept – 15 Oct 2021</title>" in page
    assert "Source: City of Torino" in page


def test_synthetic_data_says_so_in_every_credit_and_maps_credit_their_sources():
    assert "SYNTHETIC" in export.credit_line(synthetic=True)
    assert "City of Torino, International" not in export.credit_line(synthetic=True)
    places = export.credit_line(places=True)
    assert "GeoNames (CC BY 4.0)" in places and "Natural Earth" in places


def test_the_map_html_export_carries_the_place_credits(ds):
    deck = charts.partner_map(query.partner_place_counts(ds), period="Sep – Oct 2021")
    page = export.deck_html(deck, title="Partner places", credit=export.credit_line(places=True))
    assert "GeoNames (CC BY 4.0)" in page.decode()


def test_the_credit_sits_under_the_plot_without_covering_it(theme_figure):
    fig = export.with_credit(theme_figure, "Source: somewhere")
    (note,) = [a for a in fig.layout.annotations if a.text == "Source: somewhere"]
    assert fig.layout.margin.b == theme_figure.layout.margin.b + 26
    assert note.y == 0 and note.yanchor == "top" and note.yshift < 0
    assert export.with_credit(theme_figure, "") is theme_figure


def test_names_on_the_static_map_do_not_overlap_each_other_or_torino():
    # a crowd of partners around Torino, as a busy year of European projects gives
    rows = [
        ("Lyon", 45.76, 4.83, 30), ("Grenoble", 45.19, 5.72, 28), ("Geneva", 46.20, 6.14, 26),
        ("Nice", 43.70, 7.27, 25), ("Marseille", 43.30, 5.37, 24), ("Zurich", 47.37, 8.54, 22),
        ("Milan", 45.46, 9.19, 21), ("Chambéry", 45.57, 5.92, 20), ("Bern", 46.95, 7.45, 19),
        ("Lausanne", 46.52, 6.63, 18), ("Genoa", 44.41, 8.93, 17), ("Annecy", 45.90, 6.13, 16),
    ]  # fmt: skip
    places = pd.DataFrame(
        {
            "name": [r[0] for r in rows],
            "lat": [r[1] for r in rows],
            "lon": [r[2] for r in rows],
            "events": [r[3] for r in rows],
        }
    )
    size = 5 + 24 * static_map._size_scale(places["events"].to_numpy(dtype=float))
    x_range, y_range = static_map._fit_aspect([-20.0, 40.0], [30.0, 60.0], (900.0, 540.0))
    chosen = static_map._label_layout(
        places["lon"].to_numpy(), places["lat"].to_numpy(), places["name"].tolist(), size,
        x_range, y_range, charts.TORINO, 8, (900.0, 540.0),
    )  # fmt: skip
    assert 3 <= len(chosen) <= 8
    assert chosen[0] == (0, "top center")  # the busiest place is named first, above its dot
    assert len({i for i, _ in chosen}) == len(chosen)
