"""Keep the warehouse current: scrape every followed channel on a schedule."""

import os

import dagster as dg

from orchestration.jobs import scrape_channels_job
from orchestration.partitions import CHANNEL_PARTITIONS_NAME
from orchestration.paths import Home
from orchestration.scraping import channel_key, load_channels

SCRAPE_SCHEDULE = os.environ.get("TGWH_SCRAPE_SCHEDULE", "0 5 * * *")  # daily, 05:00 UTC


def sync_channel_partitions(instance: dg.DagsterInstance, home: Home) -> list[str]:
    """One partition per channel of the user's list (channels removed keep their history)."""
    channels = [channel_key(name) for name in load_channels(home.root)]
    known = set(instance.get_dynamic_partitions(CHANNEL_PARTITIONS_NAME))
    missing = [name for name in channels if name not in known]
    if missing:
        instance.add_dynamic_partitions(CHANNEL_PARTITIONS_NAME, missing)
    return channels


@dg.schedule(
    job=scrape_channels_job,
    cron_schedule=SCRAPE_SCHEDULE,
    execution_timezone="UTC",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Scrapes every followed channel (one run each); the marts are rebuilt after.",
)
def scrape_followed_channels(context: dg.ScheduleEvaluationContext):
    channels = sync_channel_partitions(context.instance, Home.from_env())
    stamp = context.scheduled_execution_time.isoformat() if context.scheduled_execution_time else ""
    return [dg.RunRequest(partition_key=name, run_key=f"{name}@{stamp}") for name in channels]
