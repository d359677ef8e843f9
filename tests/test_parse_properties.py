"""Properties of the parser on any input: it never raises, and what it returns is sound."""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from intl_metrics.parse import ParseResult, parse_date_expression, parse_text

# Pieces of real agenda lines, shuffled into near-misses: dates with odd days and
# months, separators, glued titles, headings, chrome and unicode noise.
MONTHS = ["October", "Oct.", "février", "décembre", "ottobre", "Maggio", "Sept", "May", "mai"]
PIECES = st.one_of(
    st.sampled_from(MONTHS),
    st.integers(min_value=0, max_value=40).map(str),
    st.integers(min_value=0, max_value=40).map(lambda n: f"{n}th"),
    st.sampled_from(["1er", "1°", "2021", "1999", "05", "2100", "2500", "0000"]),
    st.sampled_from(["-", " - ", "–", "/", ".", ",", " to ", " au ", " e ", " and ", "\u00a0"]),
    st.sampled_from(["TIEFThe", "ArgentinaA ", "L'adjointe", "HERITAGE-NEXTLa", "COP28The"]),
    st.sampled_from(["  • ", "\n", "\n\n", "    ", "Navigation Menu", "Since ", "2010 February"]),
    st.text(max_size=8),
)
AGENDA_LIKE = st.lists(PIECES, max_size=40).map(lambda parts: " ".join(parts))


def line_count(text: str) -> int:
    return len(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))


def assert_sound(result: ParseResult, text: str) -> None:
    lines = line_count(text)
    for e in result.entries:
        assert isinstance(e.start_date, date) and isinstance(e.end_date, date)
        assert e.start_date <= e.end_date
        assert 1 <= e.source.line <= lines
        assert e.language in ("en", "fr", "it")
        assert e.title == " ".join(e.title.split()) and e.title
        assert e.description == " ".join(e.description.split())
    for w in result.warnings:
        assert 1 <= w.source.line <= lines and w.reason


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text())
def test_parsing_any_text_never_raises_and_gives_sound_entries(text: str) -> None:
    assert_sound(parse_text(text), text)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(AGENDA_LIKE)
def test_parsing_agenda_like_noise_never_raises_and_gives_sound_entries(text: str) -> None:
    assert_sound(parse_text(text), text)


@settings(max_examples=150, deadline=None)
@given(
    st.sampled_from(MONTHS),
    st.integers(min_value=0, max_value=40),
    st.integers(min_value=0, max_value=40),
    st.integers(min_value=1890, max_value=2110),
)
def test_a_dated_line_gives_an_ordered_entry_or_a_warning(
    month: str, day1: int, day2: int, year: int
) -> None:
    text = f"{month} {day1}-{day2} {year} Meeting of the networkThe City took part."
    result = parse_text(text)
    assert_sound(result, text)
    assert len(result.entries) + len(result.warnings) <= 1


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=60), st.one_of(st.none(), st.integers(min_value=1, max_value=9998)))
def test_date_expressions_never_raise_and_are_ordered(text: str, year: int | None) -> None:
    span = parse_date_expression(text, default_year=year)
    if span is not None:
        assert span[0] <= span[1]
