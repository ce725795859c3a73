"""One benchmark build in a process of its own, as a user's `tgwh run` is.

The benchmark starts this module for each build, so that every build pays what a fresh
`tgwh run` pays (the interpreter, the imports, the Great Expectations context, the entity
tables read back from the home's cache) and none inherits a warm process from the build
before it. It writes what the parent cannot see from outside: the outcome and the in-process
stage records (orchestration.common.stage_clock), as JSON.

    python -m orchestration.bench.one_run RESULT.json [--step-lines] SOURCE...
"""

from __future__ import annotations

import json
import sys
import time
from dataclasses import asdict
from pathlib import Path

from orchestration.common.durable import write_text_atomic
from orchestration.common.stage_clock import records_since
from orchestration.config import Home


def main(arguments: list[str]) -> None:
    from orchestration.app.runner import build_warehouse

    result, *rest = arguments
    step_lines = "--step-lines" in rest
    sources = [Path(a) for a in rest if a != "--step-lines"]
    began = time.time()
    outcome = build_warehouse(
        Home.from_env(), sources, progress_since=began if step_lines else None
    )
    figures = {
        "began": began,
        "success": outcome.success,
        "errors": outcome.errors,
        "run_ids": outcome.run_ids,
        "published": outcome.published,
        "records": [asdict(record) for record in records_since(began)],
    }
    write_text_atomic(Path(result), json.dumps(figures) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
