"""The channel network on real data shapes: the bundled sample files (and the real web-preview
page, where present) through the real parsers and normalization, then dbt.

Two batches, as two runs land them: the second brings a later page of mfa_russia, an edit that
drops a link, and channel headers whose titles resolve an old forward known only by its display
name and make another ambiguous. Three builds in all (first batch, then both incrementally;
both at once), shared by every test here. Telethon JSON Lines ride along (a later copy of one
in the second batch): their forward, reply and reaction counts reach fct_posts.
"""

from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import networkx as nx
import polars as pl
import pytest
from support.cli import warehouse_snapshot
from support.dbt_build import build, ingested_file, parsed_sources, post, rows, statuses
from support.paths import PARSING_FIXTURES, REAL_DATA

from orchestration.config import SAMPLE_DATA_DIR, Home
from orchestration.normalize.store import NormalizedStore
from orchestration.warehouse.network import (
    UNRESOLVED_PREFIX,
    NetworkSelection,
    read_network,
    write_network,
)
from orchestration.warehouse.query import open_warehouse
from orchestration.warehouse.stamp import stamp_build

REAL_PAGE = REAL_DATA / "web_preview" / "full.html"
FIRST_LANDED = datetime(2025, 5, 20, tzinfo=UTC)
SECOND_LANDED = datetime(2025, 5, 27, tzinfo=UTC)
# A MAERusia post forwarded from the French channel by its title: resolved until a second
# channel shows the same title.
TITLED_FORWARD = "maerusia/90001"
LINK_DROPPED = "maerusia/90002"
PAKISTAN = "Посольство России в Пакистане"


def sample(name: str) -> Path:
    return SAMPLE_DATA_DIR / name


def first_batch() -> dict[str, list[dict]]:
    files = [
        sample("web_preview/mfa_russia.html"),
        sample("web_preview/MAErusse.html"),
        sample("desktop_export/MAERusia/result.json"),
        sample("desktop_export/full_account/result.json"),
        sample("text_copy/mfa_russia_2025-05.txt"),
    ]
    if REAL_PAGE.exists():
        files.append(REAL_PAGE)
    files.append(PARSING_FIXTURES / "telethon_4cat.ndjson")  # its lines name their channel
    sources = parsed_sources(files, FIRST_LANDED)
    messages = parsed_sources(
        [PARSING_FIXTURES / "telethon_messages.jsonl"], FIRST_LANDED, channel="mfa_test"
    )
    for name, found in messages.items():
        sources[name] += found
    extra = {"batch_id": "synthetic-1", "ingested_at": FIRST_LANDED}
    sources["posts"] += [
        post(
            channel="maerusia",
            message_id=90001,
            published_at=datetime(2025, 5, 14, 9, tzinfo=UTC),
            text="Reenviado.",
            forwarded_from="MAE Russie 🇷🇺",
            source_format="desktop_export",
        )
        | extra,
        post(
            channel="maerusia",
            message_id=90002,
            published_at=datetime(2025, 5, 15, 9, tzinfo=UTC),
            text="Lea https://t.me/s/RusEmbSpain/123 y t.me/RusEmbSpain/124",
            links=["https://t.me/s/RusEmbSpain/123", "https://t.me/RusEmbSpain/124"],
            source_format="desktop_export",
        )
        | extra,
    ]
    sources["ingested_files"].append(
        ingested_file("synthetic-1", "/inbox/synthetic-1.json", "desktop_export", FIRST_LANDED)
    )
    return sources


