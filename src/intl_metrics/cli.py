"""`intl-metrics parse | evaluate | synth | briefing`: the data layer on the command line."""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from intl_metrics.schema import EVENT_FIELDS, Event

EXIT_USAGE = 2


class _Progress:
    """Progress on stderr for long runs: a line at most every half second, only on a terminal."""

    def __init__(self, stream: TextIO = sys.stderr) -> None:
        self.stream = stream
        self.enabled = stream.isatty()
        self.last = 0.0

    def __call__(self, fraction: float, message: str) -> None:
        now = time.monotonic()
        if not self.enabled or (now - self.last < 0.5 and fraction < 1.0):
            return
        self.last = now
        end = "\n" if fraction >= 1.0 else ""
        self.stream.write(f"\r{fraction:6.1%}  {message[:60]:<60}{end}")
        self.stream.flush()


def _check_readable(paths: Sequence[str]) -> str | None:
    """A one-line message for the first file that cannot be read, else None."""
    for p in paths:
        try:
            with open(p, "rb") as fh:
                fh.read(0)
        except OSError as exc:
            return f"intl-metrics: cannot read {p}: {exc.strerror or exc}"
    return None


def _events_of(paths: Sequence[str], progress: _Progress | None = None) -> list[Event]:
    """Parse and label files, printing parse warnings as FILE:LINE: reason on stderr."""
    from intl_metrics.enrich import enrich
    from intl_metrics.enrich.places import Gazetteer
    from intl_metrics.parse import parse_file

    gaz = Gazetteer.default()
    events: list[Event] = []
    for i, path in enumerate(paths):
        result = parse_file(path)
        for warning in result.warnings:
            print(warning, file=sys.stderr)
        for note in result.notes:  # the encoding when not UTF-8, not text, no entry found
            print(f"{path}: {note}", file=sys.stderr)
        n = len(result.entries)
        for j, entry in enumerate(result.entries):
            events.append(enrich(entry, gaz))
            if progress and j % 5000 == 0:
                progress(
                    (i + j / max(n, 1)) / len(paths), f"{Path(path).name}: {j:,}/{n:,} entries"
                )
    if progress:
        progress(1.0, f"{len(events):,} events")
    return events


def _csv_row(record: dict) -> dict:
    """A record as CSV cells; text a spreadsheet would run as a formula is a value."""
    from intl_metrics.spreadsheet import safe_cell

    row = dict(record)
    for key in ("themes", "countries", "organisations", "projects"):
        row[key] = "; ".join(row[key])
    row["partners"] = json.dumps(row["partners"], ensure_ascii=False)
    row["source"] = f"{record['source']['file']}:{record['source']['line']}"
    return {key: safe_cell(value) for key, value in row.items()}


def cmd_parse(args: argparse.Namespace) -> int:
    if (message := _check_readable(args.files)) is not None:
        print(message, file=sys.stderr)
        return EXIT_USAGE
    events = _events_of(args.files, _Progress())
    out = sys.stdout
    if args.format == "csv":
        # CRLF line ends (RFC 4180): the csv module then quotes a cell holding a lone CR
        # (a file name can), which it leaves bare with "\n" ends, breaking the row
        writer = csv.DictWriter(out, fieldnames=list(EVENT_FIELDS), lineterminator="\r\n")
        writer.writeheader()
        for ev in events:
            writer.writerow(_csv_row(ev.to_dict()))
    else:
        for ev in events:
            out.write(json.dumps(ev.to_dict(), ensure_ascii=False) + "\n")
    return 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    from intl_metrics.evaluate import format_table, read_gold, score

    if (message := _check_readable([args.gold, *args.files])) is not None:
        print(message, file=sys.stderr)
        return EXIT_USAGE
    try:
        gold = read_gold(args.gold)
    except ValueError as exc:
        print(f"intl-metrics: {exc}", file=sys.stderr)
        return EXIT_USAGE
    scores = score(gold, _events_of(args.files))
    if args.json:
        print(json.dumps({s.name: round(s.value, 4) for s in scores}, indent=2))
    else:
        print(format_table(scores))
    return 0


