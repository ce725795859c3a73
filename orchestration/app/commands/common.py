"""What several commands share: the writer lock's patience, dbt's chatter kept off the terminal."""

from __future__ import annotations

import contextlib

from orchestration.config import Home, settings


def lock_wait_seconds() -> float:
    return settings().lock_wait_seconds


@contextlib.contextmanager
def quiet_output(home: Home, verbose: bool):
    """dbt's own progress lines go to a log file in the home, not the terminal."""
    log_file = home.logs.last_run
    with contextlib.ExitStack() as quiet:
        if not verbose:
            log_file.parent.mkdir(parents=True, exist_ok=True)
            log = quiet.enter_context(log_file.open("w", encoding="utf-8"))
            quiet.enter_context(contextlib.redirect_stdout(log))
        yield log_file
