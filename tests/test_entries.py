"""Agenda page text -> entries: glued listings, bulleted archives, articles, page chrome."""

from __future__ import annotations

import json
import random
import time
from datetime import date
from pathlib import Path

import pytest

from intl_metrics.parse import ParseResult, parse_file, parse_text
from intl_metrics.schema import Entry

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "data" / "raw" / "agenda-2021-09-10.txt"
DEV = Path(__file__).resolve().parents[2] / "shared" / "data" / "dev"


def only(result: ParseResult) -> Entry:
    assert len(result.entries) == 1, result
    return result.entries[0]


def titles(text: str) -> list[str]:
    return [e.title for e in parse_text(text).entries]


# --- the seed file --------------------------------------------------------------------------


def test_the_seed_page_gives_its_fifteen_events_with_their_titles() -> None:
    result = parse_file(SEED)
    assert result.warnings == []
    assert [e.title for e in result.entries] == [
        "TIEF",
        "Meeting of the UNESCO Creative Cities of Design",
        "CONNECTION workshop",
        "NUR project at Cinemambiente Festival",
        "Delegation from Wallonia",
        "III World Congress of Transdisciplinarity",
        "EUROCITIES Culture Forum",
        "Meeting of the CDIA network",
        "MOLOC final conference",
        "Consul General of the Republic of Korea",
        "Consul General of the United States",
        "Loving the Alien Festival: Torino and Chengdu",
        "Automotive Project seminar",
        "CO4CITIES transnational seminar",
        "Cooperation Pact between Torino and Wenzhou",
    ]
    assert {e.language for e in result.entries} == {"en"}
    assert all(e.source.file == SEED.name for e in result.entries)


@pytest.mark.parametrize(
    ("title", "first", "last"),
    [
        ("TIEF", "2021-10-13", "2021-10-15"),
        ("Meeting of the UNESCO Creative Cities of Design", "2021-10-12", "2021-10-14"),
        ("CONNECTION workshop", "2021-10-11", "2021-10-13"),
        ("Delegation from Wallonia", "2021-10-06", "2021-10-06"),
        ("Consul General of the Republic of Korea", "2021-09-22", "2021-09-22"),
        ("Automotive Project seminar", "2021-09-16", "2021-09-17"),
        ("Cooperation Pact between Torino and Wenzhou", "2021-09-09", "2021-09-09"),
        ("EUROCITIES Culture Forum", "2021-09-30", "2021-10-01"),
    ],
)
def test_the_worked_examples_of_events_md_have_their_dates(
    title: str, first: str, last: str
) -> None:
    entry = next(e for e in parse_file(SEED).entries if e.title == title)
    assert (entry.start_date, entry.end_date) == (
        date.fromisoformat(first),
        date.fromisoformat(last),
    )


def test_a_hyperlink_break_continues_the_description_with_one_space() -> None:
    entry = next(e for e in parse_file(SEED).entries if e.title == "CONNECTION workshop")
    assert entry.source.line == 4  # its first line; the break is on line 5
    assert "in the frame of CONNECTION, the EU project funded by" in entry.description
    automotive = next(e for e in parse_file(SEED).entries if e.title.startswith("Automotive"))
    assert "in the frame of Torino Design of the City and of the European Mobility Week" in (
        automotive.description
    )


# --- where the title ends in a glued listing ---------------------------------------------------


