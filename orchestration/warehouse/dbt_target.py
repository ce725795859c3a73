"""The dbt target folder of a home: what one dbt build leaves for the next.

dagster-dbt gives every dbt invocation its own folder under the target folder and copies the
target folder's ``partial_parse.msgpack`` into it, so that dbt skips parsing the project
(~5 s). Nothing copies the parse back: a home whose target folder never held one (its first
build ran in a process that loaded the definitions from another home, as the tests and
in-process runs do) would re-parse on every build. And the per-invocation folders (compiled
SQL, run results, logs) would pile up without end.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from orchestration.common.durable import write_bytes_atomic

PARTIAL_PARSE = "partial_parse.msgpack"  # dbt's name for its saved parse
KEPT_INVOCATIONS = 10  # the newest invocation folders kept, for reading a build's artifacts


def keep_after_invocation(target: Path, invocation: Path, keep: int = KEPT_INVOCATIONS) -> None:
    """After the dbt invocation that wrote into ``invocation`` (a folder inside ``target``):
    its parse becomes the target folder's, and only the newest ``keep`` invocation folders
    stay (this one always among them)."""
    parsed = invocation / PARTIAL_PARSE
    if parsed.is_file():
        # atomic: a reader (the next invocation, the code server) never sees half a file
        write_bytes_atomic(target / PARTIAL_PARSE, parsed.read_bytes())
    if invocation.parent != target:
        return
    kind = _kind(invocation)  # the op's name: dagster-dbt names them op-run-unique
    folders = sorted(
        (
            folder
            for folder in target.iterdir()
            if folder.is_dir() and folder != invocation and _kind(folder) == kind
        ),
        key=lambda folder: folder.stat().st_mtime,
        reverse=True,
    )
    for folder in folders[max(keep - 1, 0) :]:
        shutil.rmtree(folder, ignore_errors=True)


def _kind(folder: Path) -> str:
    return folder.name.rsplit("-", 2)[0]
