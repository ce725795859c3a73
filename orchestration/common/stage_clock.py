"""Wall and CPU time of named stages inside one process (read by the benchmark).

Dagster's step events time whole steps; a step that does two things (ingestion: parse, then
land) marks its parts here. Recording costs two clock reads per stage, so it is always on.
"""

from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass


@dataclass(frozen=True)
class StageRecord:
    name: str
    started: float  # time.time()
    ended: float
    cpu_seconds: float  # this process, all threads


_records: list[StageRecord] = []


@contextlib.contextmanager
def stage(name: str):
    started, cpu = time.time(), time.process_time()
    try:
        yield
    finally:
        _records.append(StageRecord(name, started, time.time(), time.process_time() - cpu))


def records_since(moment: float) -> list[StageRecord]:
    return [record for record in _records if record.started >= moment]
