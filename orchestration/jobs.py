"""The job that builds the whole warehouse: ingest, normalize, entities, dbt, checks, publish."""

import dagster as dg

from orchestration.asset_keys import LIVE_CHANNELS, SCRAPED_PAGES, SOURCE_FILES

scrape_channels_job = dg.define_asset_job(
    name="scrape_channels",
    selection=dg.AssetSelection.assets(SCRAPED_PAGES),  # partitioned: a run per channel
    description="Scrape one channel's web preview (a partition per channel) into the raw layer.",
)

build_warehouse_job = dg.define_asset_job(
    name="build_warehouse",
    selection=dg.AssetSelection.all()
    - dg.AssetSelection.assets(SOURCE_FILES, LIVE_CHANNELS, SCRAPED_PAGES),
    description=(
        "Ingest new files (the inbox, or paths given in the run config), normalize, find "
        "entities, build the dbt models into a candidate warehouse, validate it and publish it."
    ),
)
