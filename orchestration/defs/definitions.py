"""The tgwh code location: everything Dagster loads (see workspace.yaml)."""

import dagster as dg

from orchestration.config import DBT_IN_HOME
from orchestration.defs.automation import (
    build_after_ingest,
    build_warehouse_job,
    inbox_sensor,
    rebuild_after_scrape,
    scrape_channels_job,
    scrape_followed_channels,
)
from orchestration.defs.checks import (
    coverage_gaps_in_scraped_ranges,
    gx_normalized_posts,
    gx_warehouse,
)
from orchestration.defs.dbt import tgwh_dbt_models
from orchestration.defs.dbt_resource import TgwhDbtCliResource
from orchestration.defs.entities import entity_tables
from orchestration.defs.freshness import (
    channel_freshness_job,
    channel_freshness_schedule,
    followed_channels_fresh,
)
from orchestration.defs.normalized import normalized_tables
from orchestration.defs.progress import progress_logger
from orchestration.defs.project import tgwh_dbt_project
from orchestration.defs.publish import published_warehouse
from orchestration.defs.raw import raw_batches, source_files
from orchestration.defs.report import report_page
from orchestration.defs.resources import HomeResource
from orchestration.defs.scrape import live_channels, web_preview_pages
from orchestration.defs.search import saved_searches, search_index

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
        report_page,
        search_index,
        saved_searches,
    ],
    asset_checks=[
        gx_normalized_posts,
        gx_warehouse,
        coverage_gaps_in_scraped_ranges,
        followed_channels_fresh,
    ],
    jobs=[build_warehouse_job, scrape_channels_job, channel_freshness_job],
    schedules=[scrape_followed_channels, channel_freshness_schedule],
    sensors=[inbox_sensor, rebuild_after_scrape, build_after_ingest],
    # Only the loggers a run's config names are started: runs of the UI and the daemon keep
    # Dagster's default; the command line adds its progress lines.
    loggers={"console": dg.colored_console_logger, "progress": progress_logger},
    resources={
        "home": HomeResource(),  # the home and its settings as they are when a run starts
        "dbt": TgwhDbtCliResource(project_dir=tgwh_dbt_project(), dbt_executable=str(DBT_IN_HOME)),
    },
    # Small runs are dominated by each step's process start-up (imports cost seconds), so
    # steps run in one process, one after another; that also keeps a single DuckDB writer.
    executor=dg.in_process_executor,
)