@pytest.mark.parametrize(
    ("line", "title", "description_start"),
    [
        # after a lower-case word, before an English opener (seed, dev01/02/10)
        ("Meeting of the UNESCO Creative Cities of DesignThe City of Torino", None, "The City"),
        ("Meeting of the CDIA networkMore than 20 cities in Europe met", None, "More than 20"),
        ("Europe DayDuring Europe Day the City opened the Town Hall", "Europe Day", "During"),
        ("Mission to Cordoba - ArgentinaA delegation of the City", None, "A delegation"),
        ("Luci d'Artista in PlovdivThree light installations", None, "Three light"),
        # after an acronym or a number (seed, dev01)
        ("TIEFThe fifth edition of the", "TIEF", "The fifth"),
        ("ECFThe City of Torino spoke at the opening webinar", "ECF", "The City"),
        ("Local Climate Action Summit at COP28The Deputy Mayor attended", None, "The Deputy"),
        # after a closing bracket or quote
        ("Creative Cities Network annual conference (UCCN)The conference took place", None, "The"),
        ('"Torino Social Impact" presented in LisbonThe City presented', None, "The City"),
        # a title with a colon phrase (seed)
        ("Loving the Alien Festival: Torino and ChengduThe International Affairs", None, "The"),
        # any capitalised word when no opener follows (dev02, dev10)
        ("Friendship agreement with Hanoi - VietnamTorino and Hanoi signed", None, "Torino"),
        ("EUROCITIES Mobility Forum in MálagaRepresentatives of the Mobility", None, "Repr"),
        # French openers (dev03)
        ("Mission à Pékin - ChineLa Ville de Turin a participé", None, "La Ville"),
        ("Réseau des Cités interculturellesL'adjointe au Maire", None, "L'adjointe"),
        ("Webinaire des Villes apprenantes de l'UNESCOLe Service des relations", None, "Le "),
        # Italian openers (dev04)
        ("Delegazione da Monaco di BavieraIl Vicesindaco ha ricevuto", None, "Il Vice"),
        ("Console Generale del BrasileL'Assessora all'Integrazione", None, "L'Assessora"),
        ("Summit dell'Unione Mondiale delle Città OlimpicheLo staff", None, "Lo staff"),
        ("Conferenza finale del progetto HERITAGE-NEXTLa conferenza finale", None, "La conf"),
        # an acronym glued to a one-letter opener, before a whole sentence (after dev04)
        (
            "Conferenza finale del progetto HERITAGE-NEXTI partner del progetto si sono "
            "riuniti alle Officine Grandi Riparazioni.",
            None,
            "I partner",
        ),
        # an opener after a short place name (Santa Fe is in dev05)
        ("Delegation from Santa FeThe Mayor of Santa Fe met the Mayor.", None, "The Mayor"),
        ("Mission to BoA delegation of the City travelled to Bo.", None, "A delegation"),
    ],
)
def test_the_title_ends_where_the_description_is_glued_to_it(
    line: str, title: str | None, description_start: str
) -> None:
    entry = only(parse_text(f"October 6th 2021 {line}"))
    expected_title = title or line[: line.index(description_start)]
    assert entry.title == expected_title
    assert entry.description.startswith(description_start)


@pytest.mark.parametrize(
    "title",
    [
        "YouTube live series on heritage",
        "iPhone app for tourists presented in Tokyo",
        "Meeting with McDonald's Foundation",
        "Forum of NGOs on migration",
        "G20 Urban summit",
        "III World Congress of Transdisciplinarity",
    ],
)
def test_capitals_inside_names_do_not_end_the_title(title: str) -> None:
    entry = only(parse_text(f"October 6th 2021 {title}The City of Torino took part."))
    assert entry.title == title
    assert entry.description == "The City of Torino took part."


@pytest.mark.parametrize(
    "title",
    [
        "150th Anniversary of the Unification of Italy",  # dev06
        "Meeting of the CDIA network on migration policies in Europe",  # CDIA: seed
        "Assemblea ANCI dei comuni italiani a Torino",
        "Delegation from McDonald's Foundation",
    ],
)
def test_a_title_with_no_description_is_the_whole_line(title: str) -> None:
    entry = only(parse_text(f"March 17th 2011 - {title}"))
    assert entry.title == title
    assert entry.description == ""


def test_a_title_broken_by_a_hyperlink_is_joined_back() -> None:
    entry = only(
        parse_text(
            "October 12th-14th 2021 Meeting of the\n"
            "UNESCO Creative Cities of DesignThe City of Torino attended the meeting hosted by\n"
            "Geelong."
        )
    )
    assert entry.title == "Meeting of the UNESCO Creative Cities of Design"
    assert entry.description == "The City of Torino attended the meeting hosted by Geelong."


# --- lines that are not entries -------------------------------------------------------------

DEV02_STRAY = (
    "February 10th 2021 World Union of Olympic Cities online summitThe City of Torino joined"
    " the online edition of the annual summit, a model often compared with that of Calgary"
    " after 1988.\n"
    "Since March 9th 2020 most of the meetings listed below have taken place online because"
    " of the COVID-19 emergency.\n"
    "December 3rd 2020 Consul General of MoroccoThe Deputy Mayor in charge of Integration met"
    " by video call the Consul General of the Kingdom of Morocco in Milan.\n"
)


