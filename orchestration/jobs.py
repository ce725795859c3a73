"""The job that builds the whole warehouse: ingest, normalize, entities, dbt, checks, publish."""

import dagster as dg

from orchestration.asset_keys import SOURCE_FILES

build_warehouse_job = dg.define_asset_job(
    name="build_warehouse",
    selection=dg.AssetSelection.all() - dg.AssetSelection.assets(SOURCE_FILES),
    description=(
        "Ingest new files (the inbox, or paths given in the run config), normalize, find "
        "entities, build the dbt models into a candidate warehouse, validate it and publish it."
    ),
)
