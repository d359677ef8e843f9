"""Date expressions of the agenda pages (English, French, Italian, numeric) -> date spans.

A first regular expression takes the run of date-like tokens (day numbers,
month words, years, numeric dates, dashes and connectors) at the start of a
line; a second one, built from a short list of shapes tried longest first,
reads the date expression in that run: ``October 13th-15th 2021``,
``30 novembre-5 décembre 2023``, ``25-26/11/05``, ``Aprile 2014`` (the whole
month), ``2010 February`` (a heading). Both are generated from the month
words, weekdays and connectors of ``data/rules/dates.toml``, and every
repetition in them is bounded, so a hostile line costs little.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import cache, lru_cache
from typing import NamedTuple

from intl_metrics.parse._rules import load_rules

__all__ = ["DateError", "DateMatch", "implausible", "parse_date_expression", "scan_date"]

# Kinds of date expression.
DAY = "day"  # at least one day number: an entry date
MONTH = "month"  # a month and a year: a whole-month entry, or a heading when alone
YEAR_MONTH = "year-month"  # "2010 February": only ever a heading
YEAR = "year"  # "2012": only ever a heading


class DateError(ValueError):
    """A date expression that reads as a date but names no real day (Feb 30, an inverted range)."""


class DateMatch(NamedTuple):
    """A date expression found at the start of a text, before its year is settled."""

    end: int  # offset just after the expression
    text: str  # the expression as written, for messages
    kind: str  # DAY, MONTH, YEAR_MONTH or YEAR
    start: tuple[int | None, int, int]  # (year or None, month, day); day 0 = whole month
    stop: tuple[int | None, int, int]  # same for the last day; day 0 = end of that month
    cross_year: bool  # with no year written: the range runs into the next year
    languages: frozenset[str]  # languages its words reveal (month names, "1er", "1°")

    @property
    def has_year(self) -> bool:
        return self.start[0] is not None

    def resolve(self, default_year: int | None = None) -> tuple[date, date]:
        """The first and last day; a missing year is ``default_year``. Raises DateError."""
        y1, m1, d1 = self.start
        y2, m2, d2 = self.stop
        if y1 is None:
            if default_year is None:
                raise DateError(f"no year for date '{self.text}'")
            y1 = default_year
            y2 = default_year + 1 if self.cross_year else default_year
        assert y2 is not None
        try:
            first = date(y1, m1, d1 or 1)
            last = date(y2, m2, d2 or calendar.monthrange(y2, m2)[1])
        except ValueError as exc:
            raise DateError(f"invalid date '{self.text}' ({exc})") from None
        if last < first:
            raise DateError(f"date range '{self.text}' ends before it starts")
        return first, last


@dataclass(frozen=True)
class _Plausible:
    first_year: int
    years_ahead: int
    max_span_days: int


@cache
def _plausible() -> _Plausible:
    rules = load_rules("dates")["plausible"]
    return _Plausible(
        int(rules["first_year"]), int(rules["years_ahead"]), int(rules["max_span_days"])
    )


def implausible(first: date, last: date, expression: str, today: date | None = None) -> str | None:
    """Why an entry's dates cannot be what the City meant, or None when they can.

    Years before ``first_year`` or more than ``years_ahead`` after this year, and spans
    longer than ``max_span_days`` (``data/rules/dates.toml``) are typos, not events.
    """
    limits = _plausible()
    latest = (today or date.today()).year + limits.years_ahead
    if first.year < limits.first_year or last.year > latest:
        return (
            f"date '{expression}' is outside the years the agenda covers "
            f"({limits.first_year}-{latest}): not read as an event (a typo in the year?)"
        )
    if (last - first).days + 1 > limits.max_span_days:
        return (
            f"date '{expression}' spans {(last - first).days + 1} days, more than a year: "
            "not read as an event (a typo in a year?)"
        )
    return None


def parse_date_expression(text: str, default_year: int | None = None) -> tuple[date, date] | None:
    """First and last day of ``text`` when the whole string is one date expression, else None.

    ``October 13th-15th 2021`` -> (2021-10-13, 2021-10-15); ``Maggio 2012`` -> all of May
    2012; ``October 2nd-6th`` needs ``default_year``. Invalid dates give None.
    """
    if not isinstance(text, str):
        return None
    s = " ".join(text.split()).rstrip(".,;: ")
    m = scan_date(s)
    if m is None or m.end != len(s) or m.kind == YEAR:
        return None
    try:
        return m.resolve(default_year)
    except DateError:
        return None


def scan_date(s: str) -> DateMatch | None:
    """The longest date expression at the start of ``s`` (spaces/tabs skipped), or None.

    Only syntax is checked here: ``February 30th 2021`` is found and fails later in
    ``DateMatch.resolve``, so the caller can warn about it. ``end`` is an offset in ``s``.
    """
    vocab = _vocabulary()
    # A text that opens with a word can open a date only with one of the date words: its
    # first three letters rule out most lines of prose before any lower-casing or regex.
    start = s[:3].lower()
    heads = vocab.word_heads
    if (
        start[:1].isalpha()
        and len(start) == len(s[:3])  # else _lower() below keeps some letters as written
        and start not in heads
        and start[:2] not in heads
        and start[:1] not in heads
    ):
        return None
    # One cheap pass takes the run of date-like tokens; the grammar then reads only that
    # run (cached: a page repeats its dates). Patterns match lower-cased text, because
    # case-insensitive matching is twice as slow; lower-casing accented text costs more
    # than the match, so only a short head is lowered unless the run nears its end.
    head = s[:_SHORT_HEAD]
    low = head.lower()
    if len(low) != len(head):
        low = _lower(head)
    run = vocab.run.match(low).end()  # type: ignore[union-attr]
    if run + vocab.run_reach >= _SHORT_HEAD and len(s) > _SHORT_HEAD:
        head = s[:_HEAD]
        run = vocab.run.match(_lower(head)).end()  # type: ignore[union-attr]
    return _scan_run(head[:run]) if run else None


# A date expression is never longer than this ("Wednesday, September 30th 2021 - Friday,
# October 1st 2021" is 56 characters); looking no further bounds the work on long lines.
_HEAD = 160
# Most date runs end within this many characters (less the run pattern's reach).
_SHORT_HEAD = 64


def _lower(text: str) -> str:
    """Lower case with the same length (a few letters, like 'İ', lower to two characters)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


