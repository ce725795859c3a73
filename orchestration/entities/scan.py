"""One columnar pass over all posts: word aliases, hashtags and flag emoji -> long hit tables.

Hits are (row, entity, target, kind, n) rows; the public functions aggregate them.
No per-row Python: regex and Aho-Corasick expressions over the whole column, then explode and
integer group-bys on the (much smaller) set of matches.
"""

from __future__ import annotations

import polars as pl

from orchestration.entities import patterns, reference

HIT_SCHEMA = {
    "row": pl.UInt32,  # position of the post in the prepared frame
    "entity": pl.String,  # "country" or "leader"
    "target": pl.String,  # iso2 or leader_key
    "kind": pl.String,  # evidence kind (countries) or "leader"
    "n": pl.Int64,
}

FLAG_RE = r"[\x{1F1E6}-\x{1F1FF}]{2}"
REGIONAL_INDICATORS = [chr(0x1F1E6 + i) for i in range(26)]
LETTERS = [chr(ord("A") + i) for i in range(26)]

# CamelCase hashtag -> words: "RussiaBurkinaFaso" -> "Russia Burkina Faso", "МИДРоссии" -> "МИД
# России", "Victory80" -> "Victory 80". Underscores separate words too.
_CAMEL_STEPS = (
    (r"(\p{Ll})(\p{Lu})", "$1 $2"),
    (r"(\p{Lu})(\p{Lu}\p{Ll})", "$1 $2"),
    (r"(\p{L})(\p{N})", "$1 $2"),
    (r"(\p{N})(\p{L})", "$1 $2"),
    (r"_+", " "),
)
_SHIFT = 2**32  # (row, code) packed into one UInt64 key for fast group-bys


def empty_hits() -> pl.DataFrame:
    return pl.DataFrame(schema=HIT_SCHEMA)


def prepare(posts: pl.DataFrame) -> pl.DataFrame:
    """row, post_key, text (nulls -> ""), optional hashtags; checks the required columns."""
    missing = [c for c in ("post_key", "text") if c not in posts.columns]
    if missing:
        raise ValueError(f"posts frame lacks required columns {missing}")
    columns = [
        pl.int_range(pl.len(), dtype=pl.UInt32).alias("row"),
        pl.col("post_key").cast(pl.String),
        pl.col("text").cast(pl.String).fill_null(""),
    ]
    if "hashtags" in posts.columns:
        columns.append(pl.col("hashtags").cast(pl.List(pl.String)))
    prepared = posts.select(columns)
    if prepared["post_key"].n_unique() != prepared.height:
        duplicated = prepared.filter(pl.col("post_key").is_duplicated())["post_key"][0]
        raise ValueError(f"post_key must be unique; {duplicated!r} occurs more than once")
    return prepared


def _pack(row: pl.Expr, code: pl.Expr) -> pl.Expr:
    return row.cast(pl.UInt64) * _SHIFT + code.cast(pl.UInt64)


