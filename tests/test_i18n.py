"""Languages: every user-visible string has its Italian, numbers and dates follow the locale."""

from __future__ import annotations

import os
import re
import shutil
from datetime import date

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po
from checkout import ROOT

from intl_metrics import i18n
from intl_metrics.i18n import (
    LANGUAGES,
    catalogue,
    environment_language,
    language_code,
    preferred_language,
    translator,
)
from intl_metrics.schema import ACTIVITIES, FORMATS, THEMES

PO = {lang: i18n.LOCALE_DIR / lang / "LC_MESSAGES" / "intl_metrics.po" for lang in LANGUAGES}
# The keywords scripts/i18n.sh extracts with: Babel's own, plus NP_(context, message).
KEYWORDS = {**DEFAULT_KEYWORDS, "NP_": ((1, "c"), 2)}
PLACEHOLDER = re.compile(r"(?<!\{)\{([a-z_]*)\}(?!\})")


def code_messages() -> set[tuple[str | None, str | tuple[str, ...]]]:
    """(context, msgid) of every string marked for translation in src/ and dashboard/."""
    found = set()
    for folder in ("src", "dashboard"):
        for _file, _line, message, _comments, context in extract_from_dir(
            ROOT / folder, method_map=[("**.py", "python")], keywords=KEYWORDS
        ):
            found.add((context, message))
    return found


def po_messages(lang: str) -> dict:
    with PO[lang].open("rb") as fh:
        catalog = read_po(fh, locale=lang)
    return {(m.context, m.id): m for m in catalog if m.id}


def test_every_string_in_the_code_has_an_italian_translation():
    italian = po_messages("it")
    marked = code_messages()
    assert marked, "no string marked for translation was found"
    missing = []
    for context, message in sorted(marked, key=str):
        key = (context, message)
        entry = italian.get(key)
        strings = entry.string if entry else ""
        strings = (strings,) if isinstance(strings, str) else strings
        if entry is None or entry.fuzzy or not all(s.strip() for s in strings):
            missing.append(key)
    assert not missing, (
        f"{len(missing)} string(s) without Italian; run scripts/i18n.sh and translate them "
        f"in {PO['it'].relative_to(ROOT)}: {missing[:10]}"
    )


def test_the_catalogues_hold_no_string_the_code_no_longer_has():
    marked = code_messages()
    for lang in LANGUAGES:
        stale = set(po_messages(lang)) - marked
        assert not stale, f"{lang}: run scripts/i18n.sh to drop {sorted(stale, key=str)[:5]}"


def test_translations_use_only_the_placeholders_of_their_english():
    # a translation naming {nome} for {name} would fail at .format() on the user's screen
    for (_, message), entry in po_messages("it").items():
        english = message if isinstance(message, tuple) else (message,)
        allowed = {p for m in english for p in PLACEHOLDER.findall(m)}
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        for text in strings:
            assert set(PLACEHOLDER.findall(text)) <= allowed, (message, text)


def test_the_vocabularies_have_a_display_name_in_each_language():
    it, en = translator("it"), translator("en")
    for field, keys in (("theme", THEMES), ("activity", ACTIVITIES), ("format", FORMATS)):
        for key in keys:
            assert en.vocab(field, key) and it.vocab(field, key)
    assert it.theme("urban") == "Sviluppo urbano" and en.theme("urban") == "Urban development"
    assert it.activity("mission") == "Missione all'estero"
    assert (it.format("in-person"), en.format("in-person")) == ("In presenza", "In person")
    assert it.theme("not-a-theme") == "not-a-theme"  # shown as written


def test_without_compiled_catalogues_the_po_files_are_read(tmp_path, monkeypatch):
    # a fresh checkout before scripts/setup.sh: .po files only
    copy = tmp_path / "locales"
    shutil.copytree(i18n.LOCALE_DIR, copy, ignore=shutil.ignore_patterns("*.mo"))
    assert not list(copy.rglob("*.mo"))
    monkeypatch.setattr(i18n, "LOCALE_DIR", copy)
    catalogue.cache_clear()
    try:
        assert catalogue("it").gettext("all dates") == "tutte le date"
        assert catalogue("it").pgettext("theme", "Energy") == "Energia"
    finally:
        catalogue.cache_clear()


