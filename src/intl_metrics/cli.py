"""`intl-metrics`: the data layer on the command line, and the parser of every command.

``parse``, ``evaluate``, ``explain``, ``synth`` and ``briefing`` live here; the commands
that read or write the events store (``ingest``, ``relabel``, ``export``, ``import``,
``users``, ``export-gold``) in ``cli_store``."""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from intl_metrics.cli_common import EXIT_FAILED, EXIT_USAGE, check_readable  # noqa: F401
from intl_metrics.cli_common import Progress as _Progress
from intl_metrics.cli_store import add_store_commands
from intl_metrics.schema import EVENT_FIELDS, EVIDENCE_COLUMNS, Entry, Event, Place

if TYPE_CHECKING:
    from intl_metrics.enrich.gazetteer import Gazetteer

_T = TypeVar("_T")
_check_readable = check_readable


def _labelled(
    paths: Sequence[str],
    convert: Callable[[Sequence[Entry], Gazetteer], list[_T]],
    progress: _Progress | None = None,
) -> Iterator[list[_T]]:
    """Each file's entries labelled and converted, chunk by chunk in file order (a large
    file in worker processes); parse warnings as FILE:LINE: reason and each file's notes
    (its encoding when not UTF-8, not text, no entry found) on stderr."""
    from intl_metrics.labelling import labelled_chunks
    from intl_metrics.parse.sources import read_agenda, source_notes

    total = 0
    for i, path in enumerate(paths):
        source = read_agenda(path)
        name = Path(path).name
        count = 0
        for chunk, warnings in labelled_chunks(source.text, name, convert):
            for warning in warnings:
                print(warning, file=sys.stderr)
            count += len(chunk)
            yield chunk
            if progress:
                progress(i / len(paths), f"{name}: {count:,} entries")
        for note in source_notes(source, count):
            print(f"{path}: {note}", file=sys.stderr)
        total += count
    if progress:
        progress(1.0, f"{total:,} events")


def _events(entries: Sequence[Entry], gaz: Gazetteer) -> list[Event]:
    from intl_metrics.enrich import enrich_all

    return enrich_all(entries, gaz)


def _jsonl_lines(entries: Sequence[Entry], gaz: Gazetteer) -> list[str]:
    """Worker side: each entry's event as one JSON line."""
    from intl_metrics.enrich import enrich_batches

    return [event_json(ev) + "\n" for batch in enrich_batches(entries, gaz) for ev in batch]


_STR = json.encoder.encode_basestring  # the encoder json.dumps(ensure_ascii=False) uses
# What repeats from event to event, as JSON text made once: an evidence's field, label,
# rule and where (a few thousand combinations), and a partner place (a gazetteer object,
# kept here with its text so that its id is never another object's).
_HEADS: dict[tuple, str] = {}
_PLACES: dict[int, tuple[Place, str]] = {}
_CACHED = 100_000  # texts kept in each; past that they are made anew


def _strs(values: Sequence[str]) -> str:
    return "[" + ", ".join(map(_STR, values)) + "]"


def _int(value: int | None) -> str:
    return "null" if value is None else int.__repr__(value)


def _place_json(p: Place) -> str:
    known = _PLACES.get(id(p))
    if known is not None and known[0] is p:
        return known[1]
    if len(_PLACES) > _CACHED:
        _PLACES.clear()
    enc = _STR
    text = (
        f'{{"name": {enc(p.name)}, "kind": {enc(p.kind)}, "country": {enc(p.country)}, '
        f'"lat": {float.__repr__(p.lat)}, "lon": {float.__repr__(p.lon)}}}'
    )
    _PLACES[id(p)] = (p, text)
    return text


