"""Batches matched together (one scan and one resolution for a group) give each batch the
partition it gets matched alone, after the batches before it: a person a batch names is known
to the batches after it in the group, never to those before it, and only in posts published
after the naming.

The batches are built around the rules that cross batches: a surname in one batch of a person
named in full in an earlier one (and the reverse order, which must not resolve); a person
discovered by title in one batch and named by surname in the next; a counterpart a batch
knows only through an earlier batch's naming, named by surname in a third batch (a chain that
the resolution of the group must follow batch after batch); a post published before the naming
it would need; a batch of pages landed at two times; a copy of an earlier batch's post; a
batch without posts.
"""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from orchestration.entities.build import (
    GROUP_POSTS,
    POST_COLUMNS,
    batch_groups,
    match_in_order,
    merged_slices,
    slices_of,
)
from orchestration.schemas import CHANNEL_PERSON_SCHEMA


def at(day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(2025, 5, day, hour, tzinfo=dt.UTC)


# batch id -> (when it landed, posts: key, text, published, landed if not with the batch)
BATCHES = {
    "b0": (
        at(10),
        [
            ("mfa_russia/1", "Sergey Lavrov met with Ahmed Attaf in Moscow.", at(1), None),
            (
                "mfa_russia/2",
                "Minister of Foreign Affairs of Tuvalu Kelemete Vaifou arrived in Moscow.",
                at(1, 11),
                None,
            ),
            # Ana Brnabić is named in full in b2, in a post published before this one
            ("mfa_russia/3", "Brnabic said the talks were useful.", at(2, 12), None),
            # discovered in Cyrillic here, in Latin letters in b1
            (
                "MID_Russia/12",
                "Министр торговли Буркина-Фасо Пьер Поко прибыл в Москву.",
                at(1, 13),
                None,
            ),
        ],
    ),
    "b1": (
        at(11),
        [
            # Attaf: named in b0; his Finnish counterpart on that day is Elina Valtonen
            (
                "mfa_russia/4",
                "Attaf held talks with his Finnish counterpart in Algiers.",
                at(2),
                None,
            ),
            ("mfa_russia/5", "Vaifou thanked Russia for the humanitarian aid.", at(2, 11), None),
            # another channel never named Attaf
            ("MID_Russia/6", "Attaf said the talks were useful.", at(2, 12), None),
            # discovered by title in b3, in a post published before this one
            ("mfa_russia/13", "Tommy Ngirmang arrived in Moscow.", at(2, 13), None),
            # b2 discovers Vaifou Lomani; here Vaifou is the one b0 discovered (the comma, which
            # the haystack drops, makes the words no one name for the reader)
            ("mfa_russia/14", "Vaifou, Lomani and their colleagues spoke.", at(2, 14), None),
            (
                "mfa_russia/15",
                "Minister of Trade of Burkina Faso Pierre Poko arrived in Moscow.",
                at(2, 15),
                None,
            ),
        ],
    ),
    "b2": (
        at(12),
        [
            # Valtonen: named by b1 only through b1's reading of Attaf, which needs b0
            ("mfa_russia/7", "Valtonen said the talks were useful.", at(3), None),
            ("mfa_russia/8", "Ana Brnabic arrived in Moscow.", at(1, 9), None),
            (
                "mfa_russia/16",
                "Prime Minister of Fiji Vaifou Lomani arrived in Moscow.",
                at(3, 11),
                None,
            ),
        ],
    ),
    # pages landed together at two times; the first post predates every naming of Attaf
    "b3": (
        at(13),
        [
            ("mfa_russia/9", "Attaf spoke at the conference in Algiers.", at(1, 8), None),
            ("mfa_russia/10", "Brnabic and Vaifou met in Moscow.", at(4), at(13, 12)),
            (
                "mfa_russia/17",
                "President of Palau Tommy Ngirmang arrived in Moscow.",
                at(1, 7),
                None,
            ),
        ],
    ),
    # a copy of b0's first post, and a post naming what b1 and b2 named
    "b4": (
        at(14),
        [
            ("mfa_russia/1", "Sergey Lavrov met with Ahmed Attaf in Moscow.", at(1), None),
            ("mfa_russia/11", "Valtonen and Brnabic spoke by telephone.", at(5), None),
        ],
    ),
    # a file rejected whole: a batch without posts
    "b5": (at(15), []),
}


def posts_of(batch_id: str) -> pl.DataFrame:
    landed, posts = BATCHES[batch_id]
    rows = [
        {
            "post_key": key,
            "text": text,
            "hashtags": None,
            "channel": key.split("/")[0],
            "published_at": published,
            "batch_id": batch_id,
            "ingested_at": later or landed,
        }
        for key, text, published, later in posts
    ]
    schema = {
        "post_key": pl.String,
        "text": pl.String,
        "hashtags": pl.List(pl.String),
        "channel": pl.String,
        "published_at": pl.Datetime("us", "UTC"),
        "batch_id": pl.String,
        "ingested_at": pl.Datetime("us", "UTC"),
    }
    return pl.DataFrame(rows, schema=schema).select(*POST_COLUMNS, "batch_id", "ingested_at")


def nothing_built_before(batch_id: str) -> pl.DataFrame:
    return pl.DataFrame(schema=CHANNEL_PERSON_SCHEMA)


def built(groups: list[tuple[str, ...]]) -> dict[str, dict[str, pl.DataFrame]]:
    return {
        batch_id: {name: frame.sort(pl.all(), nulls_last=True) for name, frame in tables.items()}
        for batch_id, tables in match_in_order(groups, posts_of, nothing_built_before)
    }


@pytest.fixture(scope="module")
def one_by_one() -> dict[str, dict[str, pl.DataFrame]]:
    return built([(batch_id,) for batch_id in BATCHES])


@pytest.fixture(scope="module")
def together() -> dict[str, dict[str, pl.DataFrame]]:
    return built([tuple(BATCHES)])


def leaders_of(tables: dict[str, dict[str, pl.DataFrame]], post_key: str) -> dict[str, str]:
    mentions = pl.concat([t["leader_mentions"] for t in tables.values()])
    rows = mentions.filter(pl.col("post_key") == post_key).select("leader_key", "resolved_by")
    return dict(rows.iter_rows())


def test_a_group_gives_each_batch_its_partition_alone(one_by_one, together):
    assert list(together) == list(BATCHES)
    for batch_id, tables in one_by_one.items():
        for name, frame in tables.items():
            assert together[batch_id][name].equals(frame), (batch_id, name)


def test_a_batch_knows_what_the_batches_before_it_named(together):
    # named in full in b0, by surname in b1
    assert leaders_of(together, "mfa_russia/4") == {
        "ahmed-attaf": "surname",
        "elina-valtonen": "title_date",
    }
    # discovered by title in b0, by surname in b1 and b3
    assert leaders_of(together, "mfa_russia/5") == {"kelemete-vaifou": "surname"}
    assert leaders_of(together, "mfa_russia/10") == {
        "ana-brnabic": "surname",
        "kelemete-vaifou": "surname",
    }
    # the Latin spelling of one discovered in Cyrillic is keyed as b0 knew him, and a name
    # b2 discovers after this batch does not hide the surname of one b0 discovered
    assert leaders_of(together, "mfa_russia/15") == {"per-poko": "discovered"}
    assert leaders_of(together, "mfa_russia/14") == {"kelemete-vaifou": "surname"}
    assert together["b0"]["leader_candidates"]["leader_key"].to_list() == [
        "kelemete-vaifou",
        "per-poko",
    ]
    # b1 named Valtonen only through its reading of b0's Attaf
    assert leaders_of(together, "mfa_russia/7") == {"elina-valtonen": "surname"}
    assert leaders_of(together, "mfa_russia/11") == {
        "ana-brnabic": "surname",
        "elina-valtonen": "surname",
    }


def test_a_batch_knows_nothing_a_later_batch_names(together):
    # Brnabić is named in b2 (and Ngirmang discovered in b3) in posts published earlier
    assert leaders_of(together, "mfa_russia/3") == {}
    assert leaders_of(together, "mfa_russia/13") == {}
    # ingested after b0, published before it named Attaf
    assert leaders_of(together, "mfa_russia/9") == {}
    # the other channel
    assert leaders_of(together, "MID_Russia/6") == {}
    assert together["b0"]["persons_named"]["person_key"].to_list() == [
        "per-poko",
        "ahmed-attaf",
        "kelemete-vaifou",
        "sergey-lavrov",
    ]


def test_mentions_keep_the_landing_time_of_their_post(together):
    landed = dict(
        together["b3"]["leader_mentions"].select("post_key", "ingested_at").unique().iter_rows()
    )
    assert landed == {"mfa_russia/10": at(13, 12), "mfa_russia/17": at(13)}


def test_groups_are_consecutive_batches_within_the_budget_and_the_same_history():
    batches = ["a", "b", "c", "d", "e", "f"]
    posts = {"a": 10, "b": GROUP_POSTS - 10, "c": 1, "d": 2 * GROUP_POSTS, "e": 5, "f": 5}
    # a built batch lies between e and f
    history = {"a": 0, "b": 0, "c": 0, "d": 0, "e": 0, "f": 1}
    assert batch_groups(batches, posts, history) == [("a", "b"), ("c",), ("d",), ("e",), ("f",)]


def one_big_batch() -> pl.DataFrame:
    """The posts of b0-b3 landed as one file (its copies once)."""
    frames = [posts_of(batch_id) for batch_id in ("b0", "b1", "b2", "b3")]
    return (
        pl.concat(frames)
        .unique("post_key", keep="first", maintain_order=True)
        .with_columns(batch_id=pl.lit("big"), ingested_at=pl.lit(at(10)))
    )


def test_a_big_batch_is_matched_as_its_slices_landed_one_after_another():
    big = one_big_batch()
    slices = slices_of("big", big["published_at"], size=3)
    assert len(slices) >= 4

    def slice_posts(item) -> pl.DataFrame:
        return item.posts(big.lazy()).collect()

    ((batch_id, tables),) = match_in_order(
        [(part,) for part in slices], slice_posts, nothing_built_before
    )
    assert batch_id == "big"
    # the same slices as batches of their own, in order
    alone = [
        tables_alone
        for _, tables_alone in match_in_order(
            [(str(i),) for i in range(len(slices))],
            lambda i: slice_posts(slices[int(i)]),
            nothing_built_before,
        )
    ]
    want = merged_slices(alone)
    for name, frame in tables.items():
        assert frame.sort(pl.all(), nulls_last=True).equals(
            want[name].sort(pl.all(), nulls_last=True)
        ), name
    # a post names what an earlier slice named: Attaf (b0's post, published 1 May) by surname
    attaf = tables["leader_mentions"].filter(pl.col("post_key") == "mfa_russia/4")
    assert dict(attaf.select("leader_key", "resolved_by").iter_rows())["ahmed-attaf"] == "surname"
    # and a person named in two slices is one row, as first named
    named = tables["persons_named"]
    assert named.select("channel", "person_key").is_unique().all()
    lavrov = named.filter(pl.col("person_key") == "sergey-lavrov")
    assert lavrov["first_named_at"].to_list() == [at(1)]


def test_slices_cut_by_publication_time_and_keep_every_post_once():
    times = [at(3), at(1), None, at(2), at(2), at(2), at(5), at(4), at(1, 12)]
    published = pl.Series("published_at", times, dtype=pl.Datetime("us", "UTC"))
    posts = pl.DataFrame({"published_at": published, "n": range(len(times))}).lazy()
    for size in (1, 2, 3, 4, 100):
        slices = slices_of("x", published, size=size)
        parts = [part.posts(posts).collect()["n"].to_list() for part in slices]
        assert sorted(n for part in parts for n in part) == list(range(len(times))), size
        assert all(parts), size  # no empty slice
        # posts of one instant stay together; the post without a time is in the first slice
        assert any({3, 4, 5} <= set(part) for part in parts), size
        assert 2 in parts[0]
        for earlier, later in zip(parts, parts[1:], strict=False):
            last = max(times[n] for n in earlier if times[n] is not None)
            assert last < min(times[n] for n in later), size
    assert len(slices_of("x", published, size=100)) == 1
    assert len(slices_of("x", published, size=2)) >= 4
