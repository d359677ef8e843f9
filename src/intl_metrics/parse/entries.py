"""Agenda page text -> dated entries, for the three page formats of events.md.

One pass over the lines. A line that opens with a date expression followed by
a capitalised title starts an entry; what follows it until the next entry,
heading or page footer is its description:

* glued listing: ``October 6th 2021 Delegation from WalloniaThe City ...``; the
  title ends where the description's first word is glued to it (see
  ``title_boundary.toml``); a next line that does not start with a date
  continues a sentence broken by a hyperlink;
* bulleted archive: ``  • February 26th 2010 - Delegation from Rumania``, a
  blank line, indented paragraphs, under ``2010 February`` headings;
* single article: ``May 8th 2023 Europe Day``, a blank line, the text.

Page chrome (``page_chrome.toml``) is skipped. A missing year comes from the
nearest heading above, else from the dated neighbours. Anything that reads as
an entry but names no real date becomes a ParseWarning, never an exception.
"""

from __future__ import annotations

import gc
import os
import re
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from itertools import pairwise
from pathlib import Path

from intl_metrics.parse._rules import load_rules
from intl_metrics.parse.dates import (
    DAY,
    YEAR,
    YEAR_MONTH,
    DateError,
    DateMatch,
    implausible,
    scan_date,
)
from intl_metrics.parse.sources import read_agenda, source_notes
from intl_metrics.schema import Entry, ParseWarning, Source

__all__ = ["ParseResult", "cut_points", "parse_file", "parse_text", "split_title"]


@dataclass(frozen=True)
class ParseResult:
    """The entries of a text, in page order, and the fragments that could not be read."""

    entries: list[Entry]
    warnings: list[ParseWarning]
    # Some date, with no year of its own and no year heading above it, took its year
    # from the entries around it: the text could not have been parsed piece by piece,
    # since a piece starts with no heading (see cut_points).
    borrowed_years: bool = False
    # What the reader should know about the whole file (parse_file only): the encoding
    # when not UTF-8, bytes that are not text, no entry found (sources.source_notes).
    notes: list[str] = field(default_factory=list)


def parse_file(path: str | os.PathLike[str]) -> ParseResult:
    """Parse an agenda file in the encoding it was saved in; sources name its basename.

    Raises OSError when the file cannot be read.
    """
    p = Path(path)
    source = read_agenda(p)
    result = parse_text(source.text, file=p.name)
    result.notes.extend(source_notes(source, len(result.entries)))
    return result


def parse_text(text: str, file: str = "<text>", *, first_line: int = 1) -> ParseResult:
    """Parse agenda page text into entries; never raises on any string.

    ``first_line``: the line number of the text's first line (a piece of a larger text).
    """
    if not isinstance(text, str):
        raise TypeError(f"parse_text() needs a str, not {type(text).__name__}")
    # The parse makes many small objects and no reference cycles: the cyclic garbage
    # collector's passes over them are pure cost (a sixth of the time on a 100k-entry file).
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _Parser(file).run(text, first_line)
    finally:
        if enabled:
            gc.enable()


# --- text normalisation ------------------------------------------------------------------

# Invisible or exotic spacing that copy-paste from the web leaves behind.
_ODD_SPACE_MAP = {
    "\ufeff": "",  # byte-order mark
    "\u200b": "",  # zero-width space and joiners
    "\u200c": "",
    "\u200d": "",
    "\u2060": "",
    "\u00ad": "",  # soft hyphen
    "\u00a0": " ",  # no-break and thin spaces
    "\u202f": " ",
    "\u2007": " ",
    "\u2009": " ",
    "\u200a": " ",
    "\u3000": " ",
    "\t": " ",
    "\x00": " ",
}


