"""Progress of a run started from the command line, on standard error: each step as it ends,
with what it produced and the time since the command began.

A Dagster logger sees every event of the run as it happens (the console logger prints them
all, which is the log, not progress); this one keeps the few a person waiting wants: which
stage is done, how many assets and checks it produced, how long it took. On a terminal it also
says when a step starts, since a long step (dbt) otherwise looks like a hang; in a log file
(not a terminal) it writes only the finished lines.
"""

from __future__ import annotations

import logging
import sys
import time

import dagster as dg

# Figures of a step worth a person's glance, from its materializations' metadata.
HEADLINE_FIGURES = {
    "files_landed": "files landed",
    "posts_landed": "posts landed",
    "files_failed": "files failed",
}


def elapsed(seconds: float) -> str:
    minutes, seconds = divmod(int(seconds), 60)
    return f"{minutes}:{seconds:02d}"


def step_name(step_key: str) -> str:
    """``raw__batches`` as a person reads the asset: ``raw/batches``."""
    return step_key.replace("__", "/")


class ProgressHandler(logging.Handler):
    """Counts each step's materializations and check results, prints a line when it ends."""

    def __init__(self, started_at: float, terminal: bool, stream=None):
        super().__init__(level=logging.DEBUG)
        self.started_at = started_at
        self.terminal = terminal
        self.stream = stream or sys.stderr
        self.step_started: dict[str, float] = {}
        self.assets: dict[str, int] = {}
        self.checks: dict[str, list[int]] = {}
        self.figures: dict[str, dict[str, int]] = {}

    def emit(self, record: logging.LogRecord) -> None:
        # Dagster attaches its event to the record as ``dagster_meta`` (what its JSON logger
        # prints); records without one are messages, not progress.
        event = (getattr(record, "dagster_meta", None) or {}).get("dagster_event")
        if event is None or not event.step_key:
            return
        try:
            self.observe(event.step_key, event)
        except Exception:  # noqa: BLE001 - progress must never fail the step it reports on
            self.handleError(record)

    def observe(self, step: str, event) -> None:
        now = time.monotonic()
        if event.is_step_start:
            self.step_started[step] = now
            if self.terminal:
                self.write(f"{step_name(step)} …")
        elif event.is_step_materialization:
            self.assets[step] = self.assets.get(step, 0) + 1
            metadata = event.step_materialization_data.materialization.metadata
            for key, label in HEADLINE_FIGURES.items():
                if key in metadata and isinstance(metadata[key].value, int):
                    self.figures.setdefault(step, {})[label] = metadata[key].value
        elif event.event_type_value == "ASSET_CHECK_EVALUATION":
            passed, failed = self.checks.setdefault(step, [0, 0])
            ok = event.asset_check_evaluation_data.passed
            self.checks[step] = [passed + ok, failed + (not ok)]
        elif event.is_step_success or event.is_step_failure:
            took = now - self.step_started.get(step, now)
            outcome = "done" if event.is_step_success else "FAILED"
            self.write(f"{step_name(step)} {outcome} in {took:.1f} s{self.produced(step)}")

    def produced(self, step: str) -> str:
        parts = [f"{count:,} {label}" for label, count in self.figures.get(step, {}).items()]
        if step not in self.figures and self.assets.get(step, 0) > 1:
            parts.append(f"{self.assets[step]} assets")
        if step in self.checks:
            passed, failed = self.checks[step]
            parts.append(f"checks {passed} passed, {failed} failed")
        return f" ({', '.join(parts)})" if parts else ""

    def write(self, line: str) -> None:
        self.stream.write(f"[{elapsed(time.time() - self.started_at)}] {line}\n")
        self.stream.flush()


@dg.logger(
    config_schema={
        "started_at": dg.Field(float, description="When the command began (Unix time)."),
        "terminal": dg.Field(bool, default_value=False, description="Standard error is a TTY."),
    },
    description="Progress of a command-line run: one line per finished step, on stderr.",
)
def progress_logger(init_context: dg.InitLoggerContext) -> logging.Logger:
    config = init_context.logger_config
    logger = logging.Logger("tgwh.progress", level=logging.DEBUG)
    logger.addHandler(ProgressHandler(config["started_at"], config["terminal"]))
    return logger