def event_json(ev: Event) -> str:
    """``json.dumps(ev.to_dict(), ensure_ascii=False)``, written out directly: the same
    text at a third of the cost (no intermediate dicts), for large outputs."""
    enc = _STR
    partners = ", ".join(map(_place_json, ev.partners))
    evidence = []
    heads = _HEADS
    for e in ev.evidence:
        key = e[:4]  # field, label, rule, where
        head = heads.get(key)
        if head is None:
            if len(heads) > _CACHED:
                heads.clear()
            head = heads[key] = (
                f'{{"field": {enc(e.field)}, "label": {enc(e.label)}, "rule": {enc(e.rule)}, '
                f'"where": {enc(e.where)}, "start": '
            )
        evidence.append(f'{head}{_int(e.start)}, "end": {_int(e.end)}, "text": {enc(e.text)}}}')
    return (
        f'{{"id": {enc(ev.id)}, "start_date": "{ev.start_date.isoformat()}", '
        f'"end_date": "{ev.end_date.isoformat()}", "title": {enc(ev.title)}, '
        f'"description": {enc(ev.description)}, "language": {enc(ev.language)}, '
        f'"format": {enc(ev.format)}, "activity": {enc(ev.activity)}, '
        f'"themes": {_strs(ev.themes)}, "partners": [{partners}], '
        f'"countries": {_strs(ev.countries)}, "organisations": {_strs(ev.organisations)}, '
        f'"projects": {_strs(ev.projects)}, "source": {{"file": {enc(ev.source.file)}, '
        f'"line": {_int(ev.source.line)}}}, "evidence": [{", ".join(evidence)}], '
        f'"needs_review": {"true" if ev.needs_review else "false"}}}'
    )


# CRLF line ends (RFC 4180): the csv module then quotes a cell holding a lone CR (a file
# name can), which it leaves bare with "\n" ends, breaking the row.
_CSV_FIELDS = [*EVENT_FIELDS, *EVIDENCE_COLUMNS]
_CSV_LINE_END = "\r\n"


def _csv_lines(entries: Sequence[Entry], gaz: Gazetteer) -> list[str]:
    """Worker side: each entry's event as one CSV row."""
    from intl_metrics.enrich import enrich_batches

    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=_CSV_FIELDS, lineterminator=_CSV_LINE_END)
    rows = []
    for ev in (ev for batch in enrich_batches(entries, gaz) for ev in batch):
        writer.writerow(_csv_row(ev.to_dict()))
        rows.append(buffer.getvalue())
        buffer.seek(0)
        buffer.truncate()
    return rows


def _events_of(paths: Sequence[str], progress: _Progress | None = None) -> list[Event]:
    """Parse and label files, printing parse warnings as FILE:LINE: reason on stderr."""
    return [ev for chunk in _labelled(paths, _events, progress) for ev in chunk]


def _csv_row(record: dict) -> dict:
    """A record as CSV cells; text a spreadsheet would run as a formula is a value."""
    from intl_metrics.spreadsheet import safe_cell

    row = dict(record)
    for key in ("themes", "countries", "organisations", "projects"):
        row[key] = "; ".join(row[key])
    row["partners"] = json.dumps(row["partners"], ensure_ascii=False)
    row["source"] = f"{record['source']['file']}:{record['source']['line']}"
    row["evidence"] = json.dumps(row["evidence"], ensure_ascii=False)
    row["needs_review"] = "true" if record["needs_review"] else "false"
    return {key: safe_cell(value) for key, value in row.items()}


def cmd_parse(args: argparse.Namespace) -> int:
    if (message := _check_readable(args.files)) is not None:
        print(message, file=sys.stderr)
        return EXIT_USAGE
    out = sys.stdout
    if args.format == "csv":
        out.write(",".join(_CSV_FIELDS) + _CSV_LINE_END)
        convert = _csv_lines
    else:
        convert = _jsonl_lines
    for chunk in _labelled(args.files, convert, _Progress()):
        out.write("".join(chunk))
    return 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    from intl_metrics.evaluate import evaluate, format_report, read_gold

    if (message := _check_readable([args.gold, *args.files])) is not None:
        print(message, file=sys.stderr)
        return EXIT_USAGE
    try:
        gold = read_gold(args.gold)
    except ValueError as exc:
        print(f"intl-metrics: {exc}", file=sys.stderr)
        return EXIT_USAGE
    evaluation = evaluate(gold, _events_of(args.files))
    if args.json:
        print(json.dumps(evaluation.to_dict(), indent=2, ensure_ascii=False))
    else:
        print(format_report(evaluation))
    return 0


