"""Great Expectations on the marts of the candidate warehouse, before it is published."""

import dagster as dg
import polars as pl

from orchestration.asset_keys import MART_KEYS, MART_MODELS, normalized
from orchestration.checks.gx_results import check_result
from orchestration.failpoints import failpoint
from orchestration.normalized_store import NormalizedStore
from orchestration.publishing import FailedCheck
from orchestration.resources import HomeResource

SUITE_TO_KEY = dict(zip(MART_MODELS, MART_KEYS, strict=True))


@dg.multi_asset_check(
    specs=[
        dg.AssetCheckSpec(
            name=f"gx_{model}",
            asset=key,
            blocking=True,
            description=f"Great Expectations suite `{model}` on the candidate warehouse.",
            additional_deps=[normalized("posts")],
        )
        for model, key in SUITE_TO_KEY.items()
    ],
)
def gx_marts(context: dg.AssetCheckExecutionContext, home: HomeResource):
    """One Great Expectations context for all mart suites: importing GX and building a context
    cost seconds, so they are paid once per run, not once per suite."""
    from orchestration.validation import build_data_docs, gx_context, validate_marts

    gx = gx_context(home.home.root)
    # posts seen in several batches count once, as in fct_posts
    posts = NormalizedStore(home.home.normalized).scan("posts")
    post_count = posts.select(pl.col("post_key").n_unique())
    results = validate_marts(
        home.home.candidate_warehouse,
        normalized_post_count=post_count.collect().item(),
        context=gx,
        run_name=context.run.run_id,
    )
    failpoint("gx.marts_validated")
    build_data_docs(gx)
    failpoint("gx.docs_built")
    failed = [
        FailedCheck(
            asset=f"marts/{model}",
            check=f"gx_{model}",
            detail=r.expectation + (f" on {r.column}" if r.column else "") + f": {r.observed}",
        )
        for model, suite in results.items()
        for r in suite.failed()
        if r.critical
    ]
    if failed:  # the candidate will not be published: keep it, with the reasons, to inspect
        kept = home.warehouse.keep_failed_candidate(failed, run_id=context.run.run_id)
        context.log.error(f"candidate warehouse failed its audit; kept in {kept}")
    for model, key in SUITE_TO_KEY.items():
        yield check_result(results[model], asset_key=key, check_name=f"gx_{model}")
