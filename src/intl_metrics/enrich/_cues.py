"""Shared machinery of the labellers: cue tables, one analysis per text, fast matching.

The cue tables are CSV files in ``data/rules`` that a domain expert can edit; lines
starting with ``#`` are comments. Speed matters (thousands of entries a second), so:

* a text is analysed once (``analyse``): folded copies and its words, cached, shared by
  every labeller that reads the same entry;
* phrase tables (theme cue words, organisation names) are matched word by word with
  dictionary look-ups, not with one regular expression per phrase;
* a regular-expression rule names the words it ``needs`` (a column of its table): it only
  runs on an entry that has one of them, found for a whole table with one set
  intersection (``RuleTable``); most rules concern few entries;
* every word met is sorted out once for all tables (``VOCABULARY``): an entry then costs
  two set operations to know which of its words any table looks for, and one C pass
  for where those stand.
"""

from __future__ import annotations

import csv
import os
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from functools import cache, lru_cache, partial
from itertools import accumulate, compress, repeat
from operator import add, sub
from pathlib import Path
from typing import NamedTuple

from intl_metrics.schema import Evidence

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


_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _fold_chars(text: str, table: dict[str, str]) -> str:
    # Only the few distinct non-ASCII characters need a look-up, each replaced in one C
    # pass; a character with no one-character fold is kept, so every index of the copy is
    # the index of the original. (A fold is never folded again: see _check_final.)
    for ch in set(_NON_ASCII.findall(text)):
        out = table.get(ch, ch)
        if out != ch:
            text = text.replace(ch, out)
    return text


def _check_final(table: dict[str, str]) -> dict[str, str]:
    # Replacing one character after the other equals one pass only if no fold is itself
    # folded to something else.
    if any(table.get(out, out) != out for out in table.values()):
        raise ValueError("a fold table must map its outputs to themselves")
    return table


_LOWER = _check_final(_fold_table(lower=True))
_PLAIN = _check_final(_fold_table(lower=False))


def fold_same_length(text: str) -> str:
    """Lower-case, accent-free copy of ``text`` with every character at the same index."""
    if text.isascii():
        return text.lower()
    low = _fold_chars(text, _LOWER).lower()
    if len(low) == len(text):
        return low
    # A character whose lower case is longer (rare: U+0130) keeps its place unchanged.
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in _fold_chars(text, _LOWER))


def plain_same_length(text: str) -> str:
    """Accent-free copy of ``text``, capitals kept, every character at the same index."""
    return text if text.isascii() else _fold_chars(text, _PLAIN)


# --- one analysis per text ------------------------------------------------------------------

_WORD = re.compile(r"[^\W_]+")
_WORD_END = re.compile(r"[^\W_]*")
_HEAD_LEN = 4  # prefixes (migrant*, needs "video*") are indexed by their first four letters
# ASCII text (most entries once folded) is cut into the same words by one C translation
# (letters and digits lower-cased, anything else a space) and str.split: several times
# quicker than a regex.
_ASCII_WORDS = bytes(
    ord(chr(c).lower()) if c < 128 and chr(c).isalnum() else 32 for c in range(256)
)


def _clean_title(title: str) -> str:
    """The title with its runs of white space made single spaces, clipped."""
    # Most titles are clean already: printable (no tab, newline or odd space) and no
    # double, leading or trailing space; the split and join are then skipped.
    if (
        len(title) <= MAX_CHARS
        and title.isprintable()
        and "  " not in title
        and title[:1] != " "
        and title[-1:] != " "
    ):
        return title
    return " ".join(title[:MAX_CHARS].split())


