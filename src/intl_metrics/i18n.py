"""Languages of the interface and the briefing: gettext catalogues and Babel formats.

Every user-visible string is an English msgid wrapped in ``gettext`` (or marked with
``N_``/``NP_`` where it is defined before a language is known); its Italian lives in
``locales/it/LC_MESSAGES/intl_metrics.po``. The ``.po`` files are the source, kept in
git; ``scripts/setup.sh`` compiles them to ``.mo`` at install. When a ``.mo`` is
missing or older than its ``.po`` (a fresh checkout, a translator's edit), the ``.po``
is read with Babel instead, so the text is never silently English.

Numbers, dates and month names come from Babel's CLDR data for the language's locale:
``en`` is British English (day-first dates, weeks from Monday), ``it`` is Italian.

>>> t = translator("it")
>>> t.gettext("Events"), t.number(1234), t.period(date(2021, 9, 1), date(2021, 10, 15))
('Eventi', '1.234', '1 set – 15 ott 2021')
"""

from __future__ import annotations

import functools
import gettext as _gettext
import io
import logging
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from babel import Locale
from babel.dates import format_date, get_month_names
from babel.lists import format_list
from babel.numbers import format_decimal, format_percent

__all__ = [
    "DEFAULT_LANGUAGE",
    "DOMAIN",
    "LANGUAGES",
    "LANGUAGE_NAMES",
    "LOCALE_DIR",
    "NP_",
    "N_",
    "Translator",
    "catalogue",
    "environment_language",
    "language_code",
    "preferred_language",
    "translator",
]

log = logging.getLogger(__name__)

LANGUAGES: tuple[str, ...] = ("en", "it")
DEFAULT_LANGUAGE = "en"
# Each language named in itself: a switch must be readable by whoever cannot read the other.
LANGUAGE_NAMES: dict[str, str] = {"en": "English", "it": "Italiano"}
DOMAIN = "intl_metrics"
LOCALE_DIR = Path(__file__).resolve().parent / "locales"
# The Babel locale of each language: British English has day-first dates and Monday weeks.
_BABEL_LOCALES: dict[str, str] = {"en": "en_GB", "it": "it_IT"}


def N_(message: str) -> str:
    """Mark a string for translation where it is defined; translate it where it is shown."""
    return message


def NP_(context: str, message: str) -> str:
    """N_ with a context ('theme', 'activity', ...) that tells same-spelled msgids apart."""
    del context
    return message


# ---------------------------------------------------------------- choosing a language


def language_code(value: str | None) -> str | None:
    """'it', 'it-IT', 'it_IT.UTF-8', 'IT' -> 'it'; None when it is not one of LANGUAGES."""
    if not value:
        return None
    code = value.strip().replace("_", "-").split(".")[0].split("-")[0].lower()
    return code if code in LANGUAGES else None


def preferred_language(accept_language: str | None, default: str = DEFAULT_LANGUAGE) -> str:
    """The language a browser prefers, from an Accept-Language header or a locale string.

    'it-IT,it;q=0.9,en;q=0.8' -> 'it'; 'de-DE,en;q=0.5' -> 'en'; nothing we offer ->
    ``default``. Entries are tried by their q-value (1 when absent), ties in order.
    """
    choices: list[tuple[float, int, str]] = []
    for i, part in enumerate((accept_language or "").split(",")):
        tag, _, params = part.strip().partition(";")
        q = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if tag and q > 0:
            choices.append((-q, i, tag))
    for _, _, tag in sorted(choices):
        if code := language_code(tag):
            return code
    return default


def environment_language(environ: Mapping[str, str] | None = None) -> str:
    """The language of the command line's environment (LANGUAGE, LC_ALL, LC_MESSAGES, LANG)."""
    env = os.environ if environ is None else environ
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        for value in env.get(name, "").split(":"):
            if code := language_code(value):
                return code
    return DEFAULT_LANGUAGE


# ---------------------------------------------------------------- catalogues


