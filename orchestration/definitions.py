"""The tgwh code location: everything Dagster loads (see workspace.yaml)."""

import os

import dagster as dg

from orchestration.assets.dbt import tgwh_dbt_models
from orchestration.assets.entities import entity_tables
from orchestration.assets.normalized import normalized_tables
from orchestration.assets.publish import published_warehouse
from orchestration.assets.raw import raw_batches, source_files
from orchestration.assets.scrape import live_channels, web_preview_pages
from orchestration.checks.marts_checks import gx_marts
from orchestration.checks.normalized_checks import gx_normalized_posts
from orchestration.dbt_project import tgwh_dbt_project
from orchestration.dbt_resource import TgwhDbtCliResource
from orchestration.jobs import build_warehouse_job, scrape_channels_job
from orchestration.paths import Home
from orchestration.rebuild_sensor import rebuild_after_scrape
from orchestration.resources import HomeResource
from orchestration.schedules import scrape_followed_channels
from orchestration.sensors import inbox_sensor

defs = dg.Definitions(
    assets=[
        source_files,
        live_channels,
        raw_batches,
        web_preview_pages,
        normalized_tables,
        entity_tables,
        tgwh_dbt_models,
        published_warehouse,
    ],
    asset_checks=[gx_normalized_posts, gx_marts],
    jobs=[build_warehouse_job, scrape_channels_job],
    schedules=[scrape_followed_channels],
    sensors=[inbox_sensor, rebuild_after_scrape],
    resources={
        "home": HomeResource(
            root=str(Home.from_env().root),
            lock_wait_seconds=float(os.environ.get("TGWH_LOCK_WAIT_SECONDS", "600")),
        ),
        "dbt": TgwhDbtCliResource(project_dir=tgwh_dbt_project()),
    },
    # Small runs are dominated by each step's process start-up (imports cost seconds), so
    # steps run in one process, one after another; that also keeps a single DuckDB writer.
    executor=dg.in_process_executor,
)
