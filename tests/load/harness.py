"""Many browser sessions at once against the dashboard, beside a trivial Streamlit app.

    .venv/bin/python tests/load/harness.py [--sessions 20] [--rounds 2] [--data DIR_OR_FILE]

Starts each app with `streamlit run` on a free local port, warms it with one session,
then opens ``--sessions`` browser sessions at once (one chromium, a context each); every
session goes ``--rounds`` times over every page through the sidebar, as a person would.
A view counts as an error when the page shows an exception or an error box, the browser
reports a script error, or its heading does not appear. The server's process tree is
sampled all along: CPU seconds and the growth of its memory over the warmed-up baseline,
each divided by the views served, for the dashboard and for a two-page app that draws a
title and a line of text. The figures are printed and, with --results, written into the
"Under load" section of benchmarks/results.md.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import psutil

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT / "tests" / "e2e"))

from e2e_helpers import CHROMIUM, CHROMIUM_ARGS, streamlit_server  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results.md"
ARTIFACTS = ROOT / "test-artifacts"
SECTION = "## Under load"

DASHBOARD_PAGES = [
    ("Overview", "Overview"),
    ("Timeline", "Timeline"),
    ("Map", "Partner map"),
    ("Breakdown", "Breakdown"),
    ("Events", "Events"),
    ("Briefing", "Briefing"),
    ("Add agenda", "Add agenda"),
    ("Review", "Review"),
    ("Changes", "Changes"),
    ("About the data", "About the data"),
]
TRIVIAL_PAGES = [("First", "First page"), ("Second", "Second page")]

TRIVIAL_APP = """
import streamlit as st

def first():
    st.title("First page")
    st.write("A line of text.")

def second():
    st.title("Second page")
    st.write("Another line of text.")

st.navigation([st.Page(first, title="First"), st.Page(second, title="Second")]).run()
"""


@dataclass
class Run:
    """What one app served under load."""

    app: str
    views: int = 0
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0
    cpu_seconds: float = 0.0
    baseline_mb: float = 0.0
    peak_mb: float = 0.0
    view_seconds: list[float] = field(default_factory=list)

    @property
    def cpu_ms_per_view(self) -> float:
        return 1000 * self.cpu_seconds / max(self.views, 1)

    @property
    def memory_kb_per_view(self) -> float:
        return 1024 * max(self.peak_mb - self.baseline_mb, 0.0) / max(self.views, 1)


class _Sampler(threading.Thread):
    """The server's process tree: memory peak and CPU time, sampled every 0.2 s."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.root = psutil.Process(pid)
        self.peak = 0
        self.stopped = threading.Event()

    def tree(self) -> list[psutil.Process]:
        try:
            return [self.root, *self.root.children(recursive=True)]
        except psutil.NoSuchProcess:
            return []

    def rss(self) -> int:
        total = 0
        for p in self.tree():
            with contextlib.suppress(psutil.NoSuchProcess):
                total += p.memory_info().rss
        return total

    def cpu(self) -> float:
        total = 0.0
        for p in self.tree():
            with contextlib.suppress(psutil.NoSuchProcess):
                t = p.cpu_times()
                total += t.user + t.system
        return total

    def run(self) -> None:
        while not self.stopped.wait(0.2):
            self.peak = max(self.peak, self.rss())


def _server_pid(port: int) -> int:
    for conn in psutil.net_connections(kind="tcp"):
        if conn.laddr and conn.laddr.port == port and conn.status == psutil.CONN_LISTEN:
            return conn.pid
    raise RuntimeError(f"no process listens on port {port}")


async def _session(browser, base: str, pages, rounds: int, run: Run, heading_timeout: float):
    context = await browser.new_context(viewport={"width": 1280, "height": 800})
    page = await context.new_page()
    page.on("pageerror", lambda exc: run.errors.append(f"script error: {exc}"))
    try:
        await page.goto(base + "/", timeout=120_000)
        await page.wait_for_selector("h1", timeout=heading_timeout)
        for _ in range(rounds):
            for link, heading in pages:
                t0 = time.perf_counter()
                try:
                    nav = page.locator('[data-testid="stSidebarNav"] a', has_text=link)
                    # 20 tabs of charts on 2 cores: an action may wait long for the page
                    await nav.first.click(timeout=heading_timeout)
                    await page.locator("h1", has_text=heading).wait_for(timeout=heading_timeout)
                    await page.wait_for_function(
                        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
                        " || !document.querySelector('[data-testid=\"stStatusWidget\"]')"
                        ".innerText.includes('Running')",
                        timeout=heading_timeout,
                    )
                    bad = await page.locator(
                        '[data-testid="stException"], [data-testid="stAlertContentError"]'
                    ).count()
                    if bad:
                        run.errors.append(f"{link}: {bad} error element(s)")
                except Exception as exc:  # a timeout is an error of the run, not a crash
                    first_line = str(exc).splitlines()[0] if str(exc) else ""
                    run.errors.append(f"{link}: {type(exc).__name__}: {first_line[:120]}")
                    # what the browser showed, for whoever looks into it
                    shot = ARTIFACTS / f"load-{run.app}-error-{len(run.errors)}.png"
                    with contextlib.suppress(Exception):
                        await page.screenshot(path=shot, full_page=True, timeout=30_000)
                run.views += 1
                run.view_seconds.append(time.perf_counter() - t0)
    finally:
        await context.close()