@lru_cache(maxsize=8192)
def _scan_run(run: str) -> DateMatch | None:
    found = _read_run(run)
    if found is None:
        return None
    vocab = _vocabulary()
    for year in (found.start[0], found.stop[0]):
        if year is not None and not vocab.min_year <= year <= vocab.max_year:
            return None  # "16/12/1850", "0001-01-01": not a date of the agenda
    return found


def _read_run(run: str) -> DateMatch | None:
    vocab = _vocabulary()
    m = vocab.pattern.match(_lower(run))
    if m is None:
        return None
    shape = m.lastgroup or ""
    groups = m.groups()
    # Only the matched shape's groups: a dict of all hundred would cost more than the match.
    g = {name: groups[i] for name, i in vocab.fields[shape]}
    get = g.get
    end_off = m.end(shape)
    text = run[m.start(shape) : end_off]
    if shape in ("pp", "np", "p"):
        return _numeric(shape, g, vocab, text, end_off)

    months = vocab.months
    langs: list[frozenset[str]] = []
    m1 = m2 = 0
    month1, month2 = get("m1"), get("m2")
    if month1:
        m1, lang = months[_month_key(month1)]
        langs.append(lang)
    if month2:
        m2, lang = months[_month_key(month2)]
        langs.append(lang)
    m1 = m1 or m2
    m2 = m2 or m1
    y1 = _int(get("y1"))
    y2 = _int(get("y2"))
    if shape in ("y", "ym", "my", "mm"):
        year = y1 or y2
        assert year is not None
        if shape == "y":
            return DateMatch(end_off, text, YEAR, (year, 1, 1), (year, 12, 31), False, frozenset())
        kind = YEAR_MONTH if shape == "ym" else MONTH
        first_year = year - 1 if m2 < m1 else year  # "December-January 2022"
        return DateMatch(
            end_off, text, kind, (first_year, m1, 0), (year, m2, 0), False, _languages(tuple(langs))
        )

    d1 = int(g["n1"])
    n2 = get("n2")
    d2 = int(n2) if n2 else d1
    for key in ("s1", "s2"):
        suf = get(key)
        if suf:
            langs.append(vocab.suffix_langs.get(suf.lower(), frozenset()))
    cross = m1 > m2  # only a later month before an earlier one crosses new year
    if y1 is None and y2 is not None:
        y1 = y2 - 1 if cross else y2
    elif y1 is not None and y2 is None:
        y2 = y1 + 1 if cross else y1
    languages = _languages(tuple(langs))
    return DateMatch(
        end_off, text, DAY, (y1, m1, d1), (y2, m2, d2), cross and y1 is None, languages
    )