def second_batch() -> dict[str, list[dict]]:
    # a week on, the Telethon lines again: more views, forwards, replies and reactions
    later = [
        sample("web_preview/mfa_russia_later.html"),
        PARSING_FIXTURES / "telethon_4cat_later.ndjson",
    ]
    sources = parsed_sources(later, SECOND_LANDED)
    extra = {"batch_id": "synthetic-2", "ingested_at": SECOND_LANDED}
    dropped = next(p for p in first_batch()["posts"] if p["post_key"] == LINK_DROPPED)
    sources["posts"].append(
        dropped
        | extra
        | {
            "text": "Lea el comunicado.",
            "links": [],
            "is_edited": True,
            "edited_at": datetime(2025, 5, 26, tzinfo=UTC),
        }
    )
    header = {"source_format": "web_preview", "observed_at": SECOND_LANDED} | extra
    sources["channel_headers"] += [
        header | {"channel": "rusembpakistan", "title": PAKISTAN, "subscribers": 1200},
        header | {"channel": "maerusse_mirror", "title": "MAE Russie 🇷🇺"},
    ]
    sources["ingested_files"].append(
        ingested_file("synthetic-2", "/inbox/synthetic-2.html", "web_preview", SECOND_LANDED)
    )
    return sources


def both_batches() -> dict[str, list[dict]]:
    first, second = first_batch(), second_batch()
    return {name: first[name] + second[name] for name in first}


def built(home: Path, sources: dict[str, list[dict]]) -> dict:
    result, run_results = build(home, sources)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    not_passed = {k: v for k, v in statuses(run_results).items() if v not in ("success", "pass")}
    assert not not_passed
    return run_results


@pytest.fixture(scope="module")
def homes(tmp_path_factory) -> dict[str, Path]:
    incremental = tmp_path_factory.mktemp("incremental")
    built(incremental, first_batch())
    with duckdb.connect(str(incremental / "warehouse" / "tgwh.duckdb")) as db:
        stamp_build(db, NormalizedStore(Home(incremental).normalized).batches(), run_id="first")
    built(incremental, both_batches())
    full = tmp_path_factory.mktemp("full")
    built(full, both_batches())
    return {"incremental": incremental, "full": full}


@pytest.fixture(scope="module")
def warehouse(homes):
    # opened as the export opens it: DuckDB shares one database between connections in a
    # process only when their configurations agree
    connection = open_warehouse(homes["full"] / "warehouse" / "tgwh.duckdb")
    yield connection
    connection.close()


def citations_of(warehouse, post_key: str) -> dict[str, dict]:
    return {
        row["kind"] + ":" + str(row["cited_channel"]): row
        for row in rows(
            warehouse,
            f"select * from marts.fct_channel_citations where post_key = '{post_key}'",
        )
    }


def test_an_incremental_build_equals_a_full_refresh(homes):
    compiled = homes["incremental"] / "dbt" / "target" / "compiled" / "tgwh" / "models" / "marts"
    assert "warehouse_build" in (compiled / "fct_channel_citations.sql").read_text()
    assert warehouse_snapshot(homes["incremental"]) == warehouse_snapshot(homes["full"])


def test_every_forward_post_has_one_forward_citation(warehouse):
    forwards = rows(warehouse, "select count(*) n from marts.fct_posts where is_forward")[0]["n"]
    cited = rows(
        warehouse, "select count(*) n from marts.fct_channel_citations where kind = 'forward'"
    )[0]["n"]
    assert forwards == cited >= 6


def test_forwards_resolve_by_link_then_by_unambiguous_title(warehouse):
    india = citations_of(warehouse, "mfa_russia/31845")["forward:rusembindia"]
    assert (india["cited_message_id"], india["cited_channel_source"]) == (3312, "username")
    assert india["forwarded_from"] == "Russian Embassy in India 🇷🇺"
    assert citations_of(warehouse, "maerusse/9875")["forward:ambrusfrance"]["cited_message_id"]
    # a Desktop export names the origin only: not a channel of the warehouse, kept by name
    spain = citations_of(warehouse, "maerusia/14213")["forward:None"]
    assert spain["forwarded_from"] == "Embajada de Rusia en España"
    assert spain["cited_channel_source"] is None
    # resolved once a later batch showed a channel with that title (the post was not touched)
    pakistan = citations_of(warehouse, "mid_russia/54205")["forward:rusembpakistan"]
    assert (pakistan["cited_channel_source"], pakistan["forwarded_from"]) == ("title", PAKISTAN)
    # the French channel's title, now shown by two channels: no longer resolved
    ambiguous = citations_of(warehouse, TITLED_FORWARD)
    assert list(ambiguous) == ["forward:None"]


