"""The channel network export: a graph of who cites whom, read from a warehouse file built
here, written as GEXF, GraphML and CSV, and read back by networkx with the same nodes, edges,
weights and times. `tgwh export network` and `tgwh channels suggest` as users run them.

The warehouse holds the marts the export reads, filled with real data shapes: the forwards of
the bundled sample files and of the real web-preview page (where present), taken through the
real parsers, plus links and mentions with awkward names (Cyrillic, emoji, XML's special
characters).
"""

import json
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import networkx as nx
import polars as pl
import pytest
from support.cli import tgwh
from support.paths import REAL_DATA

from orchestration.app.commands import export as export_command
from orchestration.config import SAMPLE_DATA_DIR, Home
from orchestration.ingest.parsing.api import parse_file
from orchestration.ingest.scraping import validate_channel_name
from orchestration.warehouse import network
from orchestration.warehouse.network import (
    UNRESOLVED_PREFIX,
    NetworkSelection,
    NetworkUnavailable,
    read_network,
    suggested_channels,
    write_network,
)
from orchestration.warehouse.query import WarehouseMissing

REAL_PAGE = REAL_DATA / "web_preview" / "full.html"
SAMPLE_FILES = [
    SAMPLE_DATA_DIR / "web_preview" / "mfa_russia.html",
    SAMPLE_DATA_DIR / "web_preview" / "MAErusse.html",
    SAMPLE_DATA_DIR / "desktop_export" / "MAERusia" / "result.json",
    SAMPLE_DATA_DIR / "desktop_export" / "full_account" / "result.json",
]
AWKWARD = 'Посольство <России> & "друзья" 🇷🇺'


def forwards_of(paths: list[Path]) -> tuple[list[dict], list[dict]]:
    """Citation rows of the files' forwards (the origin's username from the forward's link,
    else the display name only) and their channels' header figures."""
    citations, channels = [], {}
    for path in paths:
        parsed = parse_file(path, observed_at=datetime(2025, 5, 20, tzinfo=UTC))
        for header in parsed.headers.iter_rows(named=True):
            channels[header["channel"].lower()] = {
                "channel": header["channel"].lower(),
                "title": header["title"],
                "subscribers": header["subscribers"],
                "post_count": parsed.posts.height,
            }
        forwarded = parsed.posts.filter(
            pl.col("forwarded_from").is_not_null() | pl.col("forwarded_from_link").is_not_null()
        )
        for post in forwarded.iter_rows(named=True):
            link = post["forwarded_from_link"]
            published = post["published_at"]
            citations.append(
                {
                    "post_key": f"{post['channel'].lower()}/{post['message_id']}",
                    "channel": post["channel"].lower(),
                    "kind": "forward",
                    "cited_channel": validate_channel_name(link).lower() if link else None,
                    "forwarded_from": post["forwarded_from"],
                    "reference_count": 1,
                    "post_date": published.date() if published else None,
                }
            )
    return citations, list(channels.values())


def citation(post_key, kind, cited, day, references=1, forwarded_from=None) -> dict:
    return {
        "post_key": post_key,
        "channel": post_key.split("/")[0],
        "kind": kind,
        "cited_channel": cited,
        "forwarded_from": forwarded_from,
        "reference_count": references,
        "post_date": day,
    }


def awkward_citations() -> list[dict]:
    return [
        # one post links to and mentions mid_russia: one citing post, two citations
        citation("mfa_russia/1", "link", "mid_russia", date(2025, 5, 5), references=2),
        citation("mfa_russia/1", "mention", "mid_russia", date(2025, 5, 5)),
        citation("mfa_russia/2", "mention", "mid_russia", date(2025, 5, 13)),
        citation("mfa_russia/3", "link", "mid_russia", date(2025, 6, 2)),  # a gap of weeks
        citation("mfa_russia/c1", "mention", "mid_russia", None),  # a text copy without a date
        citation("mfa_russia/4", "forward", None, date(2025, 5, 6), forwarded_from=AWKWARD),
        citation("mfa_russia/5", "forward", None, date(2025, 5, 7), forwarded_from=AWKWARD),
        citation("mfa_russia/6", "forward", None, date(2025, 5, 7)),  # no channel, no name
        citation("mfa_russia/7", "mention", "feedback_bot", date(2025, 5, 8)),
        citation("mfa_russia/8", "mention", "newchan", date(2025, 5, 8)),
        citation("mid_russia/9", "link", "newchan", date(2025, 5, 9)),
    ]