def test_a_stale_compiled_catalogue_gives_way_to_its_newer_po(tmp_path, monkeypatch):
    copy = tmp_path / "locales"
    shutil.copytree(i18n.LOCALE_DIR, copy)
    po = copy / "it" / "LC_MESSAGES" / "intl_metrics.po"
    mo = po.with_suffix(".mo")
    po.write_text(
        po.read_text(encoding="utf-8").replace('msgstr "tutte le date"', 'msgstr "ogni data"'),
        encoding="utf-8",
    )
    if mo.exists():
        os.utime(mo, ns=(po.stat().st_mtime_ns - 10**9,) * 2)
    monkeypatch.setattr(i18n, "LOCALE_DIR", copy)
    catalogue.cache_clear()
    try:
        assert catalogue("it").gettext("all dates") == "ogni data"
    finally:
        catalogue.cache_clear()


def test_numbers_follow_the_language():
    it, en = translator("it"), translator("en")
    assert (it.number(1234567), en.number(1234567)) == ("1.234.567", "1,234,567")
    assert (it.number(2.5, 1), en.number(2.5, 1)) == ("2,5", "2.5")
    assert (it.percent(0.256), en.percent(0.256)) == ("26%", "26%")
    assert (it.signed(-1200), en.signed(3), en.signed(0)) == ("-1.200", "+3", "±0")
    assert (it.signed_percent(0.5), en.signed_percent(-0.104)) == ("+50%", "-10%")


def test_dates_months_and_weeks_follow_the_language():
    it, en = translator("it"), translator("en")
    assert it.date(date(2021, 9, 1)) == "1 set 2021"
    assert it.long_date(date(2026, 12, 7)) == "7 dicembre 2026"
    assert en.long_date(date(2026, 12, 7)) == "7 December 2026"
    assert [it.month_name(m) for m in (1, 9)] == ["gennaio", "settembre"]
    assert en.month_year(date(2021, 9, 1)) == "September 2021"
    assert it.month_year(date(2021, 9, 1)) == "settembre 2021"
    # weeks start on Monday in both: 0 is Monday in Babel
    assert it.first_weekday == en.first_weekday == 0


@pytest.mark.parametrize(
    ("start", "end", "it", "en"),
    [
        (date(2021, 9, 1), date(2021, 10, 15), "1 set – 15 ott 2021", "1 Sept – 15 Oct 2021"),
        (date(2021, 5, 3), date(2021, 5, 9), "3–9 mag 2021", "3–9 May 2021"),
        (date(2020, 12, 3), date(2021, 1, 9), "3 dic 2020 – 9 gen 2021", "3 Dec 2020 – 9 Jan 2021"),
        (date(2021, 3, 12), date(2021, 3, 12), "12 mar 2021", "12 Mar 2021"),
        (None, None, "tutte le date", "all dates"),
        (date(2021, 3, 12), None, "dal 12 mar 2021", "from 12 Mar 2021"),
    ],
)
def test_periods_read_as_people_write_them(start, end, it, en):
    assert translator("it").period(start, end) == it
    assert translator("en").period(start, end) == en


def test_country_names_come_in_the_language():
    assert translator("it").country("KR") == "Corea del Sud"
    assert translator("en").country("KR") == "South Korea"
    assert translator("it").country("QQ", "Nowhere") == "Nowhere"


def test_lists_are_joined_as_the_language_does():
    assert translator("it").join(["Energia", "Cultura", "Design"]) == "Energia, Cultura e Design"
    assert translator("en").join(["Energy", "Culture"]) == "Energy and Culture"


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("it-IT,it;q=0.9,en-US;q=0.8,en;q=0.7", "it"),
        ("en-GB,en;q=0.9,it;q=0.8", "en"),
        ("de-DE,de;q=0.9,it;q=0.8,en;q=0.5", "it"),  # German first, but not offered
        ("en;q=0.3,it;q=0.9", "it"),  # by weight, not by order
        ("fr-FR", "en"),
        ("it;q=0", "en"),  # q=0 means 'not this one'
        ("", "en"),
        (None, "en"),
        ("it-IT;q=abc,en", "en"),
    ],
)
def test_the_browser_preference_picks_the_language(header, expected):
    assert preferred_language(header) == expected


def test_language_codes_are_read_loosely():
    assert [language_code(v) for v in ("it", "IT", "it_IT.UTF-8", "en-GB", "de", "", None)] == [
        "it",
        "it",
        "it",
        "en",
        None,
        None,
        None,
    ]
    assert environment_language({"LANG": "it_IT.UTF-8"}) == "it"
    assert environment_language({"LANGUAGE": "de:it", "LANG": "en_US.UTF-8"}) == "it"
    assert environment_language({"LANG": "C.UTF-8"}) == "en"


def test_an_unknown_language_is_refused_by_the_catalogue_and_english_in_the_translator():
    with pytest.raises(ValueError, match="unknown language"):
        catalogue("de")
    assert translator("de").lang == "en"
    assert translator(None).pgettext("theme", "Energy") == "Energy"
