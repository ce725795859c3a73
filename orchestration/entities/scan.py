"""One columnar pass over all posts: word aliases, hashtags and flag emoji -> long hit tables.

Hits are (row, tid, n) rows: tid is a target id of patterns.target_table() (entity, target,
kind), so everything up to the final tables works on integers. No per-row Python: regex and
Aho-Corasick expressions over the whole column, then explode and aggregations on the (much
smaller) set of matches. Aggregations sort a packed (row, id) UInt64 key and sum runs of equal
keys: on one core that is about ten times faster than a hash group-by of millions of matches.
"""

from __future__ import annotations

import polars as pl

from orchestration.entities import patterns

HIT_SCHEMA = {
    "row": pl.UInt32,  # position of the post in the prepared frame
    "tid": pl.UInt32,  # patterns.target_table(): entity, target (iso2/leader_key), kind
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


def pack(row: str | pl.Expr, code: str | pl.Expr) -> pl.Expr:
    """(row, id) as one UInt64 ``key``: cheap to sort and to aggregate on."""
    row, code = (pl.col(c) if isinstance(c, str) else c for c in (row, code))
    return (row.cast(pl.UInt64) * _SHIFT + code.cast(pl.UInt64)).alias("key")


def row_of(key: str | pl.Expr) -> pl.Expr:
    key = pl.col(key) if isinstance(key, str) else key
    return (key // _SHIFT).cast(pl.UInt32).alias("row")


def id_of(key: str | pl.Expr) -> pl.Expr:
    """The id half of a packed key (UInt32)."""
    key = pl.col(key) if isinstance(key, str) else key
    return (key % _SHIFT).cast(pl.UInt32)


def sum_by_key(frame: pl.DataFrame, *aggregations: pl.Expr) -> pl.DataFrame:
    """Sum ``n`` (and run ``aggregations``) per packed ``key``; the result is sorted by key.

    A group-by on a sorted column takes Polars' fast path (groups are runs, no hash table);
    frames that arrive sorted skip the sort.
    """
    if frame["key"].is_sorted():
        frame = frame.with_columns(pl.col("key").set_sorted())
    else:
        frame = frame.sort("key")
    return frame.group_by("key", maintain_order=True).agg(pl.col("n").sum(), *aggregations)


def _to_hits(keyed: pl.DataFrame) -> pl.DataFrame:
    """(key = row|tid, n) -> HIT_SCHEMA."""
    return keyed.select(row_of("key"), id_of("key").alias("tid"), "n")


def _as_hashtag(tid: pl.Expr) -> pl.Expr:
    """The same country's "hashtag" target; leader targets stay as they are."""
    return pl.lit(patterns.target_lookups().hashtag_tid).gather(tid)


def _coded_hits(rows_and_matches: pl.DataFrame, hashtag: bool = False) -> pl.DataFrame:
    """(row, match: list of overlapping pattern matches) -> hits (row, tid, n).

    Counts are corrected to leftmost-longest: each occurrence of a longer pattern removes one
    occurrence of every pattern it directly contains ("Papua New Guinea" removes its "Guinea").
    ``hashtag``: country hits get the evidence kind "hashtag" instead of the alias's kind.
    """
    codes = (
        rows_and_matches.select("row", "match")
        .explode("match")
        .drop_nulls("match")
        .select(pack("row", pl.col("match").cast(patterns.pattern_enum()).to_physical()))
        .to_series()
    )
    if codes.len() == 0:
        return empty_hits()
    runs = codes.sort().rle().struct.unnest()
    counts = runs.select(pl.col("value").alias("key"), pl.col("len").cast(pl.Int64).alias("n"))
    counts = _subtract_contained(counts)
    counts = counts.filter(pl.col("n") > 0).with_columns(row_of("key"), id_of("key").alias("code"))
    code_tids = patterns.code_tids()
    if code_tids is None:
        by_target = counts.join(patterns.code_table(), on="code")
    else:
        by_target = counts.with_columns(tid=pl.lit(code_tids).gather("code")).drop_nulls("tid")
    tid = _as_hashtag(pl.col("tid")) if hashtag else pl.col("tid")
    return _to_hits(sum_by_key(by_target.select(pack("row", tid), "n")))


def _subtract_contained(counts: pl.DataFrame) -> pl.DataFrame:
    """counts(key = row|code, n), sorted unique keys -> n minus the occurrences that lie inside
    a longer pattern found in the same row (k per occurrence of the parent).

    A contained pattern is among the counts (the overlapping pass finds it inside its parent),
    so the corrections are applied in place at the positions a binary search gives. (A child
    not found would end at n <= 0 and be dropped: skipping it is the same.)
    """
    parents = patterns.parent_codes()
    covered = (
        counts.filter(id_of("key").is_in(parents["parent_code"].unique().implode()))
        .with_columns(row_of("key"), id_of("key").alias("parent_code"))
        .join(parents, on="parent_code")
        .select(pack("row", "child_code"), (pl.col("k") * pl.col("n")).alias("covered"))
    )
    if covered.height == 0:
        return counts
    covered = covered.sort("key").group_by("key", maintain_order=True).agg(pl.col("covered").sum())
    keys = counts["key"]
    at = keys.search_sorted(covered["key"]).cast(pl.UInt32).clip(upper_bound=keys.len() - 1)
    found = keys.gather(at) == covered["key"]
    at, subtract = at.filter(found), covered["covered"].filter(found)
    n = counts["n"]
    return counts.with_columns(n=n.scatter(at, n.gather(at) - subtract))


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
    cased_hits = _coded_hits(cased, hashtag=True)

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
    compact_tids = patterns.compact_table().join(
        patterns.target_table(), on=["entity", "target", "kind"]
    )
    lower_hits = accepted.join(compact_tids, left_on="match", right_on="pattern").select(
        pack("row", _as_hashtag(pl.col("tid"))),
        pl.lit(1, dtype=pl.Int64).alias("n"),
    )
    both = pl.concat([cased_hits.select(pack("row", "tid"), "n"), lower_hits])
    return _to_hits(sum_by_key(both))


def flag_hits(posts: pl.DataFrame) -> pl.DataFrame:
    """Flag emoji: each regional-indicator pair is a country ("🇷🇺🇵🇸" -> RU, PS)."""
    table = patterns.target_table().filter(pl.col("kind") == "flag")
    flag_tids = dict(zip(table["target"], table["tid"], strict=True))
    flags = (
        posts.filter(pl.col("text").str.contains_any(REGIONAL_INDICATORS))
        .select("row", pl.col("text").str.extract_all(FLAG_RE).alias("flag"))
        .explode("flag")
        .drop_nulls("flag")
        .select(
            pack(
                pl.col("row"),
                pl.col("flag")
                .str.replace_many(REGIONAL_INDICATORS, LETTERS)
                .replace_strict(flag_tids, default=None, return_dtype=pl.UInt32),
            ).alias("key"),
            pl.lit(1, dtype=pl.Int64).alias("n"),
        )
        .drop_nulls("key")  # pairs that are not a country ("🇦🇦")
    )
    return _to_hits(sum_by_key(flags))


def all_hits(posts: pl.DataFrame) -> pl.DataFrame:
    """Word, hashtag and flag hits of all prepared posts, in HIT_SCHEMA (keyed by row).

    Country hits are unique per (row, tid): the kinds of the three passes do not overlap. A
    leader may have a row from the word pass and one from the hashtag pass.
    """
    if posts.height == 0:
        return empty_hits()
    parts = [word_hits(posts), hashtag_hits(posts), flag_hits(posts)]
    return pl.concat([part.select(list(HIT_SCHEMA)).cast(HIT_SCHEMA) for part in parts])
