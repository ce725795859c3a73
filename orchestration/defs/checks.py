"""Great Expectations suites as blocking Dagster asset checks, and the coverage warning.

The normalized posts are checked before entities and dbt read them; the warehouse suites run
on the candidate warehouse after dbt's own tests, before anything is published. A critical
failure blocks what depends on the checked asset; the others are warnings.
"""

import dagster as dg
import polars as pl

from orchestration.common.failpoints import failpoint
from orchestration.defs.keys import NORMALIZED_POSTS, VALIDATION, normalized, stage_tags
from orchestration.defs.metadata import docs_links
from orchestration.defs.resources import HomeResource
from orchestration.normalize.quarantine import Quarantine, QuarantineReport
from orchestration.validate.results import SuiteResult
from orchestration.validate.run_checks import NormalizedCheck
from orchestration.validate.suites import warehouse_suites
from orchestration.validate.worker import run_validation
from orchestration.warehouse.coverage import channel_completeness
from orchestration.warehouse.versions import FailedCheck

RESULTS_SCHEMA = dg.TableSchema(
    columns=[
        dg.TableColumn("result", "string"),
        dg.TableColumn("expectation", "string"),
        dg.TableColumn("column", "string"),
        dg.TableColumn("critical", "bool", description="a failure blocks what depends on it"),
        dg.TableColumn("failing rows", "int", description="-1 where it does not apply"),
        dg.TableColumn("observed", "string"),
        dg.TableColumn("why", "string"),
    ]
)


def check_result(
    suite: SuiteResult, blocking: bool | None = None, extra: dict | None = None, **key
) -> dg.AssetCheckResult:
    """Errors block what depends on the checked asset; warnings are reported and let it build.
    By default a critical failure is an error; ``blocking`` says otherwise (a batch was set
    aside and the others can build)."""
    failed = suite.failed()
    blocks = not suite.critical_success if blocking is None else blocking
    return dg.AssetCheckResult(
        passed=suite.success,
        severity=dg.AssetCheckSeverity.ERROR if blocks else dg.AssetCheckSeverity.WARN,
        metadata={
            **(extra or {}),
            "expectations": len(suite.results),
            "failed": len(failed),
            "failed_critical": sum(r.critical for r in failed),
            # one line per failed expectation, for the command line's summary
            "failed_expectations": dg.MetadataValue.json(
                [
                    f"{'critical' if r.critical else 'warning'}: {r.expectation}"
                    + (f" on {r.column}" if r.column else "")
                    + f": {r.observed}"
                    for r in failed
                ]
            ),
            "results": dg.MetadataValue.table(
                records=[
                    dg.TableRecord(
                        {
                            "result": "passed" if r.success else "FAILED",
                            "expectation": r.expectation.removeprefix("expect_"),
                            "column": r.column or "",
                            "critical": r.critical,
                            "failing rows": r.failing_rows if r.failing_rows is not None else -1,
                            "observed": str(r.observed)[:200],
                            "why": r.why,
                        }
                    )
                    for r in sorted(suite.results, key=lambda r: (r.success, not r.critical))
                ],
                schema=RESULTS_SCHEMA,
            ),
        },
        **key,
    )


@dg.asset_check(
    asset=NORMALIZED_POSTS,
    name="gx_normalized_posts",
    blocking=True,
    op_tags=stage_tags(VALIDATION),
    description=(
        "Great Expectations suite `normalized_posts` on the batches not yet published: keys "
        "unique and present, channels well formed, text present unless the post has media, "
        "codes valid. A batch whose rows fail a critical expectation is set aside (tgwh "
        "batches) and the others build; the check blocks only when nothing is left to build."
    ),
)
def gx_normalized_posts(
    context: dg.AssetCheckExecutionContext, home: HomeResource
) -> dg.AssetCheckResult:
    """Batches already published passed this suite when they were built (with this code: a
    code change validates everything again), so the cost follows the new data. The suite runs
    in the validation worker, which imported GX while the run landed and normalized."""
    store = home.normalized_store
    pending = home.warehouse_build(context.run.run_id).plan(store.batches()).unpublished_batches
    checked: NormalizedCheck = run_validation(
        "check_new_batches", home.home, pending, context.run.run_id, warn=context.log.warning
    )
    failpoint("gx.normalized_validated")
    suite, failing = checked.suite, checked.failing
    quarantine = Quarantine(store.layout)
    released = quarantine.released()
    set_aside = {batch: reasons for batch, reasons in failing.items() if batch not in released}
    files = store.scan("ingested_files", list(set_aside)).collect()
    for batch, reasons in set_aside.items():
        sources = files.filter(pl.col("batch_id") == batch)["source_file"].to_list()
        quarantine.set_aside(QuarantineReport(batch, sources, reasons, context.run.run_id))
        shown = sources[0] + (f" and {len(sources) - 1} more" if len(sources) > 1 else "")
        context.log.warning(f"batch {batch[:12]} ({shown}) set aside: see tgwh batches")
    explained = set(set_aside) | (set(failing) & released)
    unexplained = not suite.critical_success and not explained
    nothing_left = bool(set_aside) and not set(pending) - set(set_aside)
    return check_result(
        suite,
        blocking=unexplained or nothing_left,
        extra={
            "data_docs": docs_links(home.home)["data_docs"],
            "batches_checked": len(pending),
            "batches_set_aside": len(set_aside),
            "set_aside": dg.MetadataValue.md(
                "\n".join(
                    f"- `{batch[:12]}` {', '.join(r['expectation'] for r in reasons)}: "
                    f"{store.layout.quarantined(batch).report_md}"
                    for batch, reasons in set_aside.items()
                )
                or "none"
            ),
        },
    )


