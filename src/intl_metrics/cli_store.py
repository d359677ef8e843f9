"""`intl-metrics ingest | relabel | export | import | users | export-gold`: the commands
that read or write the events store (``cli.py`` builds the parser and adds these)."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from intl_metrics.cli_common import EXIT_FAILED, EXIT_USAGE, Progress, check_readable

if TYPE_CHECKING:
    from intl_metrics.store import IngestReport, Store

__all__ = ["add_store_commands"]


def _who(args: argparse.Namespace) -> str:
    """Who writes, for the audit: --user, else $USER, else the login name."""
    if args.user:
        return args.user
    try:
        return os.environ.get("USER") or getpass.getuser()
    except (KeyError, OSError):
        return "cli"


def _open(args: argparse.Namespace) -> Store:
    from intl_metrics.store import open_store

    return open_store(args.db)


def _fail(message: str, status: int = EXIT_FAILED) -> int:
    print(f"intl-metrics: {message}", file=sys.stderr)
    return status


# ------------------------------------------------------------------ ingest, relabel, ...


def _print_changes(report: IngestReport, verbose: bool) -> None:
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
            report = ingest(store, doc, _who(args), dry_run=args.dry_run, progress=Progress())
            for warning in report.warnings:
                print(warning, file=sys.stderr)
            for note in report.notes:  # the encoding when not UTF-8, not text, no entry
                print(f"{doc.origin or doc.name}: {note}", file=sys.stderr)
            if report.problem:
                status = EXIT_FAILED
            print(report.summary())
            _print_changes(report, args.verbose)
    except StoreError as exc:
        return _fail(str(exc))
    return status


def cmd_relabel(args: argparse.Namespace) -> int:
    from intl_metrics.store import StoreError, relabel

    try:
        report = relabel(_open(args), _who(args), dry_run=args.dry_run, progress=Progress())
    except StoreError as exc:
        return _fail(str(exc))
    for line in report.lines():
        print(line)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from intl_metrics.store import StoreError, export_store

    try:
        report = export_store(_open(args), args.out, progress=Progress())
    except OSError as exc:
        return _fail(f"cannot write {args.out}: {exc.strerror or exc}", EXIT_USAGE)
    except StoreError as exc:
        return _fail(str(exc))
    print(f"exported {report.line()}")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from intl_metrics.store import StoreError, import_store

    if (message := check_readable([args.path])) is not None:
        print(message, file=sys.stderr)
        return EXIT_USAGE
    try:
        report = import_store(_open(args), args.path, _who(args), progress=Progress())
    except StoreError as exc:
        return _fail(str(exc))
    print(f"imported {report.line()}")
    return 0


# -------------------------------------------------------------------------- accounts


class _NoPassword(Exception):
    """No password could be read; the message says why."""


def _password(args: argparse.Namespace, name: str) -> str:
    """The new password: one line of stdin with --password-stdin, else asked twice."""
    if args.password_stdin:
        line = sys.stdin.readline()
        if not line:
            raise _NoPassword("--password-stdin: stdin is empty, give the password on one line")
        return line.rstrip("\r\n")
    if not sys.stdin.isatty():
        raise _NoPassword(
            "no terminal to ask the password on: give it on stdin with --password-stdin"
        )
    try:
        first = getpass.getpass(f"New password for {name}: ")
        again = getpass.getpass("The password again: ")
    except EOFError:
        raise _NoPassword("no password given") from None
    if first != again:
        raise _NoPassword("the two passwords differ")
    return first


def _account(args: argparse.Namespace, write) -> int:  # write: (store, who) -> message
    from intl_metrics.store import StoreError
    from intl_metrics.store.users import AccountError

    try:
        message = write(_open(args), _who(args))
    except _NoPassword as exc:
        return _fail(f"{exc}: nothing was changed", EXIT_USAGE)
    except AccountError as exc:
        return _fail(f"{exc}: nothing was changed")
    except StoreError as exc:
        return _fail(str(exc))
    print(message)
    return 0


def cmd_users_add(args: argparse.Namespace) -> int:
    from intl_metrics.store.users import AccountError, add_user, check_name, list_users

    def write(store: Store, who: str) -> str:
        # a bad or taken name is said before a password is asked (add_user checks again)
        name = check_name(args.name)
        if name in {u.name for u in list_users(store)}:
            raise AccountError(f"the user {name!r} exists already")
        add_user(store, who, name, args.role, _password(args, name))
        return f"added {name} ({args.role})"

    return _account(args, write)


def cmd_users_passwd(args: argparse.Namespace) -> int:
    from intl_metrics.store.users import AccountError, list_users, set_password

    def write(store: Store, who: str) -> str:
        if args.name not in {u.name for u in list_users(store)}:
            raise AccountError(f"there is no user {args.name!r}")
        set_password(store, who, args.name, _password(args, args.name))
        return f"changed the password of {args.name}; every session of the account ended"

    return _account(args, write)


def cmd_users_disable(args: argparse.Namespace) -> int:
    from intl_metrics.store.users import set_disabled

    def write(store: Store, who: str) -> str:
        set_disabled(store, who, args.name, True)
        return f"disabled {args.name}: the account cannot log in, its sessions ended"

    return _account(args, write)


def cmd_users_enable(args: argparse.Namespace) -> int:
    from intl_metrics.store.users import set_disabled

    def write(store: Store, who: str) -> str:
        set_disabled(store, who, args.name, False)
        return f"enabled {args.name}"

    return _account(args, write)


def cmd_users_role(args: argparse.Namespace) -> int:
    from intl_metrics.store.users import set_role

    def write(store: Store, who: str) -> str:
        set_role(store, who, args.name, args.role)
        return f"{args.name} is now {args.role}"

    return _account(args, write)


def cmd_users_list(args: argparse.Namespace) -> int:
    from intl_metrics.store import StoreError
    from intl_metrics.store.users import list_users

    try:
        accounts = list_users(_open(args))
    except StoreError as exc:
        return _fail(str(exc))
    if not accounts:
        print("no accounts: add one with `intl-metrics users add NAME --role admin`")
        return 0
    rows = [("NAME", "ROLE", "STATUS", "CREATED", "BY", "LAST LOGIN")]
    for u in accounts:
        rows.append(
            (
                u.name,
                u.role,
                "disabled" if u.disabled else "enabled",
                f"{u.created_at.astimezone():%Y-%m-%d %H:%M}",
                u.created_by,
                f"{u.last_login_at.astimezone():%Y-%m-%d %H:%M}" if u.last_login_at else "never",
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for r in rows:
        print("  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip())
    return 0


# ----------------------------------------------------------------------------- gold


def _write_whole(path: Path, text: str) -> None:
    """Written whole or not at all: a reader never opens half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    with open(partial, "w", encoding="utf-8", newline="") as fh:
        fh.write(text)
    partial.replace(path)


