"""Synthetic agenda files: realistic, deterministic, marked, and readable by the real parser."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from intl_metrics.parse import parse_text
from intl_metrics.schema import event_id
from intl_metrics.synth import FIRST_YEAR, LAST_YEAR, _pages, write_synthetic


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("synth") / "synthetic-200.txt"
    assert write_synthetic(path, 200, seed=7) == 200
    return path


def _page_format(lines: list[str], line: int) -> str:
    """Which of the three page formats the entry starting at ``line`` (1-based) is in."""
    text = lines[line - 1]
    if text.lstrip().startswith("•"):
        return "bulleted"
    after = lines[line] if line < len(lines) else ""
    return "article" if not after.strip() else "glued"


def test_first_line_says_the_file_is_synthetic(small: Path) -> None:
    first = small.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# SYNTHETIC")
    assert "not real City of Torino data" in first
    assert "--events 200 --seed 7" in first


def test_200_synthetic_events_parse_back_to_200_in_every_format_and_language(
    small: Path,
) -> None:
    text = small.read_text(encoding="utf-8")
    result = parse_text(text, small.name)
    assert len(result.entries) == 200
    assert result.warnings == []
    assert all(e.source.line > 1 for e in result.entries)  # the marker line is chrome
    lines = text.splitlines()
    formats = Counter(_page_format(lines, e.source.line) for e in result.entries)
    assert set(formats) == {"glued", "bulleted", "article"}
    assert set(Counter(e.language for e in result.entries)) == {"en", "fr", "it"}


def test_the_parser_reads_back_the_dates_and_titles_that_were_written() -> None:
    texts, truth = [], []
    for page, items in _pages(300, seed=11):
        texts.append(page)
        truth.extend(items)
    entries = parse_text("".join(texts)).entries
    assert len(entries) == len(truth)
    same = sum(
        (e.start_date, e.end_date, e.title) == (t.start, t.end, t.title)
        for e, t in zip(entries, truth, strict=True)
    )
    # A few known hard cases (an acronym glued to Italian "I partner") may miss.
    assert same >= 0.97 * len(truth)


def test_the_same_seed_writes_the_same_bytes_and_another_seed_does_not(tmp_path: Path) -> None:
    a, b, c = tmp_path / "a.txt", tmp_path / "b.txt", tmp_path / "c.txt"
    write_synthetic(a, 150, seed=3)
    write_synthetic(b, 150, seed=3)
    write_synthetic(c, 150, seed=4)
    assert a.read_bytes() == b.read_bytes()
    assert a.read_bytes() != c.read_bytes()


def test_entries_spread_over_twenty_years_with_unique_ids_and_mostly_english() -> None:
    items = [it for _, page in _pages(3000, seed=5) for it in page]
    assert len(items) == 3000
    years = {it.start.year for it in items}
    assert min(years) == FIRST_YEAR and max(years) == LAST_YEAR
    assert len(years) == LAST_YEAR - FIRST_YEAR + 1
    # The loader dedupes on (start date, title): synthetic entries never collide.
    assert len({event_id(it.start, it.title) for it in items}) == 3000
    langs = Counter(it.lang for it in items)
    assert 0.6 < langs["en"] / 3000 < 0.85
    assert langs["fr"] > 150 and langs["it"] > 150
    assert all(it.start <= it.end for it in items)


def test_progress_is_reported_up_to_done(tmp_path: Path) -> None:
    seen: list[tuple[float, str]] = []
    write_synthetic(tmp_path / "p.txt", 2500, seed=1, progress=lambda f, m: seen.append((f, m)))
    fractions = [f for f, _ in seen]
    assert fractions == sorted(fractions)
    assert fractions[-1] == 1.0
    assert "2,500" in seen[-1][1]


def test_zero_events_writes_only_the_marker(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    assert write_synthetic(path, 0) == 0
    assert parse_text(path.read_text(encoding="utf-8")).entries == []
