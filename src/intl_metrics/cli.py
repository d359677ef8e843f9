"""`intl-metrics parse | evaluate | synth | ingest | relabel | export | import`."""

from __future__ import annotations

import argparse
import csv
import getpass
import json
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from intl_metrics.schema import EVENT_FIELDS, Event

EXIT_USAGE = 2
EXIT_FAILED = 1  # the command ran and could not do its work (nothing was written)


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


# ---------------------------------------------------------------------------- the store


def _who(args: argparse.Namespace) -> str:
    """Who writes, for the audit: --user, else $USER, else the login name."""
    if args.user:
        return args.user
    try:
        return os.environ.get("USER") or getpass.getuser()
    except (KeyError, OSError):
        return "cli"


def _open(args: argparse.Namespace):  # -> Store
    from intl_metrics.store import open_store

    return open_store(args.db)


def _print_changes(report, verbose: bool) -> None:  # IngestReport
    marks = (("+", report.new), ("~", report.changed), ("-", report.withdrawn))
    for mark, changes in marks:
        for c in changes:
            extra = f"  ({', '.join(c.fields)})" if c.fields else ""
            print(f"  {mark} {c.id}  {c.start_date.isoformat()}  {c.title}{extra}")
    for c in report.restored:
        print(f"  ^ {c.id}  {c.start_date.isoformat()}  {c.title}  (restored)")
    if verbose and report.unchanged:
        print(f"  = {report.unchanged:,} unchanged")


def cmd_ingest(args: argparse.Namespace) -> int:
    from intl_metrics.store import StoreError, ingest, read_document

    docs = []
    status = 0
    for path in args.files:
        try:
            docs.append(read_document(path))
        except OSError as exc:
            print(f"intl-metrics: cannot read {path}: {exc.strerror or exc}", file=sys.stderr)
            status = EXIT_USAGE
    if status:
        return status  # nothing is written when a file named cannot be read
    try:
        store = _open(args)
        for doc in docs:
            report = ingest(store, doc, _who(args), dry_run=args.dry_run, progress=_Progress())
            for warning in report.warnings:
                print(warning, file=sys.stderr)
            for note in report.notes:  # the encoding when not UTF-8, not text, no entry
                print(f"{doc.origin or doc.name}: {note}", file=sys.stderr)
            if report.problem:
                status = EXIT_FAILED
            print(report.summary())
            _print_changes(report, args.verbose)
    except StoreError as exc:
        print(f"intl-metrics: {exc}", file=sys.stderr)
        return EXIT_FAILED
    return status


def cmd_relabel(args: argparse.Namespace) -> int:
    from intl_metrics.store import StoreError, relabel

    try:
        report = relabel(_open(args), _who(args), dry_run=args.dry_run, progress=_Progress())
    except StoreError as exc:
        print(f"intl-metrics: {exc}", file=sys.stderr)
        return EXIT_FAILED
    for line in report.lines():
        print(line)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from intl_metrics.store import StoreError, export_store

    try:
        report = export_store(_open(args), args.out, progress=_Progress())
    except OSError as exc:
        print(f"intl-metrics: cannot write {args.out}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_USAGE
    except StoreError as exc:
        print(f"intl-metrics: {exc}", file=sys.stderr)
        return EXIT_FAILED
    print(f"exported {report.line()}")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from intl_metrics.store import StoreError, import_store

    if (message := _check_readable([args.path])) is not None:
        print(message, file=sys.stderr)
        return EXIT_USAGE
    try:
        report = import_store(_open(args), args.path, _who(args), progress=_Progress())
    except StoreError as exc:
        print(f"intl-metrics: {exc}", file=sys.stderr)
        return EXIT_FAILED
    print(f"imported {report.line()}")
    return 0


_STORE_HELP = """\
The store is the database named by --db, else by INTL_METRICS_DB (a SQLAlchemy URL
such as postgresql+psycopg://user:password@host:5432/intl_metrics, or the path of a
SQLite file), else the SQLite file data/intl-metrics.db of the checkout, created on
first use. Writes are recorded in the audit log under --user, else $USER.

exit status: 0 done; 1 the store could not be opened or written (nothing was written),
or (ingest) a file was not text and was left out;
2 bad usage or a file that cannot be read (nothing was written)."""


def _store_options(p: argparse.ArgumentParser, *, writes: bool = True) -> None:
    p.add_argument(
        "--db", metavar="URL", help="the store's database URL (default: $INTL_METRICS_DB)"
    )
    if writes:
        p.add_argument(
            "--user", metavar="NAME", help="who writes, for the audit log (default: $USER)"
        )


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

    fmt = argparse.RawDescriptionHelpFormatter
    i = sub.add_parser(
        "ingest",
        help="bring agenda text and saved pages into the store",
        formatter_class=fmt,
        description="Ingest agenda files into the store: text (.txt) or pages saved from "
        "the City's site as HTML (.html/.htm, read as the text a browser shows). Each file "
        "is one source, named by its file name. Its entries are compared with the store: "
        "new events are added, changed ones updated (the old version kept in their "
        "history), unchanged ones left as they are, and events that a new version of the "
        "same source no longer holds are marked withdrawn, never deleted. The same file "
        "twice writes nothing. Each file is one transaction.\n\n"
        "Prints one summary line per file and a line per event that changes "
        "(+ new, ~ changed, - withdrawn, ^ restored). Parse warnings go to stderr as "
        "FILE:LINE: reason; the rest of the file is still ingested.\n\n" + _STORE_HELP,
    )
    i.add_argument("files", nargs="+", metavar="FILE", help="agenda text or saved HTML pages")
    i.add_argument(
        "--dry-run", action="store_true", help="print what would change and write nothing"
    )
    i.add_argument("-v", "--verbose", action="store_true", help="also count unchanged events")
    _store_options(i)
    i.set_defaults(func=cmd_ingest)

    r = sub.add_parser(
        "relabel",
        help="label every stored entry again after a rules change",
        formatter_class=fmt,
        description="Run the labellers again on every stored entry (after a change to "
        "data/rules, data/gazetteer or the labellers), in one transaction, and print per "
        "field how many events' labels changed. Labels are stored with the rules version "
        "that made them; the old ones stay in the store's history.\n\n" + _STORE_HELP,
    )
    r.add_argument(
        "--dry-run", action="store_true", help="count what would change and write nothing"
    )
    _store_options(r)
    r.set_defaults(func=cmd_relabel)

    x = sub.add_parser(
        "export",
        help="write the whole store to one file",
        formatter_class=fmt,
        description="Write every source, event, entry, label set, occurrence and audit row "
        "of the store to one JSON Lines file (gzip-compressed when PATH ends in .gz), read "
        "in one consistent transaction. `intl-metrics import` reads it back into an empty "
        "store, on SQLite or PostgreSQL.\n\n" + _STORE_HELP,
    )
    x.add_argument("--out", required=True, metavar="PATH", help="the file to write")
    _store_options(x, writes=False)
    x.set_defaults(func=cmd_export)

    m = sub.add_parser(
        "import",
        help="read an export into an empty store",
        formatter_class=fmt,
        description="Read a file written by `intl-metrics export` into the store, which must "
        "be empty (a new SQLite file or PostgreSQL database). One transaction: a file that "
        "is cut short or damaged imports nothing.\n\n" + _STORE_HELP,
    )
    m.add_argument("path", metavar="PATH", help="a file written by intl-metrics export")
    _store_options(m)
    m.set_defaults(func=cmd_import)
    return parser


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
