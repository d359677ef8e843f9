"""Shared machinery of the labellers: cue tables, one analysis per text, fast matching.

The cue tables are CSV files in ``data/rules`` that a domain expert can edit; lines
starting with ``#`` are comments. Speed matters (thousands of entries a second), so:

* a text is analysed once (``analyse``): folded copies and its words, cached, shared by
  every labeller that reads the same entry;
* phrase tables (theme cue words, organisation names) are matched word by word with
  dictionary look-ups, not with one regular expression per phrase;
* a regular-expression rule is only run on a text that has the words any match of it
  needs (``GatedRegex``, read from the pattern itself): most rules concern few entries.
"""

from __future__ import annotations

import csv
import os
import re
import unicodedata
from collections.abc import Iterable, Iterator
from functools import cache, lru_cache
from operator import itemgetter
from pathlib import Path
from typing import NamedTuple

# data/rules of the checkout; INTL_METRICS_RULES points elsewhere (an installed copy, tests).
RULES_DIR = Path(__file__).resolve().parents[3] / "data" / "rules"

# Hostile input (a 1 MB single line) must cost no more than a long real entry: real
# descriptions are a few hundred characters, so the labellers read at most this many.
MAX_CHARS = 6000


@cache
def read_table(name: str) -> tuple[dict[str, str], ...]:
    """The rows of ``data/rules/<name>.csv`` as dicts, comment lines skipped, read once."""
    base = Path(os.environ.get("INTL_METRICS_RULES") or RULES_DIR)
    with open(base / f"{name}.csv", encoding="utf-8", newline="") as fh:
        lines = [line for line in fh if line.strip() and not line.lstrip().startswith("#")]
    return tuple(
        {k.strip(): (v or "").strip() for k, v in row.items() if k} for row in csv.DictReader(lines)
    )


def rows_for(name: str, language: str) -> Iterator[dict[str, str]]:
    """Rows of a table that apply to ``language``: its own rows and those marked ``all``."""
    for row in read_table(name):
        lang = row.get("language") or "all"
        if lang == "all" or lang == language or language not in ("en", "fr", "it"):
            yield row


# --- folding, index-preserving -----------------------------------------------------------


def _fold_table(lower: bool) -> dict[str, str]:
    table: dict[str, str] = {}
    for code in range(0xA0, 0x250):
        ch = chr(code)
        base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
        out = base.lower() if lower else base
        if len(out) == 1:
            table[ch] = out
    # Typographic apostrophes and dashes, so the rule tables need only the ASCII forms.
    for ch in "\u2019\u2018\u02bc\u00b4":
        table[ch] = "'"
    for ch in "\u2010\u2011\u2012\u2013\u2014\u2212":
        table[ch] = "-"
    for ch in "\u201c\u201d\u201e\u00ab\u00bb":
        table[ch] = '"'
    for ch in "\u00a0\u2009\u202f\u2026\u2022\u00b7":
        table[ch] = " "
    return table


_LOWER = _fold_table(lower=True)
_PLAIN = _fold_table(lower=False)
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _fold_chars(text: str, table: dict[str, str]) -> str:
    # Only the few non-ASCII characters need a look-up; a character with no one-character
    # fold is kept, so every index of the copy is the index of the original.
    return _NON_ASCII.sub(lambda m: table.get(m.group(), m.group()), text)


def fold_same_length(text: str) -> str:
    """Lower-case, accent-free copy of ``text`` with every character at the same index."""
    low = _fold_chars(text, _LOWER).lower()
    if len(low) == len(text):
        return low
    # A character whose lower case is longer (rare: U+0130) keeps its place unchanged.
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in _fold_chars(text, _LOWER))


def plain_same_length(text: str) -> str:
    """Accent-free copy of ``text``, capitals kept, every character at the same index."""
    return _fold_chars(text, _PLAIN)


# --- one analysis per text ------------------------------------------------------------------

_WORD = re.compile(r"[^\W_]+")
_HEAD = itemgetter(slice(0, 4))
_HEAD_LEN = 4  # the regex gates compare the first four letters of words
# ASCII text is split into words by str.split once punctuation is a space: far quicker
# than a regex, and the same words as _WORD finds.
_ASCII_PUNCT = {i: " " for i in range(128) if not chr(i).isalnum()}


