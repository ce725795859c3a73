"""Normalized Parquet -> dbt staging and marts, built into the candidate warehouse.

The facts are incremental models: a run rebuilds the posts its new batches touch. A full
refresh runs when the published warehouse was built by other code (or has no build stamp).

dbt tests become Dagster asset checks on the models they test (dagster-dbt does this).
"""

from collections.abc import Mapping
from typing import Any

import dagster as dg
import duckdb
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, dbt_assets

from orchestration.asset_keys import normalized
from orchestration.build_state import pipeline_fingerprint, published_build, stamp_build
from orchestration.dbt_project import tgwh_dbt_project
from orchestration.failpoints import failpoint
from orchestration.normalized_store import NormalizedStore
from orchestration.publishing import FailedCheck
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


@dbt_assets(
    manifest=tgwh_dbt_project().manifest_path,
    project=tgwh_dbt_project(),
    dagster_dbt_translator=TgwhDbtTranslator(),
)
def tgwh_dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource, home: HomeResource):
    """dbt builds into the candidate warehouse, never into the published one."""
    warehouse = home.warehouse
    # Incremental models build on the published warehouse only if the same code built it.
    stamp = published_build(warehouse.published)
    full_refresh = stamp is None or stamp["pipeline_fingerprint"] != pipeline_fingerprint()
    warehouse.start_candidate()
    failpoint("dbt.candidate_started")
    args = ["build", "--full-refresh"] if full_refresh else ["build"]
    context.log.info("dbt: full refresh" if full_refresh else "dbt: incremental build")
    invocation = dbt.cli(args, context=context, raise_on_error=False)
    # dagster-dbt's fetch_row_counts() would open the warehouse through dbt's adapter inside
    # this process and keep it open, locking out the checks that read it next. Outputs are
    # held until dbt exits, then counted over one short-lived connection.
    events = list(invocation.stream())
    failpoint("dbt.built")
    if invocation.is_successful() and set(context.selected_asset_keys) >= set(
        context.assets_def.keys
    ):
        # The whole project was built from these batches: say so in the candidate, which
        # carries it into the published warehouse. A partial build keeps the stamp it was
        # copied with, so the next run still sees the batches as new.
        with duckdb.connect(str(warehouse.candidate)) as connection:
            stamp_build(connection, NormalizedStore(home.home.normalized).batches(), context.run_id)
    yield from with_row_counts(events, warehouse.candidate, invocation.manifest)
    if not invocation.is_successful():
        failed = failed_dbt_nodes(invocation.get_artifact("run_results.json"))
        kept = warehouse.keep_failed_candidate(failed, run_id=context.run_id)
        raise dg.Failure(
            description=f"dbt build failed; the published warehouse is unchanged. "
            f"Candidate and report kept in {kept}",
            metadata={"failed": ", ".join(f.check for f in failed), "kept": str(kept)},
        )


def failed_dbt_nodes(run_results: Mapping[str, Any]) -> list[FailedCheck]:
    return [
        FailedCheck(
            asset=result["unique_id"].split(".")[-1] if "." in result["unique_id"] else "",
            check=result["unique_id"],
            detail=f"{result['status']}: {(result.get('message') or '')[:200]}",
        )
        for result in run_results.get("results", [])
        if result.get("status") in {"error", "fail", "runtime error"}
    ]


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
