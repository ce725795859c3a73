"""Clean posts -> the countries and leaders they name (Polars expressions over all posts)."""

import dagster as dg

from orchestration.asset_keys import NORMALIZED_POSTS, normalized
from orchestration.metadata import frame_metadata
from orchestration.normalized_store import ENTITY_TABLES, build_entities
from orchestration.resources import HomeResource

DESCRIPTIONS = {
    "countries": "Reference countries (ISO 3166 from pycountry) with their flag emoji.",
    "leaders": "Leaders: the curated reference list plus leaders discovered by title patterns.",
    "country_mentions": (
        "Post x country, with how often and by what evidence (flag, name, demonym, capital, "
        "hashtag, leader)."
    ),
    "leader_mentions": "Post x leader, with how often the leader is named.",
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
    tables = build_entities(home.home.normalized)
    context.log.info(
        "entities: " + ", ".join(f"{name} {frame.height} rows" for name, frame in tables.items())
    )
    for name, frame in tables.items():
        yield dg.MaterializeResult(asset_key=normalized(name), metadata=frame_metadata(frame))
