"""What the browser tests share: a `streamlit run` server, Debian's chromium, page helpers."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = shutil.which("chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
# Page -> (its link in the sidebar, its heading).
PAGES = {
    "overview": ("Overview", "Overview"),
    "timeline": ("Timeline", "Timeline"),
    "map": ("Map", "Partner map"),
    "breakdown": ("Breakdown", "Breakdown"),
    "events": ("Events", "Events"),
    "add_agenda": ("Add agenda", "Add agenda"),
    "review": ("Review", "Review"),
    "changes": ("Changes", "Changes"),
    "about": ("About the data", "About the data"),
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def streamlit_server(
    log_name: str = "streamlit-server.log",
    env: dict[str, str] | None = None,
    *,
    script: Path = ROOT / "dashboard" / "app.py",
) -> Iterator[str]:
    """`streamlit run dashboard/app.py` (or ``script``) on a free local port; yields its URL.

    ``env`` is added to this process's environment (INTL_METRICS_DATA left out unless
    given there). The server gets a store of its own in a temporary folder (unless
    ``env`` names one), never the checkout's data/intl-metrics.db. Raises RuntimeError
    when the server does not answer in 30 s.
    """
    import tempfile

    port = free_port()
    own = tempfile.mkdtemp(prefix="intl-e2e-")
    full_env = {k: v for k, v in os.environ.items() if k != "INTL_METRICS_DATA"}
    full_env["INTL_METRICS_DB"] = os.path.join(own, "store.db")
    full_env["INTL_METRICS_CACHE"] = os.path.join(own, "cache")
    full_env.update(env or {})
    log_path = ARTIFACTS / log_name
    ARTIFACTS.mkdir(exist_ok=True)
    with log_path.open("w", encoding="utf-8") as log:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                str(script),
                "--server.port",
                str(port),
                "--server.address",
                "127.0.0.1",
                "--server.headless",
                "true",
                "--browser.gatherUsageStats",
                "false",
            ],
            cwd=ROOT,
            env=full_env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    with urllib.request.urlopen(f"{base}/_stcore/health", timeout=1) as r:
                        if r.status == 200:
                            break
                except OSError:
                    pass
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"streamlit did not start; see {log_path}")
                time.sleep(0.2)
            yield base
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
            shutil.rmtree(own, ignore_errors=True)


def open_page(browser, url: str, **context_options):
    """A fresh browser context (a new session, as a pasted link gets) on ``url``."""
    options = {"viewport": {"width": 1440, "height": 900}, "accept_downloads": True}
    context = browser.new_context(**(options | context_options))
    page = context.new_page()
    page.goto(url)
    settle(page)
    return page


def settle(page, timeout: float = 90_000) -> None:
    """Wait until the app has drawn the page and is no longer running."""
    page.wait_for_selector('[data-testid="stSidebar"]', timeout=timeout)
    page.wait_for_selector("h1", timeout=timeout)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
        " || !document.querySelector('[data-testid=\"stStatusWidget\"]').innerText"
        ".includes('Running')",
        timeout=timeout,
    )
    # Charts draw after the script has finished.
    page.wait_for_timeout(500)


def store_with_editor(folder: Path, name: str = "ann", password: str = "") -> dict[str, str]:
    """A store in ``folder`` holding an editor's account (as `intl-metrics users add`
    makes it): the environment a server needs to use it."""
    from intl_metrics.store import close_stores, open_store, users

    url = f"sqlite:///{folder / 'store.db'}"
    users.add_user(open_store(url), "admin-cli", name, "editor", password or EDITOR_PASSWORD)
    close_stores()
    return {"INTL_METRICS_DB": url, "INTL_METRICS_CACHE": str(folder / "cache")}


EDITOR_PASSWORD = "a long enough password"


def log_in(page, name: str = "ann", password: str = EDITOR_PASSWORD) -> None:
    """Log in by the sidebar's Staff login form, and wait until the sidebar says so."""
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.get_by_text("Staff login").click()
    sidebar.get_by_role("textbox", name="Name").fill(name)
    sidebar.get_by_role("textbox", name="Password").fill(password)
    sidebar.get_by_role("button", name="Log in").click()
    sidebar.get_by_text(f"Logged in as {name}").wait_for(timeout=30_000)
    settle(page)