def cmd_explain(args: argparse.Namespace) -> int:
    from intl_metrics.enrich import enrich
    from intl_metrics.enrich.places import PlaceReader
    from intl_metrics.explain import explain_event, printable
    from intl_metrics.parse import parse_file

    path, sep, line_text = args.where.rpartition(":")
    if not sep or not path or not line_text.isdigit() or int(line_text) < 1:
        print(
            f"intl-metrics: {printable(args.where)}: give FILE:LINE (LINE from 1)", file=sys.stderr
        )
        return EXIT_USAGE
    if (message := _check_readable([path])) is not None:
        print(message, file=sys.stderr)
        return EXIT_USAGE
    line = int(line_text)
    entries = parse_file(path).entries
    # The entry that starts at the line, else the one the line belongs to.
    found = [e for e in entries if e.source.line <= line]
    if not found:
        first = f" (the first starts at line {entries[0].source.line})" if entries else ""
        print(f"intl-metrics: {printable(path)}:{line}: no entry there{first}", file=sys.stderr)
        return EXIT_USAGE
    entry = max(found, key=lambda e: e.source.line)
    event = enrich(entry)
    aside = PlaceReader.of().read(entry.title, entry.description, entry.language, passed_over=True)
    print(explain_event(event, aside.passed_over, color=sys.stdout.isatty()))
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
    ds = load_events(args.data or None, db=args.db, progress=_Progress())
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
lat, lon), source as {{"file", "line"}}; then evidence (for each label: field,
label, rule, where, start, end, text, the words the rule read) and needs_review
(true when a label is a default, two rules disagreed or a place name was a close
call). Files are read in the encoding they were saved in (UTF-8 with or without
BOM, UTF-16, Windows-1252/Latin-1). A large file is read by one worker process
per CPU.

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
line. A line {{"file", "line", "not_event": true}} says there is no event at that
line (a prediction there is an error); a line with "duplicate_of" is left out of
every score; a line with "partial": true says the gold of its file names only some
of its entries, and a prediction at a line it does not name is not scored
(`intl-metrics export-gold` writes such lines from the staff's decisions).
Prints one score per field (entry recall and precision, dates, title, format,
activity, theme micro/macro F1, partner-city F1, country F1) beside its target,
the confusion of activity and of format, each theme's precision, recall and F1,
and every error as FILE:LINE field: expected X, got Y (rule, "span").

stderr: the FILEs' parse warnings (FILE:LINE: reason) and notes (FILE: note),
as for `intl-metrics parse`; a malformed GOLD.jsonl is named with its line and
exits with status 2.

{_EXIT_STATUSES}

example:
  intl-metrics evaluate ../shared/data/dev/gold.jsonl ../shared/data/dev/dev*.txt"""

_EXPLAIN_EPILOG = f"""\
Parses FILE, labels the entry that starts at LINE (or the one LINE belongs to)
and prints its title and description with the words each rule read marked
[like this]n (bold on a terminal), then one row per label: field, label, rule
and the words read; then the place names read and set aside (a consulate's
seat, a person's name, a city named in passing) with the rule that set them
aside; then whether the event needs review, and why.

stderr: a line that is not FILE:LINE, or no entry at or before LINE.

{_EXIT_STATUSES}

example:
  intl-metrics explain data/raw/agenda-2021-09-10.txt:9"""

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
Data are read as the dashboard reads them: the events store (--db, else
INTL_METRICS_DB), after bringing in the files of INTL_METRICS_DATA, else data/raw.
Labels staff corrected are shown corrected, entries marked not an event or a
duplicate are left out, and the closing note says how many labels staff corrected.

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
        help="print the evaluation as one JSON object (scores, confusion, themes, errors)",
    )
    e.set_defaults(func=cmd_evaluate)

    x = sub.add_parser(
        "explain",
        help="show one entry's labels with the rule and the words behind each",
        description="Show the entry at FILE:LINE (or holding that line): its labels, the "
        "rule that gave each and the words it read, marked in the text; the place names "
        "set aside and why; whether it needs review.",
        epilog=_EXPLAIN_EPILOG,
        formatter_class=raw,
    )
    x.add_argument("where", metavar="FILE:LINE", help="the file and a line of the entry")
    x.set_defaults(func=cmd_explain)

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

    add_store_commands(sub)
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
        "--db",
        metavar="URL",
        help="the events store, whose corrections the briefing shows (default: "
        "$INTL_METRICS_DB, else data/intl-metrics.db)",
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
