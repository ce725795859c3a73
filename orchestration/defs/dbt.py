"""Normalized Parquet -> dbt staging, intermediate and marts, built into the candidate warehouse.

The facts are incremental models: a run rebuilds the posts its new batches touch. A full
refresh runs when the published warehouse was built by other code (or has no build stamp).
dbt's data tests become Dagster asset checks on the models they test (dagster-dbt does this);
dbt's unit tests are not run here but in the test suite (they test the SQL, not the data).
"""

import subprocess
from collections.abc import Mapping
from typing import Any

import dagster as dg
import duckdb
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, dbt_assets

from orchestration.common.failpoints import failpoint
from orchestration.config import apply_dbt_environment
from orchestration.defs.keys import DBT, OWNERS, normalized, stage_tags
from orchestration.defs.project import tgwh_dbt_project
from orchestration.defs.resources import HomeResource
from orchestration.warehouse.dbt_target import keep_after_invocation
from orchestration.warehouse.versions import FailedCheck

NORMALIZED_SOURCE = "normalized"  # the dbt source over the normalized layer's Parquet
# Interrupted, dbt gets SIGINT and this long to cancel its queries and end; then it is killed
# (dagster-dbt would wait 25 s, while the run holding the home seems stuck).
DBT_STOP_SECONDS = 3
TABLE_NAME = "dagster/table_name"  # the UI's "Storage" line of an asset


class TgwhDbtTranslator(DagsterDbtTranslator):
    """Keys that read like the warehouse: the normalized sources are the Python assets that
    write them, other sources and models are keyed by their relation (``marts/fct_posts``),
    grouped by schema."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            if dbt_resource_props["source_name"] == NORMALIZED_SOURCE:
                return normalized(dbt_resource_props["name"])
            identifier = dbt_resource_props.get("identifier") or dbt_resource_props["name"]
            return dg.AssetKey([dbt_resource_props["schema"], identifier])
        schema = dbt_resource_props.get("config", {}).get("schema") or "main"
        relation = dbt_resource_props.get("alias") or dbt_resource_props["name"]
        return dg.AssetKey([schema, relation])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        return dbt_resource_props.get("config", {}).get("schema") or "dbt"

    def get_description(self, dbt_resource_props: Mapping[str, Any]) -> str:
        """The model's documented description; its SQL is one click away in the dbt docs."""
        return dbt_resource_props.get("description") or dbt_resource_props["name"]

    def get_metadata(self, dbt_resource_props: Mapping[str, Any]) -> Mapping[str, Any]:
        """The table's name as users query it (``marts.fct_posts``): dagster-dbt would prefix
        the database dbt builds into, the candidate file, which users never open."""
        metadata = dict(super().get_metadata(dbt_resource_props))
        relation = (
            dbt_resource_props.get("alias")
            or dbt_resource_props.get("identifier")
            or dbt_resource_props["name"]
        )
        if TABLE_NAME in metadata:
            metadata[TABLE_NAME] = f"{dbt_resource_props['schema']}.{relation}"
        return metadata

    def get_owners(self, dbt_resource_props: Mapping[str, Any]) -> list[str]:
        return list(OWNERS)

    def get_asset_check_spec(self, asset_spec, manifest, unique_id, project):
        """dbt data tests as checks, described by the test's own `description:`."""
        spec = super().get_asset_check_spec(asset_spec, manifest, unique_id, project)
        if spec is None or spec.description:
            return spec
        test = manifest["nodes"].get(unique_id, {})
        return dg.AssetCheckSpec(
            name=spec.name,
            asset=spec.asset_key,
            description=test.get("description") or None,
            additional_deps=spec.additional_deps,
            blocking=spec.blocking,
            metadata=spec.metadata,
        )


class DbtBuildConfig(dg.Config):
    full_refresh: bool = False
    """Rebuild every model from the normalized layer and run every test over every row, as
    after a code change (an incremental build tests the rows of the posts it touched)."""


