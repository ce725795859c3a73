"""The report page asset materialized in this process: its charts in the metadata the UI shows,
the check results of earlier runs read from the instance, and a failure to draw that warns
instead of failing the run (the unit tier covers the figures and the page itself)."""

import dagster as dg
from support.report_warehouse import write_report_warehouse

from orchestration.config import Home
from orchestration.defs.automation import BUILD_PHASE
from orchestration.defs.definitions import defs
from orchestration.defs.keys import BUILD_JOB, INGEST_RUN_TAG, PUBLISHED_WAREHOUSE
from orchestration.defs.report import REPORT_PAGE, report_page
from orchestration.defs.resources import HomeResource
from orchestration.report.history import read_history


@dg.asset
def audited():
    return 1


@dg.asset_check(asset=audited)
def holds_rows():
    return dg.AssetCheckResult(passed=True)


@dg.asset_check(asset=audited)
def titles_present():
    return dg.AssetCheckResult(passed=False, severity=dg.AssetCheckSeverity.WARN)


def materialize_report(home: Home, instance: dg.DagsterInstance) -> dg.ExecuteInProcessResult:
    result = dg.materialize(
        [report_page], instance=instance, resources={"home": HomeResource(root=str(home.root))}
    )
    assert result.success  # whatever the report did
    return result


def test_the_report_page_and_its_charts_in_the_metadata(tmp_path):
    home = Home(tmp_path / "home")
    # no posts nor channels, so one chart to draw: the checks of the earlier run
    write_report_warehouse(home.warehouse.published, posts=[])
    with dg.DagsterInstance.ephemeral() as instance:
        earlier = dg.materialize([audited, holds_rows, titles_present], instance=instance)
        result = materialize_report(home, instance)

    (event,) = result.get_asset_materialization_events()
    metadata = {k: v.value for k, v in event.materialization.metadata.items()}
    assert event.materialization.asset_key == REPORT_PAGE
    assert metadata["path"] == str(home.report.page) and home.report.page.exists()
    assert metadata["bytes"] == home.report.page.stat().st_size
    assert metadata["charts_drawn"] == 1
    assert metadata["charts"].count("](data:image/png;base64,") == 1  # a Markdown image
    assert "No dated posts yet." in metadata["charts"]
    assert metadata["runs_in_check_history"] == 1
    (run,) = read_history(home.report.check_history).runs
    assert run.run_id == earlier.run_id
    assert (run.evaluated, run.passed, run.failed_warning, run.failed_blocking) == (2, 1, 1, 0)


def test_a_build_phase_is_counted_with_the_ingest_run_it_completes(tmp_path):
    """`tgwh run` and the sensors build in two runs; the page's last run is the build, both
    phases' checks, as `tgwh run` prints them (it showed the build phase's alone)."""
    home = Home(tmp_path / "home")
    write_report_warehouse(home.warehouse.published, posts=[])
    checked = [audited, holds_rows, titles_present]
    with dg.DagsterInstance.ephemeral() as instance:
        ingest = dg.materialize(checked, instance=instance)
        dg.materialize(checked, instance=instance, tags={INGEST_RUN_TAG: ingest.run_id})
        materialize_report(home, instance)

    kept = read_history(home.report.check_history).runs
    assert [r.completes for r in kept] == ["", ingest.run_id]  # a line per run, as before
    page = home.report.page.read_text(encoding="utf-8")
    assert "<strong>2 / 4</strong><span>checks passed in the last run" in page


def test_a_report_that_cannot_be_drawn_warns_and_the_run_succeeds(tmp_path):
    home = Home(tmp_path / "home")  # nothing published
    home.report.page.parent.mkdir(parents=True)
    home.report.page.write_text("the last page", encoding="utf-8")
    with dg.DagsterInstance.ephemeral() as instance:
        result = materialize_report(home, instance)
    assert result.get_asset_materialization_events() == []
    (observation,) = result.get_asset_observation_events()
    error = observation.asset_observation_data.asset_observation.metadata["error"].value
    assert "no published warehouse" in error
    assert home.report.page.read_text(encoding="utf-8") == "the last page"


def test_the_report_is_drawn_in_the_build_after_the_publish():
    job = defs.resolve_job_def(BUILD_JOB)
    assert REPORT_PAGE in job.asset_layer.asset_graph.get_all_asset_keys()
    assert REPORT_PAGE in BUILD_PHASE
    assert defs.resolve_asset_graph().get(REPORT_PAGE).parent_keys == {PUBLISHED_WAREHOUSE}
