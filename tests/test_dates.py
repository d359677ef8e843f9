"""Date expressions of the agenda pages: English, French, Italian and numeric."""

from __future__ import annotations

from datetime import date

import pytest

from intl_metrics.parse import parse_date_expression
from intl_metrics.parse.dates import DAY, MONTH, YEAR_MONTH, DateError, scan_date


def d(text: str) -> date:
    return date.fromisoformat(text)


# Each case is pinned to a page where it was seen (seed file, dev corpus, events.md).
@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        # English, seed file and dev corpus
        ("October 6th 2021", "2021-10-06", "2021-10-06"),
        ("October 13th-15th 2021", "2021-10-13", "2021-10-15"),
        ("September 30th - October 1st 2021", "2021-09-30", "2021-10-01"),
        ("October 08th-09th 2010", "2010-10-08", "2010-10-09"),
        ("November 26th-27th 2023", "2023-11-26", "2023-11-27"),
        ("June 30th - July 1st 2021", "2021-06-30", "2021-07-01"),
        ("December 30th 2021 - January 2nd 2022", "2021-12-30", "2022-01-02"),
        ("December 29th 2018 - January 6th 2019", "2018-12-29", "2019-01-06"),
        # French
        ("4-6 décembre 2023", "2023-12-04", "2023-12-06"),
        ("30 novembre-5 décembre 2023", "2023-11-30", "2023-12-05"),
        ("1er décembre 2023", "2023-12-01", "2023-12-01"),
        ("11 octobre 2023", "2023-10-11", "2023-10-11"),
        ("7 mars 2016", "2016-03-07", "2016-03-07"),
        # Italian
        ("13-15 ottobre 2022", "2022-10-13", "2022-10-15"),
        ("30 settembre-1 ottobre 2022", "2022-09-30", "2022-10-01"),
        ("2 dicembre 2022", "2022-12-02", "2022-12-02"),
        # numeric, day first, two- or four-digit year
        ("16/03/06", "2006-03-16", "2006-03-16"),
        ("20-22/02/06", "2006-02-20", "2006-02-22"),
        ("24-25/11/05", "2005-11-24", "2005-11-25"),
        ("16/12/2005", "2005-12-16", "2005-12-16"),
        ("9.3.2016", "2016-03-09", "2016-03-09"),
        ("30/11-02/12/05", "2005-11-30", "2005-12-02"),
        # a month alone is the whole month
        ("May 2012", "2012-05-01", "2012-05-31"),
        ("Maggio 2012", "2012-05-01", "2012-05-31"),
        ("Mai 2012", "2012-05-01", "2012-05-31"),
        ("Aprile 2014", "2014-04-01", "2014-04-30"),
        ("February 2024", "2024-02-01", "2024-02-29"),
    ],
)
def test_agenda_date_expressions_give_first_and_last_day(text: str, first: str, last: str) -> None:
    assert parse_date_expression(text) == (d(first), d(last))


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("Oct. 13 - 15, 2021", "2021-10-13", "2021-10-15"),
        ("Sept 30th 2021", "2021-09-30", "2021-09-30"),
        ("13 - 15 October 2021", "2021-10-13", "2021-10-15"),
        ("13th of October 2021", "2021-10-13", "2021-10-13"),
        ("October 13-15, 2021", "2021-10-13", "2021-10-15"),
        ("October 13–15 2021", "2021-10-13", "2021-10-15"),
        ("October 13th to 15th 2021", "2021-10-13", "2021-10-15"),
        ("5 and 6 October 2021", "2021-10-05", "2021-10-06"),
        ("5, 6 and 7 October 2021", "2021-10-05", "2021-10-07"),
        ("5 et 6 décembre 2023", "2023-12-05", "2023-12-06"),
        ("du 4 au 6 décembre 2023", "2023-12-04", "2023-12-06"),
        ("dal 13 al 15 ottobre 2021", "2021-10-13", "2021-10-15"),
        ("Monday, October 4th 2021", "2021-10-04", "2021-10-04"),
        ("lunedì 4 ottobre 2021", "2021-10-04", "2021-10-04"),
        ("OCTOBER 6TH 2021", "2021-10-06", "2021-10-06"),
        ("4 decembre 2023", "2023-12-04", "2023-12-04"),
        ("October\u00a06th  2021", "2021-10-06", "2021-10-06"),
        ("October-November 2021", "2021-10-01", "2021-11-30"),
        ("16-12-2005", "2005-12-16", "2005-12-16"),
        ("2021-10-06", "2021-10-06", "2021-10-06"),
    ],
)
def test_real_world_variants_are_read_liberally(text: str, first: str, last: str) -> None:
    assert parse_date_expression(text) == (d(first), d(last))


