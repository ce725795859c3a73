"""The published warehouse -> its report page (docs/report.html), and the charts in the UI.

After each publish the checks' results of the runs finished since the last report are read
from Dagster's run history (the pure report code never sees Dagster: it gets each run's
counts, kept in the home), then the page is written and its charts are attached to this
asset's materialization as Markdown images, which the UI renders.
"""

from datetime import UTC, datetime

import dagster as dg

from orchestration.defs.keys import INGEST_RUN_TAG, PUBLISHED_WAREHOUSE, stage_tags
from orchestration.defs.resources import HomeResource
from orchestration.report.history import CheckRun, builds, read_history, record_runs

REPORT_PAGE = dg.AssetKey(["report", "page"])
REPORT = "report"  # the stage tag of its step
FINISHED = [dg.DagsterRunStatus.SUCCESS, dg.DagsterRunStatus.FAILURE, dg.DagsterRunStatus.CANCELED]
# The hourly freshness check says when the channels were scraped, not whether the data is
# right; its runs would be most of the points.
NOT_COUNTED_JOBS = {"check_channel_freshness"}


def check_counts(
    instance: dg.DagsterInstance, run: dg.DagsterRun, finished_at: datetime
) -> CheckRun:
    """What the checks evaluated in one run said (dbt tests, Great Expectations suites)."""
    run_id = run.run_id
    records = instance.get_records_for_run(
        run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION
    ).records
    evaluations = [record.event_log_entry.dagster_event.event_specific_data for record in records]
    failed = [e for e in evaluations if not e.passed]
    blocking = sum(e.severity == dg.AssetCheckSeverity.ERROR for e in failed)
    return CheckRun(
        run_id=run_id,
        finished_at=finished_at,
        evaluated=len(evaluations),
        passed=len(evaluations) - len(failed),
        failed_blocking=blocking,
        failed_warning=len(failed) - blocking,
        completes=run.tags.get(INGEST_RUN_TAG, ""),
    )


def build_check_counts(instance: dg.DagsterInstance, run: dg.DagsterRun) -> CheckRun:
    """What the checks of a build said so far: this run's, with those of the ingest run it
    completes (the counts `tgwh run` prints)."""
    now = datetime.now(UTC)
    phases = [check_counts(instance, run, now)]
    ingest = instance.get_run_by_id(phases[0].completes) if phases[0].completes else None
    if ingest is not None:
        phases.insert(0, check_counts(instance, ingest, now))
    return builds(phases)[0]


def runs_since(instance: dg.DagsterInstance, cursor: str) -> tuple[list[CheckRun], str]:
    """The check counts of the runs finished since ``cursor`` (the last one's update time),
    and the new cursor: a report reads only the runs that are new to it."""
    after = datetime.fromisoformat(cursor) if cursor else None
    records = instance.get_run_records(
        filters=dg.RunsFilter(statuses=FINISHED, updated_after=after), ascending=True
    )
    runs = [
        check_counts(
            instance,
            record.dagster_run,
            datetime.fromtimestamp(record.end_time or record.update_timestamp.timestamp(), UTC),
        )
        for record in records
        if record.dagster_run.job_name not in NOT_COUNTED_JOBS
    ]
    latest = max((record.update_timestamp for record in records), default=after)
    return [run for run in runs if run.evaluated], latest.isoformat() if latest else ""


def markdown(report) -> str:
    """The charts as Markdown images (data URIs: the UI renders them, nothing to serve),
    smaller than the page's: the event log keeps every materialization's copy."""
    from orchestration.report.charts import thumbnail
    from orchestration.report.page import data_uri

    parts = []
    for chart in report.charts:
        parts.append(f"**{chart.title}**\n\n{chart.caption}")
        if chart.png:
            parts.append(f"![{chart.title}]({data_uri(thumbnail(chart.png))})")
    return "\n\n".join(parts)


@dg.asset(
    key=REPORT_PAGE,
    deps=[PUBLISHED_WAREHOUSE],
    group_name="publish",
    kinds={"html"},
    op_tags=stage_tags(REPORT),
    output_required=False,  # a report that cannot be drawn is a warning, never a failed run
    description=(
        "docs/report.html: the published warehouse in charts (posts per day and channel, the "
        "countries and leaders mentioned most, views by age, subscribers, checks passing run "
        "by run), one page that opens offline. The same charts are in this asset's metadata. "
        "When the page cannot be written the run still succeeds: a warning and an observation "
        "with the error, and the last page stays as it was."
    ),
)
def report_page(context: dg.AssetExecutionContext, home: HomeResource):
    from orchestration.report.page import write_report

    layout = home.home.report
    try:
        new_runs, cursor = runs_since(context.instance, read_history(layout.check_history).cursor)
        this_run = check_counts(context.instance, context.run, datetime.now(UTC))
        history = record_runs(
            layout.check_history, new_runs + ([this_run] if this_run.evaluated else []), cursor
        )
        report = write_report(home.home.warehouse.published, builds(history.runs), layout.page)
        charts = markdown(report)
    except Exception as error:  # noqa: BLE001 (the warehouse is published whatever happens here)
        message = f"the report page was not written: {type(error).__name__}: {error}"
        context.log.warning(message)
        context.log_event(dg.AssetObservation(asset_key=REPORT_PAGE, metadata={"error": message}))
        return
    seconds = {name: round(value, 3) for name, value in report.seconds.items()}
    context.log.info(f"report written to {report.page} ({report.bytes:,} bytes) in {seconds}")
    yield dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(str(report.page)),
            "bytes": report.bytes,
            "charts_drawn": sum(chart.png is not None for chart in report.charts),
            "charts": dg.MetadataValue.md(charts),
            "runs_in_check_history": len(history.runs),
            **{f"seconds/{name}": value for name, value in seconds.items()},
        }
    )
