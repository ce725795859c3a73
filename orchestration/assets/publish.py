"""The audited candidate warehouse -> the published warehouse users query."""

import dagster as dg
import duckdb

from orchestration.asset_keys import MART_KEYS, PUBLISHED_WAREHOUSE
from orchestration.failpoints import failpoint
from orchestration.resources import HomeResource


@dg.asset(
    key=PUBLISHED_WAREHOUSE,
    deps=list(MART_KEYS),
    group_name="publish",
    kinds={"duckdb"},
    description=(
        "The warehouse users query (`tgwh query`, duckdb, notebooks). The candidate built by "
        "dbt replaces it by an atomic rename, and only when every blocking check on the marts "
        "passed; readers never see a half-built warehouse."
    ),
)
def published_warehouse(context: dg.AssetExecutionContext, home: HomeResource):
    warehouse = home.warehouse
    if not warehouse.candidate.exists():  # connecting would create an empty one, and publish it
        raise dg.Failure(
            description="No candidate warehouse to publish: build the dbt models in this run."
        )
    with duckdb.connect(str(warehouse.candidate)) as connection:
        tables = connection.execute(
            "select schema_name || '.' || table_name from duckdb_tables() "
            "where schema_name in ('marts', 'audit') order by 1"
        ).fetchall()
        counts = {
            name: connection.execute(f"select count(*) from {name}").fetchall()[0][0]
            for (name,) in tables
        }
        connection.execute("checkpoint")  # everything in the file, nothing left in a WAL
    failpoint("publish.checkpointed")
    version = warehouse.publish(run_id=context.run_id)
    context.log.info(f"published {warehouse.published} (version {version.name})")
    return dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(str(warehouse.published)),
            "version": version.name,
            "versions_kept": len(warehouse.versions()),
            **{f"rows/{name}": rows for name, rows in counts.items()},
        }
    )