def test_a_date_without_a_year_takes_the_year_it_is_given() -> None:
    assert parse_date_expression("October 2nd-6th", default_year=2021) == (
        d("2021-10-02"),
        d("2021-10-06"),
    )
    assert parse_date_expression("1° ottobre", default_year=2022) == (d("2022-10-01"),) * 2
    assert parse_date_expression("October 2nd-6th") is None


def test_a_yearless_range_over_new_year_ends_in_the_next_year() -> None:
    assert parse_date_expression("December 30th - January 2nd", default_year=2021) == (
        d("2021-12-30"),
        d("2022-01-02"),
    )
    # with the year written only at the end, the start is in the year before
    assert parse_date_expression("December 30th - January 2nd 2022") == (
        d("2021-12-30"),
        d("2022-01-02"),
    )


@pytest.mark.parametrize(
    "text",
    [
        "February 30th 2021",  # no such day
        "October 15th-13th 2021",  # ends before it starts
        "December 30th 2022 - January 2nd 2022",  # years written, and backwards
        "31/04/06",
        "Since March 9th 2020",  # prose that mentions a date
        "Europe Day",
        "2012",  # a year heading, not an event date
        "",
        "October 6th 2021 Delegation from Wallonia",  # more than a date
    ],
)
def test_what_is_not_one_valid_date_expression_gives_none(text: str) -> None:
    assert parse_date_expression(text) is None


def test_an_invalid_date_is_found_and_explained_when_resolved() -> None:
    m = scan_date("February 30th 2021 Impossible meeting")
    assert m is not None and m.text == "February 30th 2021"
    with pytest.raises(DateError, match="February 30th 2021"):
        m.resolve()


@pytest.mark.parametrize(
    ("line", "expression"),
    [
        ("October 13th-15th 2021 TIEFThe fifth edition", "October 13th-15th 2021"),
        ("March 17th 2011 - 150th Anniversary of the Unification", "March 17th 2011"),
        ("01/02/06 –City of Nagano - Japan", "01/02/06"),
        ("September 30th - October 1st 2021 EUROCITIES Culture Forum", None),
        ("6 October 2500 Participants", "6 October"),  # 2500 is no year of the agenda
    ],
)
def test_the_date_stops_where_the_title_starts(line: str, expression: str | None) -> None:
    m = scan_date(line)
    assert m is not None
    expected = expression or "September 30th - October 1st 2021"
    assert line[: m.end] == expected


@pytest.mark.parametrize(
    ("text", "languages"),
    [
        ("11 octobre 2023", {"fr"}),
        ("13-15 ottobre 2022", {"it"}),
        ("October 6th 2021", {"en"}),
        ("28 novembre 2023", {"fr", "it"}),  # the same word in both
        ("1er novembre 2023", {"fr"}),  # but "1er" is French
        ("16/03/06", set()),
    ],
)
def test_month_words_tell_the_language_of_the_date(text: str, languages: set[str]) -> None:
    m = scan_date(text)
    assert m is not None and set(m.languages) == languages


def test_headings_are_month_or_year_expressions() -> None:
    heading = scan_date("2010 February")
    assert heading is not None and heading.kind == YEAR_MONTH
    month = scan_date("Aprile 2014 Missione a Cracovia")
    assert month is not None and month.kind == MONTH
    day = scan_date("October 6th 2021")
    assert day is not None and day.kind == DAY


def test_a_long_date_expression_is_read_whole() -> None:
    # The longest shape the code names (56 characters), then a title: the run of date
    # tokens reaches past the short head that scan_date lower-cases first.
    line = "Wednesday, September 30th 2021 - Friday, October 1st 2021 EUROCITIES Culture Forum"
    m = scan_date(line)
    assert m is not None
    assert line[: m.end] == "Wednesday, September 30th 2021 - Friday, October 1st 2021"
    assert m.resolve() == (d("2021-09-30"), d("2021-10-01"))


@pytest.mark.parametrize(
    "line",
    [
        "The City of Torino attended the meeting.",  # seed file, a description line
        "Representatives of the City of Torino attended the meeting.",  # dev corpus
        "During the event the City of Torino hosted speakers.",  # "du" opens it, not a date
        "Mayors of Europe met in Brussels.",  # "may" opens it, not a date
    ],
)
def test_a_line_of_prose_opens_no_date(line: str) -> None:
    assert scan_date(line) is None


@pytest.mark.parametrize(
    ("line", "expression"),
    [
        ("Du 4 au 6 décembre 2023 Semaine de la solidarité", "Du 4 au 6 décembre 2023"),
        ("Mar. 9 2020 Meeting", "Mar. 9 2020"),
        ("E 5 ottobre", None),  # "e" (and) is a date word, but opens no date
    ],
)
def test_capitalised_date_words_open_a_date(line: str, expression: str | None) -> None:
    m = scan_date(line)
    if expression is None:
        assert m is None
    else:
        assert m is not None and line[: m.end] == expression