def write_marts(path: Path, citations: list[dict], channels: list[dict]) -> None:
    """The marts the export reads, with their real column types."""
    fact = pl.DataFrame(
        citations,
        schema={
            "post_key": pl.String,
            "channel": pl.String,
            "kind": pl.String,
            "cited_channel": pl.String,
            "forwarded_from": pl.String,
            "reference_count": pl.Int32,
            "post_date": pl.Date,
        },
        orient="row",
    )
    dim = pl.DataFrame(
        channels,
        schema={
            "channel": pl.String,
            "title": pl.String,
            "subscribers": pl.Int64,
            "post_count": pl.Int64,
        },
        orient="row",
    )
    with duckdb.connect(str(path)) as db:
        db.execute("create schema marts")
        db.register("fact", fact)
        db.register("dim", dim)
        db.execute("create table marts.fct_channel_citations as select * from fact")
        db.execute("create table marts.dim_channels as select * from dim")
        db.execute(
            """
            create table marts.dim_referenced_channels as
            select
                cited_channel as channel,
                max(forwarded_from) filter (where kind = 'forward') as title,
                count(distinct channel)::int as citing_channel_count,
                count(distinct post_key)::int as citing_posts,
                count(distinct post_key) filter (where kind = 'forward')::int as forward_posts,
                count(distinct post_key) filter (where kind = 'link')::int as link_posts,
                count(distinct post_key) filter (where kind = 'mention')::int as mention_posts,
                list(distinct channel order by channel) as citing_channels,
                min(post_date)::timestamptz as first_seen_at,
                max(post_date)::timestamptz as last_seen_at,
                cited_channel like '%bot' as looks_like_bot
            from marts.fct_channel_citations
            where cited_channel not in (select channel from marts.dim_channels)
            group by cited_channel
            """
        )


@pytest.fixture(scope="module")
def sources() -> tuple[list[dict], list[dict]]:
    files = SAMPLE_FILES + ([REAL_PAGE] if REAL_PAGE.exists() else [])
    forwards, channels = forwards_of(files)
    return forwards + awkward_citations(), channels


@pytest.fixture
def warehouse(tmp_path, sources) -> Path:
    path = tmp_path / "tgwh.duckdb"
    write_marts(path, *sources)
    return path


def expected_weights(citations: list[dict], keep=lambda row: True) -> dict:
    posts: dict[tuple[str, str], set[str]] = {}
    for row in citations:
        target = row["cited_channel"] or (
            UNRESOLVED_PREFIX + row["forwarded_from"] if row["forwarded_from"] else None
        )
        if target is not None and keep(row):
            posts.setdefault((row["channel"], target), set()).add(row["post_key"])
    return {edge: len(keys) for edge, keys in posts.items()}


def weights_of(graph: nx.DiGraph) -> dict:
    return {(u, v): w for u, v, w in graph.edges(data="weight")}


def test_edges_weigh_citing_posts_and_nodes_carry_what_is_known(warehouse, sources):
    citations, _ = sources
    graph, summary = read_network(warehouse, followed=["MFA_Russia", "NewChan"])
    assert weights_of(graph) == expected_weights(citations)
    edge = graph.edges["mfa_russia", "mid_russia"]
    # mfa_russia/1 links (twice) and mentions: one post; /2, /3, the undated copy, and the
    # sample page's forward of a MID_Russia post
    assert (edge["weight"], edge["citations"]) == (5, 7)
    assert (edge["forwards"], edge["links"], edge["mentions"]) == (1, 2, 3)
    assert edge["kinds"] == "forward,link,mention"
    assert (edge["first_date"], edge["last_date"]) == ("2025-05-05", "2025-06-02")
    assert graph.nodes["mfa_russia"]["followed"] and graph.nodes["newchan"]["followed"]
    assert graph.nodes["mfa_russia"]["title"] == "Russian MFA 🇷🇺"
    assert graph.nodes["mfa_russia"]["subscribers"] == 52_900
    assert graph.nodes["newchan"]["node_type"] == "referenced"
    assert graph.nodes["newchan"]["label"] == "@newchan"
    unresolved = graph.nodes[UNRESOLVED_PREFIX + AWKWARD]
    assert (unresolved["label"], unresolved["node_type"]) == (AWKWARD, "unresolved")
    assert summary.without_origin == 1  # a forward showing neither channel nor name
    assert summary.edges == graph.number_of_edges()


