"""Score parsed events against gold labels (the format of ``shared/data/dev/gold.jsonl``).

Besides the scores, an evaluation shows where they come from: the confusion of
activity and of format, the F1 of each theme, and every error as
``FILE:LINE field: expected X, got Y (rule, "span")`` with the evidence of the label
that was given, so a wrong label leads straight to the rule that gave it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from intl_metrics.enrich.gazetteer import Gazetteer
from intl_metrics.schema import ACTIVITIES, FORMATS, THEMES, Event, Evidence

__all__ = [
    "Error",
    "Evaluation",
    "Score",
    "evaluate",
    "format_report",
    "format_table",
    "read_gold",
    "score",
]


@dataclass(frozen=True)
class Score:
    """One metric: its value and what it was computed over."""

    name: str
    value: float
    support: int
    target: float | None = None

    @property
    def met(self) -> bool | None:
        return None if self.target is None else self.value >= self.target


# The accuracy the data layer must reach on real pages nobody on the team has seen (issue 10).
TARGETS: dict[str, float] = {
    "entry recall": 0.98,
    "start date": 0.98,
    "end date": 0.98,
    "title": 0.98,
    "format": 0.95,
    "activity": 0.90,
    "theme macro-F1": 0.80,
    "partner-city F1": 0.92,
    "country F1": 0.95,
}


def read_gold(path: str | Path) -> list[dict]:
    """Gold lines as dicts; a malformed line raises ValueError naming file and line."""
    rows = []
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                row["file"], row["line"] = str(row["file"]), int(row["line"])
            except (ValueError, KeyError, TypeError) as exc:
                raise ValueError(f"{path}:{n}: not a gold label line ({exc})") from None
            rows.append(row)
    return rows


def _f1(tp: int, n_pred: int, n_gold: int) -> float:
    if n_pred == 0 and n_gold == 0:
        return 1.0
    return 2 * tp / (n_pred + n_gold) if (n_pred + n_gold) else 0.0


def _ratio(hits: int, total: int) -> float:
    return hits / total if total else 1.0


@dataclass(frozen=True)
class Error:
    """One wrong label of one entry, with the evidence of what was given instead."""

    file: str
    line: int
    field: str
    expected: str
    got: str
    rule: str = ""
    span: str = ""

    def __str__(self) -> str:
        why = ""
        if self.rule:
            why = (
                f" ({self.rule}, {json.dumps(self.span, ensure_ascii=False)})"
                if self.span
                else f" ({self.rule})"
            )
        return (
            f"{self.file}:{self.line} {self.field}: expected {self.expected}, got {self.got}{why}"
        )

    def to_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line,
            "field": self.field,
            "expected": self.expected,
            "got": self.got,
            "rule": self.rule,
            "span": self.span,
        }


@dataclass(frozen=True)
class ThemeScore:
    """Precision, recall and F1 of one theme."""

    theme: str
    tp: int
    predicted: int
    gold: int

    @property
    def precision(self) -> float:
        return _ratio(self.tp, self.predicted)

    @property
    def recall(self) -> float:
        return _ratio(self.tp, self.gold)

    @property
    def f1(self) -> float:
        return _f1(self.tp, self.predicted, self.gold)


@dataclass(frozen=True)
class Evaluation:
    """Scores, confusion matrices (gold label -> predicted label -> count), per-theme
    scores and every error."""

    scores: list[Score]
    confusion: dict[str, dict[str, dict[str, int]]] = field(default_factory=dict)
    themes: list[ThemeScore] = field(default_factory=list)
    errors: list[Error] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return {
            "scores": {s.name: round(s.value, 4) for s in self.scores},
            "confusion": self.confusion,
            "themes": {
                t.theme: {
                    "precision": round(t.precision, 4),
                    "recall": round(t.recall, 4),
                    "f1": round(t.f1, 4),
                    "gold": t.gold,
                    "predicted": t.predicted,
                }
                for t in self.themes
            },
            "errors": [e.to_dict() for e in self.errors],
        }


def _pairs(
    gold: Sequence[dict], events: Iterable[Event]
) -> tuple[list[tuple[dict, Event | None]], dict[tuple[str, int], Event]]:
    """Each scored gold entry with its predicted event (by file and line), and every
    prediction in a file the gold names, but those at a line the gold does not score."""
    gold_files = {g["file"] for g in gold}
    # a file whose gold names only some of its entries: its other lines are not scored
    partial = {g["file"] for g in gold if g.get("partial")}
    listed = {(g["file"], g["line"]) for g in gold}
    unscored = {(g["file"], g["line"]) for g in gold if g.get("duplicate_of")}
    predicted = {
        key: e
        for e in events
        if e.source.file in gold_files
        and (key := (e.source.file, e.source.line)) not in unscored
        and (key in listed or e.source.file not in partial)
    }
    return [(g, predicted.get((g["file"], g["line"]))) for g in gold if _scored(g)], predicted


def _scored(g: dict) -> bool:
    """A gold line that is an event to score: not one saying there is no event at its
    line (``"not_event": true``: a prediction there is an error) nor one not scored at
    all (``"duplicate_of"``: the entry repeats another event; what the machine makes of
    it counts neither way). ``intl-metrics export-gold`` writes both kinds."""
    return not g.get("not_event") and not g.get("duplicate_of")


def score(
    gold: Sequence[dict], events: Iterable[Event], gazetteer: Gazetteer | None = None
) -> list[Score]:
    """Every metric: entries, dates, titles, labels, themes, partners, countries.

    A prediction matches a gold entry by file and line. Only files named in the gold
    count for precision. Truncated gold entries score dates and title only. A line
    ``"not_event": true`` says there is no event at its line; a line ``"duplicate_of"``
    leaves its line out of every score; a line ``"partial": true`` says the gold of its
    file names only some of its entries, so a prediction at a line it does not name is
    not scored (the staff's decisions: ``intl-metrics export-gold``).
    """
    return evaluate(gold, events, gazetteer).scores


def evaluate(
    gold: Sequence[dict], events: Iterable[Event], gazetteer: Gazetteer | None = None
) -> Evaluation:
    """The scores of ``score`` with the confusions, per-theme scores and every error."""
    gaz = gazetteer or Gazetteer.default()
    pairs, predicted = _pairs(gold, events)
    gold = [g for g, _ in pairs]
    matched = [(g, e) for g, e in pairs if e is not None]
    full = [(g, e) for g, e in matched if not g.get("truncated")]
    errors: list[Error] = []

    for g, e in pairs:
        if e is None:
            errors.append(Error(g["file"], g["line"], "entry", f"{g['title']!r}", "no entry"))
    matched_keys = {(g["file"], g["line"]) for g, _ in matched}
    for (file, line), e in sorted(predicted.items()):
        if (file, line) not in matched_keys:
            errors.append(Error(file, line, "entry", "no entry", repr(e.title)))

    def same(name: str, pairs_: list[tuple[dict, Event]], key: str, got_of: Callable) -> Score:
        hits = 0
        for g, e in pairs_:
            got = got_of(e)
            if got == g[key]:
                hits += 1
            else:
                ev = _evidence(e, key)
                errors.append(Error(g["file"], g["line"], key, str(g[key]), str(got), *_why(ev)))
        return Score(name, _ratio(hits, len(pairs_)), len(pairs_))

    n_gold, n_pred, n_match = len(gold), len(predicted), len(matched)
    scores = [
        Score("entry recall", _ratio(n_match, n_gold), n_gold),
        Score("entry precision", _ratio(n_match, n_pred), n_pred),
        _rescale(
            same("start date", matched, "start_date", lambda e: e.start_date.isoformat()), n_gold
        ),
        _rescale(same("end date", matched, "end_date", lambda e: e.end_date.isoformat()), n_gold),
        _rescale(same("title", matched, "title", lambda e: e.title), n_gold),
        same("language", full, "language", lambda e: e.language),
        same("format", full, "format", lambda e: e.format),
        same("activity", full, "activity", lambda e: e.activity),
    ]

    confusion = {
        "activity": _confusion(full, "activity", ACTIVITIES),
        "format": _confusion(full, "format", FORMATS),
    }

    tp_all = pred_all = gold_all = 0
    per_theme: list[ThemeScore] = []
    for theme in THEMES:
        tp = sum(theme in e.themes and theme in g["themes"] for g, e in full)
        n_p = sum(theme in e.themes for _, e in full)
        n_g = sum(theme in g["themes"] for g, _ in full)
        tp_all, pred_all, gold_all = tp_all + tp, pred_all + n_p, gold_all + n_g
        if n_g or n_p:
            per_theme.append(ThemeScore(theme, tp, n_p, n_g))
    for g, e in full:
        for theme in sorted(set(g["themes"]) - set(e.themes), key=THEMES.index):
            errors.append(Error(g["file"], g["line"], "theme", theme, "none"))
        for theme in sorted(set(e.themes) - set(g["themes"]), key=THEMES.index):
            ev = _evidence(e, "theme", theme)
            errors.append(Error(g["file"], g["line"], "theme", "none", theme, *_why(ev)))
    scores.append(Score("theme micro-F1", _f1(tp_all, pred_all, gold_all), gold_all))
    macro = sum(t.f1 for t in per_theme) / len(per_theme) if per_theme else 1.0
    scores.append(Score("theme macro-F1", macro, len(per_theme)))

    tp = n_p = n_g = 0
    for g, e in full:
        cities = [p for p in e.partners if p.kind == "city"]
        gold_cities = g.get("partner_cities", [])
        n_p, n_g = n_p + len(cities), n_g + len(gold_cities)
        unused = list(cities)
        for gc in gold_cities:
            hit = next(
                (p for p in unused if gaz.same_city(p.name, p.country, gc["name"], gc["country"])),
                None,
            )
            if hit is not None:
                unused.remove(hit)
                tp += 1
            else:
                expected = f"{gc['name']} ({gc['country']})"
                errors.append(Error(g["file"], g["line"], "partner", expected, "none"))
        for p in unused:
            ev = _evidence(e, "partner", p.name)
            got = f"{p.name} ({p.country})"
            errors.append(Error(g["file"], g["line"], "partner", "none", got, *_why(ev)))
    scores.append(Score("partner-city F1", _f1(tp, n_p, n_g), n_g))

    tp = n_p = n_g = 0
    for g, e in full:
        pc, gcs = set(e.countries), set(g.get("countries", []))
        tp, n_p, n_g = tp + len(pc & gcs), n_p + len(pc), n_g + len(gcs)
        for code in sorted(gcs - pc):
            errors.append(Error(g["file"], g["line"], "country", code, "none"))
        for code in sorted(pc - gcs):
            ev = _evidence(e, "country", code)
            errors.append(Error(g["file"], g["line"], "country", "none", code, *_why(ev)))
    scores.append(Score("country F1", _f1(tp, n_p, n_g), n_g))

    order = {name: n for n, name in enumerate(_FIELD_ORDER)}
    errors.sort(key=lambda x: (x.file, x.line, order.get(x.field, len(order))))
    return Evaluation(
        [Score(s.name, s.value, s.support, TARGETS.get(s.name)) for s in scores],
        confusion,
        per_theme,
        errors,
    )


_FIELD_ORDER = (
    "entry",
    "start_date",
    "end_date",
    "title",
    "language",
    "format",
    "activity",
    "theme",
    "partner",
    "country",
)


def _rescale(s: Score, total: int) -> Score:
    """A score over the matched entries as a share of all gold entries (a missing entry
    counts as wrong)."""
    hits = round(s.value * s.support)
    return Score(s.name, _ratio(hits, total), total)


def _evidence(event: Event, field: str, label: str | None = None) -> Evidence | None:
    """The event's evidence of a field (of one label of it)."""
    for ev in event.evidence:
        if ev.field == field and (label is None or ev.label == label):
            return ev
    return None


def _why(ev: Evidence | None) -> tuple[str, str]:
    return ("", "") if ev is None else (ev.rule, ev.text)


def _confusion(
    pairs: Sequence[tuple[dict, Event]], key: str, labels: Sequence[str]
) -> dict[str, dict[str, int]]:
    table = {g: dict.fromkeys(labels, 0) for g in labels}
    for g, e in pairs:
        row = table.setdefault(g[key], dict.fromkeys(labels, 0))
        got = getattr(e, key)
        row[got] = row.get(got, 0) + 1
    return table


def format_table(scores: Sequence[Score]) -> str:
    """A plain-text table of the scores, with the targets beside them."""
    lines = [f"{'metric':<18} {'value':>6} {'n':>5}  {'target':>6}", "-" * 40]
    for s in scores:
        target = "" if s.target is None else f"{s.target:.2f} {'ok' if s.met else 'MISS'}"
        lines.append(f"{s.name:<18} {s.value:>6.3f} {s.support:>5}  {target}")
    return "\n".join(lines)


def _format_confusion(name: str, table: dict[str, dict[str, int]]) -> str:
    labels = list(table)
    corner = "gold / got"
    width = max(len(x) for x in [*labels, corner]) + 1
    col = max(len(x) for x in labels) + 1
    head = corner.ljust(width) + "".join(f"{x:>{col}}" for x in labels)
    lines = [f"{name} (rows: gold, columns: predicted)", head]
    for gold_label in labels:
        row = table[gold_label]
        if not any(row.values()):
            continue
        cells = "".join(f"{row.get(x, 0) or '.':>{col}}" for x in labels)
        lines.append(f"{gold_label:<{width}}{cells}")
    return "\n".join(lines)


def format_report(evaluation: Evaluation) -> str:
    """The whole evaluation as plain text: scores, confusions, per-theme F1, errors."""
    parts = [format_table(evaluation.scores)]
    for name, table in evaluation.confusion.items():
        parts.append(_format_confusion(name, table))
    theme_lines = [f"{'theme':<14} {'P':>6} {'R':>6} {'F1':>6} {'gold':>5} {'got':>5}"]
    for t in evaluation.themes:
        theme_lines.append(
            f"{t.theme:<14} {t.precision:>6.3f} {t.recall:>6.3f} {t.f1:>6.3f} "
            f"{t.gold:>5} {t.predicted:>5}"
        )
    parts.append("per-theme scores\n" + "\n".join(theme_lines))
    errors = evaluation.errors
    parts.append(f"errors ({len(errors)})\n" + "\n".join(str(e) for e in errors))
    return "\n\n".join(parts)
