"""Start a warehouse build when new files land in the inbox folder."""

import hashlib

import dagster as dg

from orchestration.jobs import build_warehouse_job
from orchestration.paths import Home
from orchestration.raw_store import expand_sources

SETTLED_FOLDERS = {"done", "failed"}


def pending_inbox_files(home: Home) -> list:
    """Files waiting in the inbox (handled ones are moved to done/ or failed/ by the run)."""
    if not home.inbox.exists():
        return []
    top = [p for p in home.inbox.iterdir() if p.name not in SETTLED_FOLDERS]
    return expand_sources(top)


@dg.sensor(
    job=build_warehouse_job,
    minimum_interval_seconds=30,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Launches build_warehouse when new files appear in <home>/inbox.",
)
def inbox_sensor(context: dg.SensorEvaluationContext):
    files = pending_inbox_files(Home.from_env())
    if not files:
        return dg.SkipReason("inbox is empty")
    fingerprint = hashlib.sha256(
        "\n".join(f"{p}:{p.stat().st_size}:{p.stat().st_mtime_ns}" for p in files).encode()
    ).hexdigest()[:16]
    return dg.RunRequest(
        run_key=f"inbox-{fingerprint}",
        tags={"tgwh/trigger": "inbox", "tgwh/files": str(len(files))},
    )
