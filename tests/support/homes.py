"""Homes for the tests: built once, copied for each test that changes one.

A build through `tgwh run` costs a dbt build (~10 s); the sample warehouse that many tests
read is built once per session (once for all pytest-xdist workers, under a file lock) and
each test that writes gets its own copy. ``cp -a`` keeps the hard links between the published
warehouse and its version, which rollback relies on.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

from filelock import FileLock


def copy_home(source: Path, target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(["cp", "-a", str(source), str(target)], check=True)
    return target


def shared_home(tmp_path_factory, name: str, build: Callable[[Path], None]) -> Path:
    """A home built by ``build`` once per test session, shared by every xdist worker.

    Workers share the parent of their base temporary folders; the first to take the lock
    builds, the others wait and reuse. Callers must not write into it: copy it first.
    """
    root = tmp_path_factory.getbasetemp()
    shared = root.parent if root.name.startswith("popen-gw") else root
    home = shared / f"shared-{name}"
    done = shared / f"shared-{name}.done"
    with FileLock(str(shared / f"shared-{name}.lock")):
        if not done.exists():
            build(home)
            done.write_text("built\n")
    return home
