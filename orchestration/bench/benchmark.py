"""`tgwh bench`: build a warehouse from generated posts and measure every stage.

Three builds in a fresh home, each through the real Dagster job in a process of its own (as a
user's `tgwh run`: bench/one_run.py): the full history, an empty run (the same files again:
nothing new), and an incremental run adding 1% new posts; and where 1% is more than
SMALL_RUN_POSTS, a fourth, small run adding that many (a day's posts: what a scheduled run
costs). Per stage: wall time, CPU time (the build's process and its children, e.g. dbt), peak
memory (resident set of the same, sampled every 20 ms), rows and rows per second. Web-preview
HTML parsing is measured alone, on one core.

Stage windows come from Dagster's step events; the ingestion step's two parts (parse, land)
from orchestration.common.stage_clock, which the build's process writes out. End to end is from
the process's launch to its exit: it pays the start-up (interpreter, imports, the Great
Expectations context) a user's `tgwh run` pays every time, nothing inherited from the build
before it.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import psutil

from orchestration.common.durable import write_text_atomic
from orchestration.common.stage_clock import StageRecord
from orchestration.config import BenchLayout, Home

SAMPLE_SECONDS = 0.02
SMALL_RUN_POSTS = 1_000  # the "small run" of the targets: up to this many new posts
STAGES = ("parse", "land", "normalize + entities", "dbt build", "validation", "publish")
# The op stage tags (defs/keys.py) as the benchmark reports them; ingest is split in two below.
STAGE_OF_TAG = {
    "ingest": "ingest",
    "normalize": "normalize + entities",
    "entities": "normalize + entities",
    "dbt build": "dbt build",
    "validation": "validation",
    "publish": "publish",
}


class ResourceSampler:
    """Samples resident memory and CPU time of this process and its children in a thread
    (``children_only``: of its children alone, the builds it starts)."""

    def __init__(self, interval: float = SAMPLE_SECONDS, children_only: bool = False):
        self.interval = interval
        self.children_only = children_only
        self.process = psutil.Process()
        self.samples: list[tuple[float, int, float]] = []  # (time, rss bytes, cpu seconds)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="resource-sampler", daemon=True)

    def _measure(self) -> tuple[float, int, float]:
        times = self.process.cpu_times()
        cpu = times.children_user + times.children_system  # children it has reaped
        rss = 0
        if not self.children_only:
            rss = self.process.memory_info().rss
            cpu += times.user + times.system
        for child in self.process.children(recursive=True):
            try:
                rss += child.memory_info().rss
                child_times = child.cpu_times()
                # its own time, and that of its children it has reaped (pool workers under a
                # forkserver); once reaped itself, all of it moves into our children_* times
                cpu += (
                    child_times.user
                    + child_times.system
                    + child_times.children_user
                    + child_times.children_system
                )
            except psutil.Error:
                continue
        return time.time(), rss, cpu

    def _run(self) -> None:
        while not self._stop.is_set():
            self.samples.append(self._measure())
            self._stop.wait(self.interval)

    def __enter__(self) -> ResourceSampler:
        self._thread.start()
        return self

    def __exit__(self, *_) -> None:
        self._stop.set()
        self._thread.join()
        self.samples.append(self._measure())

    def window(self, started: float, ended: float) -> tuple[float, int]:
        """(CPU seconds, peak RSS bytes) between two moments."""
        inside = [s for s in self.samples if started <= s[0] <= ended]
        before = [s for s in self.samples if s[0] < started][-1:]
        after = [s for s in self.samples if s[0] > ended][:1]
        edges = before + inside + after
        if not edges:
            return 0.0, 0
        cpu = edges[-1][2] - edges[0][2]
        return max(cpu, 0.0), max(s[1] for s in (inside or edges))


@dataclass
class StageFigures:
    stage: str
    wall_seconds: float
    cpu_seconds: float
    peak_memory_mb: float
    rows: int
    ran: bool = True  # False when the run skipped the stage (nothing new)

    @property
    def rows_per_second(self) -> float | None:
        return self.rows / self.wall_seconds if self.ran and self.wall_seconds > 0 else None


@dataclass
class RunFigures:
    name: str  # "full", "empty", "incremental", "small"
    new_posts: int
    posts_in_warehouse: int
    startup_seconds: float
    stages: list[StageFigures] = field(default_factory=list)
    end_to_end: StageFigures | None = None
    published: bool = False


def _figures(
    sampler: ResourceSampler, name: str, windows: list[tuple[float, float]], cpu: float | None
) -> tuple[float, float, float]:
    wall = sum(end - start for start, end in windows)
    sampled_cpu, peak = 0.0, 0
    for start, end in windows:
        window_cpu, window_peak = sampler.window(start, end)
        sampled_cpu += window_cpu
        peak = max(peak, window_peak)
    return wall, cpu if cpu is not None else sampled_cpu, peak / 2**20


def _file_or_none(stream):
    """``stream`` where a child process can write to it (a file), else None (inherit)."""
    try:
        stream.fileno()
    except (AttributeError, OSError, ValueError):
        return None
    stream.flush()
    return stream


def _count_posts(home: Home) -> int:
    import duckdb

    if not home.warehouse.published.exists():
        return 0
    with duckdb.connect(str(home.warehouse.published), read_only=True) as connection:
        return connection.execute("select count(*) from marts.fct_posts").fetchall()[0][0]


def measure_build(
    home: Home,
    name: str,
    sources: list[Path],
    new_posts: int,
    step_lines: bool = False,
) -> RunFigures:
    """One build in a fresh process (bench/one_run.py), timed from its launch to its exit.

    ``step_lines``: a line on stderr as each step ends (`tgwh run`'s), timed from the
    build's start, so that a long benchmark shows where it is."""
    from orchestration.app.runner import step_windows

    result = home.root / f"bench-{name}.json"
    command = [sys.executable, "-m", "orchestration.bench.one_run", str(result)]
    command += ["--step-lines"] if step_lines else []
    launched = time.time()
    with ResourceSampler(children_only=True) as sampler:
        # dbt's lines go where this process's standard output goes (`tgwh bench`: its log)
        subprocess.run([*command, *map(str, sources)], check=True, stdout=_file_or_none(sys.stdout))
    ended = time.time()
    done = json.loads(result.read_text())
    result.unlink()
    if not done["success"]:
        raise RuntimeError(f"the {name} build failed: {'; '.join(done['errors'])}")
    began = done["began"]
    posts = _count_posts(home)
    # start-up: the interpreter and the imports before the build began, paid by every run
    figures = RunFigures(name, new_posts, posts, began - launched, published=done["published"])
    by_stage: dict[str, list[tuple[float, float]]] = {}
    for window in step_windows(home, done["run_ids"]):
        stage = STAGE_OF_TAG.get(window.stage or "")
        if stage:
            by_stage.setdefault(stage, []).append((window.started, window.ended))
    # Ingestion is one step: landing (hashing, writing Parquet) runs in this process and is
    # clocked; the rest of the step is parsing, partly in worker processes, whose CPU the
    # sampler counts with this process's.
    clock = [StageRecord(**record) for record in done["records"]]
    land = [r for r in clock if r.name == "land"]
    parsed = any(r.name == "parse" for r in clock)
    land_wall = sum(r.ended - r.started for r in land)
    land_cpu = sum(r.cpu_seconds for r in land)
    raw_windows = by_stage.get("ingest", [])
    raw_wall, raw_cpu, raw_peak = _figures(sampler, "ingest", raw_windows, None)
    _, _, land_peak = _figures(sampler, "land", [(r.started, r.ended) for r in land], None)
    figures.stages.append(
        StageFigures(
            "parse",
            max(raw_wall - land_wall, 0.0),
            max(raw_cpu - land_cpu, 0.0),
            raw_peak,
            new_posts,
            ran=parsed,
        )
    )
    figures.stages.append(
        StageFigures("land", land_wall, land_cpu, land_peak, new_posts, ran=bool(land))
    )
    for stage in STAGES[2:]:
        windows = by_stage.get(stage, [])
        wall, cpu, peak = _figures(sampler, stage, windows, None)
        rows = new_posts if stage == "normalize + entities" else posts
        figures.stages.append(StageFigures(stage, wall, cpu, peak, rows, ran=bool(windows)))
    cpu, peak = sampler.window(launched, ended)
    figures.end_to_end = StageFigures("end to end", ended - launched, cpu, peak / 2**20, new_posts)
    return figures


def html_parse_rate(spec, folder: Path, posts: int) -> dict:
    """Web-preview pages parsed one after another on one core: posts per second."""
    from orchestration.bench.synthetic import write_web_preview_pages
    from orchestration.ingest.parsing import parse_file

    pages = write_web_preview_pages(spec, folder, start=0, stop=posts)
    parsed = 0
    began, cpu = time.perf_counter(), time.process_time()
    for page in pages:
        parsed += parse_file(page).posts.height
    wall, cpu = time.perf_counter() - began, time.process_time() - cpu
    return {
        "pages": len(pages),
        "posts": parsed,
        "wall_seconds": wall,
        "cpu_seconds": cpu,
        "posts_per_second": parsed / wall if wall else None,
    }


def machine() -> dict:
    memory = psutil.virtual_memory().total
    return {
        "cpus": os.cpu_count(),
        "memory_gb": round(memory / 2**30, 1),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "processor": platform.processor() or platform.machine(),
    }


def run_benchmark(
    layout: BenchLayout,
    posts: int = 1_000_000,
    channels: int = 20,
    seed: int = 7,
    increment_share: float = 0.01,
    html_posts: int = 20_000,
    keep_home: bool = False,
    progress=print,
    step_lines: bool = False,
) -> dict:
    """Generate, build full / empty / incremental in a fresh home; figures as a dict (and JSON)."""
    from orchestration.app.runner import use_home
    from orchestration.bench.synthetic import SyntheticSpec, write_desktop_exports

    spec = SyntheticSpec(posts=posts, channels=channels, seed=seed)
    added = max(1, int(posts * increment_share))
    small = SMALL_RUN_POSTS if added > SMALL_RUN_POSTS else 0  # else the increment is small
    # Inputs are a pure function of the spec: generated once, reused by later benchmarks.
    inputs = layout.inputs_dir(f"{posts}-{channels}-{seed}-{added}-{small}")
    history, increment, day = inputs / "history", inputs / "increment", inputs / "small"
    generation = 0.0
    if not (inputs / "COMPLETE").exists():
        shutil.rmtree(inputs, ignore_errors=True)
        progress(f"generating {posts:,} posts in {channels} channels (seed {seed})")
        began = time.perf_counter()
        write_desktop_exports(spec, history, start=0, stop=posts)
        write_desktop_exports(spec, increment, start=posts, stop=posts + added)
        if small:
            write_desktop_exports(spec, day, start=posts + added, stop=posts + added + small)
        generation = time.perf_counter() - began
        (inputs / "COMPLETE").write_text(f"{generation:.1f} s\n")
    work = layout.scratch_home(f"home-{posts}")
    shutil.rmtree(work, ignore_errors=True)

    home = Home(work)
    use_home(home)  # each build's process reads the home from the environment
    runs = []
    builds = [
        ("full", [history], posts),
        ("empty", [history], 0),
        ("incremental", [increment], added),
    ]
    if small:
        builds.append(("small", [day], small))
    for name, sources, new in builds:
        progress(f"{name} build ({new:,} new posts)")
        runs.append(measure_build(home, name, sources, new, step_lines=step_lines))

    progress(f"web-preview parsing ({html_posts:,} posts)")
    pages = layout.scratch_home(f"pages-{html_posts}")
    shutil.rmtree(pages, ignore_errors=True)
    html = html_parse_rate(spec, pages, html_posts)
    shutil.rmtree(pages, ignore_errors=True)

    report = {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "spec": {
            "posts": posts,
            "channels": channels,
            "seed": seed,
            "increment": added,
            "small_run": small or added,
        },
        "generation_seconds": generation,
        "runs": [_run_dict(run) for run in runs],
        "web_preview_parsing": html,
        "targets": targets(runs, html),
    }
    if not keep_home:
        shutil.rmtree(work, ignore_errors=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    text = json.dumps(report, indent=1) + "\n"
    write_text_atomic(layout.run_figures(f"{stamp}-{posts}"), text)
    write_text_atomic(layout.latest, text)
    return report


def _run_dict(run: RunFigures) -> dict:
    def stage_dict(figures: StageFigures) -> dict:
        return {**asdict(figures), "rows_per_second": figures.rows_per_second}

    return {
        "name": run.name,
        "new_posts": run.new_posts,
        "posts_in_warehouse": run.posts_in_warehouse,
        "published": run.published,
        "startup_seconds": run.startup_seconds,
        "stages": [stage_dict(s) for s in run.stages],
        "end_to_end": stage_dict(run.end_to_end),
    }


def targets(runs: list[RunFigures], html: dict) -> list[dict]:
    """The performance targets (2-core machine) against what was measured.

    The small run is the run of that name, or the incremental one where it adds no more than
    SMALL_RUN_POSTS (then no separate small run is made)."""
    by_name = {run.name: run for run in runs}
    full, empty, incremental = by_name["full"], by_name["empty"], by_name["incremental"]
    small = by_name.get("small", incremental)
    stages = {s.stage: s for s in full.stages}
    normalize = stages["normalize + entities"]
    parse = stages["parse"]
    found = [
        ("full build end to end (s)", full.end_to_end.wall_seconds, "<=", 60.0),
        ("full build peak memory (GB)", full.end_to_end.peak_memory_mb / 1024, "<=", 3.0),
        ("empty run end to end (s)", empty.end_to_end.wall_seconds, "<=", 5.0),
        (
            f"small run end to end (s), {small.new_posts:,} new posts",
            small.end_to_end.wall_seconds,
            "<=",
            15.0,
        ),
        (
            "incremental minus empty, share of full build",
            (incremental.end_to_end.wall_seconds - empty.end_to_end.wall_seconds)
            / full.end_to_end.wall_seconds,
            "<=",
            0.05,
        ),
        ("Desktop-export parsing (posts/s)", parse.rows_per_second or 0.0, ">=", 50_000.0),
        ("web-preview parsing, one core (posts/s)", html["posts_per_second"] or 0.0, ">=", 5000.0),
        (
            "normalization + entities + events (posts/s)",
            normalize.rows_per_second or 0.0,
            ">=",
            100_000.0,
        ),
    ]
    return [
        {
            "target": name,
            "measured": value,
            "goal": f"{op} {goal:,g}",
            "met": value <= goal if op == "<=" else value >= goal,
        }
        for name, value, op, goal in found
    ]