def test_weeks_make_spells_of_consecutive_weeks(warehouse):
    graph, _ = read_network(warehouse)
    edge = graph.edges["mfa_russia", "mid_russia"]
    assert edge["spells"][0][0] == "2025-05-05"
    assert ("2025-06-02", "2025-06-08") in edge["spells"]
    assert all(date.fromisoformat(start).weekday() == 0 for start, _ in edge["spells"])
    assert all(date.fromisoformat(end).weekday() == 6 for _, end in edge["spells"])
    weekly = {start: n for n, start, _ in edge["weekly_posts"]}
    assert weekly["2025-06-02"] == 1
    assert sum(weekly.values()) == edge["weight"] - 1  # the undated copy has no week


def test_week_spells_merge_runs():
    weeks = [date(2025, 5, 5), date(2025, 5, 12), date(2025, 5, 26), date(2025, 5, 19)]
    assert network._week_spells(weeks + [date(2025, 6, 9)]) == [
        ("2025-05-05", "2025-06-01"),
        ("2025-06-09", "2025-06-15"),
    ]
    assert network._week_spells([]) == []


def test_the_selection_keeps_citations_by_date_and_kind(warehouse, sources):
    citations, _ = sources
    selection = NetworkSelection(
        since=date(2025, 5, 6), until=date(2025, 5, 31), kinds=("mention", "forward")
    )
    graph, _ = read_network(warehouse, selection=selection)
    expected = expected_weights(
        citations,
        lambda row: (
            row["kind"] in ("mention", "forward")
            and row["post_date"] is not None
            and date(2025, 5, 6) <= row["post_date"] <= date(2025, 5, 31)
        ),
    )
    assert weights_of(graph) == expected
    assert ("mid_russia", "newchan") not in weights_of(graph)  # a link
    assert "newchan" in graph  # still cited by a mention
    assert "mid_russia" in graph  # the warehouse's channels stay, cited or not


@pytest.mark.parametrize(
    "arguments",
    [
        {"kinds": ()},
        {"kinds": ("share",)},
        {"since": date(2025, 6, 1), "until": date(2025, 5, 1)},
    ],
)
def test_a_bad_selection_is_refused(arguments):
    with pytest.raises(ValueError):
        NetworkSelection(**arguments)


def read_back(output_format: str, files: list[Path]) -> nx.DiGraph:
    if output_format == "gexf":
        return nx.read_gexf(files[0])
    if output_format == "graphml":
        return nx.read_graphml(files[0])
    nodes, edges = pl.read_csv(files[0]), pl.read_csv(files[1])
    graph = nx.DiGraph()
    for row in nodes.iter_rows(named=True):
        graph.add_node(row["Id"], **row)
    for row in edges.iter_rows(named=True):
        graph.add_edge(row["Source"], row["Target"], weight=row["Weight"], **row)
    return graph


@pytest.mark.parametrize("output_format", ["gexf", "graphml", "csv"])
def test_written_files_read_back_with_the_same_graph(warehouse, tmp_path, output_format):
    graph, _ = read_network(warehouse, followed=["mfa_russia"])
    target = tmp_path / ("out" if output_format == "csv" else f"out.{output_format}")
    files = write_network(graph, output_format, target)
    back = read_back(output_format, files)
    assert back.is_directed()
    assert set(back.nodes) == set(graph.nodes)
    assert weights_of(back) == weights_of(graph)
    for node, data in graph.nodes(data=True):
        assert back.nodes[node].get("label", back.nodes[node].get("Label")) == data["label"]
    awkward = back.nodes[UNRESOLVED_PREFIX + AWKWARD]
    assert awkward.get("label", awkward.get("Label")) == AWKWARD
    edge = back.edges["mfa_russia", "mid_russia"]
    assert edge.get("kinds") == "forward,link,mention"
    assert edge.get("citations") == 7
    if output_format == "gexf":
        assert back.graph["mode"] == "dynamic"
        assert edge["spells"] == graph.edges["mfa_russia", "mid_russia"]["spells"]
        assert edge["weekly_posts"] == graph.edges["mfa_russia", "mid_russia"]["weekly_posts"]
        assert back.nodes["mfa_russia"]["followed"] is True
    if output_format == "graphml":
        assert "spells" not in edge and edge["first_date"] == "2025-05-05"
    if output_format == "csv":
        assert edge["Type"] == "Directed"
        interval = edge["Time Interval"]
        assert interval.startswith("<[2025-05-05,")
        assert interval.endswith(";[2025-06-02,2025-06-08]>")


