"""Great Expectations on the normalized posts, before entities and dbt read them."""

import dagster as dg

from orchestration.asset_keys import NORMALIZED_POSTS
from orchestration.checks.gx_results import check_result
from orchestration.failpoints import failpoint
from orchestration.normalized_store import read_table
from orchestration.resources import HomeResource


@dg.asset_check(
    asset=NORMALIZED_POSTS,
    name="gx_normalized_posts",
    blocking=True,
    description=(
        "Great Expectations suite `normalized_posts`: keys unique and present, times not in "
        "the future, views not negative, text present unless the post has media, codes valid. "
        "A critical failure stops entities, dbt and publishing."
    ),
)
def gx_normalized_posts(home: HomeResource) -> dg.AssetCheckResult:
    from orchestration.validation import build_data_docs, gx_context, validate_normalized_posts

    context = gx_context(home.home.root)
    suite = validate_normalized_posts(read_table(home.home.normalized, "posts"), context=context)
    failpoint("gx.normalized_validated")
    build_data_docs(context)
    return check_result(suite)