async def _drive(base: str, pages, sessions: int, rounds: int, run: Run) -> None:
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            warm = Run(run.app)  # one session first: data loaded, caches warm
            await _session(browser, base, pages, 1, warm, 120_000)
            if warm.errors:
                run.errors.extend(f"warm-up: {e}" for e in warm.errors)
            sampler = _Sampler(_server_pid(int(base.rsplit(":", 1)[1])))
            run.baseline_mb = sampler.rss() / 2**20
            cpu0 = sampler.cpu()
            sampler.start()
            t0 = time.perf_counter()
            await asyncio.gather(
                *(_session(browser, base, pages, rounds, run, 180_000) for _ in range(sessions))
            )
            run.seconds = time.perf_counter() - t0
            sampler.stopped.set()
            sampler.join()
            run.cpu_seconds = sampler.cpu() - cpu0
            run.peak_mb = max(sampler.peak, sampler.rss()) / 2**20
        finally:
            await browser.close()


def measure(app: str, script: Path, pages, sessions: int, rounds: int, env: dict) -> Run:
    """Serve ``script`` and put it under load; the server log is checked for tracebacks."""
    run = Run(app)
    log_name = f"load-{app}.log"
    with streamlit_server(log_name, env, script=script) as base:
        asyncio.run(_drive(base, pages, sessions, rounds, run))
    log = (ROOT / "test-artifacts" / log_name).read_text(encoding="utf-8", errors="replace")
    if "Traceback" in log:
        run.errors.append(f"the server logged a traceback (test-artifacts/{log_name})")
    return run


def report(dashboard: Run, trivial: Run, sessions: int, rounds: int, data: str) -> str:
    cpu_ratio = dashboard.cpu_ms_per_view / max(trivial.cpu_ms_per_view, 1e-9)
    mem_ratio = dashboard.memory_kb_per_view / max(trivial.memory_kb_per_view, 1e-9)

    def median(xs: list[float]) -> float:
        return sorted(xs)[len(xs) // 2] if xs else 0.0

    rows = [
        ("views served", f"{dashboard.views}", f"{trivial.views}"),
        ("errors", f"{len(dashboard.errors)}", f"{len(trivial.errors)}"),
        ("wall time (s)", f"{dashboard.seconds:.1f}", f"{trivial.seconds:.1f}"),
        ("median view, click to drawn (s)", f"{median(dashboard.view_seconds):.2f}",
         f"{median(trivial.view_seconds):.2f}"),
        ("server CPU (s)", f"{dashboard.cpu_seconds:.1f}", f"{trivial.cpu_seconds:.1f}"),
        ("**server CPU per view (ms)**", f"{dashboard.cpu_ms_per_view:.0f}",
         f"{trivial.cpu_ms_per_view:.0f}"),
        ("server memory, warmed-up baseline (MB)", f"{dashboard.baseline_mb:.0f}",
         f"{trivial.baseline_mb:.0f}"),
        ("server memory, peak under load (MB)", f"{dashboard.peak_mb:.0f}",
         f"{trivial.peak_mb:.0f}"),
        ("**memory growth per view (KB)**", f"{dashboard.memory_kb_per_view:.0f}",
         f"{trivial.memory_kb_per_view:.0f}"),
    ]  # fmt: skip
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    lines = [
        SECTION,
        "",
        f"Run {datetime.now():%Y-%m-%d %H:%M}: `.venv/bin/python tests/load/harness.py "
        f"--sessions {sessions} --rounds {rounds}` on {data}. {sessions} chromium sessions at "
        f"once, each {rounds} rounds over every page through the sidebar; the server's process "
        "tree sampled every 0.2 s (memory growth over the baseline after a warm-up session). "
        f"Load average at the end: {load} (2 CPUs; chromium shares them with the server).",
        "",
        "| | dashboard | trivial two-page app |",
        "|---|---|---|",
        *(f"| {a} | {b} | {c} |" for a, b, c in rows),
        "",
        f"- errors: **{len(dashboard.errors)}** (target 0)"
        + (": " + "; ".join(dashboard.errors[:5]) if dashboard.errors else ""),
        f"- CPU per view: **{cpu_ratio:.1f}×** the trivial app's (target ≤ 3×)",
        f"- memory per view: **{mem_ratio:.1f}×** the trivial app's (target ≤ 3×)",
        "",
    ]
    return "\n".join(lines)


def write_section(text: str, path: Path = RESULTS) -> None:
    """Put the section into results.md, replacing an older one (the rest is kept)."""
    old = path.read_text(encoding="utf-8") if path.exists() else "# Scale benchmark results\n"
    if SECTION in old:
        head, _, tail = old.partition(SECTION)
        rest = tail.split("\n## ", 1)
        old = head + ("## " + rest[1] if len(rest) > 1 else "")
    path.write_text(old.rstrip() + "\n\n" + text, encoding="utf-8")


def run_both(sessions: int, rounds: int, data: str | None) -> tuple[Run, Run]:
    env = {"INTL_METRICS_DATA": data} if data else {}
    dashboard = measure(
        "dashboard", ROOT / "dashboard" / "app.py", DASHBOARD_PAGES, sessions, rounds, env
    )
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "trivial_app.py"
        script.write_text(TRIVIAL_APP, encoding="utf-8")
        trivial = measure("trivial", script, TRIVIAL_PAGES, sessions, rounds, {})
    return dashboard, trivial


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=20, help="browser sessions at once")
    parser.add_argument("--rounds", type=int, default=2, help="rounds over every page")
    parser.add_argument("--data", help="agenda text for the dashboard (default: data/raw)")
    parser.add_argument("--results", action="store_true", help="write benchmarks/results.md")
    args = parser.parse_args(argv)
    dashboard, trivial = run_both(args.sessions, args.rounds, args.data)
    text = report(dashboard, trivial, args.sessions, args.rounds, args.data or "the bundled data")
    print(text)
    if args.results:
        write_section(text)
    return 1 if dashboard.errors else 0


if __name__ == "__main__":
    sys.exit(main())
