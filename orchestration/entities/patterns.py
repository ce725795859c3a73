"""Alias lists -> Aho-Corasick patterns with word boundaries.

Aho-Corasick has no word boundaries ("Niger" is inside "Nigeria"), so the post text and the
aliases are rewritten the same way: every run of characters that are not letters, digits, marks,
'$' or a space becomes one space, and the text is padded with a space at each end. An alias then
becomes the pattern " alias " and can only match whole words.

Matching is overlapping (two adjacent aliases, " Russia " and " Vietnam " in "Russia-Vietnam",
share the space between them), followed by a static correction that gives leftmost-longest
results: a pattern contained in a longer pattern ("Guinea" in "Papua New Guinea", "America" in
the blocker "Latin America") loses one occurrence for each occurrence of that longer pattern in
the same post. Containment between patterns is computed once (parent_table).

'$' counts as a word character so that "US$6 billion" is not the United States.

Alias syntax (reference files):
- matched case-sensitively as written, plus its ALL-CAPS form, plus the Capitalised form when the
  alias is written in lower case ("russe" also matches "Russe"); so "US" never matches "us".
- a trailing '*' makes a stem: the pattern has no closing boundary ("Путин*" matches "Путина").
"""

from __future__ import annotations

from functools import lru_cache

import polars as pl

from orchestration.entities import reference

SEPARATOR_RE = r"[^\p{L}\p{N}\p{M}$ ]+"
HASHTAG_RE = r"#[\p{L}\p{N}\p{M}_]+"

# When one pattern string comes from several aliases of the same country, keep the strongest kind.
KIND_PRIORITY = {"name": 0, "demonym": 1, "capital": 2}
# Hashtags must be at least this long (compacted, lower-case) to be matched inside a hashtag
# without case information, so "us"/"uk" never match inside "#russia"/"#ukraine".
MIN_COMPACT_LENGTH = 3


def word_haystack(text: pl.Expr) -> pl.Expr:
    """The text as Aho-Corasick sees it: separators made spaces, padded with spaces."""
    return pl.lit(" ") + text.str.replace_all(SEPARATOR_RE, " ") + pl.lit(" ")


def _core(expr: pl.Expr) -> pl.Expr:
    return expr.str.replace_all(SEPARATOR_RE, " ").str.strip_chars(" ")


def expand_aliases(entries: pl.DataFrame) -> pl.DataFrame:
    """entries(alias, ...) -> one row per case variant with its boundary pattern.

    Adds columns `variant` and `pattern`; drops aliases that are empty after normalisation.
    """
    base = entries.with_columns(
        is_stem=pl.col("alias").str.ends_with("*"),
        base=pl.col("alias").str.strip_chars_end("*").str.strip_chars(),
    )
    first = pl.col("base").str.slice(0, 1)
    variants = base.with_columns(
        variant=pl.concat_list(
            pl.col("base"),
            pl.col("base").str.to_uppercase(),
            pl.when(first != first.str.to_uppercase())
            .then(first.str.to_uppercase() + pl.col("base").str.slice(1))
            .otherwise(pl.col("base")),
        ).list.unique(maintain_order=True)
    ).explode("variant")
    core = _core(pl.col("variant"))
    return (
        variants.with_columns(
            pattern=pl.when(core == "")
            .then(None)
            .when(pl.col("is_stem"))
            .then(pl.lit(" ") + core)
            .otherwise(pl.lit(" ") + core + pl.lit(" "))
        )
        .drop_nulls("pattern")
        .drop("base")
    )


def _check_unambiguous(table: pl.DataFrame, what: str) -> None:
    clash = (
        table.group_by("entity", "pattern")
        .agg(pl.col("target").unique().alias("targets"), pl.col("alias").unique().alias("aliases"))
        .filter(pl.col("targets").list.len() > 1)
    )
    if clash.height:
        row = clash.sort("pattern").row(0, named=True)
        raise reference.ReferenceDataError(
            f"{what}: pattern {row['pattern']!r} (aliases {row['aliases']}) maps to several "
            f"{row['entity']} targets {row['targets']}; make the aliases distinct"
        )


