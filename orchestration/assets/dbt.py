"""Normalized Parquet -> dbt staging and marts, built into the candidate warehouse.

dbt tests become Dagster asset checks on the models they test (dagster-dbt does this).
"""

import shutil
from collections.abc import Mapping
from typing import Any

import dagster as dg
import duckdb
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, dbt_assets

from orchestration.asset_keys import normalized
from orchestration.dbt_project import tgwh_dbt_project
from orchestration.resources import HomeResource


class TgwhDbtTranslator(DagsterDbtTranslator):
    """Keys that read like the warehouse: sources are the normalized Parquet assets, models
    are keyed by the relation they build (``marts/fct_posts``), grouped by schema."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            return normalized(dbt_resource_props["name"])
        schema = dbt_resource_props.get("config", {}).get("schema") or "main"
        relation = dbt_resource_props.get("alias") or dbt_resource_props["name"]
        return dg.AssetKey([schema, relation])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        return dbt_resource_props.get("config", {}).get("schema") or "dbt"


def prepare_candidate(home) -> None:
    """Start the candidate from the published warehouse, so a partial selection still yields a
    whole warehouse; a fresh file when nothing is published yet."""
    candidate = home.candidate_warehouse
    candidate.unlink(missing_ok=True)
    candidate.with_suffix(".duckdb.wal").unlink(missing_ok=True)
    if home.warehouse.exists():
        shutil.copy2(home.warehouse, candidate)


@dbt_assets(
    manifest=tgwh_dbt_project().manifest_path,
    project=tgwh_dbt_project(),
    dagster_dbt_translator=TgwhDbtTranslator(),
)
def tgwh_dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource, home: HomeResource):
    prepare_candidate(home.home)
    invocation = dbt.cli(["build"], context=context)
    # dagster-dbt's fetch_row_counts() would open the warehouse through dbt's adapter inside
    # this process and keep it open, locking out the checks that read it next. Outputs are
    # held until dbt exits, then counted over one short-lived connection.
    events = list(invocation.stream())
    yield from with_row_counts(events, home.home.candidate_warehouse, invocation.manifest)


def with_row_counts(events: list, warehouse, manifest: Mapping[str, Any]):
    outputs = [e for e in events if isinstance(e, dg.Output) and "unique_id" in e.metadata]
    counts = {}
    if outputs and warehouse.exists():
        with duckdb.connect(str(warehouse), read_only=True) as connection:
            for event in outputs:
                node = manifest["nodes"][event.metadata["unique_id"].value]
                relation = f'"{node["schema"]}"."{node["alias"]}"'
                counts[id(event)] = connection.execute(
                    f"select count(*) from {relation}"
                ).fetchall()[0][0]
    for event in events:
        if id(event) in counts:
            yield event.with_metadata({**event.metadata, "dagster/row_count": counts[id(event)]})
        else:
            yield event
