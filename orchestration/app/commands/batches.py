"""`tgwh batches`: the ingested batches (a file or a page each), and what to do with one that a
check set aside: release it (it builds on the next run) or remove it (gone, with a line in the
audit)."""

from __future__ import annotations

import json

import click

from orchestration.app.console import console
from orchestration.app.tables import print_frame
from orchestration.common.writer_lock import WarehouseBusy
from orchestration.config import Home


@click.group()
def batches() -> None:
    """The ingested batches (one per file, or per landing of scraped pages), and the ones set
    aside."""


@batches.command("list")
@click.option("--status", help="Only batches with this status (e.g. 'set aside').")
def batches_list(status: str | None) -> None:
    """Every batch with its status: published, pending, set aside, released or rejected."""
    import polars as pl

    from orchestration.warehouse.batches import batch_statuses

    table = batch_statuses(Home.from_env())
    if status:
        table = table.filter(pl.col("status") == status)
    shown = table.with_columns(
        pl.col("batch_id").str.slice(0, 12), pl.col("ingested_at").dt.strftime("%Y-%m-%d %H:%M")
    )
    print_frame(shown)
    counts = dict(table.group_by("status").len().iter_rows())
    console.print(", ".join(f"{n} {name}" for name, n in sorted(counts.items())) or "no batches")


@batches.command("show")
@click.argument("batch")
def batches_show(batch: str) -> None:
    """One batch: its file, status, and for a batch set aside, why."""
    from orchestration.normalize.quarantine import Quarantine
    from orchestration.warehouse.batches import UnknownBatch, batch_statuses, resolve

    home = Home.from_env()
    try:
        batch_id = resolve(home, batch)
    except UnknownBatch as error:
        raise click.ClickException(str(error)) from error
    statuses = batch_statuses(home)
    row = statuses.filter(statuses["batch_id"] == batch_id)
    for name, value in (row.row(0, named=True) if row.height else {"batch_id": batch_id}).items():
        console.print(f"{name}: {value}")
    report = home.normalized.quarantined(batch_id).report_md
    if report.exists():
        console.print()
        console.print(report.read_text(encoding="utf-8"), markup=False, highlight=False)
    elif (details := Quarantine(home.normalized).report(batch_id)) is not None:
        console.print(json.dumps(details, indent=2), markup=False)


@batches.command("release")
@click.argument("batch")
def batches_release(batch: str) -> None:
    """Build a batch that was set aside, on the next run (its checks still report)."""
    from orchestration.warehouse.batches import UnknownBatch, release, resolve

    home = Home.from_env()
    try:
        batch_id = resolve(home, batch)
        release(home, batch_id)
    except (UnknownBatch, WarehouseBusy) as error:
        raise click.ClickException(str(error)) from error
    console.print(f"released {batch_id[:12]}: it builds on the next `tgwh run`")


@batches.command("remove")
@click.argument("batch")
@click.option("--reason", default="removed by the user", show_default=True)
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def batches_remove(batch: str, reason: str, yes: bool) -> None:
    """Remove a batch from the raw and normalized layers (audit.removed_batches keeps a line);
    the next run rebuilds the warehouse without it."""
    from orchestration.warehouse.batches import UnknownBatch, remove, resolve

    home = Home.from_env()
    try:
        batch_id = resolve(home, batch)
    except UnknownBatch as error:
        raise click.ClickException(str(error)) from error
    if not yes:
        click.confirm(f"Remove batch {batch_id[:12]} and every post it brought?", abort=True)
    try:
        record = remove(home, batch_id, reason)
    except WarehouseBusy as error:
        raise click.ClickException(str(error)) from error
    console.print(
        f"removed {batch_id[:12]} ({record['source_file']}); the next `tgwh run` rebuilds "
        "the warehouse without it"
    )
