"""Raw batches -> the normalized layer (Polars): clean posts, headers and the audit trail."""

import dagster as dg

from orchestration.asset_keys import RAW_BATCHES, SCRAPED_PAGES, normalized
from orchestration.metadata import frame_metadata
from orchestration.normalized_store import NORMALIZED_TABLES, build_normalized
from orchestration.resources import HomeResource

DESCRIPTIONS = {
    "posts": (
        "One typed row per post: cleaned text, hashtags, mentions, links, views, forwards, "
        "replies, media, language; deduplicated by (channel, message id), newest edit kept."
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
        )
        for name in NORMALIZED_TABLES
    ],
)
def normalized_tables(context: dg.AssetExecutionContext, home: HomeResource):
    tables = build_normalized(home.raw_store, home.home.normalized)
    context.log.info(
        "normalized: " + ", ".join(f"{name} {frame.height} rows" for name, frame in tables.items())
    )
    for name, frame in tables.items():
        yield dg.MaterializeResult(asset_key=normalized(name), metadata=frame_metadata(frame))