def test_links_and_mentions_name_channels_but_not_the_citing_one(warehouse):
    later = citations_of(warehouse, "mfa_russia/31863")
    assert set(later) == {"link:mid_russia", "mention:mid_russia"}
    assert set(citations_of(warehouse, "maerusia/14216")) == {"mention:mid_russia"}
    own = rows(
        warehouse,
        "select count(*) n from marts.fct_channel_citations "
        "where kind <> 'forward' and cited_channel = channel",
    )
    assert own == [{"n": 0}]
    # the edit removed the links: the post cites nothing any more
    assert citations_of(warehouse, LINK_DROPPED) == {}


def test_aggregates_add_up_to_the_fact(warehouse):
    fact = rows(
        warehouse,
        "select sum(reference_count) c from marts.fct_channel_citations "
        "where post_date is not null",
    )[0]["c"]
    for model in ("fct_channel_citations_weekly", "fct_channel_citations_monthly"):
        assert rows(warehouse, f"select sum(citations) c from marts.{model}")[0]["c"] == fact
    weeks = {
        row["week_start"].weekday()
        for row in rows(warehouse, "select week_start from marts.fct_channel_citations_weekly")
    }
    assert weeks == {0}


def test_referenced_channels_are_the_cited_ones_missing_from_the_warehouse(warehouse):
    referenced = {
        row["channel"]: row
        for row in rows(warehouse, "select * from marts.dim_referenced_channels")
    }
    assert {"rusembindia", "ambrusfrance"} <= set(referenced)
    in_warehouse = {r["channel"] for r in rows(warehouse, "select channel from marts.dim_channels")}
    assert not in_warehouse & set(referenced)
    assert {"mid_russia", "rusembpakistan", "rusembspain"}.isdisjoint(referenced)
    india = referenced["rusembindia"]
    assert (india["title"], india["forward_posts"], india["citing_channels"]) == (
        "Russian Embassy in India 🇷🇺",
        1,
        ["mfa_russia"],
    )


def test_the_real_page_cites_by_forward_link_and_mention(warehouse):
    if not REAL_PAGE.exists():
        pytest.skip(f"real web-preview page not found at {REAL_PAGE}")
    cited = citations_of(warehouse, "topwar_official/70996")
    assert set(cited) == {
        "forward:yaremshooter",
        "link:yaremshooter",
        "link:infantmilitario",
        "mention:yaremshooter",
    }
    assert cited["forward:yaremshooter"]["cited_message_id"] == 1066
    assert cited["link:infantmilitario"]["cited_message_id"] == 93419
    forwards = rows(
        warehouse,
        "select cited_channel from marts.fct_channel_citations "
        "where channel = 'topwar_official' and kind = 'forward' order by 1",
    )
    assert [row["cited_channel"] for row in forwards] == [
        "belarus_vpo",
        "dimsmirnov175",
        "impnavigator",
        "vysokygovorit",
        "yaremshooter",
    ]


def expected_edges(warehouse, where: str = "true") -> dict[tuple[str, str], int]:
    """Citing posts per (citing, cited) pair, counted here apart from the export's SQL; a
    forward with neither channel nor name has no node to point at."""
    return {
        (row["source"], row["target"]): row["posts"]
        for row in rows(
            warehouse,
            f"""
            select channel source,
                coalesce(cited_channel, '{UNRESOLVED_PREFIX}' || forwarded_from) target,
                count(distinct post_key) posts
            from marts.fct_channel_citations
            where (forwarded_from is not null or cited_channel is not null) and ({where})
            group by all
            """,
        )
    }


