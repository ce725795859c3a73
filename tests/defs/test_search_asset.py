"""The search assets materialized in this process: the index of the published warehouse, and
the saved searches' new hits as metadata in the Dagster UI (the unit tier covers incremental
builds and what counts as new)."""

import dagster as dg
from support.search_warehouse import corpus_posts, write_warehouse

from orchestration.config import Home
from orchestration.defs.definitions import defs
from orchestration.defs.keys import BUILD_JOB, PUBLISHED_WAREHOUSE
from orchestration.defs.resources import HomeResource
from orchestration.defs.search import SAVED_SEARCHES, SEARCH_INDEX, saved_searches, search_index
from orchestration.search.saved import SavedSearch, SavedSearches


def metadata(result: dg.ExecuteInProcessResult, key: dg.AssetKey) -> dict:
    (event,) = [
        e
        for e in result.get_asset_materialization_events()
        if e.step_materialization_data.materialization.asset_key == key
    ]
    return {k: v.value for k, v in event.step_materialization_data.materialization.metadata.items()}


def materialize(home: Home) -> dg.ExecuteInProcessResult:
    result = dg.materialize(
        [search_index, saved_searches], resources={"home": HomeResource(root=str(home.root))}
    )
    assert result.success
    return result


def test_the_index_and_the_saved_searches_new_hits(tmp_path):
    home = Home(tmp_path / "home")
    write_warehouse(home.warehouse.published, corpus_posts())
    SavedSearches(home.search).save(SavedSearch("unesco", "UNESCO", language="fr"))

    first = materialize(home)
    index = metadata(first, SEARCH_INDEX)
    assert (index["mode"], index["posts_indexed"], index["documents"]) == ("full", 34, 34)
    hits = metadata(first, SAVED_SEARCHES)
    assert (hits["new_hits/unesco"], hits["new_hits"]) == (1, 1)
    assert "[MAErusse/404](https://t.me/MAErusse/404) 2025-05-14" in hits["newest_hits"]


def test_the_build_job_indexes_after_the_publish():
    job = defs.resolve_job_def(BUILD_JOB)
    graph = defs.resolve_asset_graph()
    assert {SEARCH_INDEX, SAVED_SEARCHES} <= set(job.asset_layer.asset_graph.get_all_asset_keys())
    assert PUBLISHED_WAREHOUSE in graph.get(SEARCH_INDEX).parent_keys
    assert SEARCH_INDEX in graph.get(SAVED_SEARCHES).parent_keys