def cmd_export_gold(args: argparse.Namespace) -> int:
    import json

    from intl_metrics.store import StoreError
    from intl_metrics.store.gold import gold_labels, source_texts

    try:
        store = _open(args)
        report = gold_labels(store, reviewed_only=args.reviewed_only)
        texts = source_texts(store, report.sources) if args.sources else {}
    except StoreError as exc:
        return _fail(str(exc))
    if not report.lines:
        what = "reviewed" if args.reviewed_only else "corrected or reviewed"
        return _fail(f"no event of the store was {what} yet: no gold label to write")
    body = "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in report.lines)
    target = "stdout"
    try:
        if args.out in (None, "-"):
            sys.stdout.write(body)
        else:
            _write_whole(Path(args.out), body)
            target = args.out
        for name, text in texts.items():
            if Path(name).name != name or name in (".", ".."):
                print(f"intl-metrics: source {name!r} is not a file name: not written",
                      file=sys.stderr)  # fmt: skip
                continue
            _write_whole(Path(args.sources) / name, text)
    except OSError as exc:
        return _fail(f"cannot write {exc.filename or args.out}: {exc.strerror or exc}", EXIT_USAGE)
    print(f"wrote {report.summary()} to {target}", file=sys.stderr)
    if args.sources:
        print(
            f"wrote the text of {len(texts):,} source file{'s' if len(texts) != 1 else ''} "
            f"to {args.sources}; score with:\n"
            f"  intl-metrics evaluate {args.out or 'GOLD.jsonl'} {args.sources}/*",
            file=sys.stderr,
        )
    return 0


# ----------------------------------------------------------------------------- parser

_STORE_HELP = """\
The store is the database named by --db, else by INTL_METRICS_DB (a SQLAlchemy URL
such as postgresql+psycopg://user:password@host:5432/intl_metrics, or the path of a
SQLite file), else the SQLite file data/intl-metrics.db of the checkout, created on
first use. Writes are recorded in the audit log under --user, else $USER.

exit status: 0 done; 1 the store could not be opened or written (nothing was written),
or (ingest) a file was not text and was left out;
2 bad usage or a file that cannot be read (nothing was written)."""

_USERS_HELP = """\
Accounts of the dashboard: viewers need none; an editor logs in to ingest, correct,
undo and review; an admin also manages accounts (and may relabel and import from
the dashboard). Passwords are hashed with argon2id and are at least 10 characters;
a new password, like disabling an account, ends every session of the account at once.
The last enabled admin cannot be disabled or made an editor. Every change is a row of
the audit log under --user, else $USER.

The store is the database named by --db, else by INTL_METRICS_DB, else the SQLite
file data/intl-metrics.db of the checkout.

exit status: 0 done; 1 refused (a taken or unknown name, a short password, the last
admin) or the store could not be opened: nothing was changed; 2 bad usage, or no
password could be read.

examples:
  intl-metrics users add carla --role admin
  printf '%s\\n' "$NEW_PASSWORD" | intl-metrics users add ann --role editor --password-stdin
  intl-metrics users passwd ann
  intl-metrics users disable ann
  intl-metrics users list"""


