"""The Dagster code location: one lineage graph, checks on the assets they guard, the sensor."""

import dagster as dg
import pytest

from orchestration.config import SAMPLE_DATA_DIR, Home
from orchestration.defs.automation import build_request, inbox_sensor, rebuild_request
from orchestration.defs.definitions import defs
from orchestration.defs.keys import (
    NORMALIZED_POSTS,
    PUBLISHED_WAREHOUSE,
    RAW_BATCHES,
    SOURCE_FILES,
)
from orchestration.ingest.raw_store import RawStore
from orchestration.normalize.store import NormalizedStore, build_normalized

MART_KEYS = [
    dg.AssetKey(["marts", name])
    for name in (
        "fct_posts",
        "dim_channels",
        "dim_countries",
        "dim_leaders",
        "fct_country_mentions",
        "fct_leader_mentions",
    )
]


@pytest.fixture(scope="module")
def graph():
    return defs.resolve_asset_graph()


def upstream_closure(graph, key):
    seen, todo = set(), [key]
    while todo:
        for parent in graph.get(todo.pop()).parent_keys:
            if parent not in seen:
                seen.add(parent)
                todo.append(parent)
    return seen


def test_one_lineage_from_source_files_to_the_published_warehouse(graph):
    upstream = upstream_closure(graph, PUBLISHED_WAREHOUSE)
    for key in (SOURCE_FILES, RAW_BATCHES, NORMALIZED_POSTS, *MART_KEYS):
        assert key in upstream, key
    staging = {k for k in upstream if k.path[0] == "staging"}
    assert dg.AssetKey(["staging", "stg_posts"]) in staging
    intermediate = {k for k in upstream if k.path[0] == "intermediate"}
    assert dg.AssetKey(["intermediate", "int_posts_resolved"]) in intermediate
    # dbt sources are the Python assets that write them, not separate source assets
    assert upstream_closure(graph, dg.AssetKey(["staging", "stg_posts"])) >= {
        NORMALIZED_POSTS,
        RAW_BATCHES,
        SOURCE_FILES,
    }


def test_every_asset_is_described_and_grouped(graph):
    for key in graph.get_all_asset_keys():
        node = graph.get(key)
        if node.is_materializable:
            assert node.description, key
            assert node.group_name and node.group_name != "default", key


def test_dbt_assets_name_the_table_users_query_not_the_candidate_file(graph):
    """The UI's "Storage" line: marts.fct_posts, as `tgwh query` and notebooks name it."""
    tables = {
        key: graph.get(key).metadata.get("dagster/table_name")
        for key in graph.get_all_asset_keys()
        if key.path[0] in ("staging", "intermediate", "marts", "audit")
    }
    assert tables[dg.AssetKey(["marts", "fct_posts"])] == "marts.fct_posts"
    assert tables[dg.AssetKey(["staging", "stg_posts"])] == "staging.stg_posts"
    assert not [name for name in tables.values() if name and "candidate" in name]


def test_checks_guard_their_assets(graph):
    names_by_asset = {}
    for check_key in graph.asset_check_keys:
        names_by_asset.setdefault(check_key.asset_key, set()).add(check_key.name)
    assert "gx_normalized_posts" in names_by_asset[NORMALIZED_POSTS]
    posts = dg.AssetKey(["marts", "fct_posts"])
    assert "gx_fct_posts" in names_by_asset[posts]
    assert any(name.startswith("unique_") for name in names_by_asset[posts])  # a dbt test
    for key in MART_KEYS:
        assert any(name.startswith("gx_") for name in names_by_asset[key]), key


def test_great_expectations_checks_block_what_depends_on_them(graph):
    blocking = {
        (spec.asset_key, spec.name)
        for assets_def in graph.assets_defs
        for spec in assets_def.check_specs
        if spec.blocking
    }
    assert (NORMALIZED_POSTS, "gx_normalized_posts") in blocking
    for key in MART_KEYS:
        assert (key, f"gx_{key.path[-1]}") in blocking