def cmd_synth(args: argparse.Namespace) -> int:
    from intl_metrics.synth import write_synthetic

    if args.events < 0:
        print("intl-metrics: --events must be >= 0", file=sys.stderr)
        return EXIT_USAGE
    try:
        n = write_synthetic(args.out, args.events, args.seed, progress=_Progress())
    except OSError as exc:
        print(f"intl-metrics: cannot write {args.out}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_USAGE
    print(f"wrote {n:,} synthetic entries to {args.out}", file=sys.stderr)
    return 0


def _briefing_params(args: argparse.Namespace) -> dict[str, list[str]] | str:
    """The dashboard URL parameters the options mean, or a message naming the bad option."""
    from datetime import date

    from intl_metrics.schema import ACTIVITIES, FORMATS, THEMES
    from intl_metrics.viewstate import (
        PERIOD_SLUGS,
        month_range,
        parse_link,
        period_choice,
        quarter_range,
    )

    chosen = [
        option
        for option, given in (
            ("--from/--to", args.start or args.end),
            ("--period", args.period),
            ("--quarter", args.quarter),
            ("--month", args.month),
        )
        if given
    ]
    if len(chosen) > 1:
        return f"give one way of choosing the period, not {' and '.join(chosen)}"
    if args.limit < 1:
        return f"--limit must be at least 1, not {args.limit}"
    params = parse_link(args.link) if args.link else {}
    dates = {}
    for option, value in (("--from", args.start), ("--to", args.end)):
        if value is not None:
            try:
                dates[option] = date.fromisoformat(value)
            except ValueError:
                return f"{option} {value!r} is not a date (YYYY-MM-DD)"
    if len(dates) == 2 and dates["--from"] > dates["--to"]:
        return f"--from {args.start} is after --to {args.end}"
    if chosen:  # the options' period replaces the link's
        for name in ("period", "from", "to", "quarter", "month"):
            params.pop(name, None)
    if args.start or args.end:
        # one end alone runs to the archive's first or last date (filled in by the caller)
        params["from"] = [args.start or ""]
        params["to"] = [args.end or ""]
    if args.period:
        if period_choice(args.period) is None:
            return f"--period {args.period!r} is not one of: {', '.join(PERIOD_SLUGS)}"
        params["period"] = [args.period.lower()]
    if args.quarter:
        if quarter_range(args.quarter) is None:
            return f"--quarter {args.quarter!r} is not a quarter (YYYY-Qn, e.g. 2021-Q3)"
        params.update(period=["quarter"], quarter=[args.quarter])
    if args.month:
        if month_range(args.month) is None:
            return f"--month {args.month!r} is not a month (YYYY-MM, e.g. 2021-09)"
        params.update(period=["month"], month=[args.month])
    vocabularies = {"theme": THEMES, "format": FORMATS, "activity": ACTIVITIES}
    for name in ("theme", "format", "activity", "country", "city"):
        values = getattr(args, name) or []
        if name != "city":  # a place name may hold a comma ('Washington, D.C.')
            values = [v.strip() for value in values for v in value.split(",")]
        known = vocabularies.get(name)
        for value in values:
            if known is not None and value.lower() not in known:
                return f"--{name} {value!r} is not one of: {', '.join(known)}"
        if values:
            params.setdefault(name, [])
            params[name] += [v.lower() if known else v for v in values if v]
    if args.text:
        params["q"] = [args.text]
    return params


def _warm_up_images() -> None:
    """Draw a tiny chart in the background: Kaleido starts its chromium (~2-3 s) on the
    first drawing, and the briefing's charts come only after the agenda is read."""
    import threading

    def draw() -> None:
        try:
            import plotly.graph_objects as go

            from intl_metrics import export

            export.figure_bytes(go.Figure(), "png", scale=1, width=20, height=20)
        except Exception:  # no chromium: the briefing says so where its charts would be
            pass

    threading.Thread(target=draw, name="kaleido-warm-up", daemon=True).start()


def cmd_briefing(args: argparse.Namespace) -> int:
    from datetime import date

    from intl_metrics.briefing import FORMATS, make_briefing
    from intl_metrics.load import load_events
    from intl_metrics.query import data_range
    from intl_metrics.viewstate import from_params, query_string, to_filters

    out = Path(args.out)
    fmt = out.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        print(
            f"intl-metrics: --out {args.out}: the file must end in .pdf or .docx", file=sys.stderr
        )
        return EXIT_USAGE
    params = _briefing_params(args)
    if isinstance(params, str):
        print(f"intl-metrics: {params}", file=sys.stderr)
        return EXIT_USAGE
    if args.data and (message := _check_readable([p for p in args.data if not Path(p).is_dir()])):
        print(message, file=sys.stderr)
        return EXIT_USAGE
    t0 = time.perf_counter()
    if not args.no_images:
        _warm_up_images()  # chromium starts while the agenda is read
    ds = load_events(args.data or None, progress=_Progress())
    for warning in ds.warnings:
        print(warning, file=sys.stderr)
    for report in ds.files:
        if report.error:
            print(f"{report.path}: not read: {report.error}", file=sys.stderr)
    today = date.today()
    first, last = data_range(ds) or (today, today)
    if params.get("from") or params.get("to"):
        # one end given: the other is the archive's first or last date
        params["from"] = [params.get("from", [""])[-1] or first.isoformat()]
        params["to"] = [params.get("to", [""])[-1] or last.isoformat()]
    view = from_params(params)
    filters = to_filters(view, today, first, last)
    data = make_briefing(
        ds,
        filters,
        fmt,
        lang=args.lang,
        today=today,
        list_limit=args.limit,
        images=not args.no_images,
        link=query_string(view),
    )
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        # written whole or not at all: a reader never opens half a file
        partial = out.with_name(f".{out.name}.partial")
        partial.write_bytes(data)
        partial.replace(out)
    except OSError as exc:
        print(f"intl-metrics: cannot write {out}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_USAGE
    from intl_metrics.i18n import translator
    from intl_metrics.query import event_count, filter_dataset

    n = event_count(filter_dataset(ds, filters))
    period = translator("en").period(filters.start or first, filters.end or last)
    print(
        f"wrote {out} ({fmt.upper()}, {args.lang}, {n:,} event{'s' if n != 1 else ''}, {period}) "
        f"in {time.perf_counter() - t0:.1f} s",
        file=sys.stderr,
    )
    return 0


_EXIT_STATUSES = """exit status:
  0  done (fragments that could not be read are warnings, not failures)
  2  bad arguments, or a file that is missing or cannot be read
  130  interrupted (Ctrl-C)"""

_PARSE_EPILOG = f"""\
Every dated entry of each FILE becomes one record, with the fields of
shared/spec/events.md: ISO dates, partners as objects (name, kind, country,
lat, lon), source as {{"file", "line"}}. Files are read in the encoding they
were saved in (UTF-8 with or without BOM, UTF-16, Windows-1252/Latin-1).

stderr:
  FILE:LINE: reason   a fragment that looks like an entry but cannot be read
                      (an impossible date, a date without a title, a line that
                      goes on in lower case, a year before 1990 or after next
                      year); every other entry still comes out
  FILE: note          the encoding when it is not UTF-8; a file that holds no
                      entry or is not text
  progress            on a terminal only

{_EXIT_STATUSES}

examples:
  intl-metrics parse data/raw/*.txt > events.jsonl
  intl-metrics parse --format csv data/raw/*.txt > events.csv"""

_EVALUATE_EPILOG = f"""\
GOLD.jsonl holds one object per dated entry (file, line, dates, title, language,
format, activity, themes, partner_cities, countries, truncated), as in
shared/data/dev/gold.jsonl; entries are matched to the parse by file name and
line. Prints one score per field: entry recall and precision, dates, title,
format, activity, theme micro/macro F1, partner-city F1 and country F1.

stderr: the FILEs' parse warnings (FILE:LINE: reason) and notes (FILE: note),
as for `intl-metrics parse`; a malformed GOLD.jsonl is named with its line and
exits with status 2.

{_EXIT_STATUSES}

example:
  intl-metrics evaluate ../shared/data/dev/gold.jsonl ../shared/data/dev/dev*.txt"""

_SYNTH_EPILOG = f"""\
Writes N invented agenda entries in the City's three page layouts (glued
listings, bulleted archives, articles) and three languages, over 2007-2026,
for scale tests. The file's first line says it is synthetic; the dashboard
flags such data on every page and in every export. The same N and S always
give the same file.

stderr: a progress line on a terminal, then 'wrote N synthetic entries to FILE'.

{_EXIT_STATUSES}

example:
  intl-metrics synth --events 100000 --seed 1 --out /tmp/synth-100k.txt"""

_BRIEFING_EPILOG = f"""\
The period is one of --from/--to, --period, --quarter or --month (default: every
date); the other options narrow the events as the dashboard's sidebar does, and
--link takes all of them from a dashboard link (options given beside it win).
Data are read as the dashboard reads them (INTL_METRICS_DATA, else data/raw).

stderr: the files' parse warnings (FILE:LINE: reason), files that could not be
read, then 'wrote FILE (PDF, it, N events, PERIOD) in S s'.

{_EXIT_STATUSES}

examples:
  intl-metrics briefing --from 2021-09-01 --to 2021-10-31 --lang it --out briefing.pdf
  intl-metrics briefing --quarter 2021-Q4 --theme energy --lang en --out q4.docx
  intl-metrics briefing --link 'http://localhost:8501/map?period=last-quarter' --out q.pdf"""


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the `intl-metrics` command."""
    parser = argparse.ArgumentParser(
        prog="intl-metrics",
        description="Turn the City of Torino's international-affairs agenda into labelled events.",
        epilog="Run 'intl-metrics COMMAND --help' for a command's arguments, output and exit "
        "statuses.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    raw = argparse.RawDescriptionHelpFormatter

    p = sub.add_parser(
        "parse",
        help="parse agenda text files into one record per event",
        description="Parse agenda text files and label each entry: one record per event on stdout.",
        epilog=_PARSE_EPILOG,
        formatter_class=raw,
    )
    p.add_argument("files", nargs="+", metavar="FILE", help="agenda text files (any number)")
    p.add_argument(
        "--format",
        choices=("jsonl", "csv"),
        default="jsonl",
        help="jsonl: one JSON object per line (default); csv: a header row, then one row per "
        "event, list fields joined with '; ', partners as a JSON list, source as FILE:LINE, "
        "and any cell starting with = + - @ (a spreadsheet formula) prefixed with '",
    )
    p.set_defaults(func=cmd_parse)

    e = sub.add_parser(
        "evaluate",
        help="score a parse against gold labels",
        description="Parse and label FILEs, then score the labels against GOLD.jsonl.",
        epilog=_EVALUATE_EPILOG,
        formatter_class=raw,
    )
    e.add_argument("gold", metavar="GOLD.jsonl", help="the gold labels, one JSON object a line")
    e.add_argument(
        "files", nargs="+", metavar="FILE", help="the agenda files the gold labels describe"
    )
    e.add_argument(
        "--json",
        action="store_true",
        help="print the scores as one JSON object (field: score) instead of a table",
    )
    e.set_defaults(func=cmd_evaluate)

    s = sub.add_parser(
        "synth",
        help="write synthetic agenda text for scale tests",
        description="Write a synthetic agenda file for scale tests (never the City's data).",
        epilog=_SYNTH_EPILOG,
        formatter_class=raw,
    )
    s.add_argument(
        "--events", type=int, required=True, metavar="N", help="how many entries (required)"
    )
    s.add_argument(
        "--seed",
        type=int,
        default=0,
        metavar="S",
        help="random seed: the same N and S give the same file (default: 0)",
    )
    s.add_argument(
        "--out", required=True, metavar="FILE", help="where to write (required; overwritten)"
    )
    s.set_defaults(func=cmd_synth)

    _add_briefing(sub)
    return parser


def _add_briefing(sub: argparse._SubParsersAction) -> None:
    from intl_metrics.briefing import LIST_LIMIT
    from intl_metrics.i18n import LANGUAGES, environment_language
    from intl_metrics.schema import ACTIVITIES, FORMATS, THEMES

    b = sub.add_parser(
        "briefing",
        help="write the cabinet's briefing of a period as an A4 PDF or an editable DOCX",
        description=(
            "Write the briefing of the events of a period: headline figures against the "
            "previous period of the same length, highlights, one section per activity in the "
            "order of the City's annual report, the partner map, the theme and format "
            "breakdowns and a note on sources and credits. The filters are the dashboard's: "
            "the options below, or a dashboard link with --link."
        ),
        epilog=_BRIEFING_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    b.add_argument("--out", required=True, metavar="FILE", help="FILE.pdf or FILE.docx")
    lang = environment_language()
    b.add_argument(
        "--lang",
        choices=LANGUAGES,
        default=lang,
        help=f"language of the briefing (default from the environment's LANG: {lang})",
    )
    b.add_argument("--from", dest="start", metavar="YYYY-MM-DD", help="first day of the period")
    b.add_argument(
        "--to",
        dest="end",
        metavar="YYYY-MM-DD",
        help="last day of the period (one end alone runs to the archive's first/last date)",
    )
    b.add_argument(
        "--period",
        metavar="NAME",
        # spelt out: the period names live with the query code, which loads pandas
        help="a dashboard period instead of dates: all, this-year, last-12-months, "
        "this-quarter, last-quarter, this-month, last-month",
    )
    b.add_argument("--quarter", metavar="YYYY-Qn", help="a calendar quarter, e.g. 2021-Q3")
    b.add_argument("--month", metavar="YYYY-MM", help="a calendar month, e.g. 2021-09")
    b.add_argument(
        "--theme", action="append", metavar="THEME", help=f"repeatable: {', '.join(THEMES)}"
    )
    b.add_argument(
        "--format",
        action="append",
        metavar="FORMAT",
        help=f"event format, repeatable: {', '.join(FORMATS)}",
    )
    b.add_argument(
        "--activity",
        action="append",
        metavar="ACTIVITY",
        help=f"repeatable: {', '.join(ACTIVITIES)}",
    )
    b.add_argument(
        "--country", action="append", metavar="CODE", help="partner country, ISO code (FR, BE...)"
    )
    b.add_argument("--city", action="append", metavar="NAME", help="partner city or place")
    b.add_argument("--text", "--q", dest="text", metavar="WORDS", help="words in the events")
    b.add_argument(
        "--link",
        metavar="URL",
        help="a dashboard link (or its ?query part): its filters, then the options above",
    )
    b.add_argument(
        "--data",
        action="append",
        metavar="PATH",
        help="agenda files or folders (default: INTL_METRICS_DATA, else data/raw)",
    )
    b.add_argument(
        "--limit",
        type=int,
        default=LIST_LIMIT,
        metavar="N",
        help=f"events listed per section before it is summarised (default {LIST_LIMIT})",
    )
    b.add_argument(
        "--no-images", action="store_true", help="leave out the charts and the map (faster)"
    )
    b.set_defaults(func=cmd_briefing)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script."""
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `intl-metrics parse ... | head`: the reader left; not an error of ours.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