def _lines(text: str) -> list[str]:
    """Lines as an editor numbers them: CRLF and lone CR count as one break."""
    # Look for each odd character and replace it only when present: much faster than
    # str.translate or a regex pass over a large page, which usually has none of them.
    for odd, repl in _ODD_SPACE_MAP.items():
        if odd in text:
            text = text.replace(odd, repl)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.split("\n")


def _collapse(text: str) -> str:
    """Runs of whitespace as one space, none at the ends."""
    # Most titles and lines are clean already: the checks are cheaper than split + join.
    # Every whitespace character but the space is unprintable, so these three tests
    # find any whitespace to collapse.
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text
    return " ".join(text.split())


# --- character classes ---------------------------------------------------------------------


def _char_class(pred: object) -> str:
    """A regex class body of the Latin, Greek and Cyrillic letters that satisfy ``pred``."""
    chars = [
        chr(c)
        for r in (range(0x41, 0x250), range(0x370, 0x530), range(0x1E00, 0x1F00))
        for c in r
        if pred(chr(c))  # type: ignore[operator]
    ]
    return "".join(re.escape(c) for c in chars)


_UP = _char_class(str.isupper)
_LO = _char_class(str.islower)
_UP_SET = frozenset(c for c in map(chr, range(0x41, 0x1F00)) if c.isupper())
_LO_SET = frozenset(c for c in map(chr, range(0x41, 0x1F00)) if c.islower())

# Places with no space before a capital, where a title may end and its description begin:
# after a lower-case letter (DesignThe), a digit (COP28The) or a closing quote/bracket
# (”The), and at the end of an acronym (TIEFThe, UNESCOLe). The match is the capital:
# starting with it lets the search skip the (mostly lower-case) text in between quickly.
_CANDIDATE = re.compile(
    rf"[{_UP}](?:(?<=[{_LO}\d\"”»)!?.][{_UP}])|(?<=[{_UP}][{_UP}])(?=[{_LO}'’]))"
)
# A number glued after a word, then a lower-case word: "network20 cities".
_NUMBER = re.compile(rf"[{_LO}](\d{{1,3}})(?=\s[{_LO}])")
# The capitalised word that starts at a candidate ("The", "A", "L'" of L'adjointe).
# An opening quote glued to the title: the description starts with a quotation
# ('meeting in Athens“Inclusive growth” was the theme ...').
_OPEN_QUOTE = re.compile(rf"[{_LO}{_UP}\d)]([“«„][{_UP}\d])")
_WORD_AT = re.compile(rf"[{_UP}][{_LO}]*(?:['’](?=[{_LO}{_UP}]))?")
_NON_SPACE = re.compile(r"\S*")
# No title seen on the City's pages is longer than this; a boundary found further on by
# the weakest rules is more likely inside the description.
_FALLBACK_TITLE_CHARS = 120


def _word_count(text: str, start: int = 0, stop: int | None = None) -> int:
    """Number of whitespace-separated words in ``text[start:stop]`` (cut words count)."""
    # str.split, not a regex: same words (both use Unicode whitespace), several times faster.
    return len(text[start:stop].split())


@dataclass(frozen=True)
class _BoundaryRules:
    openers: frozenset[str]
    not_split: frozenset[str]
    not_split_left: frozenset[str]  # their parts before an inner capital: "You" of YouTube
    prefixes: frozenset[str]
    acronym_letter: re.Pattern[str]  # an acronym glued to a one-letter opener (PROJECTI partner)
    max_title_chars: int
    block_min_words: int


@cache
def _boundary_rules() -> _BoundaryRules:
    rules = load_rules("title_boundary")
    openers = {w.replace("’", "'") for words in rules["openers"].values() for w in words}
    limits = rules["limits"]
    not_split = frozenset(rules["words_not_split"]["words"])
    lefts = {word[:i] for word in not_split for i in range(1, len(word)) if word[i].isupper()}
    return _BoundaryRules(
        frozenset(openers),
        not_split,
        frozenset(lefts),
        frozenset(rules["name_prefixes"]["prefixes"]),
        re.compile(
            rf"(?<![{_LO}])[{_UP}\d][{_UP}\d-]*[{_UP}\d]"
            rf"([{''.join(re.escape(w) for w in openers if len(w) == 1)}]) (?=[{_LO}])"
        ),
        int(limits["max_title_chars"]),
        int(limits["block_min_description_words"]),
    )


