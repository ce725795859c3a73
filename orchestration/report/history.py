"""The checks over runs: how many checks each run evaluated, and how many passed or failed.

Dagster's event log knows every check evaluation, but the report must not need Dagster to
render, so the wiring (defs/report.py) hands each run's counts here after every publish, and
they are kept in the home as a small JSON file: a line of figures per run, never the
evaluations themselves. A run recorded again (its counts read once more) replaces its line.

A build is two runs, its ingest phase (landing, normalizing, the normalized posts' suite) and
its build phase (dbt and the marts' suites), and users see it as one: `builds` counts each
build phase together with the ingest run it completes, as `tgwh run` prints the checks.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

from orchestration.common.durable import write_text_atomic

KEEP_RUNS = 5000  # years of daily builds; the oldest go first


@dataclass(frozen=True)
class CheckRun:
    """What the checks of one run said."""

    run_id: str
    finished_at: datetime  # aware (UTC)
    evaluated: int
    passed: int
    failed_blocking: int  # failures that stop what depends on the checked asset
    failed_warning: int  # failures reported, with the build going on
    completes: str = ""  # a build phase: the run id of the ingest phase it completes

    @property
    def passed_share(self) -> float:
        return self.passed / self.evaluated if self.evaluated else 1.0

    def as_json(self) -> dict:
        return asdict(self) | {"finished_at": self.finished_at.isoformat()}

    @classmethod
    def from_json(cls, row: dict) -> CheckRun:
        return cls(**(row | {"finished_at": datetime.fromisoformat(row["finished_at"])}))


def builds(runs: list[CheckRun] | tuple[CheckRun, ...]) -> list[CheckRun]:
    """The runs with each build phase merged into the ingest run it completes (one line per
    build, finished when its last phase did, under the ingest run's id), in order."""
    merged: dict[str, CheckRun] = {}
    for run in runs:
        key = run.completes or run.run_id
        earlier = merged.get(key)
        if earlier is None:
            merged[key] = CheckRun(key, run.finished_at, *_counts(run))
            continue
        counts = [a + b for a, b in zip(_counts(earlier), _counts(run), strict=True)]
        merged[key] = CheckRun(key, max(earlier.finished_at, run.finished_at), *counts)
    return sorted(merged.values(), key=lambda run: (run.finished_at, run.run_id))


def _counts(run: CheckRun) -> tuple[int, int, int, int]:
    return run.evaluated, run.passed, run.failed_blocking, run.failed_warning


class CheckHistoryCorrupt(ValueError):
    pass


@dataclass(frozen=True)
class CheckHistory:
    runs: tuple[CheckRun, ...] = ()  # oldest first
    cursor: str = ""  # where the wiring stopped reading run records (opaque here)

    def with_runs(self, runs: list[CheckRun], cursor: str) -> CheckHistory:
        by_run = {run.run_id: run for run in self.runs} | {run.run_id: run for run in runs}
        ordered = sorted(by_run.values(), key=lambda run: (run.finished_at, run.run_id))
        return CheckHistory(tuple(ordered[-KEEP_RUNS:]), cursor or self.cursor)


def read_history(path: Path) -> CheckHistory:
    """The history kept at ``path``; empty when there is none yet."""
    if not path.exists():
        return CheckHistory()
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        return CheckHistory(
            tuple(CheckRun.from_json(row) for row in document["runs"]), document["cursor"]
        )
    except (ValueError, KeyError, TypeError) as error:
        raise CheckHistoryCorrupt(
            f"{path}: not a check history ({error}); remove it and the next publish rebuilds "
            "it from Dagster's run history"
        ) from error


def write_history(path: Path, history: CheckHistory) -> None:
    document = {"cursor": history.cursor, "runs": [run.as_json() for run in history.runs]}
    write_text_atomic(path, json.dumps(document, indent=0) + "\n")


def record_runs(path: Path, runs: list[CheckRun], cursor: str) -> CheckHistory:
    """Add (or replace) the figures of ``runs`` and remember ``cursor``; return the history."""
    history = read_history(path).with_runs(runs, cursor)
    write_history(path, history)
    return history