@pytest.mark.parametrize("output_format", ["gexf", "graphml", "csv"])
def test_the_exported_network_reads_back_with_its_nodes_edges_and_weights(
    homes, warehouse, tmp_path, output_format
):
    published = homes["full"] / "warehouse" / "tgwh.duckdb"
    graph, summary = read_network(published, followed=["mfa_russia", "RusEmbIndia"])
    target = tmp_path / ("network" if output_format == "csv" else f"network.{output_format}")
    files = write_network(graph, output_format, target)
    assert all(path.stat().st_size > 0 for path in files)
    if output_format == "gexf":
        back = nx.read_gexf(target)
    elif output_format == "graphml":
        back = nx.read_graphml(target)
    else:
        nodes = pl.read_csv(files[0])
        edges = pl.read_csv(files[1])
        back = nx.DiGraph()
        back.add_nodes_from(nodes["Id"])
        back.add_weighted_edges_from(edges.select("Source", "Target", "Weight").iter_rows())
        assert set(edges["Type"]) == {"Directed"}
    assert back.is_directed()
    assert set(back.nodes) == set(graph.nodes)
    weights = {(u, v): w for u, v, w in back.edges(data="weight")}
    assert weights == expected_edges(warehouse)
    assert summary.edges == len(weights)
    if output_format == "csv":
        return
    spain = back.nodes[UNRESOLVED_PREFIX + "Embajada de Rusia en España"]
    assert (spain["label"], spain["node_type"]) == ("Embajada de Rusia en España", "unresolved")
    india = back.nodes["rusembindia"]
    assert (india["node_type"], india["in_warehouse"], india["followed"]) == (
        "referenced",
        False,
        True,
    )
    mfa = back.nodes["mfa_russia"]
    assert (mfa["followed"], mfa["subscribers"]) == (True, 53000)
    edge = back.edges["mfa_russia", "mid_russia"]
    assert edge["kinds"] == "forward,link,mention"
    if output_format == "gexf":
        assert back.graph["mode"] == "dynamic"
        assert edge["spells"] and all(start <= end for start, end in edge["spells"])
        assert sum(n for n, _, _ in edge["weekly_posts"]) >= edge["weight"]


def test_the_export_selects_by_date_and_kind(homes, warehouse):
    published = homes["full"] / "warehouse" / "tgwh.duckdb"
    selection = NetworkSelection(since=date(2025, 5, 12), kinds=("forward",))
    graph, _ = read_network(published, selection=selection)
    weights = {(u, v): w for u, v, w in graph.edges(data="weight")}
    expected = expected_edges(warehouse, "kind = 'forward' and post_date >= date '2025-05-12'")
    assert weights == expected
    assert expected and len(expected) < len(expected_edges(warehouse))


def test_telethon_posts_reach_fct_posts_with_their_counts(warehouse):
    found = {
        row["post_key"]: row
        for row in rows(
            warehouse,
            "select post_key, source_format, views, forwards, replies, reactions, "
            "reactions_total, is_forward, reply_to_post_key from marts.fct_posts "
            "where channel = 'mfa_test'",
        )
    }
    assert set(found) == {f"mfa_test/{n}" for n in (101, 102, 103, 105, 201, 202)}
    first = found["mfa_test/101"]
    assert first["source_format"] == "telethon_jsonl"
    assert (first["views"], first["forwards"], first["replies"]) == (15230, 87, 12)
    assert first["reactions"] == [
        {"emoji": "👍", "count": 40},
        {"emoji": "🔥", "count": 9},
        {"emoji": "custom:5368324170671202286", "count": 3},
    ]
    assert first["reactions_total"] == 52
    assert found["mfa_test/102"]["is_forward"] is True
    assert found["mfa_test/103"]["reply_to_post_key"] == "mfa_test/101"
    assert found["mfa_test/105"]["forwards"] is None
    # landed twice: the later landing's counts
    later = found["mfa_test/201"]
    assert (later["views"], later["forwards"], later["replies"]) == (1480, 9, 5)
    assert (later["reactions"], later["reactions_total"]) == ([{"emoji": "👏", "count": 30}], 30)


def test_posts_of_sources_without_the_counts_leave_them_null(warehouse):
    (counts,) = rows(
        warehouse,
        "select count(*) as posts, count(forwards) as forwards, count(replies) as replies, "
        "count(reactions) as reactions from marts.fct_posts "
        "where source_format <> 'telethon_jsonl'",
    )
    assert counts["posts"] > 0
    assert (counts["forwards"], counts["replies"], counts["reactions"]) == (0, 0, 0)