def test_a_stray_sentence_with_a_date_is_neither_an_entry_nor_a_description() -> None:
    result = parse_text(DEV02_STRAY)
    assert [e.source.line for e in result.entries] == [1, 3]
    assert "Since March" not in result.entries[0].description
    assert result.entries[0].description.endswith("after 1988.")
    assert result.warnings == []


# --- bulleted archive ------------------------------------------------------------------------

DEV05 = """\
International Relations

Navigation Menu

2006 February

  • 20-22/02/06 - Mission to Lisbon

    The Deputy Mayor in charge of Culture went to Lisbon to present the programme.

  • 01/02/06 –City of Nagano - Japan

    A delegation of the City of Nagano, host of the 1998 Winter Games, was welcomed.

2006 January

  • 19/01/06 – Friendship agreement with Rosario - Argentina

    The Mayor of Torino and the Mayor of Rosario signed a friendship agreement.

    The agreement foresees joint initiatives with the Piedmontese community in Argentina.

Text written by The International Affairs Service. For more information
"""


def test_a_bulleted_archive_gives_title_after_the_first_separator() -> None:
    result = parse_text(DEV05, file="dev05.txt")
    assert [(e.source.line, e.title) for e in result.entries] == [
        (7, "Mission to Lisbon"),
        (11, "City of Nagano - Japan"),
        (17, "Friendship agreement with Rosario - Argentina"),
    ]
    lisbon, nagano, rosario = result.entries
    assert (lisbon.start_date, lisbon.end_date) == (date(2006, 2, 20), date(2006, 2, 22))
    assert nagano.start_date == date(2006, 2, 1)
    # two paragraphs join with one space; the footer stays out
    assert rosario.description == (
        "The Mayor of Torino and the Mayor of Rosario signed a friendship agreement. "
        "The agreement foresees joint initiatives with the Piedmontese community in Argentina."
    )


def test_a_bullet_without_a_year_takes_it_from_the_month_heading() -> None:
    text = "2010 February\n\n  • February 26th - Delegation from Rumania\n\n    A visit.\n"
    entry = only(parse_text(text))
    assert entry.start_date == date(2010, 2, 26)
    assert entry.title == "Delegation from Rumania"


# --- single article --------------------------------------------------------------------------

DEV07 = """\
Città di Torino

International Affairs

Città di Torino > Relazioni e cooperazione internazionale >

\u00a0

February 24th-26th 2015 Mission to Belo Horizonte - Brazil

Ultimo aggiornamento il 3 Marzo, 2015

A delegation of the City of Torino visited Belo Horizonte, capital of the State of Minas Gerais.

On the second day the delegation met the local business associations.
"""


def test_an_article_skips_site_title_breadcrumb_and_update_stamp() -> None:
    entry = only(parse_text(DEV07, file="dev07.txt"))
    assert entry.source.line == 9
    assert entry.title == "Mission to Belo Horizonte - Brazil"
    assert (entry.start_date, entry.end_date) == (date(2015, 2, 24), date(2015, 2, 26))
    assert entry.description == (
        "A delegation of the City of Torino visited Belo Horizonte, capital of the State of "
        "Minas Gerais. On the second day the delegation met the local business associations."
    )
    assert entry.language == "en"


def test_a_french_article_skips_its_mise_a_jour_line() -> None:
    text = (
        "Città di Torino\n\n7 mars 2016 Délégation de Montréal - Canada\n\n"
        "Mise à jour 9.3.2016\n\n"
        "Une délégation de la Ville de Montréal a été reçue à l'Hôtel de Ville.\n"
    )
    entry = only(parse_text(text))
    assert entry.title == "Délégation de Montréal - Canada"
    assert entry.description.startswith("Une délégation")
    assert "Mise à jour" not in entry.description
    assert entry.language == "fr"


@pytest.mark.parametrize(
    "captions",
    [
        "riga-01\n\nriga-02",  # file names, each its own paragraph
        "foto-visita-7\nimg 2231",  # one after the other
        "p1010342.jpg",
    ],
)
def test_an_article_keeps_its_text_after_the_image_captions_under_its_update_stamp(
    captions: str,
) -> None:
    text = (
        "Città di Torino\n\nInternational Affairs\n\n"
        "June 3rd 2016 Study visit to Riga - Latvia\n\nUpdated 6-9-2016\n\n"
        f"{captions}\n\n"
        "Officers of the Urban Planning Department visited the new tram depots of Riga.\n\n"
        "The visit ended at the city's port authority.\n"
    )
    entry = only(parse_text(text))
    assert entry.title == "Study visit to Riga - Latvia"
    assert entry.description == (
        "Officers of the Urban Planning Department visited the new tram depots of Riga. "
        "The visit ended at the city's port authority."
    )


