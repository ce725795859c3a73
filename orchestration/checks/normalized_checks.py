"""Great Expectations on the posts not published yet, before entities and dbt read them.

Batches already in the published warehouse passed this suite when they were built (with this
code: a code change validates everything again), so the cost follows the new data.
"""

import dagster as dg

from orchestration.asset_keys import NORMALIZED_POSTS
from orchestration.build_state import unpublished_batches
from orchestration.checks.gx_results import check_result
from orchestration.failpoints import failpoint
from orchestration.normalized_store import NormalizedStore
from orchestration.resources import HomeResource


@dg.asset_check(
    asset=NORMALIZED_POSTS,
    name="gx_normalized_posts",
    blocking=True,
    description=(
        "Great Expectations suite `normalized_posts` on the batches not yet published: keys "
        "unique and present, times not in the future, views not negative, text present unless "
        "the post has media, codes valid. A critical failure stops entities, dbt and publishing."
    ),
)
def gx_normalized_posts(home: HomeResource) -> dg.AssetCheckResult:
    from orchestration.validation import build_data_docs, gx_context, validate_normalized_posts

    store = NormalizedStore(home.home.normalized)
    pending = unpublished_batches(home.warehouse.published, store.batches())
    added = store.scan("posts", pending).collect()
    context = gx_context(home.home.root)
    suite = validate_normalized_posts(added, context=context)
    failpoint("gx.normalized_validated")
    build_data_docs(context)
    return check_result(suite)