class Doc:
    """An entry's title and description as the labellers read them.

    ``text`` is ``title + "\\n" + description`` (clipped); ``folded`` (and ``plain``,
    capitals kept) are accent-free copies at the same indices; ``words`` are its words
    (folded), the first ``title_words`` of them the title's; ``heads`` holds the first
    four letters of every word, for the regex gates. Word positions in the text
    (``span``) and ``plain`` are made on first use: few entries need them.
    """

    __slots__ = (
        "_plain",
        "_spans",
        "folded",
        "head_list",
        "heads",
        "text",
        "title_end",
        "title_words",
        "words",
    )

    def __init__(self, title: str, description: str) -> None:
        title = " ".join(title[:MAX_CHARS].split())
        self.text = f"{title}\n{description[:MAX_CHARS]}"
        self.title_end = len(title)
        self.folded = folded = fold_same_length(self.text)
        if folded.isascii():
            self.words: tuple[str, ...] = tuple(folded.translate(_ASCII_PUNCT).split())
            self.title_words = len(folded[: self.title_end].translate(_ASCII_PUNCT).split())
        else:
            self.words = tuple(_WORD.findall(folded))
            self.title_words = len(_WORD.findall(folded, 0, self.title_end))
        self.head_list = tuple(map(_HEAD, self.words))
        self.heads = frozenset(self.head_list)
        self._plain: str | None = None
        self._spans: tuple[list[int], list[int]] | None = None

    @property
    def plain(self) -> str:
        """Accent-free text with its capitals."""
        if self._plain is None:
            self._plain = plain_same_length(self.text)
        return self._plain

    def _word_spans(self) -> tuple[list[int], list[int]]:
        if self._spans is None:
            spans = [m.span() for m in _WORD.finditer(self.folded)]
            self._spans = ([s for s, _ in spans], [e for _, e in spans])
        return self._spans

    def span(self, first: int, last: int) -> tuple[int, int]:
        """Character span of the words [first, last)."""
        starts, ends = self._word_spans()
        return starts[first], ends[last - 1]

    def word_at(self, pos: int) -> int:
        """Index of the word at character ``pos``, or of the first word after it."""
        before = self.folded[:pos]
        if before.isascii():
            count = len(before.translate(_ASCII_PUNCT).split())
        else:
            count = len(_WORD.findall(before))
        inside = 0 < pos < len(self.folded) and (
            self.folded[pos - 1].isalnum() and self.folded[pos].isalnum()
        )
        return count - 1 if inside else count

    @property
    def title(self) -> str:
        return self.text[: self.title_end]

    @property
    def description(self) -> str:
        return self.text[self.title_end + 1 :]


@lru_cache(maxsize=256)
def analyse(title: str, description: str) -> Doc:
    """The shared analysis of an entry (cached: every labeller reads the same entry)."""
    return Doc(title, description)


# --- phrase tables, matched word by word ----------------------------------------------------


def phrase_words(phrase: str) -> tuple[tuple[str, ...], bool]:
    """A cue phrase as folded words, and whether its last word is a prefix (``migrant*``)."""
    folded = fold_same_length(phrase.strip())
    prefix = folded.endswith("*")
    return tuple(_WORD.findall(folded)), prefix


class Match(NamedTuple):
    """A phrase found in a Doc: word indices [first, last) and the value of its table row."""

    first: int
    last: int
    value: object


