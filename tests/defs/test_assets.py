"""Each stage's assets materialized in this process (dg.materialize) on a temporary home, as in
Dagster University's dagster_and_dbt project: what each asset writes and reports, without
running the whole job."""

import json
import time
from pathlib import Path

import dagster as dg
import pytest
from support.samples import GOOD_EXPORT, blank_export

from orchestration.config import SAMPLE_DATA_DIR, Home
from orchestration.defs.checks import gx_normalized_posts
from orchestration.defs.entities import entity_tables
from orchestration.defs.keys import NORMALIZED_POSTS, RAW_BATCHES, normalized, op_name
from orchestration.defs.normalized import normalized_tables
from orchestration.defs.publish import published_warehouse
from orchestration.defs.raw import raw_batches
from orchestration.defs.resources import HomeResource
from orchestration.ingest.raw_store import RawStore
from orchestration.normalize.quarantine import Quarantine
from orchestration.normalize.store import NORMALIZED_TABLES, NormalizedStore

PAGE = SAMPLE_DATA_DIR / "web_preview" / "MAErusse.html"


def materialize(home: Path, assets: list, **kwargs) -> dg.ExecuteInProcessResult:
    return dg.materialize(
        assets, resources={"home": HomeResource(root=str(home))}, raise_on_error=False, **kwargs
    )


def ingest_config(*paths: Path) -> dict:
    return {"ops": {op_name(RAW_BATCHES): {"config": {"paths": [str(p) for p in paths]}}}}


def metadata_of(result: dg.ExecuteInProcessResult, key: dg.AssetKey) -> dict:
    (event,) = [
        e
        for e in result.get_asset_materialization_events()
        if e.step_materialization_data.materialization.asset_key == key
    ]
    return {k: v.value for k, v in event.step_materialization_data.materialization.metadata.items()}


def test_raw_batches_land_good_files_and_name_the_bad_ones(tmp_path):
    empty = tmp_path / "empty.json"
    empty.write_text("")
    cut = tmp_path / "cut.html"
    page = PAGE.read_text()
    cut.write_text(page[: page.rindex('data-post="')])  # the last post is missing
    result = materialize(
        tmp_path / "home", [raw_batches], run_config=ingest_config(GOOD_EXPORT, empty, cut)
    )
    assert result.success
    found = metadata_of(result, RAW_BATCHES)
    assert (found["files_landed"], found["files_failed"], found["files_landed_in_part"]) == (
        2,
        1,
        1,
    )
    assert found["posts_landed"] == 11 + 7
    assert "empty.json" in found["failures"]
    assert "cut.html: file truncated after post" in found["partial_losses"].replace("`", "")
    assert len(RawStore(Home(tmp_path / "home").raw).landed_batches()) == 2

    again = materialize(tmp_path / "home", [raw_batches], run_config=ingest_config(GOOD_EXPORT))
    assert metadata_of(again, RAW_BATCHES)["files_unchanged"] == 1


def test_raw_batches_take_the_inbox_and_move_what_they_handled(tmp_path):
    home = Home(tmp_path / "home").ensure()
    (home.inbox / "good.json").write_bytes(GOOD_EXPORT.read_bytes())
    (home.inbox / "broken.json").write_text("{")
    result = materialize(home.root, [raw_batches])
    assert result.success
    assert sorted(p.name for p in (home.inbox / "done").iterdir()) == ["good.json"]
    assert sorted(p.name for p in (home.inbox / "failed").iterdir()) == ["broken.json"]
    assert [p.name for p in home.inbox.iterdir() if p.is_file()] == []


def test_normalized_and_entity_tables_report_what_each_run_added(tmp_path):
    home = Home(tmp_path / "home").ensure()
    RawStore(home.raw).ingest([GOOD_EXPORT])
    result = materialize(home.root, [normalized_tables, entity_tables])
    assert result.success
    posts = metadata_of(result, NORMALIZED_POSTS)
    assert (posts["rows_added"], posts["batches_added"], posts["dagster/row_count"]) == (11, 1, 11)
    mentions = metadata_of(result, normalized("country_mentions"))
    assert mentions["rows_added"] == mentions["dagster/row_count"] > 0
    assert "post_key" in mentions["preview"]

    RawStore(home.raw).ingest([PAGE])
    second = materialize(home.root, [normalized_tables, entity_tables])
    posts = metadata_of(second, NORMALIZED_POSTS)
    assert (posts["batches_added"], posts["batches"]) == (1, 2)
    assert posts["dagster/row_count"] == 11 + posts["rows_added"]
    assert len(NormalizedStore(home.normalized).entity_batches()) == 2