class Doc:
    """An entry's title and description as the labellers read them.

    ``text`` is ``title + "\\n" + description`` (clipped); ``folded`` (and ``plain``,
    capitals kept) are accent-free copies at the same indices; ``words`` are its words
    (folded), the first ``title_words`` of them the title's, ``wordset`` the same as a
    set. Word positions in the text (``span``), ``plain`` and ``title_words`` are made on
    first use: few entries need them. ``memo`` keeps what a labeller found in this entry
    (the organisations named, the format), asked again by another labeller.
    """

    __slots__ = (
        "_plain",
        "_rel",
        "_rel_at",
        "_rel_gen",
        "_spaced",
        "_spans",
        "_title_words",
        "folded",
        "memo",
        "text",
        "title_end",
        "words",
        "wordset",
    )

    def __init__(self, title: str, description: str) -> None:
        title = _clean_title(title)
        self.text = text = f"{title}\n{description[:MAX_CHARS]}"
        self.title_end = len(title)
        self.folded = folded = text.lower() if text.isascii() else fold_same_length(text)
        self._spaced: str | None = None
        if folded.isascii():
            self._spaced = folded.encode("ascii").translate(_ASCII_WORDS).decode("ascii")
            self.words: tuple[str, ...] = tuple(self._spaced.split())
        else:
            self.words = tuple(_WORD.findall(folded))
        self.wordset = frozenset(self.words)
        self.memo: dict[object, object] = {}
        self._title_words = -1
        self._rel_gen = -1
        self._rel_at: list[int] | None = None
        self._plain: str | None = None
        self._spans: tuple[list[int], list[int]] | None = None

    @property
    def title_words(self) -> int:
        """How many of the words are the title's."""
        if self._title_words < 0:
            if self._spaced is not None:
                self._title_words = len(self._spaced[: self.title_end].split())
            else:
                self._title_words = len(_WORD.findall(self.folded, 0, self.title_end))
        return self._title_words

    @property
    def plain(self) -> str:
        """Accent-free text with its capitals."""
        if self._plain is None:
            self._plain = plain_same_length(self.text)
        return self._plain

    def _word_spans(self) -> tuple[list[int], list[int]]:
        if self._spans is None:
            if self._spaced is not None:
                # Words and single spaces: each piece of split(" ") takes its length plus
                # one; C iterators do the sums.
                lens = list(map(len, self._spaced.split(" ")))
                after = accumulate(map(add, lens, repeat(1)))
                starts = list(compress(map(sub, after, map(add, lens, repeat(1))), lens))
                ends = list(map(add, starts, filter(None, lens)))
                self._spans = (starts, ends)
            else:
                spans = [m.span() for m in _WORD.finditer(self.folded)]
                self._spans = ([s for s, _ in spans], [e for _, e in spans])
        return self._spans

    def span(self, first: int, last: int) -> tuple[int, int]:
        """Character span of the words [first, last)."""
        spaced = self._spaced
        if self._spans is None and spaced is not None:
            # A few spans (evidence): split off the words before each end, C work only;
            # every word keeps its length in the spaced copy.
            if first:
                start = len(spaced) - len(spaced.split(None, first)[-1])
            else:
                start = len(spaced) - len(spaced.lstrip(" "))
            if last == first + 1:
                return start, start + len(self.words[first])
            rest = spaced[start:].split(None, last - 1 - first)[-1]
            end = len(spaced) - len(rest) + len(self.words[last - 1])
            return start, end
        starts, ends = self._word_spans()
        return starts[first], ends[last - 1]

    def word_at(self, pos: int) -> int:
        """Index of the word at character ``pos``, or of the first word after it."""
        spaced = self._spaced
        if self._spans is None and spaced is not None:
            # The words before pos, less the one pos cuts in two (C work, no spans).
            count = len(spaced[:pos].split())
            cut = 0 < pos < len(spaced) and spaced[pos - 1] != " " and spaced[pos] != " "
            return count - 1 if cut else count
        ends = self._word_spans()[1]
        # the words ending after pos: the first of them holds pos or comes after it
        return bisect_right(ends, pos)

    @property
    def title(self) -> str:
        return self.text[: self.title_end]

    def evidence(self, field: str, label: str, rule: str, start: int, end: int) -> Evidence:
        """Evidence for a label from the characters [start, end) of ``text``.

        Offsets are given in the title or the description, whichever holds the span's
        start (a span running past the title is cut at its end); white space at either
        end of the span is left out and a word cut by its end is read whole ("met in L"
        of a pattern that only looks at a capital is "met in Lille").
        """
        text = self.text
        span = text[start:end]
        if span[:1].isspace() or span[-1:].isspace():
            start += len(span) - len(span.lstrip())
            end = max(start, end - (len(span) - len(span.rstrip())))
        if 0 < end < len(text) and text[end - 1].isalnum() and text[end].isalnum():
            end = _WORD_END.match(text, end).end()  # type: ignore[union-attr]
        title_end = self.title_end
        if start < title_end:
            end = min(end, title_end)
            return Evidence(field, label, rule, "title", start, end, text[start:end])
        base = title_end + 1
        where = "description"
        return Evidence(field, label, rule, where, start - base, end - base, text[start:end])

    @property
    def description(self) -> str:
        return self.text[self.title_end + 1 :]