_GOLD_HELP = """\
Which events are written (standing events of a current source):
  - every event with a correction in force: its line holds what the dashboard shows,
    the corrected fields and the machine's other labels, which the editor saw and left;
  - every event reviewed as it stands in the Review page (confirmed, or corrected
    there), on its current text and labels;
  - an entry marked 'not an event': a line {"file", "line", "not_event": true}:
    `intl-metrics evaluate` counts the machine's event at that line as an entry it
    should not have made (entry precision);
  - an entry marked 'duplicate of' another: a line {"file", "line", "duplicate_of": ID}:
    not scored either way (the entry is real text; its labels are decided on the event
    it repeats).
With --reviewed-only, events corrected outside the Review page are left out, so every
scored label was looked at; the two marks above are still written.

An event is written once per current source holding it, by file name and line, the
key `intl-metrics evaluate` matches on; it parses and labels the files anew, so a label
staff corrected is scored as a machine error until the rules give it. Every line says
"partial": true (staff decide on some entries of a page, not all): evaluate scores no
prediction at a line the gold does not name. Extra keys (event_id, corrected,
reviewed) say where each line comes from; evaluate skips them.
Relabel first for the uncorrected labels to be the current rules' own.
--sources DIR writes the text of each source as the store read it, so the evaluation
needs no other copy of the files; for a saved page (HTML) that is its visible text, and
its gold lines are numbered on that text (evaluate reads text, not HTML).

stderr: a summary (events scored, corrected, confirmed, not events, duplicates).

exit status: 0 done; 1 the store could not be opened, or no event was corrected or
reviewed yet (nothing written); 2 a file that cannot be written.

examples:
  intl-metrics export-gold --out gold.jsonl --sources /tmp/sources
  intl-metrics evaluate gold.jsonl /tmp/sources/*"""


def _store_options(p: argparse.ArgumentParser, *, writes: bool = True) -> None:
    p.add_argument(
        "--db", metavar="URL", help="the store's database URL (default: $INTL_METRICS_DB)"
    )
    if writes:
        p.add_argument(
            "--user", metavar="NAME", help="who writes, for the audit log (default: $USER)"
        )


def _password_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from the first line of stdin (for scripts) instead of "
        "asking for it twice on the terminal",
    )


def _add_users(sub: argparse._SubParsersAction) -> None:
    from intl_metrics.store.access import ROLES

    raw = argparse.RawDescriptionHelpFormatter
    u = sub.add_parser(
        "users",
        help="manage the dashboard's editor and admin accounts",
        description="Add, change, disable and list the local accounts of the dashboard.",
        epilog=_USERS_HELP,
        formatter_class=raw,
    )
    actions = u.add_subparsers(dest="users_command", required=True, metavar="ACTION")

    def action(name: str, help_: str, func) -> argparse.ArgumentParser:
        p = actions.add_parser(
            name, help=help_, description=help_[0].upper() + help_[1:] + ".",
            epilog=_USERS_HELP, formatter_class=raw,
        )  # fmt: skip
        if name != "list":
            p.add_argument("name", metavar="NAME", help="the user name (letters, digits, . _ - @)")
        _store_options(p, writes=name != "list")
        p.set_defaults(func=func)
        return p

    a = action("add", "add an account, asking for its password", cmd_users_add)
    a.add_argument("--role", required=True, choices=ROLES, help="what the account may do")
    _password_option(a)
    _password_option(action("passwd", "set an account's password", cmd_users_passwd))
    action("disable", "stop an account from logging in and end its sessions", cmd_users_disable)
    action("enable", "let a disabled account log in again", cmd_users_enable)
    r = action("role", "make an account an editor or an admin", cmd_users_role)
    r.add_argument("role", metavar="ROLE", choices=ROLES, help=" or ".join(ROLES))
    action("list", "list the accounts (never their passwords)", cmd_users_list)


def add_store_commands(sub: argparse._SubParsersAction) -> None:
    """Add the store's commands to the `intl-metrics` parser."""
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
        description="Write every source, event, entry, label set, occurrence, audit row, "
        "account, correction and review of the store to one JSON Lines file "
        "(gzip-compressed when PATH ends in .gz), read in one consistent transaction. "
        "`intl-metrics import` reads it back into an empty store, on SQLite or PostgreSQL. "
        "The file holds the accounts' password hashes (never a session): keep it as safe "
        "as the database.\n\n" + _STORE_HELP,
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
    g = sub.add_parser(
        "export-gold",
        help="write the staff's corrections as gold labels for `intl-metrics evaluate`",
        formatter_class=fmt,
        description="Write the events staff corrected or reviewed as gold labels, one JSON "
        "object a line in the format of shared/data/dev/gold.jsonl, so that "
        "`intl-metrics evaluate` scores the labellers against the staff's decisions.",
        epilog=_GOLD_HELP,
    )
    g.add_argument("--out", metavar="FILE", help="where to write (default: stdout)")
    g.add_argument(
        "--sources", metavar="DIR", help="also write the text of every source the lines name"
    )
    g.add_argument(
        "--reviewed-only",
        action="store_true",
        help="only the events reviewed in the Review page (every label looked at)",
    )
    _store_options(g, writes=False)
    g.set_defaults(func=cmd_export_gold)
    _add_users(sub)
