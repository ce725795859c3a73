"""Run the warehouse build through Dagster from the command line, in this process.

Runs go to the Dagster instance in the home folder, so they show in the UI's run history.
"""

from __future__ import annotations

import contextlib
import logging
import sys
from dataclasses import dataclass, field
from pathlib import Path

from orchestration.common.durable import write_text_atomic
from orchestration.common.writer_lock import writer_lock
from orchestration.config import Home
from orchestration.config import use_home as point_environment_at

DAGSTER_YAML = """\
# Dagster instance of this tgwh home (runs, event logs, schedules live here), as tgwh writes
# it for its version: delete these two lines to keep edits of your own.
telemetry:
  enabled: false
# Runs launched by the UI, the schedule and the sensors wait in a queue, one at a time: they
# all write the same home (the writer lock would otherwise make them wait, or give up).
run_queue:
  max_concurrent_runs: 1
# Dagster's SQLite event log, its connections kept open between writes (orchestration/defs/
# event_log.py): the stock one pays ~20 ms an event, ~9 s a run.
event_log_storage:
  module: orchestration.defs.event_log
  class: KeptConnectionsSqliteEventLogStorage
  config:
    instance_dir:
      env: DAGSTER_HOME
"""
# A dagster.yaml that begins so was written by tgwh, and is rewritten as this version writes it.
DAGSTER_YAML_HEADER = "# Dagster instance of this tgwh home"


