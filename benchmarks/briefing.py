"""How long the cabinet's briefing takes: a year of ~200 events, and a period of 5,000.

    .venv/bin/python benchmarks/briefing.py            # writes benchmarks/briefing-results.md

Synthetic agenda text (intl_metrics.synth, the same as `intl-metrics synth`) is written
once to benchmarks/out/. Each figure is the time of make_briefing() for PDF and DOCX in
Italian, charts and map included (Kaleido), from the loaded data to the file's bytes;
'first' includes starting Kaleido's chromium (as a fresh `intl-metrics briefing` does),
the others are the median of three. Loading the text is timed apart. Target (issue 13):
a year of ~200 events in 10 s at most.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
from datetime import date
from pathlib import Path

from intl_metrics import export
from intl_metrics.briefing import make_briefing
from intl_metrics.load import load_events
from intl_metrics.query import Filters, event_count, filter_dataset
from intl_metrics.synth import write_synthetic

OUT = Path(__file__).resolve().parent / "out"
RESULTS = Path(__file__).resolve().parent / "briefing-results.md"


def _synthetic(n: int, seed: int) -> Path:
    path = OUT / f"synthetic-{n}-seed{seed}.txt"
    if not path.exists():
        OUT.mkdir(exist_ok=True)
        write_synthetic(str(path), n, seed)
    return path


def _year_near(ds, target: int) -> tuple[Filters, int]:
    """The calendar year whose event count is nearest ``target``."""
    best = None
    for year in range(2007, 2027):
        f = Filters(start=date(year, 1, 1), end=date(year, 12, 31))
        n = event_count(filter_dataset(ds, f))
        if best is None or abs(n - target) < abs(best[1] - target):
            best = (f, n)
    assert best is not None
    return best


def _time(fn, repeat: int) -> list[tuple[float, float]]:
    """(wall, CPU of this process) seconds of each run; chromium's drawing is not in the CPU."""
    out = []
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        out.append((time.perf_counter() - t0, time.process_time() - c0))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    rows = []
    load_before = os.getloadavg()[0]
    for label, size, target in (("a year", 4000, 200), ("5,000 events", 5000, None)):
        path = _synthetic(size, args.seed)
        t0 = time.perf_counter()
        ds = load_events([path])
        load_s = time.perf_counter() - t0
        if target:
            filters, n = _year_near(ds, target)
        else:
            filters, n = Filters(), event_count(ds)
        for fmt in ("pdf", "docx"):
            made = {}
            # each first briefing starts chromium, as a fresh `intl-metrics briefing` does
            export.stop_export_server()

            def make(fmt=fmt, filters=filters, made=made, ds=ds) -> None:
                made["bytes"] = make_briefing(ds, filters, fmt, lang="it")

            first = _time(make, 1)[0][0]
            runs = _time(make, args.repeat)
            again = statistics.median(wall for wall, _ in runs)
            cpu = statistics.median(c for _, c in runs)
            rows.append((label, n, fmt.upper(), load_s, first, again, cpu, len(made["bytes"])))
            print(
                f"{label:14} {n:6,} events {fmt:5} first {first:5.2f} s  then {again:5.2f} s "
                f"(CPU {cpu:.2f} s)"
            )
    export.stop_export_server()
    load_after = os.getloadavg()[0]

    lines = [
        "# Briefing timings",
        "",
        f"`benchmarks/briefing.py`, {date.today():%Y-%m-%d}, Python {platform.python_version()}, "
        f"{platform.machine()}, {os.cpu_count()} CPUs shared with other jobs (load average "
        f"{load_before:.1f} before, {load_after:.1f} after: wall times are inflated by it).",
        "",
        "| period | events | file | load text (s) | first briefing (s) | next (s, median) "
        "| next, CPU of the Python process (s) | size |",
        "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for label, n, fmt, load_s, first, again, cpu, size in rows:
        lines.append(
            f"| {label} | {n:,} | {fmt} | {load_s:.1f} | {first:.2f} | {again:.2f} | {cpu:.2f} | "
            f"{size / 1024:,.0f} KB |"
        )
    lines += [
        "",
        "'first' includes starting Kaleido's chromium (~2-3 s on a quiet machine), as one",
        "`intl-metrics briefing` run does;",
        "the dashboard keeps it running, so its clicks cost 'next'. Loading the text",
        "is paid once by the dashboard and by each command-line run. The CPU column is the",
        "Python side alone (queries, figures, layout); chromium draws the images in its own",
        "processes.",
        "",
    ]
    RESULTS.write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()