def _po_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def _mo_from_po(po: Path) -> bytes:
    """Compile a .po in memory (Babel), for when no up-to-date .mo was installed."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as fh:
        catalog = read_po(fh, locale=po.parents[1].name, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


@functools.cache
def catalogue(lang: str) -> _gettext.NullTranslations:
    """The gettext catalogue of a language: the compiled .mo, else the .po read with Babel.

    English msgids are the source text, so a language without a catalogue shows them.
    """
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; expected one of {', '.join(LANGUAGES)}")
    po = _po_path(lang)
    mo = po.with_suffix(".mo")
    try:
        if mo.exists() and (not po.exists() or mo.stat().st_mtime_ns >= po.stat().st_mtime_ns):
            with mo.open("rb") as fh:
                return _gettext.GNUTranslations(fh)
        if po.exists():
            log.info("no up-to-date %s: reading %s (run scripts/setup.sh to compile)", mo, po)
            return _gettext.GNUTranslations(io.BytesIO(_mo_from_po(po)))
    except (OSError, ValueError):
        log.exception("the %s catalogue could not be read; showing English", lang)
    if lang != DEFAULT_LANGUAGE:
        log.warning("no catalogue for %r in %s: showing English", lang, LOCALE_DIR)
    return _gettext.NullTranslations()


# ---------------------------------------------------------------- vocabularies

# Display names of the closed vocabularies (schema.py spells the keys). Contexts keep a
# theme, an activity and a format apart should two ever share an English word.
THEME_NAMES: dict[str, str] = {
    "migration": NP_("theme", "Migration"),
    "energy": NP_("theme", "Energy"),
    "culture": NP_("theme", "Culture"),
    "design": NP_("theme", "Design"),
    "economy": NP_("theme", "Economy"),
    "urban": NP_("theme", "Urban development"),
    "education": NP_("theme", "Education"),
    "social": NP_("theme", "Social inclusion"),
    "cooperation": NP_("theme", "Cooperation"),
    "sport": NP_("theme", "Sport"),
    "institutional": NP_("theme", "Institutional"),
}
ACTIVITY_NAMES: dict[str, str] = {
    "agreement": NP_("activity", "Agreement"),
    "diplomatic": NP_("activity", "Diplomatic meeting"),
    "delegation": NP_("activity", "Foreign delegation"),
    "project": NP_("activity", "Project"),
    "network": NP_("activity", "Network"),
    "mission": NP_("activity", "Mission abroad"),
    "event": NP_("activity", "Event"),
}
FORMAT_NAMES: dict[str, str] = {
    "in-person": NP_("format", "In person"),
    "virtual": NP_("format", "Virtual"),
    "hybrid": NP_("format", "Hybrid"),
}
# The world regions of the breakdown (enrich.places.world_region).
REGION_NAMES: dict[str, str] = {
    "Africa": NP_("region", "Africa"),
    "Antarctica": NP_("region", "Antarctica"),
    "Asia": NP_("region", "Asia"),
    "Europe": NP_("region", "Europe"),
    "North America": NP_("region", "North America"),
    "Oceania": NP_("region", "Oceania"),
    "South America": NP_("region", "South America"),
    "Other": NP_("region", "Other"),
    "Unknown": NP_("region", "Unknown"),
}
_VOCABULARIES: dict[str, dict[str, str]] = {
    "theme": THEME_NAMES,
    "activity": ACTIVITY_NAMES,
    "format": FORMAT_NAMES,
    "region": REGION_NAMES,
}


# ---------------------------------------------------------------- the translator


@dataclass(frozen=True)
class Translator:
    """Text, numbers and dates in one language: what a page or a briefing is drawn with."""

    lang: str

    @property
    def locale(self) -> Locale:
        return _babel_locale(self.lang)

    # -- text

    def gettext(self, message: str) -> str:
        """The translation of ``message`` (itself when there is none)."""
        return catalogue(self.lang).gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        """Singular or plural by ``n``, by the language's plural rule."""
        return catalogue(self.lang).ngettext(singular, plural, n)

    def pgettext(self, context: str, message: str) -> str:
        """The translation of ``message`` in ``context``."""
        return catalogue(self.lang).pgettext(context, message)

    __call__ = gettext

    def vocab(self, field: str, key: str) -> str:
        """The display name of a theme, activity, format or world region key
        ('urban' -> 'Sviluppo urbano').

        A key outside the vocabulary is shown as written.
        """
        names = _VOCABULARIES[field]
        return self.pgettext(field, names[key]) if key in names else str(key)

    def theme(self, key: str) -> str:
        return self.vocab("theme", key)

    def activity(self, key: str) -> str:
        return self.vocab("activity", key)

    def format(self, key: str) -> str:
        return self.vocab("format", key)

    def region(self, key: str) -> str:
        return self.vocab("region", key)

    def country(self, code: str, fallback: str | None = None) -> str:
        """A country's name from its ISO code, in the language ('FR' -> 'France' / 'Francia').

        CLDR's names (Babel); ``fallback`` (else the code) for a code it does not know.
        """
        return self.locale.territories.get(str(code).upper()) or fallback or str(code)

    # -- numbers

    def number(self, value: float, digits: int = 0) -> str:
        """1234 -> '1,234' (en) / '1.234' (it)."""
        pattern = "#,##0" + ("." + "0" * digits if digits else "")
        return format_decimal(value, format=pattern, locale=self.locale)

    def signed(self, value: float, digits: int = 0) -> str:
        """A change: '+3', '-2', '±0'. The ASCII minus: Streamlit's metric reads a change's
        direction (arrow and colour) from a leading '-', and a true minus sign read as a rise."""
        if round(value, digits) == 0:
            return "±" + self.number(0, digits)
        text = self.number(abs(value), digits)
        return ("+" if value > 0 else "-") + text

    def percent(self, fraction: float, digits: int = 0) -> str:
        """0.256 -> '26%' (en) / '26%' (it), with the locale's separators."""
        pattern = "#,##0" + ("." + "0" * digits if digits else "") + "%"
        return format_percent(fraction, format=pattern, locale=self.locale)

    def signed_percent(self, fraction: float, digits: int = 0) -> str:
        """A relative change: '+25%', '-10%', '±0%'."""
        if round(100 * fraction, digits) == 0:
            return "±" + self.percent(0, digits)
        return ("+" if fraction > 0 else "-") + self.percent(abs(fraction), digits)

    @property
    def separators(self) -> str:
        """plotly's ``layout.separators``: the decimal sign, then the thousands sign."""
        symbols = self.locale.number_symbols.get("latn", self.locale.number_symbols)
        return symbols["decimal"] + symbols["group"]

    # -- dates

    @property
    def first_weekday(self) -> int:
        """The first day of the week, 0 = Monday (Monday for both languages offered)."""
        return self.locale.first_week_day

    def date(self, d: date, pattern: str = "d MMM y") -> str:
        """A date in a CLDR pattern: '1 Sept 2021' / '1 set 2021'; 'long' etc. also work."""
        return format_date(d, format=pattern, locale=self.locale)

    def long_date(self, d: date) -> str:
        """'7 December 2026' / '7 dicembre 2026'."""
        return format_date(d, format="long", locale=self.locale)

    def month_name(self, month: int, width: str = "wide") -> str:
        """Month 1-12 as a name on its own: 'September' / 'settembre' ('abbreviated' too)."""
        return get_month_names(width, context="stand-alone", locale=self.locale)[month]

    def month_year(self, d: date) -> str:
        """'September 2021' / 'settembre 2021'."""
        return format_date(d, format="LLLL y", locale=self.locale)

    def period(self, start: date | None, end: date | None) -> str:
        """A period as people write it: '1 Sept – 15 Oct 2021', '3–9 May 2021', '12 Mar 2021'.

        The year (and month) are written once when both ends share them.
        """
        if start is None and end is None:
            return self.gettext("all dates")
        if start is None:
            return self.gettext("until {date}").format(date=self.date(end))  # type: ignore[arg-type]
        if end is None:
            return self.gettext("from {date}").format(date=self.date(start))
        if start == end:
            return self.date(start)
        if start.year != end.year:
            return f"{self.date(start)} – {self.date(end)}"
        if start.month != end.month:
            return f"{self.date(start, 'd MMM')} – {self.date(end)}"
        return f"{start.day}–{self.date(end)}"

    # -- lists

    def join(self, items: Iterable[str], style: str = "standard") -> str:
        """'A, B and C' / 'A, B e C' (``style`` 'unit' gives 'A, B, C')."""
        values = [str(i) for i in items]
        return format_list(values, style=style, locale=self.locale) if values else ""


@functools.cache
def _babel_locale(lang: str) -> Locale:
    return Locale.parse(_BABEL_LOCALES.get(lang, _BABEL_LOCALES[DEFAULT_LANGUAGE]))


@functools.cache
def translator(lang: str | None = None) -> Translator:
    """The Translator of ``lang`` ('en' or 'it'; None or unknown: English)."""
    return Translator(language_code(lang) or DEFAULT_LANGUAGE)