@lru_cache(maxsize=256)
def analyse(title: str, description: str) -> Doc:
    """The shared analysis of an entry (cached: every labeller reads the same entry)."""
    return Doc(title, description)


class PrefixIndex:
    """Which words of a text start with one of a set of prefixes, by set operations.

    Every word met is sorted out once (a corpus has some tens of thousands of words):
    after that a text costs two set operations, not a loop over its words. Each prefix
    carries values (rule numbers); a word gets the values of the prefixes it starts with.
    """

    _LIMIT = 200_000  # words remembered; past that the memory starts again

    def __init__(self, prefixes: Iterable[tuple[str, object]]) -> None:
        self._by_head: dict[str, list[tuple[str, object]]] = {}
        for prefix, value in prefixes:
            if len(prefix) < _HEAD_LEN:
                raise ValueError(f"prefix {prefix!r}: {_HEAD_LEN} letters or more")
            self._by_head.setdefault(prefix[:_HEAD_LEN], []).append((prefix, value))
        self._seen: set[str] = set()
        self._matching: set[str] = set()
        self.values: dict[str, frozenset[object]] = {}  # a matching word -> its values

    def match(self, word: str) -> list[object]:
        """The values of the prefixes ``word`` starts with."""
        return [v for p, v in self._by_head.get(word[:_HEAD_LEN], ()) if word.startswith(p)]

    def words(self, wordset: frozenset[str]) -> frozenset[str]:
        """The words of ``wordset`` that start with one of the prefixes."""
        if not self._by_head:
            return frozenset()
        new = wordset - self._seen
        if new:
            if len(self._seen) > self._LIMIT:
                self._seen.clear()
                self._matching.clear()
                self.values.clear()
            for word in new:
                found = self.match(word)
                if found:
                    self.values[word] = frozenset(found)
                    self._matching.add(word)
            self._seen |= new
        return wordset & self._matching


# --- every word any table looks for, sorted out once -----------------------------------------


class WordMatcher:
    """Words (and prefixes) a table looks for, each with values (rule numbers, say).

    The words of a Doc a matcher looks for are ``rel & matcher.words`` (``rel``: the
    Doc's words any matcher looks for, ``VOCABULARY.relevant``); ``values[word]`` are
    the values of the word and of the prefixes it starts with.
    """

    def __init__(
        self,
        exact: Iterable[tuple[str, object]],
        prefixes: Iterable[tuple[str, object]],
        positional: bool = False,
    ) -> None:
        self.positional = positional  # the places of its words are asked for (phrase starts)
        self._exact: dict[str, list[object]] = {}
        for word, value in exact:
            self._exact.setdefault(word, []).append(value)
        self._prefixes = PrefixIndex(prefixes)
        self.words: set[str] = set()  # the words met so far that match
        self.values: dict[str, frozenset[object]] = {}
        VOCABULARY.register(self)

    def sort_out(self, new: Iterable[str]) -> list[str]:
        """Note which of these words (never met before) match; those that do."""
        found: list[str] = []
        exact = self._exact
        for word in new:
            values = exact.get(word, []) + self._prefixes.match(word)
            if values:
                self.values[word] = frozenset(values)
                self.words.add(word)
                found.append(word)
        return found

    def forget(self) -> None:
        self.words.clear()
        self.values.clear()


