"""Record-level rules: a post that cannot be true is set aside with its reason, not landed.

One impossible record (a post dated after its file was collected, a negative view count) must
not block the warehouse, and must not be lost either: it goes to the batch's rejects (shown in
``audit.rejects`` with its rule), and the rest of its file lands. Batch-level problems (a
parser that lost every text, a file whose channel is malformed) are the checks' business.

The reference time of "the future" is the file's landing time (each page's own, in a batch of
several pages), not the clock of the run that normalizes it, so that a partition stays a pure
function of its batch.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import polars as pl

# Timestamps come from other clocks (Telegram, the exporter's machine): allow a little drift.
CLOCK_SKEW = timedelta(minutes=15)

REJECT_COLUMNS = {"rule": pl.String, "post_key": pl.String}


def _negative_counts() -> tuple[str, pl.Expr, pl.Expr]:
    """Forwards, replies or a reaction's count below zero (counts only API collectors give)."""
    forwards, replies = pl.col("forwards"), pl.col("replies")
    reaction = pl.col("reactions").list.eval(pl.element().struct.field("count") < 0).list.any()
    return (
        "negative_counts",
        (forwards < 0) | (replies < 0) | reaction,
        pl.concat_str(
            pl.when(forwards < 0).then(pl.format("forward count {} is negative", forwards)),
            pl.when(replies < 0).then(pl.format("reply count {} is negative", replies)),
            pl.when(reaction).then(pl.lit("a reaction count is negative")),
            separator="; ",
            ignore_nulls=True,
        ),
    )


_SHOWN_TIME = "%Y-%m-%d %H:%M:%S UTC"


def _rules(
    landed_at: datetime | pl.Expr | None, columns: list[str]
) -> list[tuple[str, pl.Expr, pl.Expr]]:
    """(rule, violated, reason) in the order they are tried; the first violated one is kept.
    ``landed_at``: one time for the batch, or a column of each row's (one per page)."""
    rules = []
    if landed_at is not None:
        landed = (
            landed_at
            if isinstance(landed_at, pl.Expr)
            else pl.lit(landed_at, dtype=pl.Datetime("us", "UTC"))
        )
        rules.append(
            (
                "published_in_future",
                pl.col("published_at") > landed + CLOCK_SKEW,
                pl.format(
                    "published at {}, after the file was collected ({})",
                    pl.col("published_at").dt.to_string(_SHOWN_TIME),
                    landed.dt.to_string(_SHOWN_TIME),
                ),
            )
        )
    rules += [
        (
            "negative_views",
            pl.col("views") < 0,
            pl.format("view count {} is negative", pl.col("views")),
        ),
        (
            "message_id_not_positive",
            pl.col("message_id") < 1,
            pl.format("message id {} is not a positive number", pl.col("message_id")),
        ),
    ]
    if {"forwards", "replies", "reactions"} <= set(columns):
        rules.append(_negative_counts())
    return rules


def split_by_record_rules(
    posts: pl.DataFrame, landed_at: datetime | pl.Expr | None
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(posts that pass every rule, rejects: REJECT_SCHEMA columns plus rule and post_key)."""
    rules = _rules(landed_at, posts.columns)
    rule = pl.when(rules[0][1]).then(pl.lit(rules[0][0]))
    reason = pl.when(rules[0][1]).then(rules[0][2])
    for name, violated, why in rules[1:]:
        rule = rule.when(violated).then(pl.lit(name))
        reason = reason.when(violated).then(why)
    judged = posts.with_columns(rule.alias("_rule"), reason.alias("_reason"))
    kept = judged.filter(pl.col("_rule").is_null()).drop("_rule", "_reason")
    rejected = judged.filter(pl.col("_rule").is_not_null()).select(
        "source_file",
        "source_format",
        pl.lit(None, dtype=pl.Int64).alias("source_position"),
        pl.col("_reason").alias("reason"),
        pl.col("text").str.slice(0, 200).alias("excerpt"),
        pl.col("_rule").alias("rule"),
        "post_key",
        *(["ingested_at"] if "ingested_at" in posts.columns else []),
    )
    return kept, rejected


def rule_of_parse_reject(source_position: pl.Expr) -> pl.Expr:
    """What a parser's reject was: a whole file (position -1) or one record."""
    return (
        pl.when(source_position == -1)
        .then(pl.lit("unreadable_file"))
        .otherwise(pl.lit("unparseable_record"))
    )
