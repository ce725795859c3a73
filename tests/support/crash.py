"""Runs killed at a named failpoint, in a child process that starts with the imports done.

A failpoint SIGKILLs its process, so a killed run cannot be this test process. Each child is
forked from a forkserver that has imported the Dagster definitions once: a kill costs the run
up to its failpoint, not ~10 s of imports. (A plain fork of the test process is unsafe: Polars'
thread pool does not survive fork; the forkserver has never computed anything.)
"""

from __future__ import annotations

import multiprocessing
import os
from pathlib import Path

_CONTEXT = multiprocessing.get_context("forkserver")
_CONTEXT.set_forkserver_preload(
    ["orchestration.defs.definitions", "orchestration.app.runner", "great_expectations"]
)


def _run_until_killed(home: str, sources: list[str], failpoint: str) -> None:
    os.environ["TGWH_FAILPOINT"] = failpoint
    # GX is imported here already (preloaded): a validation worker would import it again
    os.environ["TGWH_VALIDATION_WORKER"] = "off"
    from orchestration.app.runner import build_warehouse
    from orchestration.config import Home

    build_warehouse(Home(Path(home)), [Path(source) for source in sources])


def run_killed_at(home: Path, sources: list[Path], failpoint: str, timeout: float = 300) -> int:
    """The exit code of a `tgwh run` of ``sources`` into ``home`` with TGWH_FAILPOINT set."""
    child = _CONTEXT.Process(
        target=_run_until_killed, args=(str(home), [str(s) for s in sources], failpoint)
    )
    child.start()
    child.join(timeout)
    if child.is_alive():
        child.kill()
        child.join()
        raise TimeoutError(f"the run with failpoint {failpoint} did not end in {timeout} s")
    return child.exitcode


def _cli(home: str, args: list[str], output: str) -> None:
    import sys

    from orchestration.app.cli import main

    os.environ["TGWH_HOME"] = home
    os.environ.pop("DAGSTER_HOME", None)
    with open(output, "w") as log:
        sys.stdout = sys.stderr = log
        main(args, prog_name="tgwh")


def start_command(home: Path, args: list[str], output: Path):
    """A `tgwh` command started in a child process (the imports done), its output to a file;
    the caller signals it, waits for it and reads its exit code."""
    child = _CONTEXT.Process(target=_cli, args=(str(home), args, str(output)))
    child.start()
    return child
