"""Clean posts -> the countries and leaders they name (Polars), for new batches only."""

import dagster as dg
import polars as pl

from orchestration.asset_keys import NORMALIZED_POSTS, normalized
from orchestration.metadata import markdown_table
from orchestration.normalized_store import ENTITY_TABLES, NormalizedStore, build_entities
from orchestration.resources import HomeResource

DESCRIPTIONS = {
    "countries": "Reference countries (ISO 3166 from pycountry) with their flag emoji.",
    "leaders": "Leaders: the curated reference list plus leaders discovered by title patterns.",
    "country_mentions": (
        "Post x country, with how often and by what evidence (flag, name, demonym, capital, "
        "hashtag, leader); a partition per batch."
    ),
    "leader_mentions": "Post x leader, with how often the leader is named; a partition per batch.",
}


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            normalized(name),
            deps=[NORMALIZED_POSTS],
            description=DESCRIPTIONS[name],
            group_name="entities",
            kinds={"polars", "parquet"},
        )
        for name in ENTITY_TABLES
    ],
)
def entity_tables(context: dg.AssetExecutionContext, home: HomeResource):
    store = NormalizedStore(home.home.normalized)
    report = build_entities(store.root)
    context.log.info(
        f"entities of {len(report.new_batches)} new batches: "
        + ", ".join(f"{name} {rows} rows" for name, rows in report.rows.items())
    )
    for name in ENTITY_TABLES:
        if name in ("countries", "leaders"):
            total = store.read_reference(name)
            preview = total.head(10)
            rows = total.height
        else:
            preview = store.scan(name, report.new_batches).head(10).collect()
            rows = store.scan(name).select(pl.len()).collect().item()
        yield dg.MaterializeResult(
            asset_key=normalized(name),
            metadata={
                "dagster/row_count": rows,
                "rows_added": report.rows[name],
                "batches_added": len(report.new_batches),
                "preview": dg.MetadataValue.md(
                    markdown_table(preview) if preview.height else "(none)"
                ),
            },
        )