class _Vocabulary:
    """The words of a Doc that some matcher looks for, by two set operations per Doc.

    Every word met is sorted out once for every matcher (a corpus has some tens of
    thousands of words); a Doc then costs a difference with the words met (its new words)
    and an intersection with the words that matter.
    """

    _LIMIT = 200_000  # words remembered; past that the memory starts again

    def __init__(self) -> None:
        self._matchers: list[WordMatcher] = []
        self._seen: set[str] = set()
        self._relevant: set[str] = set()
        self._positional: set[str] = set()  # the relevant words of positional matchers
        # Bumped when the memory starts again (or a matcher joins): a Doc's words are
        # then worked out anew.
        self.generation = 0

    def register(self, matcher: WordMatcher) -> None:
        self._matchers.append(matcher)
        self._forget()

    def _forget(self) -> None:
        self._seen.clear()
        self._relevant.clear()
        self._positional.clear()
        for matcher in self._matchers:
            matcher.forget()
        self.generation += 1

    def relevant(self, doc: Doc) -> frozenset[str]:
        """The words of the Doc that some matcher looks for."""
        if doc._rel_gen == self.generation:
            return doc._rel
        wordset = doc.wordset
        new = None if wordset <= self._seen else wordset - self._seen
        if new:
            if len(self._seen) > self._LIMIT:
                self._forget()
                new = wordset
            for matcher in self._matchers:
                found = matcher.sort_out(new)
                self._relevant.update(found)
                if matcher.positional:
                    self._positional.update(found)
            self._seen |= new
        doc._rel = rel = wordset & self._relevant
        doc._rel_gen = self.generation
        doc._rel_at = None
        return rel

    def positions(self, doc: Doc) -> list[int]:
        """Where the words of the Doc that a positional matcher looks for stand, in order."""
        rel = self.relevant(doc)
        if doc._rel_at is None:
            # One C pass over the words (compress, map), shared by every phrase table.
            words = doc.words
            wanted = rel & self._positional
            doc._rel_at = list(compress(range(len(words)), map(wanted.__contains__, words)))
        return doc._rel_at


VOCABULARY = _Vocabulary()


# --- phrase tables, matched word by word ----------------------------------------------------


def phrase_words(phrase: str) -> tuple[tuple[str, ...], bool]:
    """A cue phrase as folded words, and whether its last word is a prefix (``migrant*``)."""
    folded = fold_same_length(phrase.strip())
    prefix = folded.endswith("*")
    return tuple(_WORD.findall(folded)), prefix


_NONE = object()


@lru_cache(maxsize=4096)
def _cased_regex(phrase: str) -> re.Pattern[str]:
    """A phrase as written, capitals included, between word boundaries."""
    return re.compile(rf"(?<![^\W_]){re.escape(phrase)}(?![^\W_])")


class Match(NamedTuple):
    """A phrase found in a Doc: word indices [first, last) and the value of its table row."""

    first: int
    last: int
    value: object