def split_title(text: str, block: bool = False) -> int | None:
    """Offset where the title glued to its description ends, or None when there is none.

    ``block`` is for a title line followed by its own paragraphs (article, bulleted
    archive): only a boundary before a sentence opener and a long enough text counts.
    """
    rules = _boundary_rules()
    limit = rules.max_title_chars  # the window searched: text[:limit]
    weak: int | None = None
    # Most texts hold no opening quote: substring tests spare a regex scan of the window.
    qm = _OPEN_QUOTE.search(text, 0, limit) if "“" in text or "«" in text or "„" in text else None
    quote = qm.start(1) if qm is not None else None
    min_words = rules.block_min_words
    if quote is not None and block and _word_count(text, quote, quote + 200) < min_words:
        quote = None
    # Candidates do not share characters: one starting inside the previous one (its
    # character before the capital, and the letter after an acronym) is not one.
    taken = 0
    pos = 1
    # A search per candidate, not finditer: the first candidate is usually the boundary,
    # and one search costs less than setting up an iterator.
    while (m := _CANDIDATE.search(text, pos, limit)) is not None:
        p = m.start()
        pos = p + 1
        if p - 1 < taken:
            continue
        if quote is not None and quote < p:
            return quote
        prev = text[p - 1]
        if prev in _LO_SET:
            kind = "lower"
        elif prev in _UP_SET:
            kind = "acro"
        elif prev.isdigit():
            kind = "digit"
        else:
            kind = "punct"
        taken = p + 2 if kind == "acro" else p + 1
        strength = _candidate_strength(text, p, kind, rules)
        if strength == 2:
            if block and _word_count(text, p, p + 200) < min_words:
                continue
            return p
        if strength == 1 and weak is None and not block:
            weak = p
    if quote is not None:
        return quote
    if block:
        return None
    # The fallbacks below are weaker still: only within a title's length.
    end = weak if weak is not None else min(len(text), limit, _FALLBACK_TITLE_CHARS)
    nm = _NUMBER.search(text, 0, end)
    if nm is not None and len(_left_fragment(text, nm.start(1))) >= 3:
        return nm.start(1)
    # An acronym, then a one-letter opener and a sentence: "HERITAGE-NEXTI partner del
    # progetto ... riuniti a Torino." Only before a whole sentence, so that a title alone
    # keeps its acronym: "Meeting of the CDIA network on migration policies in Europe".
    for am in rules.acronym_letter.finditer(text, 0, end):
        p = am.start(1)
        if am.start() > 0 and _is_sentence(text, p, rules.block_min_words):
            return p
    return weak


def _is_sentence(text: str, p: int, min_words: int) -> bool:
    """Whether a sentence of at least ``min_words`` words starts at ``p`` and ends."""
    words = text[p : p + 400].split()
    return any(w[-1] in ".!?" for w in words[min_words - 1 :])