def test_a_short_first_line_of_text_is_not_taken_for_a_caption() -> None:
    # own example: a caption has a digit or starts in lower case; "Flags" is text
    text = "May 9th 2019 Europe Day\n\nFlags and music\n"
    assert only(parse_text(text)).description == "Flags and music"


def test_an_article_dated_by_month_spans_the_whole_month() -> None:
    text = (
        "Aprile 2014 Missione a Cracovia - Polonia\n\n"
        "Una delegazione della Città di Torino si è recata a Cracovia.\n"
    )
    entry = only(parse_text(text))
    assert (entry.start_date, entry.end_date) == (date(2014, 4, 1), date(2014, 4, 30))
    assert entry.language == "it"


def test_a_date_alone_on_its_line_takes_the_next_line_as_title() -> None:
    text = "12 November 2021\n\nVisit of the Ambassador of Japan\n\nThe Ambassador met the Mayor.\n"
    entry = only(parse_text(text))
    assert entry.source.line == 1
    assert entry.title == "Visit of the Ambassador of Japan"
    assert entry.description == "The Ambassador met the Mayor."


@pytest.mark.parametrize(
    "chrome",
    [
        "Navigation Menu",  # dev05, dev06
        "Previous Years 2012 - 2011 - 2010 - 2009",  # events.md
        "Text written by The International Affairs Service. For more information",  # dev06
        "Città di Torino > Relazioni e cooperazione internazionale >",  # dev07
        "Ultimo aggiornamento il 3 Marzo, 2015",  # dev07
        "Mise à jour 9.3.2016",  # dev08
    ],
)
def test_page_chrome_never_enters_a_description(chrome: str) -> None:
    text = f"May 8th 2023 Europe Day\n\nThe City opened the Town Hall to citizens.\n\n{chrome}\n"
    entry = only(parse_text(text))
    assert entry.description == "The City opened the Town Hall to citizens."


# --- years, warnings, languages ---------------------------------------------------------------

DEV10 = """\
April 10th-12th 2019 Mission to Paris - FranceThe Deputy Mayor travelled to Paris.
March 2nd-4th Delegation of the City of Kumasi - GhanaThe City of Torino welcomed a delegation.
February 20th 2019 DESIGN4ALL kick-off meetingThe City of Torino hosted the kick-off meeting.
February 7th Courtesy visit of the Mayor of SarajevoThe Mayor of Sarajevo paid a courtesy visit.
January 24th 2019 MENTOR-UP partners' video conferenceThe partners met by video conference.
December 29th 2018 - January 6th 2019 Luci d'Artista in PlovdivThree light installations.
"""


def test_a_date_without_year_takes_it_from_its_dated_neighbours() -> None:
    entries = parse_text(DEV10).entries
    assert [e.start_date for e in entries] == [
        date(2019, 4, 10),
        date(2019, 3, 2),
        date(2019, 2, 20),
        date(2019, 2, 7),
        date(2019, 1, 24),
        date(2018, 12, 29),
    ]
    assert entries[-1].end_date == date(2019, 1, 6)


def test_a_yearless_date_after_new_year_in_a_newest_first_list_is_in_the_later_year() -> None:
    text = (
        "January 20th 2020 Forum AThe City attended.\n"
        "January 5th Forum BThe City attended.\n"
        "December 12th Forum CThe City attended.\n"
        "November 3rd 2019 Forum DThe City attended.\n"
    )
    assert [e.start_date for e in parse_text(text).entries] == [
        date(2020, 1, 20),
        date(2020, 1, 5),
        date(2019, 12, 12),
        date(2019, 11, 3),
    ]


def test_an_impossible_date_is_a_warning_and_the_other_entries_still_come_out() -> None:
    text = (
        "March 1st 2021 Forum AThe City attended.\n"
        "February 30th 2021 Impossible meetingThe date does not exist.\n"
        "January 1st 2021 Forum BThe City attended.\n"
    )
    result = parse_text(text, file="page.txt")
    assert [e.title for e in result.entries] == ["Forum A", "Forum B"]
    assert [str(w) for w in result.warnings] == [
        "page.txt:2: invalid date 'February 30th 2021' (day is out of range for month)"
    ]


