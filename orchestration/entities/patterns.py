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
from typing import NamedTuple

import polars as pl

from orchestration.entities import reference
from orchestration.schemas import EVIDENCE_KINDS

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
def pattern_codes() -> pl.Series:
    """The patterns in code order: numbered by target id (blockers last).

    With codes in target order, (row, code) keys sorted stay sorted when each code is replaced
    by its target id, so the per-target sums need no second sort.
    """
    table = pattern_table().join(target_table(), on=["entity", "target", "kind"], how="left")
    ordered = (
        table.group_by("pattern").agg(pl.col("tid").min()).sort("tid", "pattern", nulls_last=True)
    )
    return ordered["pattern"]


@lru_cache(maxsize=1)
def pattern_enum() -> pl.Enum:
    """The patterns as an Enum, so matches become small integer codes (fast aggregations)."""
    return pl.Enum(pattern_codes())


# Evidence kinds that do not come from a pattern: every country gets a target for each.
UNPATTERNED_COUNTRY_KINDS = ("flag", "hashtag")


@lru_cache(maxsize=1)
def target_table() -> pl.DataFrame:
    """Distinct (entity, target, kind) of real entities with an integer id `tid`.

    Holds the pattern targets plus a flag and a hashtag target for every country, so that all
    hits are integer ids until the final tables. Sorted by (entity, target, kind): leaders come
    after countries and their ids follow the alphabetical order of leader_key.
    """
    from_patterns = (
        pattern_table().filter(pl.col("entity") != "blocker").select("entity", "target", "kind")
    )
    countries = reference.countries_table().select(
        pl.lit("country").alias("entity"),
        pl.col("iso2").alias("target"),
        pl.lit(list(UNPATTERNED_COUNTRY_KINDS)).alias("kind"),
    )
    targets = (
        pl.concat([from_patterns, countries.explode("kind")])
        .unique()
        .sort("entity", "target", "kind")
    )
    return targets.with_row_index("tid")


class TargetLookups(NamedTuple):
    """Series indexed by tid, for gathers instead of joins on strings."""

    is_leader: pl.Series  # Boolean
    target: pl.Series  # String: iso2 or leader_key
    iso: pl.Series  # UInt32: position of the iso2 in countries_table(); null for leaders
    bit: pl.Series  # Int64: bit of the evidence kind (EVIDENCE_KINDS order); null for leaders
    hashtag_tid: pl.Series  # UInt32: the country's "hashtag" target; leaders keep their own tid


@lru_cache(maxsize=1)
def target_lookups() -> TargetLookups:
    table = target_table()
    is_country = pl.col("entity") == "country"
    iso_enum = pl.Enum(reference.countries_table()["iso2"])
    bits = {kind: 2**i for i, kind in enumerate(EVIDENCE_KINDS)}
    hashtag_tids = table.filter(is_country & (pl.col("kind") == "hashtag")).select(
        "target", pl.col("tid").alias("hashtag_tid")
    )
    lookups = table.join(hashtag_tids, on="target", how="left", maintain_order="left").select(
        (pl.col("entity") == "leader").alias("is_leader"),
        "target",
        pl.when(is_country)
        .then(pl.col("target"))
        .cast(iso_enum)
        .to_physical()
        .cast(pl.UInt32)
        .alias("iso"),
        pl.when(is_country)
        .then(pl.col("kind").replace_strict(bits, default=None, return_dtype=pl.Int64))
        .alias("bit"),
        pl.when(is_country)
        .then(pl.col("hashtag_tid"))
        .otherwise(pl.col("tid"))
        .cast(pl.UInt32)
        .alias("hashtag_tid"),
    )
    return TargetLookups(*lookups.get_columns())


@lru_cache(maxsize=1)
def code_table() -> pl.DataFrame:
    """Pattern code (position in pattern_codes) -> tid; blockers have no row."""
    codes = pattern_codes().to_frame("pattern").with_row_index("code")
    return (
        codes.join(pattern_table(), on="pattern")
        .join(target_table(), on=["entity", "target", "kind"])
        .select("code", "tid")
        .sort("code", "tid")
    )


@lru_cache(maxsize=1)
def code_tids() -> pl.Series | None:
    """tid per pattern code (null for blockers) when each pattern has at most one target.

    None when some pattern names both a country and a leader: then code_table() is joined.
    """
    table = code_table()
    if table["code"].is_duplicated().any():
        return None
    return pl.DataFrame(
        {"code": pl.int_range(len(pattern_codes()), dtype=pl.UInt32, eager=True)}
    ).join(table, on="code", how="left", maintain_order="left")["tid"]


@lru_cache(maxsize=1)
def parent_codes() -> pl.DataFrame:
    """parent_table() with pattern codes: child_code, parent_code, k."""
    codes = pattern_codes().to_frame("pattern").with_row_index("code")
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