def _coded_hits(rows_and_matches: pl.DataFrame, kind_override: str | None = None) -> pl.DataFrame:
    """(row, match: list of overlapping pattern matches) -> hits (row, entity, target, kind, n).

    Counts are corrected to leftmost-longest: each occurrence of a longer pattern removes one
    occurrence of every pattern it directly contains ("Papua New Guinea" removes its "Guinea").
    """
    codes = (
        rows_and_matches.select("row", pl.col("match").cast(pl.List(patterns.pattern_enum())))
        .explode("match")
        .drop_nulls("match")
        .select(_pack(pl.col("row"), pl.col("match").to_physical()).alias("key"))
    )
    counts = (
        codes.group_by("key")
        .agg(pl.len().cast(pl.Int64).alias("n"))
        .with_columns(
            row=(pl.col("key") // _SHIFT).cast(pl.UInt32),
            code=(pl.col("key") % _SHIFT).cast(pl.UInt32),
        )
    )
    # start from the longer patterns present (few) and credit their contained patterns
    covered = (
        counts.join(patterns.parent_codes(), left_on="code", right_on="parent_code")
        .select(
            _pack(pl.col("row"), pl.col("child_code")).alias("key"),
            (pl.col("k") * pl.col("n")).alias("covered"),
        )
        .group_by("key")
        .agg(pl.col("covered").sum())
    )
    corrected = (
        counts.join(covered, on="key", how="left")
        .with_columns(n=pl.col("n") - pl.col("covered").fill_null(0))
        .filter(pl.col("n") > 0)
        .join(patterns.code_table(), on="code")
        .group_by(_pack(pl.col("row"), pl.col("tid")).alias("key"))
        .agg(pl.col("n").sum())
        .select(
            (pl.col("key") // _SHIFT).cast(pl.UInt32).alias("row"),
            (pl.col("key") % _SHIFT).cast(pl.UInt32).alias("tid"),
            "n",
        )
        .join(patterns.target_table(), on="tid")
    )
    if kind_override is not None:
        corrected = corrected.with_columns(
            kind=pl.when(pl.col("entity") == "country")
            .then(pl.lit(kind_override))
            .otherwise(pl.col("kind"))
        )
    return corrected.select("row", "entity", "target", "kind", "n")


def word_hits(posts: pl.DataFrame) -> pl.DataFrame:
    """Aliases in the running text (hashtags removed: hashtag_hits counts those). Keyed by row."""
    haystack = patterns.word_haystack(pl.col("text").str.replace_all(patterns.HASHTAG_RE, " "))
    matches = posts.select(
        "row",
        haystack.str.extract_many(patterns.pattern_list(), overlapping=True).alias("match"),
    )
    return _coded_hits(matches)


def _hashtags(posts: pl.DataFrame) -> pl.DataFrame:
    """row, tag (as written, without '#'): from the text, plus any from the `hashtags` column
    that the text does not show (those come lower-case, so without CamelCase)."""
    indexed = posts
    from_text = (
        indexed.filter(pl.col("text").str.contains("#", literal=True))
        .select("row", pl.col("text").str.extract_all(patterns.HASHTAG_RE).alias("tag"))
        .explode("tag")
        .drop_nulls("tag")
        .with_columns(pl.col("tag").str.strip_chars_start("#"))
    )
    if "hashtags" not in posts.columns:
        return from_text
    from_column = (
        indexed.select("row", pl.col("hashtags").alias("tag"))
        .explode("tag")
        .drop_nulls("tag")
        .with_columns(pl.col("tag").str.strip_chars_start("#"))
        .filter(pl.col("tag") != "")
    )
    seen = from_text.select("row", pl.col("tag").str.to_lowercase().alias("lower"))
    extra = from_column.with_columns(lower=pl.col("tag").str.to_lowercase()).join(
        seen, on=["row", "lower"], how="anti"
    )
    return pl.concat([from_text, extra.drop("lower")])


def hashtag_hits(posts: pl.DataFrame) -> pl.DataFrame:
    """Countries and leaders named inside hashtags (country evidence kind "hashtag").

    Tags with capitals are split at CamelCase and matched like text. Tags without any capital
    ("#russiachina") are matched against compacted lower-case aliases, accepting a match only
    where it starts the tag or directly follows an accepted match, so "#woman" is not Oman and
    "#incubator" is not Cuba.
    """
    tags = _hashtags(posts)
    if tags.height == 0:
        return empty_hits()
    has_upper = pl.col("tag").str.contains(r"\p{Lu}")

    split = pl.col("tag")
    for pattern, replacement in _CAMEL_STEPS:
        split = split.str.replace_all(pattern, replacement)
    cased = tags.filter(has_upper).select(
        "row",
        patterns.word_haystack(split)
        .str.extract_many(patterns.pattern_list(), overlapping=True)
        .alias("match"),
    )
    cased_hits = _coded_hits(cased, kind_override="hashtag")

    lower = (
        tags.filter(~has_upper)
        .with_columns(pl.col("tag").str.split("_"))
        .explode("tag")
        .filter(pl.col("tag") != "")
        .with_row_index("part_id")
    )
    compact = patterns.compact_list()
    found = (
        lower.select(
            "row",
            "part_id",
            pl.col("tag").str.extract_many(compact, leftmost=True).alias("match"),
            pl.col("tag").str.find_many(compact, leftmost=True).alias("start"),
        )
        .explode("match", "start")
        .drop_nulls("match")
        .with_columns(end=pl.col("start") + pl.col("match").str.len_bytes())
    )
    # a match is accepted while the chain of matches from the tag's start is unbroken
    accepted = found.with_columns(
        broken=(pl.col("start") != pl.col("end").shift(1, fill_value=0).over("part_id"))
        .cum_sum()
        .over("part_id")
    ).filter(pl.col("broken") == 0)
    lower_hits = (
        accepted.join(patterns.compact_table(), left_on="match", right_on="pattern")
        .filter(pl.col("entity") != "blocker")
        .with_columns(
            kind=pl.when(pl.col("entity") == "country")
            .then(pl.lit("hashtag"))
            .otherwise(pl.col("kind"))
        )
        .group_by("row", "entity", "target", "kind")
        .agg(pl.len().cast(pl.Int64).alias("n"))
    )
    return (
        pl.concat([cased_hits, lower_hits.select(cased_hits.columns)], how="vertical_relaxed")
        .group_by("row", "entity", "target", "kind")
        .agg(pl.col("n").sum())
    )


def flag_hits(posts: pl.DataFrame) -> pl.DataFrame:
    """Flag emoji: each regional-indicator pair is a country ("🇷🇺🇵🇸" -> RU, PS)."""
    flags = (
        posts.filter(pl.col("text").str.contains_any(REGIONAL_INDICATORS))
        .select("row", pl.col("text").str.extract_all(FLAG_RE).alias("flag"))
        .explode("flag")
        .drop_nulls("flag")
        .select(
            "row",
            pl.col("flag").str.replace_many(REGIONAL_INDICATORS, LETTERS).alias("target"),
        )
        .filter(pl.col("target").is_in(list(reference.known_iso2())))
    )
    return (
        flags.group_by("row", "target")
        .agg(pl.len().cast(pl.Int64).alias("n"))
        .select(
            "row", pl.lit("country").alias("entity"), "target", pl.lit("flag").alias("kind"), "n"
        )
    )


def all_hits(posts: pl.DataFrame) -> pl.DataFrame:
    """Word, hashtag and flag hits of all prepared posts, in HIT_SCHEMA (keyed by row).

    Unique per (row, entity, target, kind): the kinds of the three passes do not overlap.
    """
    if posts.height == 0:
        return empty_hits()
    parts = [word_hits(posts), hashtag_hits(posts), flag_hits(posts)]
    return pl.concat([part.select(list(HIT_SCHEMA)).cast(HIT_SCHEMA) for part in parts])