def test_inbox_sensor_requests_a_run_only_for_new_files(tmp_path, monkeypatch):
    monkeypatch.setenv("TGWH_HOME", str(tmp_path))
    home = Home.from_env().ensure()
    context = dg.build_sensor_context()
    assert isinstance(inbox_sensor(context), dg.SkipReason)
    (home.inbox / "done").mkdir()
    (home.inbox / "done" / "old.json").write_text("{}")
    assert isinstance(inbox_sensor(context), dg.SkipReason)
    (home.inbox / "export.json").write_text("{}")
    request = inbox_sensor(context)
    assert isinstance(request, dg.RunRequest)
    assert request.run_key.startswith("inbox-")
    (home.inbox / "page.html").write_text("<html></html>")
    assert inbox_sensor(context).run_key != request.run_key


def test_the_warehouse_is_rebuilt_once_the_last_scrape_of_a_batch_is_done(tmp_path):
    from dagster._core.storage.dagster_run import DagsterRun

    home = Home(tmp_path / "home").ensure()
    with dg.instance_for_test() as instance:
        assert isinstance(rebuild_request(instance, "first", home), dg.SkipReason)  # nothing
        RawStore(home.raw).ingest([SAMPLE_DATA_DIR / "web_preview" / "MAErusse.html"])
        request = rebuild_request(instance, "first", home)
        assert isinstance(request, dg.RunRequest) and request.tags["tgwh/phase"] == "ingest"
        instance.add_run(
            DagsterRun(
                job_name="scrape_channels", run_id="still-going", status=dg.DagsterRunStatus.STARTED
            )
        )
        assert isinstance(rebuild_request(instance, "second", home), dg.SkipReason)
        instance.report_run_failed(instance.get_run_by_id("still-going"))  # it has ended
        request = rebuild_request(instance, "still-going", home)
        assert isinstance(request, dg.RunRequest) and request.run_key == "after-still-going"


def test_an_ingest_the_daemon_started_is_followed_by_the_build_phase(tmp_path):
    home = Home(tmp_path / "home").ensure()
    RawStore(home.raw).ingest([SAMPLE_DATA_DIR / "web_preview" / "MAErusse.html"])
    build_normalized(RawStore(home.raw), NormalizedStore(home.normalized))
    ingest = {"tgwh/phase": "ingest", "tgwh/trigger": "inbox"}
    request = build_request(ingest, "run-1", home)
    assert isinstance(request, dg.RunRequest) and request.tags["tgwh/phase"] == "build"
    assert PUBLISHED_WAREHOUSE in request.asset_selection
    assert RAW_BATCHES not in request.asset_selection
    cli = {"tgwh/phase": "ingest", "tgwh/trigger": "cli"}  # the command line builds itself
    assert isinstance(build_request(cli, "run-2", home), dg.SkipReason)
    assert isinstance(build_request({"tgwh/phase": "build"}, "run-3", home), dg.SkipReason)


def test_the_private_dagster_dbt_methods_we_override_still_exist():
    """TgwhDbtCliResource replaces two private methods of dagster-dbt 0.29 (pinned): if an
    upgrade renamed them, the overrides would silently stop saving seconds per run."""
    from dagster_dbt import DbtCliResource

    from orchestration.defs.dbt_resource import TgwhDbtCliResource

    for name in ("_cli_version", "_initialize_dbt_core_adapter"):
        assert name in vars(DbtCliResource), name
        assert name in vars(TgwhDbtCliResource), name


def test_every_stage_op_is_tagged_with_its_stage():
    from orchestration.defs.keys import STAGE_TAG

    job = defs.resolve_job_def("build_warehouse")
    stages = {node.name: node.definition.tags.get(STAGE_TAG) for node in job.graph.nodes}
    assert set(stages.values()) == {
        "ingest",
        "normalize",
        "entities",
        "dbt build",
        "validation",
        "publish",
        "report",
        "search",
    }, stages