# Match((first, last, value)) without the Python-level __new__ of a NamedTuple: the hot path.
_new_match = partial(tuple.__new__, Match)


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

    _STEM = _HEAD_LEN  # one-word prefixes are indexed by their first four letters

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
        # One-word phrases that start no longer one and need no capitals: found at once.
        self._leaves = {
            word: node[""][0]
            for word, node in self.root.items()
            if set(node) == {""} and node[""][1] is None
        }
        # First words that are no phrase alone, only the start of longer ones ("city" of
        # "city of design"): a look at the next word settles most of them.
        self._bare = {
            word: node
            for word, node in self.root.items()
            if "" not in node
            and "*" not in node
            and not any(word.startswith(s) for s, _, _ in self.stems.get(word[: self._STEM], ()))
        }
        # Words that start no phrase of several words: their value by their prefixes.
        self._alone: dict[str, object] = {}
        # The words that may start a phrase: a first word, or a word with a prefix.
        self._starts = WordMatcher(
            ((word, True) for word in self.root),
            ((stem, True) for stems in self.stems.values() for stem, _, _ in stems),
            positional=True,
        )

    def find(self, doc: Doc) -> list[Match]:
        """Every phrase in the Doc, left to right, longest first at each word."""
        # Most words start no phrase: set operations (C speed) find which words may.
        starts = VOCABULARY.relevant(doc) & self._starts.words
        if not starts:
            return []
        words = doc.words
        leaves, bare, alone, after = self._leaves, self._bare, self._alone, len(words) - 1
        found: list[Match] = []
        resume = 0
        for i in VOCABULARY.positions(doc):
            word = words[i]
            if i < resume or word not in starts:
                continue
            value = leaves.get(word, _NONE)
            if value is _NONE:
                node = bare.get(word)
                if node is not None:
                    # The start of longer phrases only: the next two words settle most.
                    node = node.get(words[i + 1]) if i < after else None
                    if node is None or (
                        "" not in node
                        and "*" not in node
                        and (i + 1 == after or words[i + 2] not in node)
                    ):
                        continue
                elif word not in self.root:
                    value = alone.get(word, _NONE)
                    if value is _NONE and word not in alone:
                        value = alone[word] = self._alone_value(word)
                if value is _NONE:
                    best = self._longest_at(doc, i)
                    if best is not None:
                        found.append(best)
                        resume = best.last
                    continue
            found.append(_new_match((i, i + 1, value)))
            resume = i + 1
        return found

    def _alone_value(self, word: str) -> object:
        """The value of a word that starts no phrase of several words, by its prefixes.

        ``_NONE`` when the first prefix that fits wants capitals: the Doc decides.
        """
        if len(self._alone) > PrefixIndex._LIMIT:
            self._alone.clear()
        for stem, value, cased in self.stems.get(word[: self._STEM], ()):
            if word.startswith(stem):
                return value if cased is None else _NONE
        return _NONE

    @staticmethod
    def _fits(doc: Doc, first: int, last: int, cased: str | None) -> bool:
        # The text writes the phrase with these capitals (as a whole word run somewhere:
        # a look-up of the exact place would need every word's position).
        if cased is None:
            return True
        plain = doc.plain
        return cased in plain and _cased_regex(cased).search(plain) is not None

    def _longest_at(self, doc: Doc, i: int) -> Match | None:
        words = doc.words
        word = words[i]
        best: Match | None = None
        for stem, value, cased in self.stems.get(word[: self._STEM], ()):
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


def need_words(needs: str) -> tuple[frozenset[str], frozenset[str]]:
    """The ``needs`` cell of a rule as (whole words, prefixes), folded and lower-cased."""
    words: set[str] = set()
    prefixes: set[str] = set()
    for item in needs.split("|"):
        item = fold_same_length(item.strip())
        if not _WORD.fullmatch(item.rstrip("*")) and item:
            raise ValueError(f"needs {item!r}: one word (a trailing * for any ending)")
        if item.endswith("*"):
            if len(item) - 1 < _HEAD_LEN:
                raise ValueError(f"needs {item!r}: a prefix needs {_HEAD_LEN} letters or more")
            prefixes.add(item[:-1])
        elif item:
            words.add(item)
    return frozenset(words), frozenset(prefixes)


_NO_RULES: dict[str, re.Pattern[str]] = {}


