"""Stores for the tests: a SQLite file per test, and a PostgreSQL server the suite starts.

Every test gets its own store: a SQLite file copied from one migrated once per session
(and its own snapshot folder), so no test ever writes to data/intl-metrics.db. Store
tests run on SQLite and on a real PostgreSQL server that this suite starts itself
(postgres_server below): a throwaway cluster in a temp folder, one per xdist worker,
each test in a database copied from a migrated template.

Policy when PostgreSQL cannot be started: the PostgreSQL tests FAIL with the reason
(scripts/setup.sh --dev installs Debian's postgresql; CI never skips them). A developer
without PostgreSQL may set INTL_METRICS_TEST_POSTGRES=skip to skip them, said so in the
summary line of every run. The fixtures are registered by conftest.py.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from intl_metrics.store import close_stores, open_store

    path = tmp_path_factory.mktemp("template") / "template.db"
    open_store(f"sqlite:///{path}")
    close_stores()
    for extra in ("-wal", "-shm"):
        Path(str(path) + extra).unlink(missing_ok=True)
    return path


def _new_sqlite(template: Path, folder: Path) -> str:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "store.db"
    shutil.copyfile(template, path)
    # its own store id, so that snapshots and caches never mix two test stores
    import sqlite3

    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE store_info SET store_id = ?", (str(uuid.uuid4()),))
    return f"sqlite:///{path}"


@pytest.fixture(autouse=True)
def _own_store(
    _sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory, monkeypatch
) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("store")
    url = _new_sqlite(_sqlite_template, folder)
    monkeypatch.setenv("INTL_METRICS_DB", url)
    monkeypatch.setenv("INTL_METRICS_CACHE", str(folder / "cache"))
    yield url
    from intl_metrics.store import close_stores

    if "intl_metrics.load" in sys.modules:
        sys.modules["intl_metrics.load"].clear_cache()
    close_stores()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _pg_bindir() -> Path | None:
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).parent
    dirs = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda d: int(d.split("/")[-2]))
    return Path(dirs[-1]) if dirs else None


@dataclass
class PostgresServer:
    """A throwaway PostgreSQL cluster: its superuser URL and a migrated template database."""

    host: str
    port: int
    user: str
    template: str

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://{self.user}@{self.host}:{self.port}/{database}"

    def admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(
            host=self.host, port=self.port, user=self.user, dbname="postgres", autocommit=True
        ) as conn:
            conn.execute(sql)


def _postgres_unavailable(reason: str) -> None:
    message = (
        f"PostgreSQL tests cannot run: {reason}. Install Debian's postgresql "
        "(bash scripts/setup.sh --dev does, as root), or set INTL_METRICS_TEST_POSTGRES=skip "
        "to skip these tests on this machine."
    )
    if os.environ.get("INTL_METRICS_TEST_POSTGRES") == "skip":
        pytest.skip(message)
    pytest.fail(message, pytrace=False)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """Start a PostgreSQL cluster for this test process; stopped at the end of the session."""
    bindir = _pg_bindir()
    if bindir is None or not (bindir / "initdb").exists():
        _postgres_unavailable("no initdb/pg_ctl found (is the postgresql package installed?)")
    # A short path: the server's socket lives here, and socket paths are limited to ~100 bytes.
    folder = Path(tempfile.mkdtemp(prefix="intl-pg-"))
    data = folder / "data"
    run_as: dict[str, object] = {}
    if os.geteuid() == 0:  # initdb refuses root: the cluster belongs to the postgres user
        try:
            import pwd

            pw = pwd.getpwnam("postgres")
        except KeyError:
            _postgres_unavailable("running as root and there is no postgres user")
        os.chown(folder, pw.pw_uid, pw.pw_gid)
        run_as = {"user": pw.pw_uid, "group": pw.pw_gid, "extra_groups": []}
    user = "intl"
    port = _free_port()
    try:
        subprocess.run(
            [str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", user, "-E", "UTF8",
             "--locale=C.UTF-8", "--no-sync"],
            check=True, capture_output=True, text=True, cwd=folder, **run_as,
        )  # fmt: skip
        options = (
            f"-k {folder} -p {port} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        subprocess.run(
            [str(bindir / "pg_ctl"), "-D", str(data), "-o", options, "-l",
             str(folder / "server.log"), "-w", "-t", "60", "start"],
            check=True, capture_output=True, text=True, cwd=folder, **run_as,
        )  # fmt: skip
    except subprocess.CalledProcessError as exc:
        log = folder / "server.log"
        detail = (exc.stderr or exc.stdout or "").strip()
        if log.exists():
            detail += "\n" + log.read_text(errors="replace")[-2000:]
        shutil.rmtree(folder, ignore_errors=True)
        _postgres_unavailable(f"{' '.join(exc.cmd[:1])} failed: {detail}")
    server = PostgresServer("127.0.0.1", port, user, "intl_template")
    try:
        from intl_metrics.store import close_stores, open_store

        server.admin("CREATE DATABASE intl_template")
        open_store(server.url("intl_template"))
        close_stores()
        yield server
    finally:
        subprocess.run(
            [str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"],
            capture_output=True, cwd=folder, **run_as,
        )  # fmt: skip
        shutil.rmtree(folder, ignore_errors=True)


def new_postgres(request) -> tuple[PostgresServer, str, str]:
    server: PostgresServer = request.getfixturevalue("postgres_server")
    name = f"t_{uuid.uuid4().hex[:12]}"
    server.admin(f"CREATE DATABASE {name} TEMPLATE {server.template}")
    import psycopg

    with psycopg.connect(
        host=server.host, port=server.port, user=server.user, dbname=name, autocommit=True
    ) as conn:
        conn.execute("UPDATE store_info SET store_id = %s", (str(uuid.uuid4()),))
    return server, name, server.url(name)


@pytest.fixture
def other_store_url(request, _sqlite_template: Path, tmp_path: Path) -> Iterator[str]:
    """An empty store on the other backend than the test's store_url (a cross-backend copy)."""
    if request.getfixturevalue("store_url").startswith("postgresql"):
        yield _new_sqlite(_sqlite_template, tmp_path / "other")
        return
    server, name, url = new_postgres(request)
    yield url
    from intl_metrics.store import close_stores

    close_stores()
    server.admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, _own_store: str, monkeypatch) -> Iterator[str]:
    """A new, empty, migrated store on each backend; INTL_METRICS_DB points at it."""
    if request.param == "sqlite":
        yield _own_store
        return
    server, name, url = new_postgres(request)
    monkeypatch.setenv("INTL_METRICS_DB", url)
    yield url
    from intl_metrics.store import close_stores

    if "intl_metrics.load" in sys.modules:
        sys.modules["intl_metrics.load"].clear_cache()
    close_stores()
    server.admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