@lru_cache(maxsize=256)  # a handful of combinations: ('en', 'en'), ('fr it', 'fr'), ...
def _languages(sets: tuple[frozenset[str], ...]) -> frozenset[str]:
    """Languages all the words agree on ('novembre' + '1er' -> fr), else any of them."""
    nonempty = [x for x in sets if x]
    if not nonempty:
        return frozenset()
    common = frozenset.intersection(*nonempty)
    return common or frozenset.union(*nonempty)


def _int(text: str | None) -> int | None:
    return int(text) if text else None


def _month_key(word: str) -> str:
    w = word.rstrip(".").lower()
    return w if w.isascii() else _strip_accents(w)


def _numeric(
    shape: str, g: dict[str, str | None], vocab: _Vocabulary, text: str, end_off: int
) -> DateMatch:
    """Day-first numeric dates: 16/12/05, 25-26/11/05, 30/11-02/12/05, 9.3.2016, 2021-10-06."""
    d2, m2, y2 = _numeric_point(g, "p2", vocab)
    if shape == "pp":
        d1, m1, y1 = _numeric_point(g, "p1", vocab)
    elif shape == "np":
        d1, m1, y1 = int(g["n1"] or d2), m2, None
    else:
        d1, m1, y1 = d2, m2, y2
    cross = m1 > m2  # only a later month before an earlier one crosses new year
    if y1 is None and y2 is not None:
        y1 = y2 - 1 if cross else y2
    elif y1 is not None and y2 is None:
        y2 = y1 + 1 if cross else y1
    return DateMatch(
        end_off, text, DAY, (y1, m1, d1), (y2, m2, d2), cross and y1 is None, frozenset()
    )


def _numeric_point(
    g: dict[str, str | None], name: str, vocab: _Vocabulary
) -> tuple[int, int, int | None]:
    if g.get(f"{name}i"):  # ISO 2021-10-06
        return int(g[f"{name}id"] or 0), int(g[f"{name}im"] or 0), int(g[f"{name}iy"] or 0)
    if g.get(f"{name}hd"):  # 16-12-2005
        return int(g[f"{name}hd"] or 0), int(g[f"{name}hm"] or 0), int(g[f"{name}hy"] or 0)
    return int(g[f"{name}d"] or 0), int(g[f"{name}m"] or 0), vocab.year(g.get(f"{name}y"))


# --- grammar -----------------------------------------------------------------------------

# The shapes of a date expression, tried in this order (longer shapes first, so the
# first that matches is the longest); "from" and a weekday may come first. Placeholders:
# {W} a weekday, {S} a space or comma, {D} a range dash or word, {DA} a range or "and", {O} "of";
# {M1} {N1} {Y1} month, day, year of the first day, {M2} {N2} {Y2} of the last;
# {P1} {P2} numeric dates.
_SHAPES: tuple[tuple[str, str], ...] = (
    ("dmr", "{N1}{O}{S}{M1}(?:{S}{Y1})?{D}{W}{N2}{O}{S}{M2}(?:{S}{Y2})?"),  # 30 nov-5 dec
    ("mdr", "{M1}{S}{N1}(?:{S}{Y1})?{D}{W}{M2}{S}{N2}(?:{S}{Y2})?"),  # Sep 30 - Oct 1
    ("mdd", "{M1}{S}{N1}(?:{DA}{W}{N2}){{1,6}}(?:{S}{Y2})?"),  # October 13th-15th 2021
    ("ddm", "{N1}(?:{DA}{W}{N2}){{1,6}}{O}{S}{M2}(?:{S}{Y2})?"),  # 13-15 ottobre 2021
    ("dm", "{N1}{O}{S}{M1}(?:{S}{Y2})?"),  # 11 octobre 2023, 13th of October
    ("md", "{M1}{S}{N1}(?:{S}{Y2})?"),  # October 6th 2021
    ("mm", "{M1}{D}{M2}{S}{Y2}"),  # October-November 2021
    ("my", "{M1}{S}{Y2}"),  # May 2012, Aprile 2014
    ("ym", "{Y1}{S}{M1}"),  # 2010 February (a heading)
    ("pp", "{P1}{D}{P2}"),  # 30/11/05-02/12/05
    ("np", "{N1}(?:{DA}{N2}){{0,6}}{D}{P2}"),  # 25-26/11/05
    ("p", "{P2}"),  # 16/12/05
    ("y", "{Y1}"),  # 2012 (a heading)
)