def test_the_real_page_forwards_become_edges(warehouse):
    if not REAL_PAGE.exists():
        pytest.skip(f"real web-preview page not found at {REAL_PAGE}")
    graph, _ = read_network(warehouse)
    assert set(graph.successors("topwar_official")) == {
        "yaremshooter",
        "belarus_vpo",
        "vysokygovorit",
        "dimsmirnov175",
        "impnavigator",
    }
    assert graph.nodes["yaremshooter"]["title"] == "Военкор Ярем"
    assert graph.nodes["topwar_official"]["subscribers"] == 109_000


def test_a_warehouse_without_the_citation_marts_is_named(tmp_path):
    path = tmp_path / "old.duckdb"
    with duckdb.connect(str(path)) as db:
        db.execute("create schema marts; create table marts.dim_channels (channel varchar)")
    with pytest.raises(NetworkUnavailable, match="fct_channel_citations"):
        read_network(path)
    with pytest.raises(WarehouseMissing):
        read_network(tmp_path / "none.duckdb")


def test_suggestions_rank_by_citing_channels_then_posts(warehouse):
    frame = suggested_channels(warehouse, followed=["NEWCHAN"], limit=10)
    assert frame["channel"][0] == "newchan"  # cited by two channels
    assert frame.filter(pl.col("channel") == "newchan")["followed"].to_list() == [True]
    assert "feedback_bot" not in frame["channel"]
    with_bots = suggested_channels(warehouse, include_bots=True, limit=100)
    assert "feedback_bot" in with_bots["channel"]
    assert suggested_channels(warehouse, limit=1).height == 1


def test_the_command_constants_are_the_export_s():
    assert export_command.FORMATS == network.FORMATS
    assert export_command.KINDS == network.KINDS


@pytest.fixture
def home(tmp_path, sources) -> Path:
    root = tmp_path / "home"
    published = Home(root).warehouse.published
    published.parent.mkdir(parents=True)
    write_marts(published, *sources)
    return root


def test_tgwh_export_network_writes_each_format(home, tmp_path):
    for output_format, name in [("gexf", "n.gexf"), ("graphml", "n.graphml"), ("csv", "n")]:
        result = tgwh(
            home,
            "export",
            "network",
            "--format",
            output_format,
            "--kind",
            "forward",
            "--since",
            "2025-05-01",
            "--output",
            str(tmp_path / name),
        )
        assert "citation edges" in result.stdout
    gexf = nx.read_gexf(tmp_path / "n.gexf")
    assert {data["kinds"] for _, _, data in gexf.edges(data=True)} == {"forward"}
    # the default followed list (the shipped channels) marks the sample's channels
    assert gexf.nodes["mfa_russia"]["followed"] is True
    assert sorted(p.name for p in (tmp_path / "n").iterdir()) == ["edges.csv", "nodes.csv"]


def test_tgwh_export_network_refuses_bad_input_clearly(home, tmp_path):
    bad_kind = tgwh(home, "export", "network", "--kind", "share", check=False)
    assert bad_kind.returncode == 2 and "share" in bad_kind.stderr
    backwards = tgwh(
        home, "export", "network", "--since", "2025-06-01", "--until", "2025-05-01", check=False
    )
    assert backwards.returncode == 2 and "after" in backwards.stderr
    folder = tgwh(home, "export", "network", "--output", str(tmp_path), check=False)
    assert folder.returncode == 2 and "is a folder" in folder.stderr
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    unwritable = tgwh(home, "export", "network", "--output", str(blocker / "n.gexf"), check=False)
    assert unwritable.returncode == 1 and "cannot write" in unwritable.stderr
    missing = tgwh(tmp_path / "empty-home", "export", "network", check=False)
    assert missing.returncode == 1 and "tgwh run" in missing.stderr


def test_tgwh_channels_suggest_lists_candidates(home):
    tgwh(home, "channels", "add", "newchan")
    result = tgwh(home, "channels", "suggest", "--format", "json")
    suggestions = json.loads(result.stdout)
    assert suggestions[0]["channel"] == "newchan" and suggestions[0]["followed"] is True
    assert all(not row["channel"].endswith("bot") for row in suggestions)
    table = tgwh(home, "channels", "suggest", "--limit", "1")
    assert "newchan" in table.stdout and "tgwh channels add" in table.stdout