class PhraseTable:
    """Cue phrases mapped to values, found in a Doc's words with dictionary look-ups.

    A phrase is a sequence of words (a hyphen or a space between them; the apostrophe of
    an elision separates words too: "l'europe" is "l", "europe"); its last word may end
    in ``*`` to match any ending. At each word the longest phrase that fits wins, and
    matching resumes after it, as a reader would. A phrase given with ``case=True``
    counts only when the text writes it with the same capitals (GMF, not "gmf").

    The phrases form a tree of words: a node maps the next word to a node, ``""`` to the
    value of a phrase ending there and ``"*"`` to the prefixes that may end a phrase there.
    """

    _STEM = 4  # one-word prefixes are indexed by their first four letters (Doc.heads)

    def __init__(self, rows: Iterable[tuple[str, object, bool]]) -> None:
        self.root: dict[str, dict] = {}
        self.stems: dict[str, list[tuple[str, object, str | None]]] = {}
        for phrase, value, case in rows:
            words, prefix = phrase_words(phrase)
            if not words:
                continue
            cased = plain_same_length(phrase.strip()) if case else None
            if len(words) == 1 and prefix:
                if len(words[0]) < self._STEM:
                    raise ValueError(f"cue {phrase!r}: a prefix needs {self._STEM} letters or more")
                self.stems.setdefault(words[0][: self._STEM], []).append((words[0], value, cased))
                continue
            node = self.root
            for word in words[:-1] if prefix else words:
                node = node.setdefault(word, {})
            if prefix:
                node.setdefault("*", []).append((words[-1], value, cased))
            else:
                node.setdefault("", (value, cased))
        for stems in self.stems.values():
            stems.sort(key=lambda c: -len(c[0]))  # the longest prefix first
        self._first_words = frozenset(self.root)
        self._stem_keys = frozenset(self.stems)

    def find(self, doc: Doc) -> list[Match]:
        """Every phrase in the Doc, left to right, longest first at each word."""
        # Most words start no phrase: set operations (C speed) find which words may.
        words, heads = doc.words, doc.head_list
        first = self._first_words.intersection(words)
        stems = self._stem_keys.intersection(doc.heads)
        if not first and not stems:
            return []
        if stems:
            candidates = [
                i
                for i, (w, h) in enumerate(zip(words, heads, strict=True))
                if w in first or h in stems
            ]
        else:
            candidates = [i for i, w in enumerate(words) if w in first]
        found: list[Match] = []
        resume = 0
        for i in candidates:
            if i >= resume:
                best = self._longest_at(doc, i)
                if best is not None:
                    found.append(best)
                    resume = best.last
        return found

    @staticmethod
    def _fits(doc: Doc, first: int, last: int, cased: str | None) -> bool:
        if cased is None:
            return True
        start, end = doc.span(first, last)
        return doc.plain[start:end] == cased

    def _longest_at(self, doc: Doc, i: int) -> Match | None:
        words = doc.words
        word = words[i]
        best: Match | None = None
        for stem, value, cased in self.stems.get(doc.head_list[i], ()):
            if word.startswith(stem) and (cased is None or self._fits(doc, i, i + 1, cased)):
                best = Match(i, i + 1, value)
                break
        node = self.root.get(word)
        j, n = i, len(words)
        while node is not None:
            end = node.get("")
            if end is not None and (end[1] is None or self._fits(doc, i, j + 1, end[1])):
                best = Match(i, j + 1, end[0])
            j += 1
            if j >= n:
                break
            word = words[j]
            for stem, value, cased in node.get("*", ()):
                if word.startswith(stem) and (cased is None or self._fits(doc, i, j + 1, cased)):
                    best = Match(i, j + 1, value)
                    break
            node = node.get(word)
        return best


# --- regular expressions that only run when they can match --------------------------------


# (heads every way needs, one head of each way, the heads of each way)
Gate = tuple[frozenset[str], frozenset[str], tuple[frozenset[str], ...]]


