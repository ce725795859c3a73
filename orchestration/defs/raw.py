"""Source files -> raw Parquet batches."""

from pathlib import Path

import dagster as dg
import polars as pl

from orchestration.defs.keys import INGEST, OWNERS, RAW_BATCHES, SOURCE_FILES, stage_tags
from orchestration.defs.metadata import preview
from orchestration.defs.resources import HomeResource
from orchestration.ingest.inbox import inbox_entries, settle_inbox_files
from orchestration.validate.worker import start_validation_worker
from orchestration.warehouse.warm_dbt import start_warm_dbt

source_files = dg.AssetSpec(
    SOURCE_FILES,
    description=(
        "Telegram files from outside: web-preview pages (t.me/s/<channel>), Telegram Desktop "
        "JSON exports and text copied from a web preview. They arrive in the inbox folder of "
        "the home, or are named on the command line (`tgwh run PATH`)."
    ),
    group_name="sources",
    kinds={"file"},
    owners=list(OWNERS),
)


class IngestConfig(dg.Config):
    paths: list[str] = []
    """Files or folders to ingest; empty means the inbox of the home folder."""
    channel: str | None = None
    """Channel username for text copies, whose header carries only a title."""


@dg.asset(
    key=RAW_BATCHES,
    deps=[SOURCE_FILES],
    group_name="raw",
    kinds={"polars", "parquet"},
    owners=list(OWNERS),
    op_tags=stage_tags(INGEST),
    description=(
        "Immutable raw layer: one batch of Parquet files per ingested source file (posts, "
        "channel headers, service messages, rejects) and a record of the file. Ingesting the "
        "same file again changes nothing; a file that cannot be read is reported and kept as "
        "a reject, and the other files still land."
    ),
)
def raw_batches(
    context: dg.AssetExecutionContext, config: IngestConfig, home: HomeResource
) -> dg.MaterializeResult:
    inbox = home.home.inbox
    from_inbox = not config.paths
    sources = inbox_entries(inbox) if from_inbox else [Path(p).expanduser() for p in config.paths]
    if sources:  # new posts are validated and built soon: GX and dbt load while they land
        start_validation_worker(home.home)
        start_warm_dbt()
    report = home.raw_store.ingest(sources, channel=config.channel)
    if from_inbox:
        settle_inbox_files(inbox, report)
    for row in report.landed:
        context.log.info(
            f"landed {row['source_file']} ({row['source_format']}): "
            f"{row['records_read']} records, {row['records_rejected']} rejected"
        )
    for path in report.unchanged:
        context.log.info(f"unchanged, already landed: {path}")
    for path, problem in report.failed:
        context.log.error(f"could not ingest {path}: {problem}")
    for path, warning in report.warnings:
        context.log.warning(f"landed {path} in part: {warning}")
    for path, why in report.skipped:
        context.log.info(f"skipped {path}: {why}")
    landed = pl.DataFrame(report.landed) if report.landed else pl.DataFrame()
    return dg.MaterializeResult(
        metadata={
            "files_landed": len(report.landed),
            "files_unchanged": len(report.unchanged),
            "files_failed": len(report.failed),
            "posts_landed": report.posts_landed,
            "landed_batches": dg.MetadataValue.json([row["batch_id"] for row in report.landed]),
            "failures": dg.MetadataValue.md(
                "\n".join(f"- `{path}`: {problem}" for path, problem in report.failed) or "none"
            ),
            "files_skipped": len(report.skipped),
            "skipped": dg.MetadataValue.md(
                "\n".join(f"- `{path}`: {why}" for path, why in report.skipped) or "none"
            ),
            "files_landed_in_part": len({path for path, _ in report.warnings}),
            "partial_losses": dg.MetadataValue.md(
                "\n".join(f"- `{path}`: {warning}" for path, warning in report.warnings) or "none"
            ),
            "landed": preview(
                landed.select("source_file", "source_format", "records_read", "records_rejected")
                if landed.height
                else landed,
                empty="nothing new",
            ),
        }
    )