@lru_cache(maxsize=1)
def pattern_table() -> pl.DataFrame:
    """All word patterns: pattern, entity ("country"/"leader"/"blocker"), target, kind, alias.

    One row per (pattern, entity). Blockers win over country aliases with the same pattern.
    """
    countries = reference.country_aliases().select(
        "alias", pl.lit("country").alias("entity"), pl.col("iso2").alias("target"), "kind"
    )
    leaders = (
        reference.reference_leaders()
        .select("leader_key", "aliases")
        .explode("aliases")
        .select(
            pl.col("aliases").alias("alias"),
            pl.lit("leader").alias("entity"),
            pl.col("leader_key").alias("target"),
            pl.lit("leader").alias("kind"),
        )
    )
    blockers = reference.country_blockers().select(
        pl.col("phrase").alias("alias"),
        pl.lit("blocker").alias("entity"),
        pl.lit(None, pl.String).alias("target"),
        pl.lit("blocker").alias("kind"),
    )
    expanded = expand_aliases(pl.concat([countries, leaders, blockers]))
    blocked = expanded.filter(pl.col("entity") == "blocker").select("pattern").unique()
    expanded = expanded.filter(
        (pl.col("entity") != "country") | ~pl.col("pattern").is_in(blocked["pattern"].implode())
    )
    expanded = expanded.with_columns(
        rank=pl.col("kind").replace_strict(KIND_PRIORITY, default=9, return_dtype=pl.Int8)
    ).sort("rank", "alias")
    _check_unambiguous(expanded.filter(pl.col("entity") != "blocker"), "reference aliases")
    return (
        expanded.unique(["pattern", "entity"], keep="first", maintain_order=True)
        .select("pattern", "entity", "target", "kind", "alias")
        .with_columns(length=pl.col("pattern").str.len_bytes())
        .sort(["length", "pattern"], descending=[True, False])
        .drop("length")
    )


@lru_cache(maxsize=1)
def pattern_list() -> list[str]:
    """Distinct patterns, longest first."""
    return pattern_table()["pattern"].unique(maintain_order=True).to_list()


@lru_cache(maxsize=1)
def pattern_enum() -> pl.Enum:
    """The patterns as an Enum, so matches become small integer codes (fast group-bys)."""
    return pl.Enum(pattern_list())


@lru_cache(maxsize=1)
def target_table() -> pl.DataFrame:
    """Distinct (entity, target, kind) of real entities with an integer id `tid`."""
    targets = (
        pattern_table()
        .filter(pl.col("entity") != "blocker")
        .select("entity", "target", "kind")
        .unique()
        .sort("entity", "target", "kind")
    )
    return targets.with_row_index("tid")


@lru_cache(maxsize=1)
def code_table() -> pl.DataFrame:
    """Pattern code (position in pattern_list) -> tid; blockers have no row."""
    codes = pl.DataFrame({"pattern": pattern_list()}).with_row_index("code")
    return (
        codes.join(pattern_table(), on="pattern")
        .join(target_table(), on=["entity", "target", "kind"])
        .select("code", "tid")
    )


@lru_cache(maxsize=1)
def parent_codes() -> pl.DataFrame:
    """parent_table() with pattern codes: child_code, parent_code, k."""
    codes = pl.DataFrame({"pattern": pattern_list()}).with_row_index("code")
    return (
        parent_table()
        .join(codes.rename({"pattern": "child", "code": "child_code"}), on="child")
        .join(codes.rename({"pattern": "parent", "code": "parent_code"}), on="parent")
        .select("child_code", "parent_code", "k")
    )


@lru_cache(maxsize=1)
def parent_table() -> pl.DataFrame:
    """Direct containment between patterns: child, parent, k (occurrences of child in parent).

    Only direct parents are kept (" Guinea " -> " New Guinea " -> " Papua New Guinea "), so that
    subtracting each direct parent's count once per containment yields leftmost-longest counts.
    """
    patterns_ = pl.DataFrame({"parent": pattern_list()})
    pairs = (
        patterns_.with_columns(
            child=pl.col("parent").str.extract_many(pattern_list(), overlapping=True)
        )
        .explode("child")
        .drop_nulls("child")
        .filter(pl.col("child") != pl.col("parent"))
        .group_by("child", "parent")
        .agg(pl.len().cast(pl.Int64).alias("k"))
    )
    via = pairs.select(pl.col("parent").alias("top"), pl.col("child").alias("middle")).join(
        pairs.select(pl.col("parent").alias("middle"), "child"), on="middle"
    )
    indirect = via.select(pl.col("top").alias("parent"), "child").unique()
    return pairs.join(indirect, on=["parent", "child"], how="anti").sort("child", "parent")


@lru_cache(maxsize=1)
def compact_table() -> pl.DataFrame:
    """Lower-case patterns without separators, for hashtags that carry no case ("#russiachina").

    Columns pattern, entity, target, kind. Ambiguous compact forms (one string, several targets
    of one entity) are dropped rather than guessed.
    """
    table = pattern_table()
    compact = table.with_columns(
        pattern=pl.col("pattern").str.replace_all(" ", "").str.to_lowercase()
    ).filter(pl.col("pattern").str.len_chars() >= MIN_COMPACT_LENGTH)
    ambiguous = (
        compact.group_by("pattern", "entity")
        .agg(pl.col("target").n_unique().alias("n"))
        .filter(pl.col("n") > 1)
    )
    compact = compact.join(ambiguous, on=["pattern", "entity"], how="anti")
    return (
        compact.unique(["pattern", "entity"], keep="first", maintain_order=True)
        .select("pattern", "entity", "target", "kind")
        .with_columns(length=pl.col("pattern").str.len_bytes())
        .sort(["length", "pattern"], descending=[True, False])
        .drop("length")
    )


@lru_cache(maxsize=1)
def compact_list() -> list[str]:
    return compact_table()["pattern"].unique(maintain_order=True).to_list()