@dbt_assets(
    manifest=tgwh_dbt_project().manifest_path,
    project=tgwh_dbt_project(),
    dagster_dbt_translator=TgwhDbtTranslator(),
    op_tags=stage_tags(DBT),
)
def tgwh_dbt_models(
    context: dg.AssetExecutionContext,
    dbt: DbtCliResource,
    home: HomeResource,
    config: DbtBuildConfig,
):
    """dbt builds into the candidate warehouse, never into the published one."""
    apply_dbt_environment(home.home)  # the profile and the sources read the home from it
    build = home.warehouse_build(context.run.run_id)
    batches = home.normalized_store.batches()
    plan = build.plan(batches, full_refresh=config.full_refresh)
    build.start(plan)
    failpoint("dbt.candidate_started")
    context.log.info("dbt: full refresh" if plan.full_refresh else "dbt: incremental build")
    invocation = dbt.cli(plan.dbt_arguments, context=context, raise_on_error=False)
    # dagster-dbt forwards an interrupt to dbt as SIGINT and waits this long for it to end
    invocation.termination_timeout_seconds = DBT_STOP_SECONDS
    try:
        # dagster-dbt's fetch_row_counts() would open the warehouse through dbt's adapter
        # inside this process and keep it open, locking out the checks that read it next.
        # Outputs are held until dbt exits, then counted over one short-lived connection.
        events = list(invocation.stream())
    finally:
        _stop(invocation.process)
        try:
            keep_after_invocation(home.home.dbt_target, invocation.target_path)
        except OSError as error:  # only the next build's speed depends on it
            context.log.warning(f"dbt's parse was not kept for the next build: {error}")
    failpoint("dbt.built")
    if invocation.is_successful() and set(context.selected_asset_keys) >= set(
        context.assets_def.keys
    ):
        # The whole project was built from these batches: say so in the candidate, which
        # carries it into the published warehouse. A partial build keeps the stamp it was
        # copied with, so the next run still sees the batches as new.
        build.stamp(batches)
    yield from with_row_counts(events, build.candidate, invocation.manifest)
    if not invocation.is_successful():
        failed = failed_dbt_nodes(invocation.get_artifact("run_results.json"))
        kept = build.quarantine(failed)
        raise dg.Failure(
            description=f"dbt build failed; the published warehouse is unchanged. "
            f"Candidate and report kept in {kept}",
            metadata={"failed": ", ".join(f.check for f in failed), "kept": str(kept)},
        )


def _stop(process: subprocess.Popen) -> None:
    """However this step ends (an interrupt, dbt slow to obey it, an error), no dbt is left
    writing the candidate after it: a run that stopped releases the home to the next one."""
    if process.poll() is None:
        process.kill()
        process.wait()


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
    """Each built model's column types (as DuckDB built them), the table's name as users query
    it (marts.fct_posts, not the candidate file's catalog) and, for tables, its row count.

    A view has no count: counting it runs it over the whole history (the staging and
    intermediate views over the normalized Parquet: ~7 s a run at a million posts)."""
    outputs = [e for e in events if isinstance(e, dg.Output) and "unique_id" in e.metadata]
    extra = {}
    if outputs and warehouse.exists():
        with duckdb.connect(str(warehouse), read_only=True) as connection:
            types: dict[tuple[str, str], list[tuple[str, str]]] = {}
            for schema, table, column, data_type in connection.execute(
                "select table_schema, table_name, column_name, data_type "
                "from information_schema.columns order by ordinal_position"
            ).fetchall():
                types.setdefault((schema, table), []).append((column, data_type))
            for event in outputs:
                node = manifest["nodes"][event.metadata["unique_id"].value]
                schema, name = node["schema"], node["alias"]
                documented = node.get("columns", {})
                counted = {}
                if node.get("config", {}).get("materialized") != "view":
                    rows = connection.execute(f'select count(*) from "{schema}"."{name}"')
                    counted["dagster/row_count"] = rows.fetchone()[0]
                extra[id(event)] = {
                    **counted,
                    TABLE_NAME: f"{schema}.{name}",
                    "dagster/column_schema": dg.TableSchema(
                        columns=[
                            dg.TableColumn(
                                column,
                                data_type,
                                description=documented.get(column, {}).get("description"),
                            )
                            for column, data_type in types.get((schema, name), [])
                        ]
                    ),
                }
    for event in events:
        if id(event) in extra:
            yield event.with_metadata({**event.metadata, **extra[id(event)]})
        else:
            yield event


def warehouse_model_keys() -> list[dg.AssetKey]:
    """The relations users query (marts and audit): what publishing waits for."""
    return [key for key in tgwh_dbt_models.keys if key.path[0] in ("marts", "audit")]
