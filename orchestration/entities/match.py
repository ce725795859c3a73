"""Countries and leaders mentioned in post texts.

The entry points:
- countries_table() -> COUNTRY_SCHEMA frame (pycountry + Kosovo)
- leaders_table(discovered=None) -> LEADER_SCHEMA frame (reference + discovered)
- find_leader_mentions(posts) -> (LEADER_MENTION_SCHEMA frame, discovered leaders LEADER_SCHEMA)
- find_country_mentions(posts, leader_mentions=None, leaders=None) -> COUNTRY_MENTION_SCHEMA
- match_entities(posts) -> EntityMatches(country_mentions, leader_mentions, leaders)

`posts` needs post_key and text (cleaned); an optional hashtags column (list of lower-case tags
without '#') adds tags the text does not show. All work is columnar over the whole frame.
"""

from __future__ import annotations

from typing import NamedTuple

import polars as pl

from orchestration.entities import (
    country_words,
    discovery,
    events,
    patterns,
    people,
    resolve,
    scan,
)
from orchestration.entities.reference import (
    ReferenceDataError,
    countries_table,
    reference_leaders,
)
from orchestration.schemas import (
    CHANNEL_PERSON_SCHEMA,
    COUNTRY_MENTION_SCHEMA,
    DIPLOMATIC_EVENT_SCHEMA,
    EVIDENCE_KINDS,
    LEADER_MENTION_SCHEMA,
    LEADER_SCHEMA,
    conform,
    empty_frame,
)

__all__ = [
    "EntityMatches",
    "PostMatches",
    "match_posts",
    "scan_posts",
    "finish_posts",
    "finish_batches",
    "ScannedPosts",
    "ReferenceDataError",
    "countries_table",
    "find_country_mentions",
    "find_leader_mentions",
    "leaders_table",
    "match_entities",
]


# The plain name matcher's mentions (match_entities) say nothing of how they were resolved.
PLAIN_LEADER_MENTION_SCHEMA = {k: v for k, v in LEADER_MENTION_SCHEMA.items() if k != "resolved_by"}


class EntityMatches(NamedTuple):
    country_mentions: pl.DataFrame  # COUNTRY_MENTION_SCHEMA
    leader_mentions: pl.DataFrame  # LEADER_MENTION_SCHEMA
    leaders: pl.DataFrame  # LEADER_SCHEMA: reference + discovered


def leaders_table(discovered: pl.DataFrame | None = None) -> pl.DataFrame:
    """Reference leaders plus discovered ones (unique leader_key; reference wins)."""
    reference = reference_leaders()
    if discovered is None or discovered.height == 0:
        return reference
    extra = conform(discovered, LEADER_SCHEMA).join(reference, on="leader_key", how="anti")
    return pl.concat([reference, extra.unique("leader_key", keep="first", maintain_order=True)])


def _discovered_leaders(candidates: pl.DataFrame) -> pl.DataFrame:
    if candidates.height == 0:
        return empty_frame(LEADER_SCHEMA)
    frame = candidates.group_by("leader_key", maintain_order=True).agg(
        pl.col("name").first(),
        pl.col("role").drop_nulls().mode().sort().first(),
        pl.col("country_iso2").drop_nulls().mode().sort().first(),
        pl.col("name").unique(maintain_order=True).alias("aliases"),
    )
    return conform(frame.with_columns(source=pl.lit("discovered")), LEADER_SCHEMA)


def _with_post_key(frame: pl.DataFrame, prepared: pl.DataFrame) -> pl.DataFrame:
    """Replace the row index by the post's key."""
    return frame.with_columns(post_key=prepared["post_key"].gather(frame["row"])).drop("row")