def _gate(pattern: str, flags: int) -> Gate | None:
    """The word beginnings a match of ``pattern`` needs, read from Python's parse of it.

    Along every way through the pattern the whole literal words it spells are collected
    (a word counts once it sits between separators: "\\b", a space, an apostrophe ...;
    a pattern that does not start at a word boundary starts inside an unknown word).
    The gate is (the beginnings every way needs, the beginnings of each way): a text
    lacking them cannot match. None when some way spells no usable word.
    """
    try:
        from re import _constants as c
        from re import _parser as parser

        items = list(parser.parse(pattern, flags).data)
    except Exception:  # a private module: if it ever changes, the rule simply always runs
        return None
    # A way: (whole words so far, the word being spelled or None when unknown). Until a
    # word boundary or a separator, a match may start inside a word: unknown.
    Way = tuple[tuple[str, ...], str | None]

    def walk(seq: list, ways: list[Way]) -> list[Way]:
        for op, av in seq:
            if len(ways) > 256:
                raise OverflowError
            if op is c.ASSERT or op is c.ASSERT_NOT:
                continue
            if (op is c.AT and av is c.AT_BOUNDARY) or (op is c.LITERAL and not chr(av).isalnum()):
                ways = [((*d, w), "") if w else (d, "") for d, w in ways]
            elif op is c.LITERAL:
                ch = chr(av).lower()
                ways = [(d, None if w is None else w + ch) for d, w in ways]
            elif op is c.SUBPATTERN:
                ways = walk(list(av[-1].data), ways)
            elif op is c.BRANCH:
                ways = [way for branch in av[1] for way in walk(list(branch.data), ways)]
            else:  # a class, a repetition ...: the rest of the word being spelled is unknown,
                # but its first letters, if there are enough of them, are sure
                ways = [((*d, w) if w and len(w) >= _HEAD_LEN else d, None) for d, w in ways]
        return ways

    try:
        ways = walk(items, [((), None)])
    except OverflowError:
        return None
    sets: set[frozenset[str]] = set()
    for done, partial in ways:
        # A word cut short at the end is sure in its first _HEAD_LEN letters only.
        words = [*done, partial] if partial and len(partial) >= _HEAD_LEN else list(done)
        if not words:
            return None
        sets.add(frozenset(w[:_HEAD_LEN] for w in words))
    required = frozenset.intersection(*sets)
    # Each way's longest beginning: a text with none of them matches no way (a quick "no").
    picks = frozenset(max(way, key=len) for way in sets)
    return required, picks, tuple(sets) if len(sets) <= 64 else ()


class GatedRegex:
    """A compiled regex and its gate: the word beginnings any match needs."""

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.regex = re.compile(pattern, flags)
        self.gate = _gate(pattern, flags)

    def may_match(self, doc: Doc) -> bool:
        """False when the Doc lacks the words every match needs."""
        return _open(self.gate, doc.heads)


def _open(gate: Gate | None, heads: frozenset[str]) -> bool:
    if gate is None:
        return True
    required, picks, ways = gate
    if not required <= heads or picks.isdisjoint(heads):
        return False
    return not ways or any(way <= heads for way in ways)


class RuleSet:
    """Several regex rules of one kind: they run only when a gate lets one of them.

    When more than one may match, their alternation runs instead: one scan of the text.
    """

    def __init__(self, patterns: Iterable[str], flags: int = 0) -> None:
        patterns = list(patterns)
        self.rules = tuple(GatedRegex(p, flags) for p in patterns)
        self._gated = tuple((r.gate, r.regex) for r in self.rules)
        # One beginning of every way of every rule: a Doc with none of them skips the set.
        self._any: frozenset[str] | None = None
        if all(r.gate is not None for r in self.rules):
            self._any = frozenset().union(*(r.gate[1] for r in self.rules if r.gate))
        self._last: tuple[Doc | None, list[re.Pattern[str]]] = (None, [])
        self._all = re.compile("|".join(f"(?:{p})" for p in patterns), flags) if patterns else None

    def regexes(self, doc: Doc) -> list[re.Pattern[str]]:
        """What to run on this Doc: nothing, the one rule that may match, or all of them."""
        last_doc, last = self._last
        if last_doc is doc:  # the labellers often ask twice about the same entry
            return last
        heads = doc.heads
        if self._any is not None and self._any.isdisjoint(heads):
            active = []
        else:
            active = [rx for gate, rx in self._gated if _open(gate, heads)]
            if len(active) > 1 and self._all is not None:
                active = [self._all]
        self._last = (doc, active)
        return active

    def search(self, text: str, doc: Doc, pos: int = 0, endpos: int | None = None) -> bool:
        """Whether any rule matches ``text`` (a copy of the Doc's text) in [pos, endpos)."""
        end = len(text) if endpos is None else endpos
        return any(rx.search(text, pos, end) for rx in self.regexes(doc))

    def finditer(self, text: str, doc: Doc) -> Iterator[re.Match[str]]:
        """Matches of the rules that may match."""
        for regex in self.regexes(doc):
            yield from regex.finditer(text)