def _candidate_strength(text: str, p: int, kind: str, rules: _BoundaryRules) -> int:
    """2 = a sentence opener follows (strong), 1 = another word follows (weak), 0 = no boundary."""
    wm = _WORD_AT.match(text, p)
    if wm is None:  # pragma: no cover - every candidate starts with a capital
        return 0
    word = wm.group()
    e = wm.end()
    after = text[e : e + 1]
    opener = (word if word[-1] != "’" else word[:-1] + "'") in rules.openers and (
        word[-1] in "'’" or not after or not after.isalnum()
    )
    if kind == "lower":
        left = _left_fragment(text, p)
        if len(left) < 3 and left[:1] in _LO_SET:  # iPhone, eTwinning, eBay
            return 0
        if left in rules.not_split_left and _whole_word(text, p, left) in rules.not_split:
            return 0
        if opener:
            return 2  # also after a short name: "Santa FeThe", "Mission to BoA delegation"
        if len(left) < 3 or left in rules.prefixes:  # McDonald, DiCaprio, MacArthur
            return 0
        if len(word) == 1 and (not after or after.isspace() or after in _LO_SET):
            return 0  # a lone capital that opens nothing: "Plan B"
        return 1
    if kind == "acro":
        if opener:
            return 2
        if len(word) < 3 or word[1:] == "s":  # NGOs, TEDx
            return 0
        left = _left_fragment(text, p)
        if left in rules.not_split_left and _whole_word(text, p, left) in rules.not_split:
            return 0
        return 1
    if kind == "digit":
        if after in _LO_SET or word[-1] in "'’" or len(word) > 1:
            return 2 if opener else (1 if len(word) >= 3 else 0)
        return 0
    # after a closing quote or bracket; after . ! ? only before an opener (St.Petersburg)
    if opener:
        return 2
    return 1 if text[p - 1] not in ".!?" and len(word) >= 3 else 0


def _left_fragment(text: str, p: int) -> str:
    """The part of the word that ends at ``p`` (from the last space, slash or bracket)."""
    frag = text[text.rfind(" ", p - 40 if p > 40 else 0, p) + 1 : p]
    if "/" in frag or "(" in frag or "[" in frag or "{" in frag:
        for ch in "/([{":
            frag = frag[frag.rfind(ch) + 1 :]
    return frag


def _whole_word(text: str, p: int, left: str) -> str:
    """The written word around a candidate, without trailing punctuation: 'YouTube'."""
    rest = _NON_SPACE.match(text, p, p + 40)
    return (left + (rest.group() if rest else "")).rstrip(".,;:!?)]}\"'’”")


# --- page chrome ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Chrome:
    pattern: re.Pattern[str]
    ends: dict[str, bool]  # group name -> the line closes the entry above


@cache
def _chrome() -> _Chrome:
    rules = load_rules("page_chrome")["rule"]
    parts = []
    ends: dict[str, bool] = {}
    for i, rule in enumerate(rules):
        name = f"r{i}"
        re.compile(rule["pattern"])  # a broken rule fails here, with its own message
        parts.append(f"(?P<{name}>{rule['pattern']})")
        ends[name] = bool(rule.get("ends_entry", False))
    return _Chrome(re.compile("|".join(parts), re.I), ends)


def _chrome_kind(line: str) -> bool | None:
    """None for content; else whether this chrome line ends the entry above it."""
    chrome = _chrome()
    m = chrome.pattern.match(line, 0, 300)
    if m is None:
        return None
    return chrome.ends[m.lastgroup or ""]


# --- language --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _LanguageCues:
    words: dict[str, frozenset[str]]  # language -> its cue words
    month_weight: int
    max_chars: int


@cache
def _language_cues() -> _LanguageCues:
    rules = load_rules("language_cues")
    words = {
        lang: frozenset(w.casefold().replace("’", "'") for w in cues)
        for lang, cues in rules["cues"].items()
    }
    return _LanguageCues(words, int(rules["month_weight"]), int(rules["max_chars"]))


def entry_language(title: str, description: str, date_languages: frozenset[str]) -> str:
    """en / fr / it: the month words of the date, else the function words of the text."""
    if len(date_languages) == 1:  # "ottobre": the page is Italian, whatever it quotes
        for lang in date_languages:
            return lang
    cues = _language_cues()
    text = f"{title} {description[: cues.max_chars]}".casefold()
    # "l'adjointe" -> "l'" + "adjointe": the elided article is a cue too.
    words = set(text.replace("’", "' ").replace("'", "' ").split())
    best, best_key = "en", (0, False, False)
    for lang, cue_words in cues.words.items():
        score = len(words & cue_words)
        if len(date_languages) == 1 and lang in date_languages:
            score += cues.month_weight
        # Ties go to a language the date names, then to English.
        key = (score, lang in date_languages, lang == "en")
        if key > best_key:
            best, best_key = lang, key
    return best


