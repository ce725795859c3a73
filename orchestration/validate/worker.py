"""Great Expectations in a process of its own, so that its import is off a run's critical path.

Importing GX and opening a context cost ~6 s of one core. A warm-up thread in the run's own
process competed with normalization for the GIL, so the run paid the import anyway; a child
process pays it on the other core while the run lands and normalizes, and then runs the suites
(run_checks.py) there, the run waiting for their results only.

One worker per process serves every run and home of that process (a test session's many runs,
or the single run of a Dagster run worker). It leaves when its parent closes the pipe: at exit,
or when the parent is killed. Requests and replies are pickled tuples on the child's stdin and
stdout, and nothing else is written on them (the child's prints go to its stderr). Each request
carries the caller's TGWH_* variables, which the child adopts first: the suites read settings.

When the worker is gone or a task raises in it, the caller runs the task itself
(``run_validation``): a broken worker costs the time it saved, and a real error (a malformed
suite file, say) is raised again where Dagster reports it, with its own traceback.
"""

from __future__ import annotations

import atexit
import os
import pickle
import signal
import subprocess
import sys
import threading
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from orchestration.common.child_process import die_with_parent
from orchestration.config import (
    PROJECT_DIR,
    Home,
    adopt_tgwh_variables,
    child_environment,
    tgwh_variables,
    validation_worker_setting,
)
from orchestration.validate import run_checks

TASKS: dict[str, Callable[..., Any]] = {
    "open_context": run_checks.open_context,
    "check_new_batches": run_checks.check_new_batches,
    "check_candidate": run_checks.check_candidate,
}


class WorkerFailed(RuntimeError):
    """The worker could not do a task: it exited, or the task raised there (its traceback)."""


class ValidationWorker:
    """The parent's end: starts the child on first use, sends tasks, reads their replies."""

    def __init__(self) -> None:
        self._process: subprocess.Popen | None = None
        self._unread = 0  # replies owed for requests sent without waiting (the warm-up)
        self._lock = threading.Lock()

    def start(self, home: Home) -> None:
        """Start the child if it is not running and have it open ``home``'s context; return
        at once (the child works while the caller goes on)."""
        with self._lock:
            if self._running():
                return
            if self._process is not None:  # died since its last task: release its pipes
                _end(self._process, grace_seconds=0)
            self._process = subprocess.Popen(
                [sys.executable, "-m", __name__, str(os.getpid())],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                # the same code as the parent's, also from a checkout that is not installed
                env=child_environment(PYTHONPATH=str(PROJECT_DIR)),
            )
            self._unread = 0
            try:
                self._send("open_context", home, ())
            except WorkerFailed:
                pass  # the next call finds it dead and says so

    def call(self, task: str, home: Home, *arguments: Any) -> Any:
        """Run ``task`` in the child (started if needed) and return its result."""
        self.start(home)
        with self._lock:
            self._send(task, home, arguments)
            while True:
                status, value = self._receive()
                if self._unread == 0:  # this request's reply; earlier ones were warm-ups
                    break
            if status != "ok":
                raise WorkerFailed(f"{task} raised in the validation worker:\n{value}")
            return value

    def stop(self) -> None:
        """Close the pipe (the child leaves) and make sure it is gone."""
        with self._lock:
            process, self._process = self._process, None
        if process is not None:
            _end(process, grace_seconds=1)  # still importing GX after that: no one needs it

    def _running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def _send(self, task: str, home: Home, arguments: tuple) -> None:
        request = (task, str(home.root), tgwh_variables(), arguments)
        try:
            pickle.dump(request, self._process.stdin)
            self._process.stdin.flush()
        except OSError as error:
            raise WorkerFailed(f"the validation worker is gone ({error})") from None
        self._unread += 1

    def _receive(self) -> tuple[str, Any]:
        try:
            reply = pickle.load(self._process.stdout)
        except (EOFError, OSError, pickle.UnpicklingError) as error:
            process, self._process = self._process, None
            code = _end(process, grace_seconds=0)
            raise WorkerFailed(f"the validation worker exited (code {code}): {error!r}") from None
        self._unread -= 1
        return reply


def _end(process: subprocess.Popen, grace_seconds: float) -> int | None:
    """Close the child's pipes, give it ``grace_seconds`` to leave, then kill it; its exit
    code."""
    try:
        process.stdin.close()
    except OSError:  # a dead child's pipe may refuse the flush
        pass
    try:
        code = process.wait(timeout=grace_seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        code = process.wait()
    process.stdout.close()
    return code


WORKER = ValidationWorker()
atexit.register(WORKER.stop)


def start_validation_worker(home: Home) -> None:
    """Have the worker import GX now, for a run that will validate new data soon."""
    if validation_worker_setting():
        WORKER.start(home)


def run_validation(task: str, home: Home, *arguments: Any, warn: Callable[[str], None]) -> Any:
    """The task's result from the worker; from this process if the worker cannot give it (or
    TGWH_VALIDATION_WORKER=off)."""
    if not validation_worker_setting():
        return TASKS[task](home, *arguments)
    try:
        return WORKER.call(task, home, *arguments)
    except WorkerFailed as failure:
        warn(f"validating in the run's own process instead: {failure}")
        return TASKS[task](home, *arguments)


def serve(requests, replies) -> None:
    """The child's loop: one reply per request, until the parent closes the pipe."""
    while True:
        try:
            task, root, variables, arguments = pickle.load(requests)
        except EOFError:
            return
        try:
            adopt_tgwh_variables(variables)
            reply = ("ok", TASKS[task](Home(Path(root)), *arguments))
        except Exception:
            reply = ("error", traceback.format_exc())
        pickle.dump(reply, replies)
        replies.flush()


def main() -> None:
    # Ctrl-C reaches the whole process group: the run handles it, and this process leaves
    # with the run (no traceback of its own on the user's terminal)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if len(sys.argv) > 1:
        die_with_parent(int(sys.argv[1]))
    replies = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # prints must not reach the pipe
    serve(sys.stdin.buffer, replies)


if __name__ == "__main__":
    main()