class RuleTable:
    """The regex rules of one table, by kind; each runs only on entries with a word it needs.

    Rows are (kind, pattern, needs). For an entry, one set intersection finds the words
    it has that rules of the table need (a rule with no needs always runs); the rules
    of each kind that may match then run as one alternation: one scan of the text.
    """

    _CACHE = 4096  # sets of needed words met, each with its regexes by kind

    def __init__(self, rows: Iterable[tuple[str, str, str]], flags: int = 0) -> None:
        self._flags = flags
        self._rules: list[tuple[str, re.Pattern[str]]] = []
        always: list[int] = []
        exact: list[tuple[str, int]] = []
        stems: list[tuple[str, int]] = []
        cased: dict[int, tuple[str, ...]] = {}
        for n, (kind, pattern, needs) in enumerate(rows):
            self._rules.append((kind, re.compile(pattern, flags)))
            words, prefixes = need_words(needs)
            # Needs written with capitals ("Cities") must appear so in the text.
            items = [plain_same_length(i.strip()) for i in needs.split("|") if i.strip()]
            if items and all(i != i.lower() and not i.endswith("*") for i in items):
                cased[n] = tuple(items)
            if not words and not prefixes:
                always.append(n)
            exact.extend((word, n) for word in words)
            stems.extend((prefix, n) for prefix in prefixes)
        self._always = frozenset(always)
        self._needs = WordMatcher(exact, stems)
        self._cased = cased
        self._cased_ids = frozenset(cased)
        # needed words met -> the regexes they let run; rules -> their regexes by kind
        self._by_words: dict[frozenset[str], dict[str, re.Pattern[str]]] = {}
        self._by_ids: dict[frozenset[int], dict[str, re.Pattern[str]]] = {}
        self._idle = self._group(self._always)  # the regexes of an entry with no needed word

    def active(self, doc: Doc) -> dict[str, re.Pattern[str]]:
        """The regex to run on this Doc for each kind that may match."""
        rel = VOCABULARY.relevant(doc)
        needs = self._needs
        if rel.isdisjoint(needs.words):  # no word any rule needs: most tables, most entries
            return self._idle
        found = rel & needs.words
        known = self._by_words.get(found)
        if known is not None:
            return known
        ids = self._always.union(*map(needs.values.__getitem__, found))
        if self._cased_ids and not self._cased_ids.isdisjoint(ids):
            # Needs written with capitals: the Doc's text decides, nothing to remember.
            plain = doc.plain
            ids = frozenset(
                n for n in ids if n not in self._cased or any(w in plain for w in self._cased[n])
            )
            return self._by_ids.get(ids) or self._group(ids)
        active = self._by_ids.get(ids) or self._group(ids)
        if len(self._by_words) >= self._CACHE:
            self._by_words.clear()
        self._by_words[found] = active  # type: ignore[assignment]
        return active

    def _group(self, ids: frozenset[int]) -> dict[str, re.Pattern[str]]:
        """The regexes of a set of rules, by kind: one alternation for several of a kind."""
        by_kind: dict[str, list[int]] = {}
        for n in sorted(ids):
            by_kind.setdefault(self._rules[n][0], []).append(n)
        active: dict[str, re.Pattern[str]] = {}
        for kind, ns in by_kind.items():
            if len(ns) == 1:
                active[kind] = self._rules[ns[0]][1]
            else:
                alternation = "|".join(f"(?:{self._rules[n][1].pattern})" for n in ns)
                active[kind] = re.compile(alternation, self._flags)
        if len(self._by_ids) >= self._CACHE:
            self._by_ids.clear()
        self._by_ids[ids] = active or _NO_RULES
        return active or _NO_RULES

    def regexes(self, kind: str, doc: Doc) -> list[re.Pattern[str]]:
        """What to run on this Doc for ``kind``: nothing, or one regex."""
        regex = self.active(doc).get(kind)
        return [] if regex is None else [regex]

    def search(
        self, kind: str, text: str, doc: Doc, pos: int = 0, endpos: int | None = None
    ) -> bool:
        """Whether a rule of ``kind`` matches ``text`` (a copy of the Doc's text) in a range."""
        regex = self.active(doc).get(kind)
        end = len(text) if endpos is None else endpos
        return regex is not None and regex.search(text, pos, end) is not None

    def finditer(self, kind: str, text: str, doc: Doc) -> Iterator[re.Match[str]]:
        """Matches of the rules of ``kind`` that may match."""
        regex = self.active(doc).get(kind)
        return iter(()) if regex is None else regex.finditer(text)