def _prefix_tree(words: set[str]) -> str:
    """An alternation of ``words`` written as a prefix tree, longer words tried first.

    The same matches, in the same order, as ``a|b|c`` sorted longest first; but a text
    is rejected after a letter or two instead of after trying every word.
    """
    tree: dict[str, dict] = {}  # type: ignore[type-arg]
    for word in words:
        node = tree
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}  # a word ends here

    def emit(node: dict) -> str:  # type: ignore[type-arg]
        branches = [re.escape(ch) + emit(sub) for ch, sub in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        # The longer words below this node are tried before the one ending here; an empty
        # last branch means the same as a greedy "?", and costs the regex engine less.
        return f"(?:{body}|)" if "" in node else body

    return emit(tree)


def _build_pattern(
    months: list[str],
    weekdays: list[str],
    ranges: list[str],
    ands: list[str],
    froms: list[str],
    ofs: list[str],
    suffixes: list[str],
    centuries: str,
) -> tuple[
    re.Pattern[str], re.Pattern[str], dict[str, tuple[tuple[str, int], ...]], frozenset[str], int
]:
    def alt(words: list[str]) -> str:
        # Longest first, so "sept" is tried before "sep"; no letter or digit may follow
        # (the "SUN" of a project named SUN4ALL is not Sunday).
        return f"(?:{_prefix_tree({w.lower() for w in words})})(?![^\\W_])"

    suffix = "(?:" + "|".join(re.escape(x) for x in sorted(suffixes, key=len, reverse=True)) + ")"
    parts = {
        "F": rf"(?:{alt(froms)}\s+)?",
        "W": rf"(?:{alt(weekdays)}\.?\s*,?\s*)?",
        "S": r"(?:\s*,\s*|\s+)",
        "D": rf"(?:\s*[-–—‐‑−]{{1,3}}\s*|\s+{alt(ranges)}\s+)",
        "DA": rf"(?:\s*[-–—‐‑−]{{1,3}}\s*|\s+{alt(ranges)}\s+|\s*[,&]\s*|\s+{alt(ands)}\s+)",
        "O": rf"(?:\s+{alt(ofs)})?",
    }
    month = alt(months)
    regexes = []
    for shape, template in _SHAPES:
        fields = dict(parts)
        for k in ("1", "2"):
            fields[f"M{k}"] = rf"(?P<{shape}_m{k}>{month}\.?)"
            fields[f"N{k}"] = rf"(?P<{shape}_n{k}>\d{{1,2}})(?P<{shape}_s{k}>{suffix})?(?![\w°º])"
            fields[f"Y{k}"] = rf"(?P<{shape}_y{k}>{centuries}\d\d)(?!\d)"
            p = f"{shape}_p{k}"
            fields[f"P{k}"] = (
                rf"(?:(?P<{p}i>(?P<{p}iy>\d{{4}})-(?P<{p}im>\d{{1,2}})-(?P<{p}id>\d{{1,2}}))"
                rf"|(?P<{p}d>\d{{1,2}})(?P<{p}sep>[./])(?P<{p}m>\d{{1,2}})"
                rf"(?:(?P={p}sep)(?P<{p}y>\d{{4}}|\d{{2}}))?"
                # with hyphens only a full date: "10-12" alone is a range of days
                rf"|(?P<{p}hd>\d{{1,2}})-(?P<{p}hm>\d{{1,2}})-(?P<{p}hy>\d{{4}}))(?!\d|[./]\d)"
            )
        regexes.append(f"(?P<{shape}>{template.format(**fields)})")
    # "from" and a weekday may open any shape: matched once, before the alternatives.
    shapes = re.compile(rf"[ \t]*{parts['F']}{parts['W']}(?:" + "|".join(regexes) + ")")
    # Every token any shape may use, with no captures: the run a date can be read from.
    token_words = [*months, *weekdays, *ranges, *ands, *froms, *ofs]
    words = alt(token_words)
    token = rf"\d{{1,4}}(?:[./]\d{{1,4}}){{0,2}}(?:{suffix}|)|{words}\.?|[-–—‐‑−]{{1,3}}|[,&]"
    # Possessive: nothing after the run ever needs a token back, and the engine keeps no
    # backtracking state for it (faster).
    run = re.compile(rf"(?:[ \t]{{0,8}}(?:{token})){{0,24}}+")
    # How far past the end of its match the run pattern may read (scan_date relies on it):
    # 8 spaces, then the longest token it tries - a number of three 4-digit groups with a
    # suffix, or a word, its dot and a look-ahead character - and a margin.
    longest_word = max(len(w) for w in token_words)
    reach = 8 + max(14 + max(map(len, suffixes)), longest_word + 2) + 4
    fields = {  # group "md_m1" of shape "md" is its field "m1"
        shape: tuple(
            (name[len(shape) + 1 :], index - 1)
            for name, index in shapes.groupindex.items()
            if name.startswith(f"{shape}_")
        )
        for shape, _ in _SHAPES
    }
    return shapes, run, fields, frozenset(w.lower()[:3] for w in token_words), reach


# --- vocabulary --------------------------------------------------------------------------


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@dataclass(frozen=True)
class _Vocabulary:
    pattern: re.Pattern[str]  # every shape of date expression, one alternative each
    run: re.Pattern[str]  # the run of date-like tokens at the start of a text
    fields: dict[str, tuple[tuple[str, int], ...]]  # shape -> its fields (name, group index)
    word_heads: frozenset[str]  # first three letters (or fewer) of the run's words
    run_reach: int  # characters the run pattern may read past the end of its match
    months: dict[str, tuple[int, frozenset[str]]]  # folded name -> (number, languages)
    suffix_langs: dict[str, frozenset[str]]
    pivot: int
    min_year: int
    max_year: int

    def year(self, text: str | None) -> int | None:
        """A written year; two digits are 19xx/20xx around the pivot."""
        if text is None:
            return None
        y = int(text)
        if len(text) == 2:
            y += 2000 if y < self.pivot else 1900
        return y


@cache
def _vocabulary() -> _Vocabulary:
    rules = load_rules("dates")
    month_langs: dict[tuple[str, int], set[str]] = {}
    spelled: set[str] = set()
    for lang, months in rules["months"].items():
        for number, names in enumerate(months, start=1):
            for name in names:
                for key in {name.lower(), _strip_accents(name.lower())}:
                    month_langs.setdefault((key, number), set()).add(lang)
                    spelled.add(key)
    months: dict[str, tuple[int, frozenset[str]]] = {}
    for (key, number), langs in month_langs.items():
        months.setdefault(key, (number, frozenset(langs)))
    weekdays = {
        key
        for names in rules["weekdays"].values()
        for name in names
        for key in (name.lower(), _strip_accents(name.lower()))
    }
    conn = rules["connectors"]
    years = rules["years"]
    min_year, max_year = int(years["min"]), int(years["max"])
    suffixes = [suf for suf, _ in rules["ordinals"]["suffixes"]]
    suffix_langs = {
        suf.lower(): frozenset([lang]) if lang else frozenset()
        for suf, lang in rules["ordinals"]["suffixes"]
    }
    pattern, run, fields, word_heads, run_reach = _build_pattern(
        sorted(spelled),
        sorted(weekdays),
        conn["range"],
        conn["and"],
        conn["from"],
        conn["of"],
        suffixes,
        # Only four-digit numbers of these centuries read as years ("2500 people" does not).
        "(?:" + "|".join(str(c) for c in range(min_year // 100, max_year // 100 + 1)) + ")",
    )
    return _Vocabulary(
        pattern,
        run,
        fields,
        word_heads,
        run_reach,
        months,
        suffix_langs,
        int(years["two_digit_pivot"]),
        min_year,
        max_year,
    )
