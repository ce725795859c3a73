"""Rebuild the marts once the scheduled scrape of every channel has finished."""

import dagster as dg

from orchestration.jobs import build_warehouse_job, scrape_channels_job

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


def rebuild_request(instance: dg.DagsterInstance, finished_run_id: str):
    """One rebuild per batch of scrapes: the last scrape run to finish asks for it."""
    others = instance.get_runs(
        filters=dg.RunsFilter(job_name=scrape_channels_job.name, statuses=UNFINISHED), limit=1
    )
    if others:
        return dg.SkipReason("other channels are still being scraped; the last one rebuilds")
    return dg.RunRequest(run_key=f"after-{finished_run_id}")
