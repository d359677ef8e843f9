"""Scale benchmark: synthetic agendas of 1k to 1M events through every layer of the stack.

    .venv/bin/python benchmarks/run.py                       # 1k, 10k, 100k, 1M
    .venv/bin/python benchmarks/run.py --sizes 1000,10000    # a quick run
    .venv/bin/python benchmarks/run.py --profile             # + cProfile of the hot paths

Each size runs in its own subprocess (``run.py --one N``) so that peak memory is
per size. For every size it measures: parse + enrich throughput (with a split on a
sample), cold load (text to frames, ``load_events``), warm load (cache hit), one
filter change on each page (the query and every figure the page builds, mirrored
from ``dashboard/app_pages``) beside the floor (the same filter and aggregations as a
bare numpy/pandas mask and groupby on a prepared frame), an AppTest run and rerun
of each page, the bytes of chart, map and table data each page sends to the
browser, and peak memory. Synthetic files go to ``benchmarks/out/`` (gitignored)
and are reused when present; the report goes to ``benchmarks/results.md``.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import json
import os
import platform
import pstats
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "out"
APP = ROOT / "dashboard" / "app.py"
RESULTS = ROOT / "benchmarks" / "results.md"
PAGES = ("overview", "timeline", "map", "breakdown", "events", "about")
FILTER_THEME = "energy"  # the filter change: one theme chosen in the sidebar
# Filter changes are repeated with a different theme each time: the dashboard remembers
# recent filter states, so choosing the same theme twice would be a cache hit.
CHANGE_THEMES = ("energy", "culture", "economy", "urban", "migration")
SEARCH_WORD = "delegation"  # the first text search a person types
SAMPLE_BYTES = 12_000_000  # parse/enrich split measured on ~50k entries at most
TARGETS = {
    "parse_enrich_per_s": 10_000,
    "rerun_100k_s": 0.150,
    "rerun_1m_s": 1.5,
    "ratio_100k": 3.0,
    "bytes_1m": 2_000_000,
    "rss_1m_mb": 1536,
    "cold_start_100k_s": 2.0,
    "cold_start_1m_s": 15.0,
}
# A new process's load before the store (issue 11): parse and label the text again,
# in worker processes. Wall seconds of the run of 2026-11-25 (results.md of then).
BEFORE_STORE = {100_000: 17.33, 1_000_000: 180.29}


# --------------------------------------------------------------------------- helpers


def _now() -> float:
    return time.perf_counter()


def _timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    t0 = _now()
    value = fn()
    return _now() - t0, value


def _clocked(fn: Callable[[], Any]) -> tuple[float, float, Any]:
    """(wall seconds, CPU seconds of this process, value).

    CPU time is what the code costs whatever else runs on the machine; wall time is
    what a person waits for, and on a shared machine it includes other processes.
    """
    t0, c0 = _now(), time.process_time()
    value = fn()
    return _now() - t0, time.process_time() - c0, value


def _median_time(fn: Callable[[], Any], repeat: int) -> float:
    return statistics.median(_timed(fn)[0] for _ in range(repeat))


def _best(fn: Callable[[], Any], repeat: int) -> tuple[float, float]:
    """Best wall and best CPU time of ``repeat`` runs."""
    runs = [_clocked(fn)[:2] for _ in range(repeat)]
    return min(w for w, _ in runs), min(c for _, c in runs)


def _children_cpu() -> float:
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def _maxrss_mb() -> float:
    # Linux reports kilobytes.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _log(msg: str) -> None:
    print(f"[{datetime.now():%H:%M:%S}] {msg}", file=sys.stderr, flush=True)


def synthetic_file(n: int, seed: int) -> tuple[Path, float | None]:
    """The synthetic agenda of ``n`` events (written unless an identical one is there)."""
    from intl_metrics.synth import synthetic_marker, write_synthetic

    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"synthetic-{n}-seed{seed}.txt"
    generator = Path(sys.modules[write_synthetic.__module__].__file__ or "")
    # Reuse a file only if the generator has not changed since it was written.
    if path.exists() and path.stat().st_mtime > generator.stat().st_mtime:
        with open(path, encoding="utf-8") as f:
            if f.readline().rstrip("\n") == synthetic_marker(n, seed):
                return path, None
    tmp = path.with_suffix(".tmp")
    seconds, _ = _timed(lambda: write_synthetic(tmp, n, seed))
    tmp.replace(path)
    return path, seconds


def _sample_text(path: Path) -> str:
    """The first pages of the file, up to SAMPLE_BYTES, cut between two pages."""
    with open(path, encoding="utf-8") as f:
        text = f.read(SAMPLE_BYTES)
    if len(text) == SAMPLE_BYTES:
        cut = text.rfind("\n\n\n")
        text = text[: cut + 1] if cut > 0 else text
    return text


# ------------------------------------------------------------- what each page builds
# Mirrors dashboard/app_pages/*.py: the same query and chart calls, in the same order.


def _events_rows() -> Callable[[Any, str], Any]:
    """What events.py builds for a view: the order of the matching events, then the
    table of its first page (event_table, as the page calls it)."""
    from intl_metrics import event_table

    def rows(data: Any, search: str) -> tuple[Any, int, Any]:
        order = event_table.sorted_events(
            data, event_table.matching_events(data, search), event_table.DEFAULT_SORT
        )
        shown = event_table.events_at(data, order[: event_table.PAGE_SIZES[1]])
        return shown, len(order), event_table.table_frame(shown)

    return rows


class Pages:
    """The page builders: (filtered data) -> figures, decks and tables, as the pages do."""

    def __init__(self, full: Any) -> None:
        from intl_metrics.query import data_range

        self.full = full
        self.span = data_range(full)
        self.events_rows = _events_rows()
        # As in the app with server.enableStaticServing: the outline is fetched once.
        self.world = "app/static/world-110m.geojson"

    def filtered(self, f: Any, like: Any = None) -> Any:
        from intl_metrics.query import Filters, filter_dataset

        return self.full if f == Filters() else filter_dataset(self.full, f, like=like)

    def build(self, page: str, f: Any, data: Any) -> dict[str, list[Any]]:
        from intl_metrics.query import period_label

        period = (f.start or self.span[0], f.end or self.span[1])
        label = period_label(*period)
        return getattr(self, page)(f, data, period, label)

    def overview(self, f: Any, data: Any, period: Any, label: str) -> dict[str, list[Any]]:
        from intl_metrics import charts, query

        before = query.previous_period(f, self.full)
        previous = self.filtered(before, like=data)
        query.overview_metrics(
            data,
            previous,
            period=period,
            previous_period=(before.start, before.end) if before.start and before.end else None,
        )
        start, end = period
        freq = "W" if (end - start).days <= 120 else "M"
        series = query.events_per_period(data, freq, start, end)
        return {
            "figures": [
                charts.overview_sparkline(series, period=label, freq=freq),
                charts.theme_bar(query.theme_counts(data), period=label),
            ]
        }

    def timeline(self, f: Any, data: Any, period: Any, label: str) -> dict[str, list[Any]]:
        from intl_metrics import charts, query

        counts = query.events_over_time(data, "M", "theme")
        spans, total = query.event_spans(data)
        return {
            "figures": [
                charts.timeline_chart(counts, by="theme", freq="M", period=label),
                charts.gantt_chart(spans, total=total, period=label),
            ]
        }

    def map(self, f: Any, data: Any, period: Any, label: str) -> dict[str, list[Any]]:
        from intl_metrics import charts, query

        places = query.partner_place_counts(data)
        decks = [] if places.empty else [charts.partner_map(places, period=label, world=self.world)]
        return {
            "decks": decks,
            "tables": [
                query.top_partner_cities(data, 10, places=places),
                query.top_countries(data, 10),
            ],
        }

    def breakdown(self, f: Any, data: Any, period: Any, label: str) -> dict[str, list[Any]]:
        from intl_metrics import charts, query

        return {
            "figures": [
                charts.theme_bar(query.theme_counts(data), period=label),
                charts.theme_format_heatmap(query.theme_format_matrix(data), period=label),
                charts.format_bar(query.format_counts(data), period=label),
                charts.activity_bar(query.activity_counts(data), period=label),
                charts.country_bar(query.country_counts(data), period=label),
                charts.region_bar(query.region_counts(data), period=label),
            ]
        }

    def events(self, f: Any, data: Any, period: Any, label: str) -> dict[str, list[Any]]:
        _shown, _matching, table = self.events_rows(data, "")  # no search typed
        return {"tables": [table]}

    def about(self, f: Any, data: Any, period: Any, label: str) -> dict[str, list[Any]]:
        import pandas as pd

        full = self.full
        files = pd.DataFrame([{"file": r.name, "events": r.events} for r in full.files])
        warnings = pd.DataFrame(
            [
                {"file": w.source.file, "line": w.source.line, "reason": w.reason}
                for w in full.warnings
            ]
        )
        return {"tables": [files, warnings]}


def payload_bytes(built: dict[str, list[Any]]) -> dict[str, int]:
    """Bytes the page hands to the browser for its charts, map and tables, serialised
    the way Streamlit does (plotly.io.to_json, Deck.to_json, Arrow IPC)."""
    import plotly.io as pio
    from streamlit.dataframe_util import convert_pandas_df_to_arrow_bytes

    out = {"figures": 0, "decks": 0, "tables": 0}
    for fig in built.get("figures", []):
        out["figures"] += len(pio.to_json(fig, validate=False).encode())
    for deck in built.get("decks", []):
        out["decks"] += len(deck.to_json().encode())
    for df in built.get("tables", []):
        out["tables"] += len(convert_pandas_df_to_arrow_bytes(df))
    return out


# ------------------------------------------------------------------------ the floor


class Floor:
    """The same filter and aggregations as bare numpy/pandas on a frame prepared once.

    Prepared means what any hand-written version would precompute: integer month
    and place codes, the rows of each theme. Per filter it runs a boolean mask,
    then ``value_counts``/``groupby`` on the masked rows.
    """

    def __init__(self, ds: Any) -> None:
        import numpy as np
        import pandas as pd

        from intl_metrics.enrich.gazetteer import world_region

        ev = ds.events
        self.n = len(ev)
        start = ev["start_date"]
        self.ev = pd.DataFrame(
            {
                "start": start.to_numpy(),
                "days": ev["days"].to_numpy(),
                "theme": ev["primary_theme"],
                "format": ev["format"],
                "activity": ev["activity"],
                "month": (start.dt.year * 12 + start.dt.month - 1).to_numpy(np.int32),
            }
        )
        self.frame = ev
        self.themes = ds.themes[["row", "theme"]]
        partners = ds.partners[["row", "kind", "lat", "lon"]].copy()
        keys = ds.partners["name"].astype(str) + "|" + ds.partners["country"].astype(str)
        partners["place"] = pd.factorize(keys)[0].astype(np.int32)
        self.partners = partners
        co = ds.countries[["row", "country"]].copy()
        regions = {c: world_region(str(c)) or "Unknown" for c in co["country"].cat.categories}
        co["region"] = co["country"].map(regions).astype("category")
        self.countries = co
        self.theme_rows = {
            t: self.themes["row"].to_numpy()[(self.themes["theme"] == t).to_numpy()]
            for t in self.themes["theme"].cat.categories
        }
        self.np = np

    def mask(self, f: Any) -> Any:
        np = self.np
        m = np.ones(self.n, dtype=bool)
        if f.start is not None:
            m &= self.ev["start"].to_numpy() >= np.datetime64(f.start)
        if f.end is not None:
            m &= self.ev["start"].to_numpy() <= np.datetime64(f.end)
        if f.themes:
            hit = np.zeros(self.n, dtype=bool)
            for t in f.themes:
                hit[self.theme_rows[t]] = True
            m &= hit
        return m

    def page(self, page: str, f: Any) -> None:
        m = self.mask(f)
        getattr(self, page)(m)

    def _sub(self, table: Any, m: Any) -> Any:
        return table[m[table["row"].to_numpy()]]

    def overview(self, m: Any) -> None:
        cur = self.ev[m]
        partners = self._sub(self.partners, m)
        countries = self._sub(self.countries, m)
        themes = self._sub(self.themes, m)
        _ = (
            len(cur),
            int(cur["days"].sum()),
            partners.loc[partners["kind"] == "city", "place"].nunique(),
            countries["country"].nunique(),
            (cur["format"] != "in-person").mean(),
            themes["theme"].value_counts().idxmax() if len(themes) else None,
        )
        cur["month"].value_counts()
        themes["theme"].value_counts()

    def timeline(self, m: Any) -> None:
        cur = self.ev[m]
        cur.groupby(["month", "theme"], observed=True).size()
        self.frame[m].nlargest(400, "start_date")

    def map(self, m: Any) -> None:
        p = self._sub(self.partners, m)
        p = p.assign(theme=self.ev["theme"].to_numpy()[p["row"].to_numpy()])
        places = p.groupby("place").agg(
            events=("row", "size"), lat=("lat", "first"), lon=("lon", "first")
        )
        p.groupby(["place", "theme"], observed=True).size()
        places.nlargest(10, "events")
        self._sub(self.countries, m)["country"].value_counts().head(10)

    def breakdown(self, m: Any) -> None:
        cur = self.ev[m]
        themes = self._sub(self.themes, m)
        countries = self._sub(self.countries, m)
        themes["theme"].value_counts()
        cur["format"].value_counts()
        cur["activity"].value_counts()
        countries["country"].value_counts()
        countries["region"].value_counts()
        fmt = self.ev["format"].to_numpy()[themes["row"].to_numpy()]
        themes.assign(format=fmt).groupby(["theme", "format"], observed=True).size()

    def events(self, m: Any) -> None:
        self.frame[m].iloc[::-1].head(5000)

    def about(self, m: Any) -> None:
        pass


# --------------------------------------------------------------------------- AppTest


def _element_bytes(at: Any) -> dict[str, int]:
    """Bytes of what the page drew, from the protos AppTest received."""
    out = {"figures": 0, "decks": 0, "tables": 0, "all_elements": 0}
    for node in at._tree:
        proto = getattr(node, "proto", None)
        if proto is None or not hasattr(proto, "ByteSize") or hasattr(node, "children"):
            continue
        out["all_elements"] += proto.ByteSize()
    out["figures"] = sum(len(el.proto.spec.encode()) for el in at.get("plotly_chart"))
    out["decks"] = sum(len(el.proto.json.encode()) for el in at.get("deck_gl_json_chart"))
    out["tables"] = sum(el.proto.ByteSize() for el in at.dataframe)
    return out


def apptest_page(page: str, path: Path, timeout: float, repeat: int) -> dict[str, Any]:
    """One page under AppTest: a new session, reruns, filter changes, reruns filtered."""
    from streamlit.testing.v1 import AppTest

    os.environ["INTL_METRICS_DATA"] = str(path)
    res: dict[str, Any] = {}
    at = AppTest.from_file(str(APP), default_timeout=timeout)
    if page != "overview":
        at.switch_page(f"app_pages/{page}.py")
    res["first_s"], res["first_cpu_s"], _ = _clocked(at.run)
    res["errors"] = [e.message for e in at.exception] + [e.body for e in at.error]
    res["bytes_all"] = _element_bytes(at)
    runs = [_clocked(at.run)[:2] for _ in range(repeat)]
    res["rerun_s"], res["rerun_cpu_s"] = min(w for w, _ in runs), min(c for _, c in runs)
    res["rerun_median_s"] = statistics.median(w for w, _ in runs)
    changes = []
    for theme in CHANGE_THEMES:
        at.multiselect(key="flt_themes").set_value([theme])
        changes.append(_clocked(at.run)[:2])
        if theme == FILTER_THEME:
            res["bytes_filtered"] = _element_bytes(at)
    res["filter_change_s"] = statistics.median(w for w, _ in changes)
    res["filter_change_cpu_s"] = statistics.median(c for _, c in changes)
    res["filter_change_min_s"] = min(w for w, _ in changes)
    runs = [_clocked(at.run)[:2] for _ in range(repeat)]
    res["rerun_filtered_s"] = min(w for w, _ in runs)
    res["rerun_filtered_cpu_s"] = min(c for _, c in runs)
    res["rerun_filtered_median_s"] = statistics.median(w for w, _ in runs)
    res["errors"] += [e.message for e in at.exception] + [e.body for e in at.error]
    return res


# ------------------------------------------------------------------------- one size


def _profile(fn: Callable[[], Any], where: Path, top: int = 35) -> None:
    prof = cProfile.Profile()
    prof.enable()
    fn()
    prof.disable()
    buf = io.StringIO()
    stats = pstats.Stats(prof, stream=buf)
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)
    where.write_text(buf.getvalue(), encoding="utf-8")


def parse_enrich_split(path: Path, gaz: Any, profile: Path | None) -> dict[str, Any]:
    """Parse and enrich timed apart on a sample (the load measures them together)."""
    from intl_metrics.enrich import enrich_all
    from intl_metrics.parse import parse_text

    sample = _sample_text(path)
    _, parse_s, parsed = _clocked(lambda: parse_text(sample, path.name))
    entries = parsed.entries
    _, enrich_s, _ = _clocked(lambda: enrich_all(entries, gaz))
    k = max(len(entries), 1)
    if profile is not None:
        _profile(lambda: enrich_all(entries[:20000], gaz), Path(f"{profile}-enrich.txt"))
        _profile(lambda: parse_text(sample[:3_000_000]), Path(f"{profile}-parse.txt"))
    return {
        "sample_entries": len(entries),
        "parse_us": parse_s / k * 1e6,  # CPU time
        "enrich_us": enrich_s / k * 1e6,
    }


CLI_PARSE_RUNS = 3  # whole-process runs of `intl-metrics parse`; the best is kept


def cli_parse(path: Path, runs: int = CLI_PARSE_RUNS) -> dict[str, Any]:
    """`intl-metrics parse FILE > /dev/null` as a person runs it: a new process that
    reads, parses, labels (in worker processes) and writes every event as JSON.

    Wall time from the start of the interpreter to its exit, and the CPU time of it and
    its workers; the best of ``runs`` (other sessions' load only ever slows it), with
    the load average before that run.
    """
    exe = Path(sys.executable).with_name("intl-metrics")
    # The gazetteer's cache as a user has it (built on the first run, then read): in a
    # folder of the benchmark's own, since other checkouts on a shared machine, built
    # from other data files, replace the one in ~/.cache with theirs.
    env = {**os.environ, "XDG_CACHE_HOME": str(OUT / "cache")}
    cmd = [exe, "parse", str(path)]
    warm = sorted((ROOT / "data" / "raw").glob("*.txt"))[:1]  # builds the cache if need be
    subprocess.run([exe, "parse", *map(str, warm)], env=env, capture_output=True, check=False)
    best: dict[str, Any] = {}
    for _ in range(runs):
        load = os.getloadavg()[0]
        cpu0 = _children_cpu()
        t0 = _now()
        subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, check=True)
        wall = _now() - t0
        if not best or wall < best["cli_parse_s"]:
            best = {"cli_parse_s": wall, "cli_parse_cpu_s": _children_cpu() - cpu0}
            best["cli_parse_load"] = load
    return best


def _new_process_load(path: Path) -> tuple[float, float]:
    """Wall and CPU seconds of a new Python process that imports the package and loads.

    What a dashboard process's first ``load_events()`` costs, interpreter start and
    imports included; the store (INTL_METRICS_DB of this process) is already filled.
    """
    code = (
        "import sys; from intl_metrics.load import load_events; "
        f"ds = load_events([{str(path)!r}]); sys.stdout.write(str(len(ds.events)))"
    )
    cpu0 = _children_cpu()
    t0 = _now()
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    elapsed = _now() - t0
    assert int(proc.stdout) > 0, proc.stderr
    return elapsed, _children_cpu() - cpu0


def cold_starts(path: Path, repeat: int) -> dict[str, float]:
    """A new process on the filled store: with its snapshot (the usual case) and without."""
    import shutil

    cache = Path(os.environ["INTL_METRICS_CACHE"])
    store_runs = []
    for _ in range(repeat):  # no snapshot: the frames are read from the database
        shutil.rmtree(cache, ignore_errors=True)
        store_runs.append(_new_process_load(path))
    snap_runs = [_new_process_load(path) for _ in range(repeat)]  # the first wrote it
    snap, store = min(snap_runs), min(store_runs)
    return {
        "cold_start_s": snap[0],
        "cold_start_cpu_s": min(r[1] for r in snap_runs),
        "cold_start_store_s": store[0],
        "cold_start_store_cpu_s": min(r[1] for r in store_runs),
        "loadavg_cold_start": os.getloadavg()[0],
    }


def measure(n: int, seed: int, repeat: int, apptest: bool, timeout: float, profile: bool) -> dict:
    """Every measurement for one size; runs in its own process."""
    res: dict[str, Any] = {"events": n, "seed": seed, "loadavg_start": os.getloadavg()[0]}
    path, synth_s = synthetic_file(n, seed)
    res["synth_s"] = synth_s
    res["file_bytes"] = path.stat().st_size
    _log(f"{n:,}: file ready ({res['file_bytes'] / 1e6:.1f} MB)")
    res.update(cli_parse(path))
    _log(f"{n:,}: intl-metrics parse {res['cli_parse_s']:.1f}s")

    from intl_metrics.enrich.gazetteer import Gazetteer

    res["gazetteer_init_s"], gaz = _timed(Gazetteer.default)
    res.update(parse_enrich_split(path, gaz, OUT / f"profile-{n}" if profile else None))
    gc.collect()
    res["rss_before_load_mb"] = _maxrss_mb()

    from intl_metrics import query
    from intl_metrics.load import load_events
    from intl_metrics.query import Filters

    # A store of this size's own, new: the first load ingests the file into it (read,
    # parse, label, write), as the dashboard's first start on a new archive does.
    db = OUT / f"store-{n}-{seed}.db"
    for old in OUT.glob(db.name + "*"):
        old.unlink()
    os.environ["INTL_METRICS_DB"] = str(db)
    os.environ["INTL_METRICS_CACHE"] = str(OUT / f"cache-{n}-{seed}")
    children_cpu = _children_cpu()
    res["cold_load_s"], res["cold_load_cpu_s"], ds = _clocked(lambda: load_events([path]))
    # a large file is labelled in forked workers: their CPU and memory count too
    res["cold_load_workers_cpu_s"] = _children_cpu() - children_cpu
    res["workers_rss_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    report = ds.files[0]
    res["events_loaded"] = len(ds.events)
    res["warnings"] = len(ds.warnings)
    res["parse_enrich_s"] = report.parse_seconds
    res["parse_enrich_per_s"] = (
        report.events / report.parse_seconds if report.parse_seconds else None
    )
    # On a dedicated 2-core machine: parsing is serial, the rest shares both cores.
    total_cpu = res["cold_load_cpu_s"] + res["cold_load_workers_cpu_s"]
    serial = res["parse_us"] * 1e-6 * report.events
    res["parse_enrich_2core_per_s"] = report.events / (serial + (total_cpu - serial) / 2)
    res["rss_after_load_mb"] = _maxrss_mb()
    _log(f"{n:,}: cold load {res['cold_load_s']:.1f}s, rss {res['rss_after_load_mb']:.0f} MB")
    res["warm_load_s"] = _median_time(lambda: load_events([path]), repeat)
    res["store_mb"] = sum(f.stat().st_size for f in OUT.glob(db.name + "*")) / 1e6  # + WAL
    res.update(cold_starts(path, repeat=3))
    _log(
        f"{n:,}: cold start {res['cold_start_s']:.2f}s (snapshot), "
        f"{res['cold_start_store_s']:.2f}s (store)"
    )
    res["frames_mb"] = (
        sum(
            t.memory_usage(deep=True).sum()
            for t in (ds.events, ds.themes, ds.partners, ds.countries)
        )
        / 2**20
    )
    # as the app: place codes now, the partner names searched at the first text search
    res["prepare_s"], _ = _timed(lambda: query.prepare(ds, text=False))

    pages = Pages(ds)
    floor_prep_s, floor = _timed(lambda: Floor(ds))
    res["floor_prepare_s"] = floor_prep_s
    views = {"all": Filters(), "filtered": Filters(themes=(FILTER_THEME,))}
    res["filtered_events"] = len(pages.filtered(views["filtered"]).events)
    res["pages"] = {}
    for page in PAGES:

        def change(f: Any, page: str = page) -> dict[str, list[Any]]:
            # A filter change: filter the full dataset, then build the page.
            return pages.build(page, f, pages.filtered(f))

        pr: dict[str, Any] = {}
        pr["filtered_first_s"], built = _timed(lambda: change(views["filtered"]))
        pr["filtered_bytes"] = payload_bytes(built)  # the first call also imports encoders
        pr["filtered_serialise_s"] = _best(lambda b=built: payload_bytes(b), repeat)[0]
        built = change(views["all"])
        pr["all_bytes"] = payload_bytes(built)
        pr["all_serialise_s"] = _best(lambda b=built: payload_bytes(b), repeat)[0]
        pr["all_s"], pr["all_cpu_s"] = _best(lambda: change(views["all"]), repeat)
        pr["all_floor_s"], pr["all_floor_cpu_s"] = _best(
            lambda p=page: floor.page(p, views["all"]), repeat
        )
        by_theme = {}
        for theme in CHANGE_THEMES:
            f = Filters(themes=(theme,))
            bw, bc = _best(lambda f=f: change(f), repeat)
            fw, fc = _best(lambda f=f, p=page: floor.page(p, f), repeat)
            by_theme[theme] = {"build": bw, "build_cpu": bc, "floor": fw, "floor_cpu": fc}
        pr["by_theme"] = by_theme
        # One number per page: the median over the themes of the best of `repeat` runs.
        for key, name in (("build", "filtered"), ("floor", "filtered_floor")):
            pr[f"{name}_s"] = statistics.median(v[key] for v in by_theme.values())
            pr[f"{name}_cpu_s"] = statistics.median(v[f"{key}_cpu"] for v in by_theme.values())
        if profile:
            _profile(lambda: change(views["filtered"]), OUT / f"profile-{n}-page-{page}.txt")
        res["pages"][page] = pr
        _log(
            f"{n:,}: page {page}: filter change {pr['filtered_cpu_s'] * 1000:.1f} ms CPU "
            f"(floor {pr['filtered_floor_cpu_s'] * 1000:.1f} ms)"
        )

    if apptest:
        res["apptest"] = {}
        for page in PAGES:
            try:
                res["apptest"][page] = apptest_page(page, path, timeout, repeat)
            except Exception as exc:  # a page that times out at this size: say so
                res["apptest"][page] = {"error": f"{type(exc).__name__}: {exc}"[:300]}
            a = res["apptest"][page]
            _log(f"{n:,}: AppTest {page}: {json.dumps(a)[:200]}")
    res["rss_before_search_mb"] = _maxrss_mb()
    # A person searching: the first text search (it builds the partner names searched).
    search = Filters(text=SEARCH_WORD)
    res["first_search_s"], found = _timed(lambda: pages.filtered(search))
    res["search_hits"] = query.event_count(found)
    res["rss_peak_mb"] = _maxrss_mb()
    res["loadavg_end"] = os.getloadavg()[0]
    return res


# ----------------------------------------------------------------------- the report


def machine() -> dict[str, Any]:
    """What the numbers were measured on."""
    import pandas
    import plotly
    import pydeck
    import streamlit

    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 2**20:.1f} GiB"
                break
    except OSError:
        pass
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "memory": mem,
        "os": platform.platform(),
        "python": platform.python_version(),
        "pandas": pandas.__version__,
        "streamlit": streamlit.__version__,
        "plotly": plotly.__version__,
        "pydeck": pydeck.__version__,
        "loadavg": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


def _ms(x: float | None) -> str:
    return "–" if x is None else f"{x * 1000:,.1f}"


def _cw(d: dict, key: str) -> str:
    """'CPU ms (wall ms)' of a measurement stored as key_cpu_s and key_s."""
    return f"{_ms(d[f'{key}_cpu_s'])} ({_ms(d[f'{key}_s'])})"


def _s(x: float | None) -> str:
    return "–" if x is None else f"{x:,.2f}"


def _kb(x: int | None) -> str:
    return "–" if x is None else f"{x / 1024:,.0f}"


def _label(n: int) -> str:
    return (
        f"{n // 1_000_000}M"
        if n >= 1_000_000 and n % 1_000_000 == 0
        else (f"{n // 1000}k" if n % 1000 == 0 else str(n))
    )


def report(results: list[dict], mach: dict[str, Any], started: str, elapsed: float) -> str:
    """results.md: the machine, every measurement per size, and the targets."""
    sizes = [r for r in results if "error" not in r]
    cols = " | ".join(_label(r["events"]) for r in sizes)
    head = f"| | {cols} |\n|---|{'---|' * len(sizes)}"

    def row(label: str, fn: Callable[[dict], str]) -> str:
        cells = []
        for r in sizes:
            try:
                cells.append(fn(r))
            except (KeyError, TypeError, ZeroDivisionError):
                cells.append("–")
        return f"| {label} | {' | '.join(cells)} |"

    def ratio(a: float, b: float) -> str:
        return f"{a / b:,.1f}" if b > 1e-5 else "–"

    def app_cell(r: dict, p: str, fmt: Callable[[dict], str]) -> str:
        a = r.get("apptest", {}).get(p)
        if a is None:
            return "not run"
        if "error" in a or a.get("errors"):
            return "error"
        return fmt(a)

    def page_row(label: str, p: str, key: str) -> str:
        return row(label, lambda r: _cw(r["pages"][p], key))

    def page_ratio(p: str) -> str:
        return row(
            f"{p}: **build ÷ floor**",
            lambda r: ratio(r["pages"][p]["filtered_cpu_s"], r["pages"][p]["filtered_floor_cpu_s"]),
        )

    def app_row(label: str, p: str, key: str) -> str:
        return row(label, lambda r: app_cell(r, p, lambda a: _cw(a, key)))

    def app_ratio(p: str) -> str:
        return row(
            f"{p}: filter change ÷ floor",
            lambda r: app_cell(
                r,
                p,
                lambda a: ratio(a["filter_change_cpu_s"], r["pages"][p]["filtered_floor_cpu_s"]),
            ),
        )

    def page_kb(r: dict, p: str, view: str) -> str:
        b = r["pages"][p][f"{view}_bytes"]
        return f"{(b['figures'] + b['decks'] + b['tables']) / 1024:,.0f}"

    seed = results[0].get("seed", 0) if results else 0
    lines = [
        "# Scale benchmark results",
        "",
        f"Run {started}, {elapsed / 60:.1f} min in all: `.venv/bin/python benchmarks/run.py "
        f"--sizes {','.join(str(r['events']) for r in results)}`. Synthetic agendas from "
        f"`intl-metrics synth` (seed {seed}); each size in its own process. What was "
        "measured and how: `benchmarks/README.md`.",
        "",
        "## Machine",
        "",
        f"- {mach['nproc']} CPUs: {mach['cpu']}; memory {mach['memory']}; {mach['os']}",
        f"- Python {mach['python']}, pandas {mach['pandas']}, streamlit {mach['streamlit']}, "
        f"plotly {mach['plotly']}, pydeck {mach['pydeck']}",
        f"- load average at the start: {mach['loadavg']}. The machine is shared with other "
        "sessions' test runs (see the load average per size), so timings are given as "
        "**CPU time of the process** (what the code costs, whatever else runs), with the "
        "wall-clock time in brackets; warm timings are the best of several runs. The "
        "targets are judged on CPU time: on a dedicated machine a single-threaded rerun "
        "waits about as long as it computes.",
        "",
        "## Loading",
        "",
        head,
        row(
            "load average, start → end",
            lambda r: f"{r['loadavg_start']:.1f} → {r['loadavg_end']:.1f}",
        ),
        row("file size (MB)", lambda r: f"{r['file_bytes'] / 1e6:,.1f}"),
        row("events loaded", lambda r: f"{r['events_loaded']:,}"),
        row("parse warnings", lambda r: f"{r['warnings']:,}"),
        row(
            "**parse + enrich (entries/s of CPU)**, sample",
            lambda r: f"{1e6 / (r['parse_us'] + r['enrich_us']):,.0f}",
        ),
        row(
            "parse + enrich (entries/s wall), whole file",
            lambda r: f"{r['parse_enrich_per_s']:,.0f}",
        ),
        row(
            "**parse + enrich, whole file, dedicated 2 cores (entries/s)**",
            lambda r: f"{r['parse_enrich_2core_per_s']:,.0f}",
        ),
        row(
            f"**intl-metrics parse, whole process (entries/s wall)**, best of {CLI_PARSE_RUNS}",
            lambda r: f"{r['events'] / r['cli_parse_s']:,.0f}",
        ),
        row(
            "  its wall (CPU of all its processes) s; load average then",
            lambda r: (
                f"{_s(r['cli_parse_s'])} ({_s(r['cli_parse_cpu_s'])}); {r['cli_parse_load']:.1f}"
            ),
        ),
        row("parse per entry (µs CPU, sample)", lambda r: f"{r['parse_us']:,.0f}"),
        row("enrich per entry (µs CPU, sample)", lambda r: f"{r['enrich_us']:,.0f}"),
        row("gazetteer start-up (s)", lambda r: _s(r["gazetteer_init_s"])),
        row(
            "**first start: ingest** text → store → frames, CPU (wall) s",
            lambda r: f"{_s(r['cold_load_cpu_s'])} ({_s(r['cold_load_s'])})",
        ),
        row("store file, SQLite (MB)", lambda r: f"{r.get('store_mb', 0):,.0f}"),
        row(
            "**cold start**, new process, store filled, snapshot present: wall (CPU) s",
            lambda r: f"{_s(r['cold_start_s'])} ({_s(r.get('cold_start_cpu_s'))})",
        ),
        row(
            "cold start, new process, store filled, no snapshot: wall (CPU) s",
            lambda r: f"{_s(r['cold_start_store_s'])} ({_s(r.get('cold_start_store_cpu_s'))})",
        ),
        row("  load average during the cold starts", lambda r: f"{r['loadavg_cold_start']:.1f}"),
        row("  CPU of the labelling workers, s", lambda r: _s(r["cold_load_workers_cpu_s"])),
        row("**warm load** cache hit (ms)", lambda r: _ms(r["warm_load_s"])),
        row("query.prepare (s)", lambda r: _s(r["prepare_s"])),
        row("frames in memory (MB)", lambda r: f"{r['frames_mb']:,.0f}"),
        row("peak RSS after load (MB)", lambda r: f"{r['rss_after_load_mb']:,.0f}"),
        row("first text search (s)", lambda r: _s(r["first_search_s"])),
        row("peak RSS before that search (MB)", lambda r: f"{r['rss_before_search_mb']:,.0f}"),
        row("**peak RSS** whole run (MB)", lambda r: f"{r['rss_peak_mb']:,.0f}"),
        row("peak RSS of a labelling worker (MB)", lambda r: f"{r['workers_rss_mb']:,.0f}"),
        row("synth write (s)", lambda r: _s(r["synth_s"]) if r["synth_s"] else "reused"),
        "",
        "## A filter change on each page: query + every figure, beside the floor",
        "",
        "What a page builds after a filter change: `filter_dataset` on the full data, then "
        "every query and chart builder the page calls (mirrored from "
        "`dashboard/app_pages`; Streamlit's own work is in the AppTest table below). The "
        f"filter is one theme; it is changed to each of {', '.join(CHANGE_THEMES)} and the "
        "median over them of the best-of-runs time is shown. *Floor*: the same mask and "
        "aggregations in bare numpy/pandas on a frame prepared once (integer month and "
        "place codes, rows per theme). *Default view*: every event, no filter. "
        "CPU ms (wall ms).",
        "",
        head,
        row(f"events with theme {FILTER_THEME}", lambda r: f"{r['filtered_events']:,}"),
    ]
    for page in PAGES:
        lines.append(page_row(f"{page}: build", page, "filtered"))
        if page != "about":  # nothing on About depends on the filters: no floor
            lines.append(page_row(f"{page}: floor", page, "filtered_floor"))
            lines.append(page_ratio(page))
    lines += ["", "Default view (every event), CPU ms (wall ms):", "", head]
    for page in PAGES:
        lines.append(page_row(f"{page}: build", page, "all"))
        if page != "about":
            lines.append(page_row(f"{page}: floor", page, "all_floor"))
    lines += [
        "",
        "## AppTest: the real page script (sidebar, URL state, Streamlit elements)",
        "",
        "`streamlit.testing` AppTest of `dashboard/app.py` with `INTL_METRICS_DATA` pointing "
        "at the synthetic file; the data are already loaded in the process (warm load). "
        "*First*: a new session opening the page. *Rerun*: the same view again (best of "
        "the runs). *Filter change*: the theme chosen in the sidebar, one theme after "
        f"another ({', '.join(CHANGE_THEMES)}; median). *Rerun, filtered*: the filtered "
        "view again (best). AppTest adds its own overhead (it rewrites each page script "
        "for Streamlit's magic on every run). CPU ms (wall ms).",
        "",
        head,
    ]
    for page in PAGES:
        lines.append(app_row(f"{page}: first", page, "first"))
        lines.append(app_row(f"{page}: rerun", page, "rerun"))
        lines.append(app_row(f"{page}: **filter change**", page, "filter_change"))
        lines.append(app_row(f"{page}: rerun, filtered", page, "rerun_filtered"))
        if page != "about":
            lines.append(app_ratio(page))
    lines += [
        "",
        "## Bytes sent to the browser per page (KB)",
        "",
        "Charts, map and tables of each page serialised as Streamlit does (figure JSON, "
        "deck JSON, Arrow), from the page builds; and every element proto AppTest "
        "received (charts, tables, widgets, text). The map's world outline is served once "
        "as a static file, not inside the deck.",
        "",
        head,
    ]
    for page in PAGES:
        lines.append(
            row(f"{page}: charts + tables, default view", lambda r, p=page: page_kb(r, p, "all"))
        )
        lines.append(
            row(
                f"{page}: charts + tables, {FILTER_THEME}",
                lambda r, p=page: page_kb(r, p, "filtered"),
            )
        )
        lines.append(
            row(
                f"{page}: all elements (AppTest), default view",
                lambda r, p=page: app_cell(r, p, lambda a: _kb(a["bytes_all"]["all_elements"])),
            )
        )
    failed = [r for r in results if "error" in r]
    if failed:
        lines += ["", "## Sizes that did not finish", ""]
        lines += [f"- {_label(r['events'])}: {r['error']}" for r in failed]
    errors = [
        f"- {_label(r['events'])} {p}: "
        + "; ".join(map(str, a.get("errors") or [a.get("error")]))[:300]
        for r in sizes
        for p, a in r.get("apptest", {}).items()
        if a.get("error") or a.get("errors")
    ]
    if errors:
        lines += ["", "## Errors seen in AppTest", "", *errors]
    lines += ["", "## Targets", "", *targets(sizes), ""]
    return "\n".join(lines)


def targets(sizes: list[dict]) -> list[str]:
    """Each target of issue 5 against the measurements: reached or not, with the number."""
    by_n = {r["events"]: r for r in sizes}
    out = []

    def verdict(ok: bool | None) -> str:
        return "not measured" if ok is None else ("reached" if ok else "**missed**")

    # Judged on the whole file on 2 dedicated cores (the load labels in one process per
    # core); one core's rate and the wall rate on this shared machine are given beside it.
    big = [r for r in sizes if r["events"] >= 100_000] or sizes
    rates = [r["parse_enrich_2core_per_s"] for r in big if r.get("parse_enrich_2core_per_s")]
    worst = min(rates) if rates else None
    one_core = min(1e6 / (r["parse_us"] + r["enrich_us"]) for r in big)
    wall = min(r["parse_enrich_per_s"] or 0 for r in big)
    out.append(
        f"- parse + enrich ≥ {TARGETS['parse_enrich_per_s']:,}/s: "
        f"{verdict(None if worst is None else worst >= TARGETS['parse_enrich_per_s'])}"
        + (
            f" (slowest size from 100k: {worst:,.0f} entries/s on 2 cores, from CPU time; "
            f"{one_core:,.0f}/s on one core; {wall:,.0f}/s wall on this shared machine)"
            if worst
            else ""
        )
    )
    # Issue 10: the command as a whole process, judged on its wall time (best of runs),
    # which on this shared machine depends on the load average given beside it.
    r100 = by_n.get(100_000)
    cli = r100["events"] / r100["cli_parse_s"] if r100 and r100.get("cli_parse_s") else None
    out.append(
        f"- intl-metrics parse of 100k entries ≥ {TARGETS['parse_enrich_per_s']:,}/s as a "
        f"whole process: {verdict(None if cli is None else cli >= TARGETS['parse_enrich_per_s'])}"
        + (
            f" ({cli:,.0f} entries/s wall, {r100['cli_parse_s']:.1f} s at load average "
            f"{r100['cli_parse_load']:.1f})"
            if cli
            else ""
        )
    )
    for n, key in ((100_000, "rerun_100k_s"), (1_000_000, "rerun_1m_s")):
        r = by_n.get(n)
        a = (r or {}).get("apptest") or {}
        ok = [v for v in a.values() if "rerun_s" in v and not v.get("errors")]
        times = [max(v["rerun_cpu_s"], v["rerun_filtered_cpu_s"]) for v in ok]
        changes = [v["filter_change_cpu_s"] for v in ok]
        worst = max(times) if times else None
        out.append(
            f"- warm page rerun ≤ {TARGETS[key] * 1000:,.0f} ms at {_label(n)}: "
            f"{verdict(None if worst is None else worst <= TARGETS[key])}"
            + (
                f" (slowest page {worst * 1000:,.0f} ms CPU; slowest filter change "
                f"{max(changes) * 1000:,.0f} ms CPU)"
                if worst and changes
                else ""
            )
            + (
                f"; {len(a) - len(ok)} page(s) with errors left out"
                if a and len(ok) < len(a)
                else ""
            )
        )
    r = by_n.get(100_000)
    if r:
        ratios = {
            p: r["pages"][p]["filtered_cpu_s"] / r["pages"][p]["filtered_floor_cpu_s"]
            for p in PAGES
            if p != "about" and r["pages"][p]["filtered_floor_cpu_s"] > 1e-5
        }
        worst_p = max(ratios, key=ratios.get)
        out.append(
            f"- page build ÷ floor ≤ {TARGETS['ratio_100k']:g} at 100k: "
            f"{verdict(ratios[worst_p] <= TARGETS['ratio_100k'])} "
            f"(worst {worst_p} {ratios[worst_p]:.1f})"
        )
    else:
        out.append(f"- build ÷ floor ≤ {TARGETS['ratio_100k']:g} at 100k: not measured")
    r = by_n.get(1_000_000)
    if r:

        def page_bytes(p: str) -> int:
            b = [r["pages"][p][f"{v}_bytes"] for v in ("all", "filtered")]
            return max(x["figures"] + x["decks"] + x["tables"] for x in b)

        worst_p = max(PAGES, key=page_bytes)
        out.append(
            f"- ≤ 2 MB per page at 1M: {verdict(page_bytes(worst_p) <= TARGETS['bytes_1m'])} "
            f"(largest {worst_p}, {page_bytes(worst_p) / 1e6:.2f} MB)"
        )
        out.append(
            f"- peak memory ≤ 1.5 GB at 1M: {verdict(r['rss_peak_mb'] <= TARGETS['rss_1m_mb'])} "
            f"({r['rss_peak_mb']:,.0f} MB for the process that loads and serves the pages; "
            f"after the load {r['rss_after_load_mb']:,.0f} MB; each labelling worker "
            f"{r['workers_rss_mb']:,.0f} MB at most, pages shared with the loader included: "
            "a forked process that exits after the load)"
        )
    else:
        out.append("- ≤ 2 MB per page and peak memory ≤ 1.5 GB at 1M: not measured")
    for n, key in ((100_000, "cold_start_100k_s"), (1_000_000, "cold_start_1m_s")):
        r = by_n.get(n) or {}
        t = r.get("cold_start_s")
        out.append(
            f"- cold start ≤ {TARGETS[key]:g} s at {_label(n)} (issue 11; a new process, the "
            f"store filled): {verdict(None if t is None else t <= TARGETS[key])}"
            + (
                f" ({t:.2f} s wall, {r.get('cold_start_cpu_s', 0):.2f} s CPU, from the "
                f"process's start, imports included, load average "
                f"{r.get('loadavg_cold_start', 0):.1f}; {r['cold_start_store_s']:.2f} s wall when "
                "its snapshot is missing and the frames are read from the database. Before "
                "the store every new process parsed and labelled the text again: "
                f"{BEFORE_STORE[n]:.1f} s wall in the last run before it, 2026-11-25)"
                if t
                else ""
            )
        )
    return out


# --------------------------------------------------------------------------- driver


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument(
        "--sizes",
        default="1000,10000,100000,1000000",
        help="comma-separated numbers of events (default: %(default)s)",
    )
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--repeat", type=int, default=5, help="runs per timing (median)")
    ap.add_argument(
        "--apptest-max",
        type=int,
        default=1_000_000,
        help="largest size run under AppTest (default: %(default)s)",
    )
    ap.add_argument("--timeout", type=float, default=900.0, help="AppTest run timeout, s")
    ap.add_argument(
        "--profile",
        action="store_true",
        help="write cProfile reports of parse, enrich and page builds to benchmarks/out/",
    )
    ap.add_argument("--out", type=Path, default=RESULTS)
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)
    ap.add_argument(
        "--cold-starts",
        action="store_true",
        help="measure the cold starts again on the filled stores of --sizes, then --report",
    )
    ap.add_argument(
        "--report",
        action="store_true",
        help="only write the report again from benchmarks/out/result-N.json of --sizes",
    )
    args = ap.parse_args(argv)

    if args.cold_starts:  # measure the cold starts again on the stores already filled
        for n in (int(x.replace("_", "")) for x in args.sizes.split(",") if x.strip()):
            saved = OUT / f"result-{n}.json"
            if not saved.exists():
                continue
            res = json.loads(saved.read_text(encoding="utf-8"))
            os.environ["INTL_METRICS_DB"] = str(OUT / f"store-{n}-{args.seed}.db")
            os.environ["INTL_METRICS_CACHE"] = str(OUT / f"cache-{n}-{args.seed}")
            res.update(cold_starts(OUT / f"synthetic-{n}-seed{args.seed}.txt", repeat=3))
            saved.write_text(json.dumps(res, indent=1), encoding="utf-8")
            _log(f"{n:,}: cold start {res['cold_start_s']:.2f}s ({res['cold_start_cpu_s']:.2f}s "
                 f"CPU), load average {res['loadavg_cold_start']:.1f}")  # fmt: skip
        args.report = True

    if args.report:
        sizes = [int(x.replace("_", "")) for x in args.sizes.split(",") if x.strip()]
        results = [
            json.loads((OUT / f"result-{n}.json").read_text(encoding="utf-8"))
            for n in sizes
            if (OUT / f"result-{n}.json").exists()
        ]
        for r in results:  # the store with its WAL, as on disk now
            files = list(OUT.glob(f"store-{r['events']}-{r['seed']}.db*"))
            if files:
                r["store_mb"] = sum(f.stat().st_size for f in files) / 1e6
        started = (args.out.read_text(encoding="utf-8").split("Run ", 1)[-1].split(",")[0]
                   if args.out.exists() else "earlier")  # fmt: skip
        _write_report(args.out, report(results, machine(), started, 0.0))
        _log(f"wrote {args.out} from {len(results)} saved result(s)")
        return 0

    if args.one is not None:  # the child: one size, JSON on stdout
        res = measure(
            args.one,
            args.seed,
            args.repeat,
            args.one <= args.apptest_max,
            args.timeout,
            args.profile,
        )
        print(json.dumps(res, default=str))
        return 0

    started = f"{datetime.now():%Y-%m-%d %H:%M}"
    t0 = _now()
    mach = machine()
    results = []
    OUT.mkdir(parents=True, exist_ok=True)
    for n in (int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()):
        _log(f"size {n:,}")
        cmd = [
            sys.executable,
            __file__,
            "--one",
            str(n),
            "--seed",
            str(args.seed),
            "--repeat",
            str(args.repeat),
            "--apptest-max",
            str(args.apptest_max),
            "--timeout",
            str(args.timeout),
        ] + (["--profile"] if args.profile else [])
        proc = subprocess.run(cmd, cwd=ROOT, stdout=subprocess.PIPE, text=True, check=False)
        if proc.returncode != 0 or not proc.stdout.strip():
            results.append({"events": n, "error": f"exit status {proc.returncode}"})
            continue
        res = json.loads(proc.stdout.strip().splitlines()[-1])
        (OUT / f"result-{n}.json").write_text(json.dumps(res, indent=1), encoding="utf-8")
        results.append(res)
        # Write as we go: a long 1M run still leaves the smaller sizes' report.
        _write_report(args.out, report(results, mach, started, _now() - t0))
    _write_report(args.out, report(results, mach, started, _now() - t0))
    _log(f"wrote {args.out}")
    return 0


# Sections other harnesses write into results.md (tests/load/harness.py), and the issue
# 10 before/after figures measured by hand against another checkout: kept as they are.
_KEPT_SECTIONS = (
    "## Issue 10: labelling with evidence and the new rules, before and after",
    "## Under load",
)


def _write_report(path: Path, text: str) -> None:
    """Write the scale report, keeping the sections other harnesses wrote there."""
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    kept = []
    for heading in _KEPT_SECTIONS:
        if heading in old:
            section = heading + old.split(heading, 1)[1].split("\n## ", 1)[0]
            kept.append(section.rstrip() + "\n")
    path.write_text("\n".join([text.rstrip() + "\n", *kept]), encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