def _relation_key(relation: str) -> dg.AssetKey:
    return dg.AssetKey(relation.split("."))


WAREHOUSE_SUITES = warehouse_suites()  # suite -> the relation it validates


@dg.multi_asset_check(
    specs=[
        dg.AssetCheckSpec(
            name=f"gx_{suite}",
            asset=_relation_key(relation),
            blocking=True,
            description=f"Great Expectations suite `{suite}` on the candidate warehouse.",
            additional_deps=[normalized("posts")],
        )
        for suite, relation in WAREHOUSE_SUITES.items()
    ],
    op_tags=stage_tags(VALIDATION),
)
def gx_warehouse(context: dg.AssetCheckExecutionContext, home: HomeResource):
    """All warehouse suites in one call to the validation worker, whose Great Expectations
    context the posts suite opened (validate/worker.py)."""
    build = home.warehouse_build(context.run.run_id)
    results = run_validation(
        "check_candidate",
        home.home,
        build.candidate,
        context.run.run_id,
        warn=context.log.warning,
    )
    failpoint("gx.docs_built")  # validated and rendered: nothing of the warehouse moved yet
    failed = [
        FailedCheck(
            asset=WAREHOUSE_SUITES[suite].replace(".", "/"),
            check=f"gx_{suite}",
            detail=r.expectation + (f" on {r.column}" if r.column else "") + f": {r.observed}",
        )
        for suite, result in results.items()
        for r in result.failed()
        if r.critical
    ]
    if failed:  # the candidate will not be published: keep it, with the reasons, to inspect
        kept = build.quarantine(failed)
        context.log.error(f"candidate warehouse failed its audit; kept in {kept}")
    for suite, relation in WAREHOUSE_SUITES.items():
        yield check_result(
            results[suite],
            extra={"data_docs": docs_links(home.home)["data_docs"]},
            asset_key=_relation_key(relation),
            check_name=f"gx_{suite}",
        )


COVERAGE = dg.AssetKey(["audit", "coverage"])


@dg.asset_check(
    asset=COVERAGE,
    name="coverage_gaps_in_scraped_ranges",
    blocking=False,
    op_tags=stage_tags(VALIDATION),
    description=(
        "Warns when message ids are missing inside a range a scraped page showed whole: posts "
        "deleted before the page was read (or never collected). A warning, never blocking: "
        "channels delete posts; audit.coverage says which months, fct_post_deletions which "
        "posts were seen before."
    ),
)
def coverage_gaps_in_scraped_ranges(
    context: dg.AssetCheckExecutionContext, home: HomeResource
) -> dg.AssetCheckResult:
    """Reads this run's build: the candidate, or the published file once it has replaced it
    (a warning does not hold the publish back, so either may come first)."""
    build = home.warehouse_build(context.run.run_id)
    warehouse = build.candidate if build.candidate.exists() else build.published
    channels = channel_completeness(warehouse)
    gaps = channels.filter(pl.col("ids_missing_in_scraped_ranges") > 0)
    lines = [
        f"warning: {row['channel']}: {row['ids_missing_in_scraped_ranges']:,} ids missing "
        f"inside scraped ranges (months {', '.join(row['months_with_scraped_gaps'])})"
        for row in gaps.iter_rows(named=True)
    ]
    return dg.AssetCheckResult(
        passed=gaps.is_empty(),
        severity=dg.AssetCheckSeverity.WARN,
        description="; ".join(lines) or "no id is missing inside a scraped range",
        metadata={
            "channels_with_gaps": gaps.height,
            "ids_missing": int(gaps["ids_missing_in_scraped_ranges"].sum() or 0),
            "failed_expectations": dg.MetadataValue.json(lines),  # the summary's lines
            "channels": dg.MetadataValue.table(
                records=[
                    dg.TableRecord(
                        {
                            "channel": row["channel"],
                            "ids seen": row["ids_seen"],
                            "never seen": row["ids_never_seen"],
                            "missing in scraped ranges": row["ids_missing_in_scraped_ranges"],
                        }
                    )
                    for row in channels.iter_rows(named=True)
                ],
                schema=dg.TableSchema(
                    columns=[
                        dg.TableColumn("channel", "string"),
                        dg.TableColumn("ids seen", "int"),
                        dg.TableColumn("never seen", "int"),
                        dg.TableColumn("missing in scraped ranges", "int"),
                    ]
                ),
            ),
        },
    )
