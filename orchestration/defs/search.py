"""The published warehouse -> the full-text index of its posts, and the saved searches' new hits.

Both come after the publish (a failed audit publishes nothing, so nothing is indexed): the
index is brought up to date with the new posts only, into a new generation that searches switch
to atomically (``tgwh search`` never waits for a run); then every saved search is evaluated
over the batches no evaluation covered yet, and its new hits go to the asset's metadata and to
the run summary.
"""

import dagster as dg

from orchestration.defs.keys import PUBLISHED_WAREHOUSE, stage_tags
from orchestration.defs.resources import HomeResource
from orchestration.search.build import build_search_index
from orchestration.search.generations import SearchGenerations
from orchestration.search.saved import evaluate_saved_searches, markdown

SEARCH_INDEX = dg.AssetKey(["search", "index"])
SAVED_SEARCHES = dg.AssetKey(["search", "saved_searches"])
SEARCH = "search"  # the stage tag of both steps


@dg.asset(
    key=SEARCH_INDEX,
    deps=[PUBLISHED_WAREHOUSE],
    group_name="search",
    kinds={"tantivy"},
    op_tags=stage_tags(SEARCH),
    description=(
        "Full-text index of marts.fct_posts (`tgwh search`): stemmed per language (en, ru, es, "
        "fr), BM25-ranked. Each publish adds the posts of the new batches (edited posts replace "
        "their old document); the whole index is rebuilt when the warehouse was rebuilt by new "
        "code or rolled back. Written as a new generation, switched to atomically."
    ),
)
def search_index(context: dg.AssetExecutionContext, home: HomeResource):
    layout = home.home.search
    build = build_search_index(layout, home.home.warehouse.published, log=context.log.warning)
    context.log.info(
        f"search index: {build.mode} ({build.reason}), {build.posts_read} posts read in "
        f"{build.seconds:.2f} s, {build.documents} documents"
    )
    if build.mode == "no_warehouse":
        raise dg.Failure(description=build.reason)
    return dg.MaterializeResult(
        metadata={
            "mode": build.mode,
            "reason": build.reason,
            "posts_indexed": build.posts_read,
            "documents_written": build.documents_written,
            "documents": build.documents,
            "new_batches": len(build.new_batches),
            "seconds": round(build.seconds, 3),
            "posts_per_second": round(build.posts_per_second),
            "generation": build.generation or "",
            "path": dg.MetadataValue.path(str(layout.root)),
        }
    )


@dg.asset(
    key=SAVED_SEARCHES,
    deps=[SEARCH_INDEX],
    group_name="search",
    kinds={"tantivy"},
    op_tags=stage_tags(SEARCH),
    description=(
        "The saved searches (`tgwh search --save NAME QUERY`) evaluated over the posts of the "
        "batches this publish added: how many new hits each has, and the newest of them."
    ),
)
def saved_searches(context: dg.AssetExecutionContext, home: HomeResource):
    layout = home.home.search
    opened = SearchGenerations(layout).open_current()
    evaluation = evaluate_saved_searches(layout, opened, run_id=context.run.run_id)
    for result in evaluation.results:
        context.log.info(f"saved search {result.name}: {result.new_hits} new hits")
    return dg.MaterializeResult(
        metadata={
            "saved_searches": len(evaluation.results),
            "new_batches": evaluation.new_batches,
            "new_hits": sum(result.new_hits for result in evaluation.results),
            **{f"new_hits/{result.name}": result.new_hits for result in evaluation.results},
            "newest_hits": dg.MetadataValue.md(markdown(evaluation)),
        }
    )
