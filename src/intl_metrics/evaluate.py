"""Score parsed events against gold labels (the format of ``shared/data/dev/gold.jsonl``)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from intl_metrics.enrich.gazetteer import Gazetteer
from intl_metrics.schema import THEMES, Event

__all__ = ["Score", "format_table", "read_gold", "score"]


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


# The accuracy the data layer must reach on unseen real pages (issue 3).
TARGETS: dict[str, float] = {
    "entry recall": 0.98,
    "start date": 0.98,
    "end date": 0.98,
    "title": 0.95,
    "format": 0.95,
    "activity": 0.85,
    "theme macro-F1": 0.80,
    "partner-city F1": 0.85,
    "country F1": 0.90,
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


def score(
    gold: Sequence[dict], events: Iterable[Event], gazetteer: Gazetteer | None = None
) -> list[Score]:
    """Every metric of issue 3: entries, dates, titles, labels, themes, partners, countries.

    A prediction matches a gold entry by file and line. Only files named in the gold
    count for precision. Truncated gold entries score dates and title only.
    """
    gaz = gazetteer or Gazetteer.default()
    gold_files = {g["file"] for g in gold}
    predicted = {(e.source.file, e.source.line): e for e in events if e.source.file in gold_files}
    pairs = [(g, predicted.get((g["file"], g["line"]))) for g in gold]
    matched = [(g, e) for g, e in pairs if e is not None]
    full = [(g, e) for g, e in matched if not g.get("truncated")]

    n_gold, n_pred, n_match = len(gold), len(predicted), len(matched)
    scores = [
        Score("entry recall", _ratio(n_match, n_gold), n_gold),
        Score("entry precision", _ratio(n_match, n_pred), n_pred),
        Score(
            "start date",
            _ratio(sum(e.start_date.isoformat() == g["start_date"] for g, e in matched), n_gold),
            n_gold,
        ),
        Score(
            "end date",
            _ratio(sum(e.end_date.isoformat() == g["end_date"] for g, e in matched), n_gold),
            n_gold,
        ),
        Score("title", _ratio(sum(e.title == g["title"] for g, e in matched), n_gold), n_gold),
        Score(
            "language",
            _ratio(sum(e.language == g["language"] for g, e in full), len(full)),
            len(full),
        ),
        Score(
            "format", _ratio(sum(e.format == g["format"] for g, e in full), len(full)), len(full)
        ),
        Score(
            "activity",
            _ratio(sum(e.activity == g["activity"] for g, e in full), len(full)),
            len(full),
        ),
    ]

    tp_all = pred_all = gold_all = 0
    per_theme = []
    for theme in THEMES:
        tp = sum(theme in e.themes and theme in g["themes"] for g, e in full)
        n_p = sum(theme in e.themes for _, e in full)
        n_g = sum(theme in g["themes"] for g, _ in full)
        tp_all, pred_all, gold_all = tp_all + tp, pred_all + n_p, gold_all + n_g
        if n_g or n_p:
            per_theme.append(_f1(tp, n_p, n_g))
    scores.append(Score("theme micro-F1", _f1(tp_all, pred_all, gold_all), gold_all))
    scores.append(
        Score(
            "theme macro-F1", sum(per_theme) / len(per_theme) if per_theme else 1.0, len(per_theme)
        )
    )

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
    scores.append(Score("partner-city F1", _f1(tp, n_p, n_g), n_g))

    tp = n_p = n_g = 0
    for g, e in full:
        pc, gcs = set(e.countries), set(g.get("countries", []))
        tp, n_p, n_g = tp + len(pc & gcs), n_p + len(pc), n_g + len(gcs)
    scores.append(Score("country F1", _f1(tp, n_p, n_g), n_g))
    return [Score(s.name, s.value, s.support, TARGETS.get(s.name)) for s in scores]


def format_table(scores: Sequence[Score]) -> str:
    """A plain-text table of the scores, with the targets of issue 3 beside them."""
    lines = [f"{'metric':<18} {'value':>6} {'n':>5}  {'target':>6}", "-" * 40]
    for s in scores:
        target = "" if s.target is None else f"{s.target:.2f} {'ok' if s.met else 'MISS'}"
        lines.append(f"{s.name:<18} {s.value:>6.3f} {s.support:>5}  {target}")
    return "\n".join(lines)
