"""The audited candidate warehouse -> the published warehouse users query."""

import dagster as dg

from orchestration.defs.dbt import warehouse_model_keys
from orchestration.defs.freshness import WAREHOUSE_FRESHNESS
from orchestration.defs.keys import OWNERS, PUBLISH, PUBLISHED_WAREHOUSE, stage_tags
from orchestration.defs.metadata import docs_links
from orchestration.defs.report import build_check_counts
from orchestration.defs.resources import HomeResource
from orchestration.report.data import published_figures


@dg.asset(
    key=PUBLISHED_WAREHOUSE,
    deps=warehouse_model_keys(),
    group_name="publish",
    kinds={"duckdb"},
    owners=list(OWNERS),
    op_tags=stage_tags(PUBLISH),
    freshness_policy=WAREHOUSE_FRESHNESS,
    description=(
        "The warehouse users query (`tgwh query`, duckdb, notebooks). The candidate built by "
        "dbt replaces it by an atomic rename, and only when every blocking check on the marts "
        "passed; readers never see a half-built warehouse. `tgwh docs` documents it (dbt docs and "
        "Data Docs, linked in its metadata)."
    ),
)
def published_warehouse(context: dg.AssetExecutionContext, home: HomeResource):
    build = home.warehouse_build(context.run.run_id)
    try:
        published = build.publish()
    except FileNotFoundError as error:
        raise dg.Failure(description=str(error)) from None
    context.log.info(f"published {build.published} (version {published.version.name})")
    return dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(str(build.published)),
            "version": published.version.name,
            "versions_kept": build.versions_kept(),
            **{f"rows/{name}": rows for name, rows in published.row_counts.items()},
            **figures(context, build.published),
            **docs_links(home.home),
        }
    )


def figures(context: dg.AssetExecutionContext, warehouse) -> dict:
    """Numbers the UI plots over materializations (the asset's Plots tab): what the warehouse
    holds, and how many of the checks that audited this build passed. The file is already
    published here, so a failure to count is a warning, not a failed publish."""
    try:
        checks = build_check_counts(context.instance, context.run)
        return published_figures(warehouse).as_metadata() | {
            "checks_evaluated": checks.evaluated,
            "checks_passed": checks.passed,
            "checks_passed_share": dg.MetadataValue.float(round(checks.passed_share, 4)),
        }
    except Exception as error:  # noqa: BLE001
        context.log.warning(f"the published warehouse's figures were not counted: {error}")
        return {}
