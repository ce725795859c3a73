"""What a run's two validation steps do, as plain functions of the home: the posts of the new
batches, and the candidate warehouse. Each validates, renders the Data Docs and returns plain
results; they run in the validation worker (worker.py) or, if it is gone, in the caller."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polars as pl

from orchestration.config import Home
from orchestration.normalize.store import NormalizedStore
from orchestration.validate.results import SuiteResult


@dataclass
class NormalizedCheck:
    suite: SuiteResult
    # batch_id -> the critical expectations its rows failed (normalized.batches_failing)
    failing: dict[str, list[dict]]


def check_new_batches(home: Home, batch_ids: list[str], run_name: str) -> NormalizedCheck:
    """The normalized_posts suite on the posts of ``batch_ids`` (the batches not published)."""
    from orchestration.validate.context import build_data_docs, gx_context
    from orchestration.validate.normalized import (
        batches_failing,
        suite_frame,
        validate_normalized_posts,
    )

    posts = suite_frame(NormalizedStore(home.normalized).scan("posts", batch_ids))
    context = gx_context(home)
    suite = validate_normalized_posts(posts, context=context, run_name=run_name)
    build_data_docs(context)
    failing = batches_failing(suite, posts) if not suite.critical_success else {}
    return NormalizedCheck(suite, failing)


def check_candidate(home: Home, candidate: Path, run_name: str) -> dict[str, SuiteResult]:
    """Every warehouse suite on the candidate warehouse, by suite name."""
    from orchestration.validate.context import build_data_docs, gx_context
    from orchestration.validate.marts import validate_marts

    context = gx_context(home)
    # posts seen in several batches count once, as in fct_posts
    posts = NormalizedStore(home.normalized).scan("posts").select(pl.col("post_key").n_unique())
    results = validate_marts(
        candidate,
        normalized_post_count=posts.collect().item(),
        context=context,
        run_name=run_name,
    )
    build_data_docs(context)
    return results


def open_context(home: Home) -> None:
    """Import Great Expectations and open the home's context (the worker's warm-up)."""
    from orchestration.validate.context import gx_context

    gx_context(home)
