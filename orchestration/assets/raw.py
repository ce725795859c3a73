"""Source files -> raw Parquet batches."""

import shutil
from pathlib import Path

import dagster as dg
import polars as pl

from orchestration.asset_keys import RAW_BATCHES, SOURCE_FILES
from orchestration.metadata import markdown_table
from orchestration.raw_store import IngestReport, expand_sources
from orchestration.resources import HomeResource

source_files = dg.AssetSpec(
    SOURCE_FILES,
    description=(
        "Telegram files from outside: web-preview pages (t.me/s/<channel>), Telegram Desktop "
        "JSON exports and text copied from a web preview. They arrive in the inbox folder of "
        "the home, or are named on the command line (`tgwh run PATH`)."
    ),
    group_name="sources",
    kinds={"file"},
)


class IngestConfig(dg.Config):
    paths: list[str] = []
    """Files or folders to ingest; empty means the inbox of the home folder."""
    channel: str | None = None
    """Channel username for text copies, whose header carries only a title."""


def _settle_inbox_files(inbox: Path, report: IngestReport) -> None:
    """Move handled inbox files aside so the inbox sensor sees only new arrivals."""
    failed = {path for path, _ in report.failed}
    for path in expand_sources([inbox]):
        if path.is_relative_to(inbox / "done") or path.is_relative_to(inbox / "failed"):
            continue
        target_root = inbox / ("failed" if str(path) in failed else "done")
        target = target_root / path.relative_to(inbox)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(path, target)


@dg.asset(
    key=RAW_BATCHES,
    deps=[SOURCE_FILES],
    group_name="raw",
    kinds={"polars", "parquet"},
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
    from_inbox = not config.paths
    inbox = home.home.inbox
    if from_inbox:
        sources = sorted(p for p in inbox.iterdir() if p.name not in {"done", "failed"})
    else:
        sources = [Path(p).expanduser() for p in config.paths]
    report = home.raw_store.ingest(sources, channel=config.channel)
    if from_inbox:
        _settle_inbox_files(inbox, report)
    for row in report.landed:
        context.log.info(
            f"landed {row['source_file']} ({row['source_format']}): "
            f"{row['records_read']} records, {row['records_rejected']} rejected"
        )
    for path in report.unchanged:
        context.log.info(f"unchanged, already landed: {path}")
    for path, problem in report.failed:
        context.log.error(f"could not ingest {path}: {problem}")
    landed = pl.DataFrame(report.landed) if report.landed else None
    return dg.MaterializeResult(
        metadata={
            "files_landed": len(report.landed),
            "files_unchanged": len(report.unchanged),
            "files_failed": len(report.failed),
            "posts_landed": report.posts_landed,
            "failures": dg.MetadataValue.md(
                "\n".join(f"- `{path}`: {problem}" for path, problem in report.failed) or "none"
            ),
            "landed": dg.MetadataValue.md(
                markdown_table(
                    landed.select(
                        "source_file", "source_format", "records_read", "records_rejected"
                    )
                )
                if landed is not None
                else "nothing new"
            ),
        }
    )