def test_a_lone_yearless_date_with_no_dated_neighbour_is_a_warning() -> None:
    result = parse_text("October 2nd Delegation from LyonThe Mayor welcomed a delegation.")
    assert result.entries == []
    assert "no year" in result.warnings[0].reason


@pytest.mark.parametrize(
    ("line", "language"),
    [
        ("16/03/06 – Ambassador of Chile\n\n    The Ambassador of Chile was received.", "en"),
        (
            "16/03/06 – Ambassadeur du Chili\n\n    L'ambassadeur du Chili a été reçu par le Maire",
            "fr",
        ),
        ("16/03/06 – Ambasciatore del Cile\n\n    L'Ambasciatore del Cile è stato ricevuto.", "it"),
        ("28 novembre 2023 Consul général de SuisseLe Maire de Turin a reçu le Consul.", "fr"),
        (
            "17 novembre 2022 Console Generale del BrasileL'Assessora ha incontrato il Console.",
            "it",
        ),
    ],
)
def test_the_language_comes_from_month_words_and_function_words(line: str, language: str) -> None:
    assert only(parse_text(line)).language == language


# --- files and hostile input ------------------------------------------------------------------


def test_a_file_with_bom_crlf_and_bad_bytes_parses_with_its_basename(tmp_path: Path) -> None:
    path = tmp_path / "page.txt"
    path.write_bytes(
        b"\xef\xbb\xbfOctober 6th 2021 Delegation from WalloniaThe City welcomed\r\n"
        b"a delegation.\r\n\xff\xfe\r\nOctober 1st 2021 Forum in Li\xc3\xa8geThe end.\r\n"
    )
    result = parse_file(path)
    assert [(e.source.file, e.source.line, e.title) for e in result.entries] == [
        ("page.txt", 1, "Delegation from Wallonia"),
        ("page.txt", 4, "Forum in Liège"),
    ]
    assert result.entries[0].description == "The City welcomed a delegation."


def test_a_missing_file_raises_oserror(tmp_path: Path) -> None:
    with pytest.raises(OSError):
        parse_file(tmp_path / "nope.txt")


def test_ten_megabytes_of_random_bytes_finish_in_seconds() -> None:
    data = random.Random(3).randbytes(10_000_000).decode("utf-8", errors="replace")
    t0 = time.perf_counter()
    parse_text(data)
    assert time.perf_counter() - t0 < 20


@pytest.mark.parametrize(
    "line",
    [
        "a" * 1_000_000,
        "October 6th 2021 " + "DesignThe" * 110_000,
        "October 6th " + "-" * 1_000_000,
        "1" * 1_000_000,
        "6 October 2021 - " * 60_000,
        "October 6th 2021 " + "ABC" * 330_000,
        "a > " * 250_000,
    ],
)
def test_a_one_megabyte_line_finishes_in_seconds(line: str) -> None:
    t0 = time.perf_counter()
    parse_text(line)
    assert time.perf_counter() - t0 < 5


# --- the dev corpus ---------------------------------------------------------------------------


@pytest.mark.skipif(not (DEV / "gold.jsonl").exists(), reason="dev corpus not on this machine")
def test_the_dev_corpus_gives_every_gold_entry_with_its_dates_title_and_language() -> None:
    gold = [json.loads(line) for line in (DEV / "gold.jsonl").read_text().splitlines()]
    got = {}
    for path in sorted(DEV.glob("dev*.txt")):
        for e in parse_file(path).entries:
            got[(e.source.file, e.source.line)] = e
    assert set(got) == {(g["file"], g["line"]) for g in gold}
    for g in gold:
        e = got[(g["file"], g["line"])]
        assert (e.start_date.isoformat(), e.end_date.isoformat(), e.title, e.language) == (
            g["start_date"],
            g["end_date"],
            g["title"],
            g["language"],
        ), g


def test_a_description_that_opens_with_a_quotation_glued_to_the_title_is_split_there():
    assert titles(
        "June 1st 2017 Mayors meeting in Lisbon“Cities for all” was the motto of the meeting "
        "of mayors held in Lisbon this year.\n"
    ) == ["Mayors meeting in Lisbon"]