# --- the line pass ---------------------------------------------------------------------------

_BULLETS = frozenset("•·◦▪■●‣►▸*+-–—")
_BULLET = re.compile(r"(?:[•·◦▪■●‣►▸*+]|[-–—](?=\s))\s*")
# The separator between date and title, and the title's first word.
_AFTER_DATE = re.compile(r"[\s,;]*(?:[-–—‐‑−]{1,3}|:)?\s*([^\W\d_]*)")
_SENTENCE_END = frozenset(".!?…")
_CLOSERS = "\"'”’»)]"
# A title line is short; anything longer read after a lone date is a paragraph.
_MAX_TITLE_WORDS = 30


@dataclass(slots=True)
class _Draft:
    """An entry being read: its date line, its title line, what has followed."""

    line: int
    match: DateMatch
    heading_year: int | None
    header: str | None = None  # title (+ glued description); None until the title line is read
    last_text: str = ""  # the last line read (header, then description lines)
    parts: list[str] = field(default_factory=list)
    split: int | None = None
    decided: bool = False  # whether glued/block was decided (at the first content line)
    glued: bool = False  # the header carries the description's start
    blank: bool = False  # a blank line since the last content
    indent: int | None = None  # indentation of the first description paragraph


@dataclass(slots=True)
class _Ready:
    """A finished entry whose dates may still wait for a year from its neighbours."""

    line: int
    match: DateMatch
    title: str
    description: str
    language: str
    span: tuple[date, date] | str | None  # dates, or why there are none; None = no year yet


def _after_date(body: str, dm: DateMatch) -> str | None:
    """What follows the date that opens ``body``: '' for a date alone, None for prose."""
    sep = _AFTER_DATE.match(body, dm.end)
    assert sep is not None  # every part of the pattern is optional
    rest = body[sep.start(1) :]
    if not rest:
        return rest
    if dm.kind in (YEAR, YEAR_MONTH):
        return None  # "2030 Agenda ...": a sentence, not a date
    if dm.end < len(body) and not (body[dm.end].isspace() or body[dm.end] in ",;:-–—‐‑−"):
        return None  # "2021st" and the like: the date runs into a word
    if sep.group(1).islower():
        return None  # "March 9th 2020 most of the meetings ...": prose
    return rest


def _lower_word_after(body: str, dm: DateMatch) -> str:
    """The lower-case word right after a date, separated from it by space or a dash; ''."""
    if dm.end < len(body) and not (body[dm.end].isspace() or body[dm.end] in ",;:-–—‐‑−"):
        return ""  # the date runs into a word: not a date at all
    sep = _AFTER_DATE.match(body, dm.end)
    assert sep is not None
    word = sep.group(1)
    return word[:40] if word and word.islower() else ""


def _cut_kind(s: str) -> str | None:
    """How the stripped line ``s`` may start a piece of text parsed on its own.

    'heading': a year heading ("2010 February"), which sets the year of what follows
    whatever came before; 'dated': it opens an entry whose date names its year, and
    closes the entry above just as the end of the text would. None: neither.
    """
    if not s or not (s[0].isalnum() or s[0] in _BULLETS):
        return None
    bm = _BULLET.match(s) if s[0] in _BULLETS else None
    body = s[bm.end() :] if bm else s
    dm = scan_date(body)
    if dm is None:
        return None
    rest = _after_date(body, dm)
    if rest == "" and dm.kind != DAY:
        return "heading"
    if rest and dm.start[0] is not None:
        return "dated"
    return None