class _SkippedCheckNotice(logging.Filter):
    """Drops Dagster's notice that a blocking check "emitted no result" when its step was
    skipped: a run with nothing new skips every step after normalization on purpose, and the
    notice (one per check, on the terminal) would read like a problem. Failures still show."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "emitted no result in step" not in record.getMessage()


logging.getLogger("dagster._core.execution.plan.active").addFilter(_SkippedCheckNotice())


def use_home(home: Home) -> None:
    """Point TGWH_HOME and DAGSTER_HOME at the home before Dagster or the definitions load."""
    home.ensure()
    point_environment_at(home)
    # written by tgwh (an earlier version's, or this one's): kept as this version writes it
    written = home.dagster_yaml.read_text(encoding="utf-8") if home.dagster_yaml.exists() else ""
    if written != DAGSTER_YAML and (not written or written.startswith(DAGSTER_YAML_HEADER)):
        write_text_atomic(home.dagster_yaml, DAGSTER_YAML)
    if not home.dagster_nux_seen.exists():
        write_text_atomic(home.dagster_nux_seen, "seen: 1\n")


@dataclass
class CheckOutcome:
    asset: str
    name: str
    passed: bool
    blocking_failure: bool
    details: list[str] = field(default_factory=list)  # the failed expectations, a line each


@dataclass
class RunOutcome:
    run_ids: list[str] = field(default_factory=list)  # the Dagster runs of the build's phases
    success: bool = True
    checks: list[CheckOutcome] = field(default_factory=list)
    failed_steps: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    ingest: dict = field(default_factory=dict)
    materialized: set[str] = field(default_factory=set)  # asset keys, e.g. "warehouse/published"
    published_key: str = ""
    built_key: str = ""  # materialized by every run that has something to build
    interrupted: bool = False  # stopped by SIGINT or SIGTERM (Dagster maps both to SIGINT)

    @property
    def run_id(self) -> str:
        return self.run_ids[0] if self.run_ids else ""

    @property
    def published(self) -> bool:
        return self.published_key in self.materialized

    @property
    def up_to_date(self) -> bool:
        """Nothing new: the run stopped after ingesting, the published warehouse is current."""
        return self.success and not self.published and self.built_key not in self.materialized

    @property
    def blocking_failures(self) -> list[CheckOutcome]:
        return [c for c in self.checks if c.blocking_failure]

    def add(self, result, raw_key) -> None:
        """What one Dagster run (one phase) did."""
        import dagster as dg

        self.run_ids.append(result.run_id)
        self.success = self.success and result.success
        for evaluation in result.get_asset_check_evaluations():
            self.checks.append(
                CheckOutcome(
                    asset=evaluation.asset_key.to_user_string(),
                    name=evaluation.check_name,
                    passed=evaluation.passed,
                    # Errors stop what depends on the checked asset (blocking checks, failed
                    # dbt tests); warnings are reported and let the run publish.
                    blocking_failure=not evaluation.passed
                    and evaluation.severity == dg.AssetCheckSeverity.ERROR,
                    details=_failed_expectations(evaluation.metadata),
                )
            )
        failures = [event for event in result.all_events if event.is_step_failure]
        self.interrupted = self.interrupted or any(
            # ErrorSource is not exported by dagster: compared by its name
            getattr(event.step_failure_data.error_source, "name", "") == "INTERRUPT"
            for event in failures
        )
        self.failed_steps += [event.step_key for event in failures]
        self.errors += [
            f"{event.step_key}: {_root_cause(event.step_failure_data.error)}"
            for event in failures
            if event.step_failure_data.error
        ]
        for event in result.get_asset_materialization_events():
            materialization = event.step_materialization_data.materialization
            self.materialized.add(materialization.asset_key.to_user_string())
            if materialization.asset_key == raw_key:
                self.ingest = {k: v.value for k, v in materialization.metadata.items()}


def _failed_expectations(metadata) -> list[str]:
    value = metadata.get("failed_expectations")
    return list(value.value) if value is not None else []


def _root_cause(error) -> str:
    """The innermost error's message: what went wrong, without Dagster's wrapping."""
    while error.cause is not None and error.cls_name != "CannotWrite":  # its cause: OSError
        error = error.cause
    if not error.message.strip():
        return error.cls_name
    last = error.message.strip().splitlines()[-1]
    # a full disk or a read-only home is said in words (durable.CannotWrite), not as a class
    return last.split(": ", 1)[1] if error.cls_name == "CannotWrite" and ": " in last else last


def _absolute(path: Path) -> Path:
    """The path resolved, or only made absolute where it cannot be (a symlink loop): ingest
    then names the file and says what is wrong with it."""
    try:
        return path.resolve()
    except (RuntimeError, OSError):
        return path.absolute()


def build_warehouse(
    home: Home,
    paths: list[Path],
    channel: str | None = None,
    log_level: str = "WARNING",
    lock_wait_seconds: float = 600,
    on_wait=None,
    progress_since: float | None = None,
    full_refresh: bool = False,
) -> RunOutcome:
    """Land ``paths``, then build and publish what is new, in phases (defs/automation.py).

    ``full_refresh``: rebuild the warehouse whole and test every row, even with nothing new.

    ``progress_since`` (a Unix time): print a line on stderr as each step ends, timed from then
    (defs/progress.py). Raises WarehouseBusy when another run holds the home longer than
    lock_wait_seconds.
    """
    use_home(home)
    import dagster as dg

    from orchestration.defs.keys import (
        BUILD_JOB,
        INGEST_RUN_TAG,
        NORMALIZED_POSTS,
        PHASE_TAG,
        PUBLISHED_WAREHOUSE,
        RAW_BATCHES,
        op_name,
    )
    from orchestration.warehouse.batches import needs_building, pending_work

    loggers = {"console": {"config": {"log_level": log_level}}} | progress_logger(progress_since)
    ingest_config = {
        op_name(RAW_BATCHES): {
            "config": {"paths": [str(_absolute(p)) for p in paths], "channel": channel}
        }
    }
    outcome = RunOutcome(
        published_key=PUBLISHED_WAREHOUSE.to_user_string(),
        built_key=NORMALIZED_POSTS.to_user_string(),
    )
    with (
        writer_lock(home.lock, run="tgwh run", wait_seconds=lock_wait_seconds, on_wait=on_wait),
        dg.DagsterInstance.get() as instance,
        runs_of_the_code_location(instance, BUILD_JOB),
    ):

        def run_phase(name: str, job, keys: list, ops: dict, tags: dict | None = None) -> bool:
            result = job.execute_in_process(
                run_config={"loggers": loggers, "ops": ops},
                instance=instance,
                raise_on_error=False,
                asset_selection=keys,
                tags={**cli_run_tags(), PHASE_TAG: name, **(tags or {})},
            )
            outcome.add(result, RAW_BATCHES)
            return result.success

        if not full_refresh and not pending_work(home, paths, channel).anything:
            # records the files seen, nothing else: without loading dbt (defs/land.py)
            from orchestration.defs.land import LAND_ONLY_PHASE, land_defs

            run_phase("land", land_defs.resolve_job_def(BUILD_JOB), LAND_ONLY_PHASE, ingest_config)
            return outcome

        from orchestration.validate.worker import start_validation_worker
        from orchestration.warehouse.warm_dbt import start_warm_dbt

        # this run validates: Great Expectations loads in its own process while Dagster and
        # dbt's definitions load in this one
        start_validation_worker(home)
        from orchestration.defs.automation import BUILD_PHASE, INGEST_PHASE
        from orchestration.defs.dbt import tgwh_dbt_models
        from orchestration.defs.definitions import defs

        # and builds: the dbt that will build loads while the run lands and normalizes (started
        # with the two imports above, it slowed them on two cores by more than it saved)
        start_warm_dbt()

        job = defs.resolve_job_def(BUILD_JOB)
        if run_phase("ingest", job, INGEST_PHASE, ingest_config) and (
            full_refresh or needs_building(home)
        ):
            dbt_op = tgwh_dbt_models.op.name
            build_config = {dbt_op: {"config": {"full_refresh": True}}} if full_refresh else {}
            ingest_run = {INGEST_RUN_TAG: outcome.run_ids[-1]}  # the report counts both
            run_phase("build", job, BUILD_PHASE, build_config, ingest_run)
    return outcome


def progress_logger(since: float | None) -> dict:
    """The run config of the progress logger, when the command shows progress."""
    if since is None:
        return {}
    return {"progress": {"config": {"started_at": since, "terminal": sys.stderr.isatty()}}}


@contextlib.contextmanager
def runs_of_the_code_location(instance, job_name: str):
    """Runs created here carry the origin of the code location the UI loads (workspace.yaml):
    the UI places runs by that origin (the Overview timeline, the code location's runs), and
    ``execute_in_process`` records none. Dagster has no public way to give one; its instance
    method that creates the run takes it, so that method is wrapped for these runs."""
    from dagster._core.remote_origin import InProcessCodeLocationOrigin, RemoteRepositoryOrigin
    from dagster._core.types.loadable_target_origin import LoadableTargetOrigin

    from orchestration.config import PROJECT_DIR
    from orchestration.defs.keys import CODE_LOCATION, REPOSITORY

    origin = RemoteRepositoryOrigin(
        code_location_origin=InProcessCodeLocationOrigin(
            LoadableTargetOrigin(
                executable_path=sys.executable,
                module_name=DEFINITIONS_MODULE,
                working_directory=str(PROJECT_DIR),
            ),
            location_name=CODE_LOCATION,
        ),
        repository_name=REPOSITORY,
    ).get_job_origin(job_name)
    create_run = instance.create_run_for_job

    def create_run_with_origin(*args, **kwargs):
        return create_run(*args, **{"remote_job_origin": origin, **kwargs})

    instance.create_run_for_job = create_run_with_origin
    try:
        yield
    finally:
        del instance.create_run_for_job


DEFINITIONS_MODULE = "orchestration.defs.definitions"  # as workspace.yaml loads it


def cli_run_tags() -> dict[str, str]:
    """Runs started here carry their code location's label, so that the Dagster UI lists them
    with the runs it launches itself (the job's runs, the overview's timeline)."""
    from orchestration.defs.keys import CODE_LOCATION, REPOSITORY

    return {"tgwh/trigger": "cli", ".dagster/repository": f"{REPOSITORY}@{CODE_LOCATION}"}


@dataclass
class ScrapeOutcome:
    scrapes: dict[str, dict]  # channel -> the scrape's metadata, "ok" and "error"
    build: RunOutcome


def scrape_and_build(
    home: Home,
    channels: list[str],
    full: bool = False,
    max_pages: int | None = None,
    recent_days: int | None = None,
    lock_wait_seconds: float = 600,
    on_wait=None,
    progress_since: float | None = None,
) -> ScrapeOutcome:
    """Scrape each channel (a run of its partition, progress in the log), then build."""
    use_home(home)
    import dagster as dg

    from orchestration.defs.definitions import defs
    from orchestration.defs.keys import CHANNEL_PARTITIONS, SCRAPE_JOB, SCRAPED_PAGES, op_name
    from orchestration.ingest.scraping import channel_key

    job = defs.resolve_job_def(SCRAPE_JOB)
    config = {"full": full}
    if max_pages is not None:
        config["max_pages"] = max_pages
    if recent_days is not None:
        config["recent_days"] = recent_days
    scrapes: dict[str, dict] = {}
    with (
        writer_lock(home.lock, run="tgwh scrape", wait_seconds=lock_wait_seconds, on_wait=on_wait),
        dg.DagsterInstance.get() as instance,
        runs_of_the_code_location(instance, SCRAPE_JOB),
    ):
        keys = list(dict.fromkeys(channel_key(name) for name in channels))
        known = set(instance.get_dynamic_partitions(CHANNEL_PARTITIONS))
        if missing := [key for key in keys if key not in known]:
            instance.add_dynamic_partitions(CHANNEL_PARTITIONS, missing)
        for key in keys:
            result = job.execute_in_process(
                partition_key=key,
                run_config={
                    "loggers": {"console": {"config": {"log_level": "INFO"}}}
                    | progress_logger(progress_since),
                    "ops": {op_name(SCRAPED_PAGES): {"config": config}},
                },
                instance=instance,
                raise_on_error=False,
                tags=cli_run_tags(),
            )
            report: dict = {"ok": result.success}
            for event in result.get_asset_materialization_events():
                materialization = event.step_materialization_data.materialization
                if materialization.asset_key == SCRAPED_PAGES:
                    report |= {k: v.value for k, v in materialization.metadata.items()}
            failures = [
                _root_cause(event.step_failure_data.error)
                for event in result.all_events
                if event.is_step_failure and event.step_failure_data.error
            ]
            if failures:
                report["error"] = "; ".join(failures)
            scrapes[key] = report
        build = build_warehouse(
            home,
            [],
            lock_wait_seconds=lock_wait_seconds,
            on_wait=on_wait,
            progress_since=progress_since,
        )
    return ScrapeOutcome(scrapes=scrapes, build=build)


@dataclass(frozen=True)
class StepWindow:
    step_key: str
    stage: str | None  # the op's stage tag (defs.keys), None for untagged steps
    started: float  # time.time()
    ended: float


EDGES = ("STEP_START", "STEP_SUCCESS", "STEP_FAILURE")  # a skipped step has none


def step_windows(home: Home, run_ids: list[str]) -> list[StepWindow]:
    """When each step of a finished run started and ended, with its stage (the benchmark)."""
    use_home(home)
    import dagster as dg

    from orchestration.defs.definitions import defs
    from orchestration.defs.keys import BUILD_JOB, STAGE_TAG

    job = defs.resolve_job_def(BUILD_JOB)
    stages = {node.name: node.definition.tags.get(STAGE_TAG) for node in job.graph.nodes}
    windows: dict[str, list[float]] = {}
    with dg.DagsterInstance.get() as instance:
        entries = [entry for run_id in run_ids for entry in instance.all_logs(run_id)]
        for entry in entries:
            event = entry.dagster_event
            if event is None or event.step_key is None or event.event_type_value not in EDGES:
                continue
            window = windows.setdefault(event.step_key, [entry.timestamp, entry.timestamp])
            window[0 if event.event_type_value == "STEP_START" else 1] = entry.timestamp
    return [
        StepWindow(step, stages.get(step), started, ended)
        for step, (started, ended) in windows.items()
    ]
