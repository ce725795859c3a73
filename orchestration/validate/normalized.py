"""The normalized_posts suite on the posts of the batches not published yet."""

from __future__ import annotations

import datetime as dt
from typing import TypeVar

import polars as pl

from orchestration.config import Home
from orchestration.schemas import SOURCE_FORMATS
from orchestration.validate.context import gx_context, run_suite
from orchestration.validate.inputs import DEFAULT_CLOCK_SKEW, arrow_to_pandas, max_published_at
from orchestration.validate.results import SuiteResult
from orchestration.validate.suites import NORMALIZED_SUITE, load_suite_spec

# Helper column: GX has no "text non-blank OR media_count > 0" expectation, and a row_condition
# would need two expectations (null text, blank text) plus null handling of media_count. One
# boolean computed in Polars expresses the rule exactly, also for whitespace-only text.
TEXT_OR_MEDIA_COLUMN = "text_or_media_ok"
FrameT = TypeVar("FrameT", pl.DataFrame, pl.LazyFrame)
# Columns that name a failing row: its post and the batch (source file) it came from.
ROW_IDENTIFIERS = ("post_key", "batch_id")


def language_codes() -> list[str]:
    """ISO 639-1 codes plus "und" (undetermined), the values NORMALIZED_POST_SCHEMA allows."""
    import pycountry

    codes = {language.alpha_2 for language in pycountry.languages if hasattr(language, "alpha_2")}
    return sorted(codes | {"und"})


def add_text_or_media_ok(posts: FrameT) -> FrameT:
    """Add the helper column: text is non-blank, or the post carries media."""
    has_text = pl.col("text").str.strip_chars().str.len_chars().fill_null(0) > 0
    has_media = pl.col("media_count").fill_null(0) > 0
    return posts.with_columns((has_text | has_media).alias(TEXT_OR_MEDIA_COLUMN))


def suite_frame(posts: pl.LazyFrame) -> pl.DataFrame:
    """The posts as the suite reads them: its columns and the row identifiers only, the helper
    column computed before the texts are dropped. Collected from a scan, the texts (most of a
    post's bytes) are never held: at 10M posts the whole frame took 14 GB in the worker."""
    spec = load_suite_spec(NORMALIZED_SUITE)
    available = posts.collect_schema().names()
    if {"text", "media_count"} <= set(available):
        posts = add_text_or_media_ok(posts)
        available.append(TEXT_OR_MEDIA_COLUMN)
    wanted = dict.fromkeys([*ROW_IDENTIFIERS, *spec.referenced_columns()])
    return posts.select([name for name in wanted if name in available]).collect()


def validate_normalized_posts(
    posts: pl.DataFrame | pl.LazyFrame,
    context=None,
    *,
    now: dt.datetime | None = None,
    clock_skew: dt.timedelta = DEFAULT_CLOCK_SKEW,
    run_name: str | None = None,
) -> SuiteResult:
    """Validate the normalized posts frame (NORMALIZED_POST_SCHEMA) with the normalized_posts suite.

    Only the columns the suite references go to pandas (suite_frame; list columns would cost
    seconds per million rows and are not checked). A missing column fails its expectations,
    naming it.
    """
    context = context if context is not None else gx_context(Home.from_env())
    spec = load_suite_spec(NORMALIZED_SUITE)
    posts = suite_frame(posts.lazy())
    identifiers = [name for name in ROW_IDENTIFIERS if name in posts.columns]
    frame = arrow_to_pandas(posts.to_arrow())
    parameters = {
        "max_published_at": max_published_at(now, clock_skew),
        "source_formats": list(SOURCE_FORMATS),
        "language_codes": language_codes(),
    }
    return run_suite(context, spec, frame, parameters, run_name, identifiers or None)


# A batch with fewer posts than this is not judged alone on a "mostly" rule (two empty posts
# of a 20-post page are 10%): its failing rows count with the other batches'.
MOSTLY_MINIMUM_ROWS = 50
EXAMPLES_PER_REASON = 5


def batches_failing(suite: SuiteResult, posts: pl.DataFrame) -> dict[str, list[dict]]:
    """batch_id -> the critical expectations its rows failed (with counts and examples).

    Row-level expectations implicate the batches of their failing rows. An expectation that
    allows a share of failures ("mostly") implicates a batch whose own share is too high,
    judged alone when it has MOSTLY_MINIMUM_ROWS posts or more; when the suite failed it but no
    batch is implicated alone, every batch with failing rows is.
    """
    rows_per_batch = dict(posts.group_by("batch_id").len().iter_rows())
    failing: dict[str, list[dict]] = {}
    for result in suite.failed():
        if not result.critical:
            continue
        by_batch: dict[str, list[dict]] = {}
        for row in result.unexpected:
            by_batch.setdefault(row.get("batch_id"), []).append(row)
        if result.mostly is not None:
            alone = {
                batch: failed
                for batch, failed in by_batch.items()
                if rows_per_batch.get(batch, 0) >= MOSTLY_MINIMUM_ROWS
                and len(failed) / rows_per_batch[batch] > 1 - result.mostly
            }
            by_batch = alone or by_batch
        for batch, failed in by_batch.items():
            failing.setdefault(batch, []).append(
                {
                    "expectation": result.expectation,
                    "column": result.column,
                    "failing_rows": len(failed),
                    "rows": rows_per_batch.get(batch, 0),
                    "why": result.why,
                    "examples": [
                        {"post_key": row.get("post_key"), "value": _shown(result.column, row)}
                        for row in failed[:EXAMPLES_PER_REASON]
                    ],
                }
            )
    return failing


def _shown(column: str | None, row: dict) -> str:
    if column == TEXT_OR_MEDIA_COLUMN:
        return "no text and no media"
    return str(row.get(column or "", ""))[:120]
