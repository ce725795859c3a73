"""Clean posts -> the countries and leaders they name (Polars), for new batches only."""

import dagster as dg
import polars as pl

from orchestration.common.fingerprints import normalized_layer_fingerprint
from orchestration.defs.keys import ENTITIES, NORMALIZED_POSTS, OWNERS, normalized, stage_tags
from orchestration.defs.metadata import preview
from orchestration.defs.resources import HomeResource
from orchestration.entities.build import build_entities
from orchestration.entities.resolve import KEPT_TABLES
from orchestration.normalize.store import ENTITY_TABLES, REFERENCE_TABLES

DESCRIPTIONS = {
    "countries": "Reference countries (ISO 3166 from pycountry) with their flag emoji.",
    "leaders": "Leaders: the curated reference list plus leaders discovered by title patterns.",
    "country_mentions": (
        "Post x country, with how often and by what evidence (flag, name, demonym, capital, "
        "hashtag, leader); a partition per batch."
    ),
    "leader_mentions": (
        "Post x leader, with how often the leader is named and how the mention was resolved "
        "(title and name, discovered, name, alias, surname, office on the post's date); a "
        "partition per batch."
    ),
    "office_terms": "Who held which office when: the office-holders table and past leaders.",
    "diplomatic_events": (
        "Events the posts report (CAMEO-based type, two actors, place, date, evidence); a "
        "partition per batch."
    ),
}


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            normalized(name),
            deps=[NORMALIZED_POSTS],
            description=DESCRIPTIONS[name],
            group_name="entities",
            kinds={"polars", "parquet"},
            owners=list(OWNERS),
        )
        for name in ENTITY_TABLES
    ],
    op_tags=stage_tags(ENTITIES),
)
def entity_tables(context: dg.AssetExecutionContext, home: HomeResource):
    store = home.normalized_store
    fingerprint = normalized_layer_fingerprint()
    kept = {name: home.home.entity_table(name, fingerprint) for name in KEPT_TABLES}
    report = build_entities(store, kept_tables=kept)
    context.log.info(
        f"entities of {len(report.new_batches)} new batches: "
        + ", ".join(f"{name} {rows} rows" for name, rows in report.rows.items())
    )
    for name in ENTITY_TABLES:
        if name in REFERENCE_TABLES:
            table = store.read_reference(name)
            rows, added = table.height, table.head(10)
        else:
            rows = store.scan(name).select(pl.len()).collect().item()
            added = store.scan(name, report.new_batches).head(10).collect()
        yield dg.MaterializeResult(
            asset_key=normalized(name),
            metadata={
                "dagster/row_count": rows,
                "rows_added": report.rows[name],
                "batches_added": len(report.new_batches),
                "preview": preview(added),
            },
        )
