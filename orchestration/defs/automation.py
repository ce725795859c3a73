"""Keeping the warehouse current: the jobs, the scrape schedule, and the sensors that start
builds when files land in the inbox or when the scheduled scrapes have finished."""

import hashlib

import dagster as dg

from orchestration.config import Home, settings
from orchestration.defs.dbt import tgwh_dbt_models
from orchestration.defs.entities import entity_tables
from orchestration.defs.keys import (
    BUILD_JOB,
    CHANNEL_PARTITIONS,
    INGEST_RUN_TAG,
    LIVE_CHANNELS,
    PHASE_TAG,
    PUBLISHED_WAREHOUSE,
    RAW_BATCHES,
    SCRAPE_JOB,
    SCRAPED_PAGES,
    SOURCE_FILES,
)
from orchestration.defs.normalized import normalized_tables
from orchestration.defs.report import REPORT_PAGE
from orchestration.defs.search import SAVED_SEARCHES, SEARCH_INDEX
from orchestration.ingest.inbox import pending_inbox_files
from orchestration.ingest.scraping import channel_key, load_channels
from orchestration.warehouse.batches import needs_building, needs_normalizing

# --- jobs and the phases of a build --------------------------------------------------------

# A build runs in phases, each a run of build_warehouse over a part of its assets, so that a
# run plans (and the UI shows) only the steps and checks it will execute: a run with nothing
# new lands nothing and checks nothing (its one phase, land, is in defs/land.py); a run whose
# posts suite blocks leaves the marts' checks as the published warehouse left them.
INGEST_PHASE = [RAW_BATCHES, *normalized_tables.keys, *entity_tables.keys]
BUILD_PHASE = [
    *tgwh_dbt_models.keys,
    PUBLISHED_WAREHOUSE,
    REPORT_PAGE,
    SEARCH_INDEX,
    SAVED_SEARCHES,
]

scrape_channels_job = dg.define_asset_job(
    name=SCRAPE_JOB,
    selection=dg.AssetSelection.assets(SCRAPED_PAGES),  # partitioned: a run per channel
    description="Scrape one channel's web preview (a partition per channel) into the raw layer.",
)

build_warehouse_job = dg.define_asset_job(
    name=BUILD_JOB,
    selection=dg.AssetSelection.all()
    - dg.AssetSelection.assets(SOURCE_FILES, LIVE_CHANNELS, SCRAPED_PAGES),
    description=(
        "Ingest new files (the inbox, or paths given in the run config), normalize, find "
        "entities, build the dbt models into a candidate warehouse, validate it and publish it."
    ),
)

# --- the schedule --------------------------------------------------------------------------


def sync_channel_partitions(instance: dg.DagsterInstance, home: Home) -> list[str]:
    """One partition per channel of the user's list (channels removed keep their history)."""
    channels = [channel_key(name) for name in load_channels(home)]
    known = set(instance.get_dynamic_partitions(CHANNEL_PARTITIONS))
    missing = [name for name in channels if name not in known]
    if missing:
        instance.add_dynamic_partitions(CHANNEL_PARTITIONS, missing)
    return channels


@dg.schedule(
    job=scrape_channels_job,
    cron_schedule=settings().scrape_schedule,
    execution_timezone="UTC",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Scrapes every followed channel (one run each); the marts are rebuilt after.",
)
def scrape_followed_channels(context: dg.ScheduleEvaluationContext):
    channels = sync_channel_partitions(context.instance, Home.from_env())
    stamp = context.scheduled_execution_time.isoformat() if context.scheduled_execution_time else ""
    return [dg.RunRequest(partition_key=name, run_key=f"{name}@{stamp}") for name in channels]


# --- sensors -------------------------------------------------------------------------------


@dg.sensor(
    job=build_warehouse_job,
    minimum_interval_seconds=30,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Launches build_warehouse when new files appear in <home>/inbox.",
)
def inbox_sensor(context: dg.SensorEvaluationContext):
    files = pending_inbox_files(Home.from_env().inbox)
    if not files:
        return dg.SkipReason("inbox is empty")
    fingerprint = hashlib.sha256(
        "\n".join(f"{p}:{p.stat().st_size}:{p.stat().st_mtime_ns}" for p in files).encode()
    ).hexdigest()[:16]
    return dg.RunRequest(
        run_key=f"inbox-{fingerprint}",
        asset_selection=INGEST_PHASE,
        tags={"tgwh/trigger": "inbox", "tgwh/files": str(len(files)), PHASE_TAG: "ingest"},
    )


UNFINISHED = [
    dg.DagsterRunStatus.QUEUED,
    dg.DagsterRunStatus.NOT_STARTED,
    dg.DagsterRunStatus.STARTING,
    dg.DagsterRunStatus.STARTED,
]


@dg.run_status_sensor(
    run_status=dg.DagsterRunStatus.SUCCESS,
    monitored_jobs=[scrape_channels_job],
    request_job=build_warehouse_job,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="After the last channel's scrape of a batch succeeds, builds the warehouse.",
)
def rebuild_after_scrape(context: dg.RunStatusSensorContext):
    return rebuild_request(context.instance, context.dagster_run.run_id)


def rebuild_request(instance: dg.DagsterInstance, finished_run_id: str, home: Home | None = None):
    """One rebuild per batch of scrapes: the last scrape run to finish asks for it, and only
    when the scrapes landed something to build."""
    others = instance.get_runs(
        filters=dg.RunsFilter(job_name=SCRAPE_JOB, statuses=UNFINISHED), limit=1
    )
    if others:
        return dg.SkipReason("other channels are still being scraped; the last one rebuilds")
    home = home or Home.from_env()
    if not (needs_normalizing(home) or needs_building(home)):
        return dg.SkipReason("the scrapes landed nothing new")
    return dg.RunRequest(
        run_key=f"after-{finished_run_id}",
        asset_selection=INGEST_PHASE,
        tags={"tgwh/trigger": "scrape", PHASE_TAG: "ingest"},
    )


@dg.run_status_sensor(
    run_status=dg.DagsterRunStatus.SUCCESS,
    monitored_jobs=[build_warehouse_job],
    request_job=build_warehouse_job,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="After a run landed and normalized new data, builds and publishes the warehouse.",
)
def build_after_ingest(context: dg.RunStatusSensorContext):
    return build_request(context.dagster_run.tags, context.dagster_run.run_id)


def build_request(tags: dict, finished_run_id: str, home: Home | None = None):
    """The second phase of a build the daemon started (the command line runs its own)."""
    if tags.get(PHASE_TAG) != "ingest" or tags.get("tgwh/trigger") == "cli":
        return dg.SkipReason("not an ingest the daemon started")
    if not needs_building(home or Home.from_env()):
        return dg.SkipReason("the published warehouse already holds everything")
    return dg.RunRequest(
        run_key=f"build-after-{finished_run_id}",
        asset_selection=BUILD_PHASE,
        tags={
            "tgwh/trigger": tags.get("tgwh/trigger", ""),
            PHASE_TAG: "build",
            INGEST_RUN_TAG: finished_run_id,
        },
    )