def test_a_quotation_inside_the_title_with_a_space_before_it_stays_in_the_title():
    assert titles(
        "June 1st 2017 Forum on “Cities for all” in LisbonThe City of Torino took part.\n"
    ) == ["Forum on “Cities for all” in Lisbon"]


def test_a_title_that_starts_like_a_weekday_is_not_read_as_part_of_the_date():
    page = (
        "2024 March\n\n"
        "  • March 20th - SUN4ALL kick-off meeting\n\n"
        "    The partners of SUN4ALL met in Torino for the kick-off of the project.\n"
    )
    result = parse_text(page)
    assert [(e.title, e.start_date.isoformat()) for e in result.entries] == [
        ("SUN4ALL kick-off meeting", "2024-03-20")
    ]


# --- cutting a large text into pieces parsed apart (load.py reads big files so)

_HELDOUT = Path(__file__).resolve().parent / "data" / "heldout"


def _in_pieces(text: str, pieces: int):
    from intl_metrics.parse import cut_points

    cuts = cut_points(text, pieces)
    bounds = [*(c[0] for c in cuts[1:]), len(text)]
    results = [
        parse_text(text[a:b], "f.txt", first_line=line)
        for (a, line), b in zip(cuts, bounds, strict=True)
    ]
    return cuts, results


@pytest.mark.parametrize("pieces", [2, 5, 40])
def test_a_text_cut_at_cut_points_parses_as_the_whole(pieces):
    text = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted(_HELDOUT.glob("*.txt")))
    text = text.replace("\n", "\r\n", 50)  # line numbers count CRLF as one break
    whole = parse_text(text, "f.txt")
    cuts, results = _in_pieces(text, pieces)
    assert len(cuts) > 1
    # the held-out pages have year headings: cuts fall before them, never after
    assert not any(r.borrowed_years for r in results)
    assert [e for r in results for e in r.entries] == whole.entries
    assert [w for r in results for w in r.warnings] == whole.warnings


def test_a_piece_whose_dates_need_a_year_from_before_it_says_so():
    text = (
        "2012\n\n"
        "March 3rd 2012 Visit from LyonThe Mayor met a delegation.\n\n"
        "April 5th Meeting in ParisThe City took part.\n"
    )
    cut = text.index("March")
    assert parse_text(text).borrowed_years is False  # the heading gives the year
    piece = parse_text(text[cut:], first_line=3)
    assert piece.borrowed_years is True
    assert piece.entries[0].source.line == 3


# --- lines that would pass unnoticed ---------------------------------------------------------


def test_a_dated_line_whose_title_starts_in_lower_case_is_warned_about_not_lost() -> None:
    result = parse_text(
        "October 6th 2021 delegation from WalloniaThe City of Torino welcomed them.\n"
        "October 5th 2021 Meeting in ParisThe City of Torino met the City of Paris.\n",
        "page.txt",
    )
    assert [e.title for e in result.entries] == ["Meeting in Paris"]
    (warning,) = result.warnings
    assert str(warning).startswith("page.txt:1: the line opens with the date 'October 6th 2021'")
    assert "lower case ('delegation')" in warning.reason


def test_a_sentence_that_merely_starts_with_a_year_is_not_warned_about() -> None:
    result = parse_text("October 5th 2021 MeetingThe City met.\n2030 Agenda was the subject.\n")
    assert result.warnings == []


@pytest.mark.parametrize(
    ("line", "why"),
    [
        ("October 5th 1985 Meeting in ParisThe City met.", "outside the years"),
        ("12/03/89 Meeting in ParisThe City met.", "outside the years"),
        ("October 5th 2095 Meeting in ParisThe City met.", "outside the years"),
        ("December 30th 2021 - January 2nd 2023 Meeting in RomeThe City met.", "spans 369 days"),
    ],
)
def test_years_the_city_could_not_have_written_and_overlong_spans_are_warnings(line, why):
    result = parse_text(f"May 3rd 2021 Europe DayThe City celebrated.\n{line}\n", "page.txt")
    assert [e.title for e in result.entries] == ["Europe Day"]
    (warning,) = result.warnings
    assert warning.source.line == 2 and why in warning.reason and "not read" in warning.reason


def test_next_year_is_still_a_year_the_agenda_may_announce() -> None:
    year = date.today().year + 1
    (entry,) = parse_text(f"May 3rd {year} Europe DayThe City will celebrate.\n").entries
    assert entry.start_date == date(year, 5, 3)