def _leader_rows(hits: pl.DataFrame, prepared: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(row, leader_key, mention_count) sorted by row and leader_key, and the discovered leaders.

    Reference hits and discovered candidates never share a (row, leader_key): discovery drops
    names that are reference leaders and yields one row per (row, leader_key).
    """
    candidates, take_back = discovery.discover(prepared)
    lookups = patterns.target_lookups()
    leader_tids = patterns.target_table().filter(pl.col("entity") == "leader")
    taken_back = take_back.join(leader_tids, on="target").select(
        scan.pack("row", "tid"), (-pl.col("n")).alias("n")
    )
    from_hits = hits.filter(lookups.is_leader.gather(hits["tid"])).select(
        scan.pack("row", "tid"), "n"
    )
    reference_rows = (
        scan.sum_by_key(pl.concat([from_hits, taken_back]))
        .filter(pl.col("n") > 0)
        .select(
            scan.row_of("key"),
            pl.lit(lookups.target).gather(scan.id_of("key")).alias("leader_key"),
            pl.col("n").alias("mention_count"),
        )
    )
    rows = pl.concat(
        [reference_rows, candidates.select("row", "leader_key", pl.col("n").alias("mention_count"))]
    ).sort("row", "leader_key")
    return rows, _discovered_leaders(candidates)


def _leader_mentions(
    hits: pl.DataFrame, prepared: pl.DataFrame
) -> tuple[pl.DataFrame, pl.DataFrame]:
    rows, discovered = _leader_rows(hits, prepared)
    return conform(_with_post_key(rows, prepared), PLAIN_LEADER_MENTION_SCHEMA), discovered


def find_leader_mentions(posts: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(mentions per (post_key, leader_key), discovered leaders with source "discovered")."""
    prepared = scan.prepare(posts)
    return _leader_mentions(scan.all_hits(prepared), prepared)


_EVIDENCE_BITS = {kind: 2**i for i, kind in enumerate(EVIDENCE_KINDS)}


def _evidence_lists() -> pl.DataFrame:
    """mask -> sorted list of evidence kinds, for every combination of kinds."""
    masks = range(2 ** len(EVIDENCE_KINDS))
    return pl.DataFrame(
        {
            "mask": list(masks),
            "evidence": [
                sorted(k for k, bit in _EVIDENCE_BITS.items() if mask & bit) for mask in masks
            ],
        },
        schema={"mask": pl.Int64, "evidence": pl.List(pl.String)},
    )


def _country_rows(
    hits: pl.DataFrame, leader_rows: pl.DataFrame, leaders: pl.DataFrame
) -> pl.DataFrame:
    """(row, iso2, mention_count, evidence), sorted by row and iso2.

    Aggregated on a packed (row, country) integer key with the evidence kinds as bits (OR-ed):
    hundreds of thousands of hits, where string group-bys with list aggregations were the slow
    part.
    """
    iso_codes = countries_table()["iso2"]
    lookups = patterns.target_lookups()
    # (leaders of several batches, each with its discovered ones: by batch and leader_key)
    on = [c for c in ("batch", "leader_key") if c in leaders.columns]
    from_leaders = leader_rows.join(
        leaders.select(*on, "country_iso2").drop_nulls("country_iso2"), on=on
    ).select(
        scan.pack("row", pl.col("country_iso2").cast(pl.Enum(iso_codes)).to_physical()),
        pl.col("mention_count").cast(pl.Int64).alias("n"),
        pl.lit(_EVIDENCE_BITS["leader"], dtype=pl.Int64).alias("bit"),
    )
    country_hits = hits.filter(~lookups.is_leader.gather(hits["tid"]))
    from_text = country_hits.select(
        scan.pack("row", lookups.iso.gather(country_hits["tid"])),
        "n",
        lookups.bit.gather(country_hits["tid"]).alias("bit"),
    )
    aggregated = scan.sum_by_key(
        pl.concat([from_text, from_leaders]), pl.col("bit").bitwise_or().alias("mask")
    ).join(_evidence_lists(), on="mask", how="left", maintain_order="left")
    return aggregated.select(
        scan.row_of("key"),
        pl.lit(iso_codes).gather(scan.id_of("key")).alias("iso2"),
        pl.col("n").alias("mention_count"),
        "evidence",
    )


def _country_mentions(
    hits: pl.DataFrame, leader_rows: pl.DataFrame, leaders: pl.DataFrame, prepared: pl.DataFrame
) -> pl.DataFrame:
    rows = _country_rows(hits, leader_rows, leaders)
    return conform(_with_post_key(rows, prepared), COUNTRY_MENTION_SCHEMA)


def find_country_mentions(
    posts: pl.DataFrame,
    leader_mentions: pl.DataFrame | None = None,
    leaders: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """One row per (post_key, iso2): occurrences over all evidence kinds, sorted distinct kinds.

    leader_mentions: reuse mentions already computed (LEADER_MENTION_SCHEMA; else they are found
    here); leaders: the table that maps their leader_key to a country (default: reference
    leaders, plus the discovered ones when the mentions are found here).
    """
    prepared = scan.prepare(posts)
    hits = scan.all_hits(prepared)
    if leader_mentions is None:
        leader_rows, discovered = _leader_rows(hits, prepared)
        leaders = leaders_table(discovered) if leaders is None else leaders
    else:
        leaders = reference_leaders() if leaders is None else leaders
        rows = prepared.select("row", "post_key")
        leader_rows = leader_mentions.join(rows, on="post_key").select(
            "row", "leader_key", "mention_count"
        )
    return _country_mentions(hits, leader_rows, leaders, prepared)


def match_entities(posts: pl.DataFrame) -> EntityMatches:
    """Countries and leaders of all posts with a single scan."""
    prepared = scan.prepare(posts)
    hits = scan.all_hits(prepared)
    leader_rows, discovered = _leader_rows(hits, prepared)
    leaders = leaders_table(discovered)
    return EntityMatches(
        country_mentions=_country_mentions(hits, leader_rows, leaders, prepared),
        leader_mentions=conform(_with_post_key(leader_rows, prepared), PLAIN_LEADER_MENTION_SCHEMA),
        leaders=leaders,
    )


class PostMatches(NamedTuple):
    """What match_posts finds in one batch of posts."""

    country_mentions: pl.DataFrame  # COUNTRY_MENTION_SCHEMA
    leader_mentions: pl.DataFrame  # LEADER_MENTION_SCHEMA, with resolved_by
    discovered: pl.DataFrame  # LEADER_SCHEMA: persons on no list, found by their title
    diplomatic_events: pl.DataFrame  # DIPLOMATIC_EVENT_SCHEMA
    persons_named: pl.DataFrame  # CHANNEL_PERSON_SCHEMA: named in full, per channel


class ScannedPosts(NamedTuple):
    """What one batch's posts (or several batches') give before anything from other batches
    is known: the haystacks and every pattern hit (the costly part, scan_posts), kept for
    finish_posts (finish_batches)."""

    prepared: pl.DataFrame  # scan.prepare: row, post_key, text, hashtags
    hay: resolve.Prepared  # haystacks, cased and lower-cased hits with sentences
    country_hits: pl.DataFrame  # scan.HIT_SCHEMA: the country pass (words, hashtags, flags)


def scan_posts(posts: pl.DataFrame) -> ScannedPosts:
    """The automaton passes over one batch's posts: a pure function of the posts.

    posts: post_key, text, and optionally hashtags, channel, published_at (UTC); and batch
    for the posts of several batches (0, 1, ... in ingestion order; see finish_batches)."""
    prepared = scan.prepare(posts)
    extra = [c for c in ("channel", "published_at", "batch") if c in posts.columns]
    positioned = prepared.join(
        posts.select("post_key", *extra), on="post_key", how="left", maintain_order="left"
    )
    hay = resolve.prepare(positioned)
    hits = scan.all_hits(prepared)
    # the plain name pass's leader hits are the resolver's business
    country_hits = hits.filter(~patterns.target_lookups().is_leader.gather(hits["tid"]))
    country_hits = country_words.without_not_countries(country_hits, hay.not_countries)
    return ScannedPosts(prepared, hay, country_hits)


def match_posts(posts: pl.DataFrame, known: pl.DataFrame | None = None) -> PostMatches:
    """Countries, leaders as a reader resolves them, and diplomatic events, of one batch.

    posts: post_key, text, and optionally hashtags, channel, published_at (UTC). known: the
    persons earlier batches named per channel (CHANNEL_PERSON_SCHEMA); a pure function of the
    posts and that table."""
    return finish_posts(scan_posts(posts), known)


def finish_posts(scanned: ScannedPosts, known: pl.DataFrame | None = None) -> PostMatches:
    """Resolution over the hits of scan_posts, given the persons earlier batches named."""
    (matches,) = finish_batches(scanned, known)
    return matches


def finish_batches(
    scanned: ScannedPosts, known: pl.DataFrame | None = None, batches: int | None = None
) -> list[PostMatches]:
    """finish_posts of each batch of a scan of several (their posts' batch: 0, 1, ... in
    ingestion order; ``batches`` of them, by default as many as the posts show), in one pass:
    each batch knows `known` and what the batches before it name, as when they are finished
    one after another.

    What a batch names is known once it is resolved: the resolution runs again, each batch
    told what those before it named in the last, until they name what they were told. A
    batch is right once those before it are, so that takes at most a run per batch, and two
    where no batch's naming changes what a later one names."""
    prepared, hay = scanned.prepared, scanned.hay
    if batches is None:
        batches = int(hay.posts["batch"].max()) + 1 if hay.posts.height else 1
    listed = all_leaders()
    told, told_known = None, known
    read = resolve.read_names(hay) if batches > 1 else None
    for _ in range(batches):
        resolved = resolve.resolve(hay, told_known, read)
        discovered = _discovered_table(resolved.discovered)
        persons_named = _persons_named(resolved.mentions, hay, listed, discovered)
        named = persons_named.filter(pl.col("batch") < batches - 1)
        if batches == 1 or (told is not None and _same_rows(named, told)):
            break
        told = named
        told_known = pl.concat(
            [
                conform(
                    pl.DataFrame(schema=CHANNEL_PERSON_SCHEMA) if known is None else known,
                    CHANNEL_PERSON_SCHEMA,
                ).with_columns(batch=pl.lit(None, pl.Int64)),
                told.select(*CHANNEL_PERSON_SCHEMA, pl.col("batch").cast(pl.Int64)),
            ]
        )
    of_rows = hay.posts.select("row", "batch")
    per_post = resolve.per_post(resolved.mentions)
    leader_rows = (
        per_post.select(
            "row", pl.col("person_key").alias("leader_key"), "mention_count", "resolved_by"
        )
        .sort("row", "leader_key")
        .join(of_rows, on="row", how="left", maintain_order="left")
    )
    leaders = _leaders_by_batch(leader_rows.select("batch", "leader_key"), listed, discovered)
    country_rows = _country_rows(scanned.country_hits, leader_rows, leaders)
    country_rows = _congo_in_context(country_rows).join(
        of_rows, on="row", how="left", maintain_order="left"
    )
    found = events.find_events(hay, resolved.mentions).join(
        hay.posts.select("post_key", "batch"), on="post_key", how="left", maintain_order="left"
    )
    tables = {
        "country_mentions": (_with_post_key(country_rows, prepared), COUNTRY_MENTION_SCHEMA),
        "leader_mentions": (_with_post_key(leader_rows, prepared), LEADER_MENTION_SCHEMA),
        "discovered": (discovered, LEADER_SCHEMA),
        "diplomatic_events": (found, DIPLOMATIC_EVENT_SCHEMA),
        "persons_named": (persons_named, CHANNEL_PERSON_SCHEMA),
    }
    parts = {
        name: frame.partition_by("batch", as_dict=True, maintain_order=True)
        for name, (frame, _) in tables.items()
    }
    return [
        PostMatches(
            **{
                name: conform(parts[name].get((batch,), empty_frame(schema)), schema)
                for name, (_, schema) in tables.items()
            }
        )
        for batch in range(batches)
    ]


def _persons_named(
    mentions: pl.DataFrame,
    hay: resolve.Prepared,
    listed: pl.DataFrame,
    discovered: pl.DataFrame,
) -> pl.DataFrame:
    """The persons each batch names itself, for later batches (batch, CHANNEL_PERSON_SCHEMA):
    not those it knows only by a surname, nor a discovered person it found only through what
    earlier batches named."""
    from_batch = (pl.col("how") != "surname") & ~(
        (pl.col("how") == "discovered") & pl.col("name").is_null()
    )
    named = mentions.filter(from_batch).join(
        hay.posts.select("row", "batch", "channel", "published_at"), on="row"
    )
    frame = (
        named.sort("row", "start", "person_key")
        .group_by("batch", "channel", "person_key", maintain_order=True)
        .agg(
            pl.col("published_at").min().alias("first_named_at"),
            pl.col("name").drop_nulls().first(),
        )
    )
    leaders = _leaders_by_batch(
        frame.select("batch", leader_key="person_key"), listed, discovered
    ).select(
        "batch",
        pl.col("leader_key").alias("person_key"),
        pl.col("name").alias("canonical"),
        "role",
        "country_iso2",
    )
    frame = (
        frame.join(leaders, on=["batch", "person_key"], how="left")
        .with_columns(name=pl.coalesce("canonical", "name"))
        .filter(pl.col("channel").is_not_null())
        .sort("batch", "channel", "person_key")
    )
    return conform(frame, {"batch": pl.UInt32, **CHANNEL_PERSON_SCHEMA})


def _same_rows(a: pl.DataFrame, b: pl.DataFrame) -> bool:
    return a.sort(pl.all(), nulls_last=True).equals(b.sort(pl.all(), nulls_last=True))


def _leaders_by_batch(
    keys: pl.DataFrame, listed: pl.DataFrame, discovered: pl.DataFrame
) -> pl.DataFrame:
    """LEADER_SCHEMA with batch of the (batch, leader_key) rows of `keys`: what
    all_leaders(that batch's discovered) says of them (`listed` is all_leaders())."""
    keys = keys.unique()
    from_list = keys.join(listed, on="leader_key")
    found = keys.join(discovered, on=["batch", "leader_key"]).join(
        listed.select("leader_key"), on="leader_key", how="anti"
    )
    return pl.concat([from_list, found], how="diagonal_relaxed")


def _discovered_table(discovered: pl.DataFrame) -> pl.DataFrame:
    """batch and LEADER_SCHEMA: the persons on no list each batch discovered."""
    known = people.persons()["person_key"].implode()
    frame = discovered.filter(~pl.col("person_key").is_in(known)).select(
        "batch",
        pl.col("person_key").alias("leader_key"),
        "name",
        pl.col("office").replace_strict(OFFICE_ROLES, default=None).alias("role"),
        "country_iso2",
        pl.lit("discovered").alias("source"),
        pl.concat_list("name").alias("aliases"),
    )
    return conform(frame, {"batch": pl.UInt32, **LEADER_SCHEMA})


OFFICE_ROLES = {
    "head_of_state": "Head of state",
    "head_of_government": "Head of government",
    "foreign_minister": "Foreign minister",
    "head_of_organisation": "Head of an organisation",
    "head_of_parliament": "Head of parliament",
    "vice_president": "Vice president",
    "minister": "Minister",
    "foreign_ministry_spokesperson": "Foreign ministry spokesperson",
}


def all_leaders(discovered: pl.DataFrame | None = None) -> pl.DataFrame:
    """LEADER_SCHEMA: the reference leaders, every office holder and past leader, and the
    discovered ones (first wins by leader_key)."""
    reference = reference_leaders()
    others = (
        people.persons()
        .filter(~pl.col("listed"))
        .select(
            pl.col("person_key").alias("leader_key"),
            "name",
            pl.col("role").fill_null("Office holder"),
            pl.col("country_iso2").replace("SU", None),
            pl.lit("offices").alias("source"),
            pl.concat_list("name").alias("aliases"),
        )
    )
    frames = [reference, conform(others, LEADER_SCHEMA)]
    if discovered is not None and discovered.height:
        frames.append(conform(discovered, LEADER_SCHEMA))
    return pl.concat(frames).unique("leader_key", keep="first", maintain_order=True)


def _congo_in_context(rows: pl.DataFrame) -> pl.DataFrame:
    """ "Congo"/"Congolese" alone is the Republic of the Congo, unless the post places it in the
    DR Congo (it names the DRC, Kinshasa or its leaders): then it is the DRC."""
    has_cd = (pl.col("iso2") == "CD").any().over("row")
    return rows.filter(~((pl.col("iso2") == "CG") & has_cd))