def test_a_post_from_the_future_is_rejected_and_the_rest_of_its_file_lands(tmp_path):
    export = json.loads(GOOD_EXPORT.read_text())
    export["messages"][1]["date_unixtime"] = str(int(time.time()) + 30 * 24 * 3600)
    bad = tmp_path / "future.json"
    bad.write_text(json.dumps(export, ensure_ascii=False))
    home = Home(tmp_path / "home").ensure()
    RawStore(home.raw).ingest([bad])

    result = materialize(home.root, [normalized_tables, gx_normalized_posts, entity_tables])
    (evaluation,) = result.get_asset_check_evaluations()
    assert evaluation.passed
    store = NormalizedStore(home.normalized)
    rejects = store.scan("rejects").collect()
    assert rejects["rule"].to_list() == ["published_in_future"]
    assert store.scan("posts").collect().height == 10  # the other posts of the file
    assert len(store.entity_batches()) == 1


def test_a_batch_failing_the_posts_suite_is_set_aside_and_the_others_build(tmp_path):
    home = Home(tmp_path / "home").ensure()
    RawStore(home.raw).ingest([blank_export(tmp_path), PAGE])

    result = materialize(home.root, [normalized_tables, gx_normalized_posts, entity_tables])
    (evaluation,) = result.get_asset_check_evaluations()
    assert not evaluation.passed and evaluation.severity == dg.AssetCheckSeverity.WARN
    assert evaluation.metadata["batches_set_aside"].value == 1
    (set_aside,) = Quarantine(home.normalized).batches()
    report = Quarantine(home.normalized).report(set_aside)
    assert report["source_files"] == [str(tmp_path / "blank.json")]
    assert report["reasons"][0]["column"] == "text_or_media_ok"
    store = NormalizedStore(home.normalized)
    assert store.entity_batches() == store.batches() and set_aside not in store.batches()


def test_the_posts_suite_blocks_when_nothing_is_left_to_build(tmp_path):
    home = Home(tmp_path / "home").ensure()
    RawStore(home.raw).ingest([blank_export(tmp_path)])

    result = materialize(home.root, [normalized_tables, gx_normalized_posts, entity_tables])
    (evaluation,) = result.get_asset_check_evaluations()
    assert not evaluation.passed and evaluation.severity == dg.AssetCheckSeverity.ERROR
    assert not NormalizedStore(home.normalized).entity_batches()  # blocked


@pytest.mark.parametrize("name", NORMALIZED_TABLES)
def test_every_normalized_table_is_an_asset_of_its_own(name):
    assert normalized(name) in normalized_tables.keys


def test_publishing_without_a_candidate_fails_instead_of_publishing_an_empty_file(tmp_path):
    result = materialize(tmp_path, [published_warehouse])
    assert not result.success
    assert not (tmp_path / "warehouse" / "tgwh.duckdb").exists()
    assert not (tmp_path / "warehouse" / "candidate.duckdb").exists()


def test_a_step_that_cannot_write_the_home_is_said_in_words():
    """What the summary prints for a step stopped by a full disk (the fault itself, for real:
    tests/unit/test_home_faults.py): the path and the problem, not a class or the OSError."""
    from orchestration.app.runner import RunOutcome
    from orchestration.common.durable import writing

    target = Path("/home/x/raw/posts/0123.parquet")

    @dg.asset
    def lands_a_batch() -> None:
        with writing(target):
            raise OSError(28, "No space left on device")

    outcome = RunOutcome()
    outcome.add(dg.materialize([lands_a_batch], raise_on_error=False), RAW_BATCHES)
    assert not outcome.success and not outcome.interrupted
    assert outcome.errors == [f"lands_a_batch: cannot write {target}: no space left on the device"]
