"""Asset keys shared by assets, checks, sensors and the command line."""

import dagster as dg

SOURCE_FILES = dg.AssetKey(["sources", "telegram_files"])
RAW_BATCHES = dg.AssetKey(["raw", "batches"])


def normalized(name: str) -> dg.AssetKey:
    return dg.AssetKey(["normalized", name])


NORMALIZED_POSTS = normalized("posts")
PUBLISHED_WAREHOUSE = dg.AssetKey(["warehouse", "published"])

MART_MODELS = (
    "fct_posts",
    "dim_channels",
    "dim_countries",
    "dim_leaders",
    "fct_country_mentions",
    "fct_leader_mentions",
)
MART_KEYS = tuple(dg.AssetKey(["marts", name]) for name in MART_MODELS)

LIVE_CHANNELS = dg.AssetKey(["sources", "telegram_web_preview"])
SCRAPED_PAGES = dg.AssetKey(["raw", "web_preview_pages"])
