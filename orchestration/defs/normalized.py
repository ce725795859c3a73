"""Raw batches -> the normalized layer (Polars): a partition per new batch, nothing else.

When no batch is new and the published warehouse was built from exactly these batches by this
code, the tables are not materialized: everything downstream (entities, dbt, checks, publish)
is skipped, and the run costs its start-up only.
"""

import dagster as dg
import polars as pl

from orchestration.defs.keys import (
    NORMALIZE,
    OWNERS,
    RAW_BATCHES,
    SCRAPED_PAGES,
    normalized,
    stage_tags,
)
from orchestration.defs.metadata import preview
from orchestration.defs.resources import HomeResource
from orchestration.normalize.store import NORMALIZED_TABLES, build_normalized
from orchestration.validate.worker import start_validation_worker
from orchestration.warehouse.warm_dbt import start_warm_dbt

DESCRIPTIONS = {
    "posts": (
        "One typed row per post and batch: cleaned text, hashtags, mentions, links, views, "
        "forwards, replies, media, language; deduplicated within the batch (newest edit kept). "
        "A post seen in several batches is resolved to one row in dbt (stg_posts)."
    ),
    "post_views": "Every observation of a post's view count (one per landed page or export).",
    "channel_headers": "Channel header snapshots (title, description, subscribers, counters).",
    "service_messages": "Service messages (pins, title changes, ...), kept apart from posts.",
    "ingested_files": "One row per ingested source file: hash, format, records read/rejected.",
    "rejects": "Records and files that could not be parsed, with file, position and reason.",
}


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            normalized(name),
            deps=[RAW_BATCHES, SCRAPED_PAGES],
            description=DESCRIPTIONS[name],
            group_name="normalized",
            kinds={"polars", "parquet"},
            owners=list(OWNERS),
            skippable=True,
        )
        for name in NORMALIZED_TABLES
    ],
    op_tags=stage_tags(NORMALIZE),
)
def normalized_tables(context: dg.AssetExecutionContext, home: HomeResource):
    store = home.normalized_store
    if home.raw_store.batch_ids() - store.batches():
        # if the landing did not: the posts suite runs next, then dbt
        start_validation_worker(home.home)
        start_warm_dbt()
    report = build_normalized(home.raw_store, store)
    if report.rebuilt_all:
        context.log.info("the normalization code changed: every batch was normalized again")
    context.log.info(
        f"normalized {len(report.new_batches)} new batches: "
        + ", ".join(f"{name} +{rows} rows" for name, rows in report.rows.items())
    )
    plan = home.warehouse_build(context.run.run_id).plan(store.batches())
    if not report.new_batches and plan.up_to_date:
        context.log.info("nothing new: the published warehouse is up to date, nothing to build")
        return
    for name in NORMALIZED_TABLES:
        yield dg.MaterializeResult(
            asset_key=normalized(name),
            metadata={
                "dagster/row_count": store.scan(name).select(pl.len()).collect().item(),
                "rows_added": report.rows[name],
                "batches_added": len(report.new_batches),
                "batches": len(store.batches()),
                "preview_of_added": preview(
                    store.scan(name, report.new_batches).head(10).collect()
                ),
            },
        )
