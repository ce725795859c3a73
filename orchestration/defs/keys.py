"""Names the rest of the code uses to address the Dagster graph: asset keys, stages, jobs.

The command line and the benchmark talk to Dagster through these, never through strings that
happen to match op names or step keys.
"""

import dagster as dg

SOURCE_FILES = dg.AssetKey(["sources", "telegram_files"])
LIVE_CHANNELS = dg.AssetKey(["sources", "telegram_web_preview"])
RAW_BATCHES = dg.AssetKey(["raw", "batches"])
SCRAPED_PAGES = dg.AssetKey(["raw", "web_preview_pages"])
PUBLISHED_WAREHOUSE = dg.AssetKey(["warehouse", "published"])


def normalized(name: str) -> dg.AssetKey:
    return dg.AssetKey(["normalized", name])


NORMALIZED_POSTS = normalized("posts")

# The code location (workspace.yaml, pyproject's [tool.dagster]) and its one repository.
CODE_LOCATION = "tgwh"
REPOSITORY = "__repository__"

# Who answers for the assets (Dagster shows it on every asset page).
OWNERS = ("team:tgwh",)

BUILD_JOB = "build_warehouse"
# The phase of a build a run of build_warehouse is (land, ingest, build: defs/automation.py).
PHASE_TAG = "tgwh/phase"
# On a build phase's run: the run id of the ingest phase it completes (the report counts a
# build's checks over both, as `tgwh run` prints them).
INGEST_RUN_TAG = "tgwh/ingest_run"
SCRAPE_JOB = "scrape_channels"
CHANNEL_PARTITIONS = "telegram_channels"

# Each op says which stage of a build it is (the benchmark times builds stage by stage).
STAGE_TAG = "tgwh/stage"
INGEST, NORMALIZE, ENTITIES, DBT, VALIDATION, PUBLISH, SCRAPE = (
    "ingest",
    "normalize",
    "entities",
    "dbt build",
    "validation",
    "publish",
    "scrape",
)


def stage_tags(stage: str) -> dict[str, str]:
    return {STAGE_TAG: stage}


def op_name(key: dg.AssetKey) -> str:
    """The op that materializes an asset defined alone (how run config addresses it)."""
    return key.to_python_identifier()