def cut_points(text: str, pieces: int, *, search_lines: int = 2_000) -> list[tuple[int, int]]:
    """Where ``text`` can be cut into about ``pieces`` parts parsed one by one.

    Gives (offset, first line number) of each part, the first being (0, 1). A cut is
    just before a year heading, or else before a line that opens an entry with its own
    year; a part then parses as it would inside the whole text, provided none of its
    dates lacks a year with no heading above it in the part
    (``ParseResult.borrowed_years``). A cut with neither kind of line in the
    ``search_lines`` after its target is left out.
    """
    cuts = [(0, 1)]
    for k in range(1, pieces):
        pos = text.find("\n", max(len(text) * k // pieces, cuts[-1][0]))
        dated = None
        for _ in range(search_lines):
            if pos < 0:
                break
            start = pos + 1
            end = text.find("\n", start)
            line = _lines(text[start : end if end >= 0 else len(text)])[0]  # cleaned as parsed
            kind = _cut_kind(line.strip())
            if kind == "heading":
                dated = start
                break
            if kind == "dated" and dated is None:
                dated = start
            pos = end
        if dated is not None:
            last, line = cuts[-1]
            cuts.append((dated, line + _line_breaks(text, last, dated)))
    return cuts


def _line_breaks(text: str, start: int, stop: int) -> int:
    """Line breaks in text[start:stop], counted as _lines counts them (CRLF is one)."""
    lone_cr = text.count("\r", start, stop) - text.count("\r\n", start, stop)
    return text.count("\n", start, stop) + lone_cr


class _Parser:
    def __init__(self, file: str) -> None:
        self.file = file
        self.ready: list[_Ready] = []
        self.warnings: list[tuple[int, str]] = []
        self.heading_year: int | None = None
        self.cur: _Draft | None = None
        self.yearless = False  # some entry waits for a year from its neighbours

    def run(self, text: str, first_line: int = 1) -> ParseResult:
        line = self._line
        for lineno, raw in enumerate(_lines(text), start=first_line):
            s = raw.strip()
            if s:
                line(lineno, raw, s)
            elif self.cur is not None:  # a blank line: the paragraph above ends
                self.cur.blank = True
        self._close()
        return self._resolve()

    # -- one line

    def _line(self, lineno: int, raw: str, s: str) -> None:
        """Read one line; ``s`` is the line stripped, never empty."""
        cur = self.cur
        first = s[0]
        if first.isalnum() or first in _BULLETS:
            bm = _BULLET.match(s) if first in _BULLETS else None
            body = s[bm.end() :] if bm else s
            dm = scan_date(body)
            if dm is not None and self._date_line(lineno, body, dm):
                return
        if cur is None:  # outside an entry, chrome and stray text alike are skipped
            return
        # Chrome never opens with a date, so it is looked for only now (cheaper).
        chrome = _chrome_kind(s)
        if chrome is not None:
            if chrome:
                self._close()
            return
        if cur.header is None:
            if _word_count(s, 0, 400) <= _MAX_TITLE_WORDS:
                cur.header = s
                cur.last_text = s
                cur.blank = False
            else:
                self._drop(f"date '{cur.match.text}' without a title")
            return
        if not cur.parts and not (cur.decided and cur.glued) and _is_caption(s):
            # An image's caption between an article's title (or update stamp) and its
            # text: not the description, which follows it (real-pages.md).
            cur.blank = True
            return
        indent = len(raw) - len(raw.lstrip())
        if not self._content(cur, s, indent):
            self._close()

    def _date_line(self, lineno: int, body: str, dm: DateMatch) -> bool:
        """Handle a line that opens with a date; False when it is prose after all."""
        rest = _after_date(body, dm)
        if rest is None:
            if dm.kind == DAY and (word := _lower_word_after(body, dm)):
                # Most likely an entry whose title was typed in lower case: say so rather
                # than let it pass as text (or vanish) unnoticed.
                self.warnings.append(
                    (
                        lineno,
                        f"the line opens with the date '{dm.text}' but goes on in lower "
                        f"case ('{word}'): read as text, not as a new entry; write its "
                        "title with a capital letter to make it one",
                    )
                )
            return False
        self._close()
        if rest:
            self.cur = _Draft(lineno, dm, self.heading_year, rest, rest)  # positional: faster
        elif dm.kind == DAY:  # a date alone: the title is on the next line
            self.cur = _Draft(lineno, dm, self.heading_year)
        else:  # "2010 February", "May 2012", "2012": a heading
            self.heading_year = dm.stop[0]
        return True

    def _content(self, cur: _Draft, s: str, indent: int) -> bool:
        """Add a non-date line to the entry; False when it does not belong to it."""
        assert cur.header is not None
        if not cur.decided:
            cur.decided = True
            cur.split = split_title(cur.header, block=cur.blank)
            if cur.split is None and not cur.blank and not _ends_sentence(cur.header):
                # A hyperlink inside the title broke it: "Meeting of the" / "UNESCO Creative
                # Cities of DesignThe City ..." - the title goes on up to a clear boundary.
                joined = f"{cur.header} {s}"
                k = split_title(joined, block=True)
                rest_of_title = joined[len(cur.header) + 1 : k or 0]
                if k is not None and rest_of_title and _looks_like_title_part(rest_of_title):
                    cur.header, cur.split = joined, k
                    cur.glued = True
                    cur.last_text = s
                    cur.blank = False
                    return True
            cur.glued = cur.split is not None
            if cur.blank:
                cur.indent = indent
        if cur.glued:
            # Glued listings have one line per entry: another line only continues a
            # sentence that a hyperlink broke ("in the frame of" / "CONNECTION, the EU ...").
            if _ends_sentence(cur.last_text) and not _starts_lower(s):
                return False
        elif cur.blank and cur.parts:
            # A new paragraph: the description goes on only with more prose at its indent.
            if cur.indent is not None and indent < cur.indent:
                return False
            if not _is_prose(s):
                return False
        cur.parts.append(s)
        cur.last_text = s
        cur.blank = False
        return True

    def _close(self) -> None:
        cur = self.cur
        self.cur = None
        if cur is None:
            return
        if cur.header is None:
            self.warnings.append((cur.line, f"date '{cur.match.text}' without a title"))
            return
        if not cur.decided:
            cur.split = split_title(cur.header)
        header = cur.header
        if cur.split is not None:
            title, glued = header[: cur.split], header[cur.split :]
        else:
            title, glued = header, ""
        title = _collapse(title)
        description = _collapse(" ".join([glued, *cur.parts]) if glued else " ".join(cur.parts))
        dm = cur.match
        language = entry_language(title, description, dm.languages)
        if dm.start[0] is not None:  # the date names its year
            span: tuple[date, date] | str | None = _try_resolve(dm, None)
        elif cur.heading_year is not None:
            span = _try_resolve(dm, cur.heading_year)
        else:  # settled from the neighbours once the whole page is read
            span = None
            self.yearless = True
        self.ready.append(_Ready(cur.line, dm, title, description, language, span))

    def _drop(self, reason: str) -> None:
        if self.cur is not None:
            self.warnings.append((self.cur.line, reason))
        self.cur = None

    # -- years and dates

    def _resolve(self) -> ParseResult:
        if self.yearless:
            _settle_years(self.ready)
        entries: list[Entry] = []
        warnings = list(self.warnings)
        file = self.file
        for r in self.ready:
            span = r.span
            if isinstance(span, tuple):
                if (why := implausible(span[0], span[1], r.match.text)) is not None:
                    warnings.append((r.line, why))
                    continue
                source = Source(file, r.line)
                entries.append(Entry(span[0], span[1], r.title, r.description, r.language, source))
            else:
                warnings.append((r.line, span or f"no year for date '{r.match.text}'"))
        warnings.sort(key=lambda w: w[0])
        return ParseResult(
            entries,
            [ParseWarning(Source(file, ln), why) for ln, why in warnings],
            borrowed_years=self.yearless,
        )


def _settle_years(ready: list[_Ready]) -> None:
    """Give each year-less date the year that keeps it in order between dated neighbours."""
    spans = [r.span if isinstance(r.span, tuple) else None for r in ready]
    descending = _descending([s for s in spans if s is not None])
    # The nearest dated entry below each entry, in one backward pass (no quadratic search).
    after: list[tuple[date, date] | None] = [None] * len(ready)
    nxt: tuple[date, date] | None = None
    for i in range(len(ready) - 1, -1, -1):
        after[i] = nxt
        if spans[i] is not None:
            nxt = spans[i]
    before: tuple[date, date] | None = None
    for i, r in enumerate(ready):
        if r.span is None:
            year = _neighbour_year(r.match, before, after[i], descending)
            r.span = _try_resolve(r.match, year) if year is not None else None
        if isinstance(r.span, tuple):
            before = r.span


def _try_resolve(dm: DateMatch, year: int | None) -> tuple[date, date] | str:  # type: ignore[return]
    try:
        return dm.resolve(year)
    except DateError as exc:
        return str(exc)


def _descending(spans: list[tuple[date, date]]) -> bool:
    """Whether the page lists newest first (the City's habit, and the default)."""
    down = sum(1 for a, b in pairwise(spans) if b[0] < a[0])
    up = sum(1 for a, b in pairwise(spans) if b[0] > a[0])
    return down >= up


def _neighbour_year(
    dm: DateMatch,
    before: tuple[date, date] | None,
    after: tuple[date, date] | None,
    descending: bool,
) -> int | None:
    """The year that puts a year-less date in order between the entries above and below."""
    if before is None and after is None:
        return None
    _, month, day = dm.start
    day = day or 1
    # In a newest-first page the entry above is the later one.
    later, earlier = (before, after) if descending else (after, before)
    candidates = sorted(
        {y + k for s in (before, after) if s is not None for y in (s[0].year,) for k in (-1, 0, 1)}
    )

    def fits(y: int) -> bool:
        d = _safe_date(y, month, day)
        if d is None:
            return False
        if later is not None and d > later[0]:
            return False
        return not (earlier is not None and d < earlier[0])

    good = [y for y in candidates if fits(y)]
    anchor = (before or after)[0].year  # type: ignore[index]
    if good:
        return min(good, key=lambda y: (abs(y - anchor), -y))
    return anchor


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _ends_sentence(text: str) -> bool:
    t = text.rstrip().rstrip(_CLOSERS)
    return bool(t) and t[-1] in _SENTENCE_END


def _starts_lower(text: str) -> bool:
    c = text[:1]
    return c in _LO_SET or c in ",;:)]"


def _looks_like_title_part(text: str) -> bool:
    """The end of a title carried over to the next line: short, no sentence inside."""
    return len(text) <= 120 and ". " not in text and not _starts_lower(text)


# An image caption: a file name or a label ("taf1", "foto-visita-3", "img 0456", "mtl-2"),
# up to three such words; one with a digit in it or in lower case (not a title-like label).
_CAPTION = re.compile(r"[\w.-]+(?: [\w.-]+){0,2}")


def _is_caption(line: str) -> bool:
    """A line that is an image's file name or label, not text."""
    return (
        len(line) <= 40
        and _CAPTION.fullmatch(line) is not None
        and (line[0].islower() or any(c.isdigit() for c in line))
        and not _ends_sentence(line)
    )


def _is_prose(text: str) -> bool:
    """A paragraph of text rather than a menu item or a label."""
    return _ends_sentence(text) or _word_count(text, 0, 200) >= 5
