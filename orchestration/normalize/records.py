"""Raw records -> normalized records: one typed row per post, with its clean text and fields.

Everything here is columnar Polars, with no per-row Python. On this kind of data a regex pass
costs about half a second per million posts whatever it finds, so the code keeps the number of
full passes small: expensive patterns run only on the rows a cheap test selects (a literal or a
pattern the regex engine can prefilter), and slices of the posts run in threads, since one
Polars string expression keeps one core busy. orchestration/bench/normalize.py measures
the throughput.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import polars as pl

from orchestration.normalize.columns import STRINGS
from orchestration.normalize.dates import event_dates
from orchestration.normalize.language import languages
from orchestration.normalize.text import clean_text, entity_table
from orchestration.normalize.tokens import hashtags, links, mentions
from orchestration.schemas import (
    NORMALIZED_HEADER_SCHEMA,
    NORMALIZED_POST_SCHEMA,
    POST_VIEW_SCHEMA,
    RAW_HEADER_SCHEMA,
    RAW_POST_SCHEMA,
    RAW_SERVICE_SCHEMA,
    UTC_TIME,
    conform,
)

log = logging.getLogger(__name__)

_RAW_POST_INPUT = {**RAW_POST_SCHEMA, "ingested_at": UTC_TIME}
_ORDER = "__row"


def _collect(frame: pl.LazyFrame | pl.DataFrame) -> pl.DataFrame:
    return frame.collect() if isinstance(frame, pl.LazyFrame) else frame


def channel_expr(channel: pl.Expr) -> pl.Expr:
    """Lower-case username without a leading '@' (usernames are case-insensitive)."""
    return channel.str.strip_chars().str.strip_prefix("@").str.to_lowercase()


def post_key_expr() -> pl.Expr:
    """ "<channel>/<message_id>", or "<channel>/c<content_key>" for sources without ids."""
    channel = pl.col("channel")
    return (
        pl.when(pl.col("message_id").is_not_null())
        .then(pl.concat_str(channel, pl.lit("/"), pl.col("message_id").cast(pl.String)))
        .otherwise(pl.concat_str(channel, pl.lit("/c"), pl.col("content_key")))
    )


def _latest_observation(column: str) -> pl.Expr:
    """The newest non-null value by ingest time (ties: the larger, then the later row)."""
    return (
        pl.col(column)
        .sort_by(["ingested_at", column, _ORDER], nulls_last=False)
        .drop_nulls()
        .last()
    )


# counters that move on after a post is published: each from the latest landing that showed it
_COUNTERS = ("views", "reactions_total", "forwards", "replies", "reactions")


def deduplicate_posts(posts: pl.DataFrame) -> pl.DataFrame:
    """One row per post_key, by the rule in normalize_posts. Needs post_key and __row."""
    duplicated = posts["post_key"].is_duplicated()
    if not duplicated.any():
        return posts
    copies = posts.filter(duplicated)
    winners = copies.sort(
        ["post_key", "edited_at", "ingested_at", "views", _ORDER], nulls_last=False
    ).unique("post_key", keep="last", maintain_order=True)
    counters = copies.group_by("post_key").agg(
        *(_latest_observation(name) for name in _COUNTERS if name != "reactions"),
        # a list sorts by nothing useful: the latest landing, then the later row
        pl.col("reactions").sort_by(["ingested_at", _ORDER], nulls_last=False).drop_nulls().last(),
    )
    winners = winners.drop(*_COUNTERS).join(counters, on="post_key", how="left")
    return pl.concat([posts.filter(~duplicated), winners], how="diagonal").sort(_ORDER)


_ROWS_PER_THREAD_MIN = 50_000


def _by_chunks_in_threads(
    frame: pl.DataFrame, compute: Callable[[pl.DataFrame], pl.DataFrame]
) -> pl.DataFrame:
    """``compute`` on consecutive slices of ``frame`` in threads, results concatenated.

    The work is row by row, and one Polars string expression runs on one core; Polars releases
    the GIL, so threads over slices use all the cores.
    """
    workers = min(pl.thread_pool_size(), frame.height // _ROWS_PER_THREAD_MIN)
    if workers < 2:
        return compute(frame)
    size = -(-frame.height // workers)
    chunks = [frame.slice(offset, size) for offset in range(0, frame.height, size)]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return pl.concat(list(pool.map(compute, chunks)))


def _derived_columns(posts: pl.DataFrame, entities: dict[str, str]) -> pl.DataFrame:
    """Clean texts and what is extracted from them, one row per row of ``posts``."""
    text = clean_text(posts["text"], entities)
    return pl.DataFrame(
        [
            text,
            clean_text(posts["reply_to_text"], entities),
            clean_text(posts["poll_question"], entities),
            event_dates(text),
            languages(text),
            hashtags(text),
            mentions(text),
            links(text, posts["links"]),
        ]
    )


def normalize_posts(raw_posts: pl.LazyFrame | pl.DataFrame) -> pl.DataFrame:
    """Raw post records (any number of batches) -> NORMALIZED_POST_SCHEMA, one row per post.

    Duplicates (the same post from several files or re-ingested batches) are resolved per
    post_key: the row with the newest edit wins (order by edited_at, nulls first, then
    ingested_at, then views, and keep the last). Counters change over time, so ``views``,
    ``reactions_total``, ``forwards``, ``replies`` and ``reactions`` come from the latest
    observation instead: the newest ingested_at among the copies that carry a value (a text copy
    without views never erases a known count).
    Rows without a usable key (no channel, or neither message_id nor content_key) are dropped
    with a warning naming their files: the parsers promise one of the two keys.
    Rows keep the order of their first appearance in the input.
    """
    raw = conform(_collect(raw_posts), _RAW_POST_INPUT)
    if raw.is_empty():
        return conform(raw, NORMALIZED_POST_SCHEMA)
    keyed = raw.with_columns(channel_expr(pl.col("channel"))).with_columns(post_key=post_key_expr())
    keyless = keyed.filter(pl.col("post_key").is_null())
    if not keyless.is_empty():
        files = sorted(keyless["source_file"].drop_nulls().unique().to_list())
        log.warning("dropped %d posts without channel or key, from %s", keyless.height, files)
        keyed = keyed.filter(pl.col("post_key").is_not_null())
    posts = deduplicate_posts(keyed.with_row_index(_ORDER))

    entities = entity_table(posts["text"], posts["reply_to_text"], posts["poll_question"])
    derived = _by_chunks_in_threads(posts, lambda chunk: _derived_columns(chunk, entities))
    media_kinds = pl.col("media_kinds").fill_null(pl.lit([], dtype=STRINGS))
    media_total = media_kinds.list.len().cast(pl.Int64)
    posts = posts.with_columns(
        *derived.get_columns(),
        pl.col("author").str.strip_chars(),
        media_kinds=media_kinds,
        media_kind=media_kinds.list.first(),
        media_count=pl.when(media_total == 0)
        .then(pl.col("media_count").fill_null(0))
        .otherwise(pl.max_horizontal(pl.col("media_count"), media_total)),
        is_edited=pl.col("is_edited").fill_null(False) | pl.col("edited_at").is_not_null(),
    )
    return conform(posts, NORMALIZED_POST_SCHEMA)


# --- headers and service messages --------------------------------------------------------------


def normalize_headers(raw_headers: pl.LazyFrame | pl.DataFrame) -> pl.DataFrame:
    """Channel header snapshots: lower-case channel, clean title/description, exact dups out.

    Snapshots are history (subscribers over time), so only identical rows collapse.
    """
    headers = conform(_collect(raw_headers), RAW_HEADER_SCHEMA)
    if headers.is_empty():
        return conform(headers, NORMALIZED_HEADER_SCHEMA)
    entities = entity_table(headers["title"], headers["description"])
    headers = headers.with_columns(
        channel_expr(pl.col("channel")),
        clean_text(headers["title"], entities),
        clean_text(headers["description"], entities),
    )
    return conform(headers, NORMALIZED_HEADER_SCHEMA).unique(maintain_order=True)


def normalize_service(raw_service: pl.LazyFrame | pl.DataFrame) -> pl.DataFrame:
    """Service messages (RAW_SERVICE_SCHEMA): lower-case channel, one row per (channel, id).

    Of several copies of one message the latest ingested wins; messages without an id are only
    collapsed when identical.
    """
    service = conform(_collect(raw_service), {**RAW_SERVICE_SCHEMA, "ingested_at": UTC_TIME})
    if service.is_empty():
        return conform(service, RAW_SERVICE_SCHEMA)
    service = service.with_columns(
        channel_expr(pl.col("channel")), clean_text(service["text"])
    ).with_row_index(_ORDER)
    with_id = (
        service.filter(pl.col("message_id").is_not_null())
        .sort(["ingested_at", _ORDER], nulls_last=False)
        .unique(["channel", "message_id"], keep="last")
    )
    without_id = service.filter(pl.col("message_id").is_null()).unique(
        list(RAW_SERVICE_SCHEMA), keep="first"
    )
    return conform(
        pl.concat([with_id, without_id], how="diagonal").sort(_ORDER), RAW_SERVICE_SCHEMA
    )


def post_view_observations(raw_posts: pl.LazyFrame | pl.DataFrame) -> pl.DataFrame:
    """One row per (post, landing) that showed a view count (POST_VIEW_SCHEMA).

    Deduplication keeps only the latest count in the posts table; the history stays here.
    """
    frame = raw_posts.lazy() if isinstance(raw_posts, pl.DataFrame) else raw_posts
    if "ingested_at" not in frame.collect_schema():
        frame = frame.with_columns(pl.lit(None, dtype=UTC_TIME).alias("ingested_at"))
    observations = (
        frame.filter(pl.col("views").is_not_null() & pl.col("message_id").is_not_null())
        .with_columns(channel_expr(pl.col("channel")))
        .select(
            post_key_expr().alias("post_key"),
            "channel",
            "message_id",
            pl.col("ingested_at").alias("observed_at"),
            "views",
            "source_format",
        )
        .unique(["post_key", "observed_at"], keep="last", maintain_order=True)
        .sort("post_key", "observed_at")
    )
    return conform(observations.collect(), POST_VIEW_SCHEMA)
