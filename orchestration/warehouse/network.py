"""The channel network: which channels cite which, read from the published warehouse, as a
weighted directed graph for Gephi (GEXF, GraphML) or any spreadsheet (CSV).

An edge A -> B says that posts of channel A cite channel B: forward its posts, link to it, or
@mention it (marts.fct_channel_citations). Its weight is the number of citing posts (a post
that both links to and mentions B counts once); citations and the posts of each kind are
attributes. Nodes are the warehouse's channels (marts.dim_channels), the channels only cited
(marts.dim_referenced_channels), and the origins of forwards known only by a display name that
no channel's title matches (id ``forwarded_from:<name>``).

Time: in GEXF each edge carries spells, the runs of consecutive weeks (Monday to Sunday) in
which it was cited, and the citing posts of each week as a dynamic attribute, so Gephi's
timeline can play the network week by week. GraphML has no time of its own: edges carry their
first and last date as attributes. CSV writes nodes.csv and edges.csv with Gephi's column names
(Id, Label; Source, Target, Type, Weight; Time Interval, the weeks as closed intervals).

The counting is SQL on the warehouse; only the aggregated nodes and edges pass through Python,
one call each, because networkx builds its graphs that way.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import duckdb
import networkx as nx
import polars as pl

from orchestration.common.durable import write_bytes_atomic
from orchestration.warehouse.query import open_warehouse

KINDS = ("forward", "link", "mention")
FORMATS = ("gexf", "graphml", "csv")
UNRESOLVED_PREFIX = "forwarded_from:"
NETWORK_TABLES = (
    "marts.fct_channel_citations",
    "marts.dim_channels",
    "marts.dim_referenced_channels",
)
WEEK = timedelta(days=7)


class NetworkUnavailable(RuntimeError):
    """The published warehouse has no citation tables (built before they existed)."""


@dataclass(frozen=True)
class NetworkSelection:
    """Which citations make the graph: by the citing post's date (inclusive) and kind."""

    since: date | None = None
    until: date | None = None
    kinds: tuple[str, ...] = KINDS

    def __post_init__(self):
        unknown = sorted(set(self.kinds) - set(KINDS))
        if unknown or not self.kinds:
            raise ValueError(f"kinds must be among {', '.join(KINDS)}; got {list(self.kinds)}")
        if self.since and self.until and self.since > self.until:
            raise ValueError(f"since ({self.since}) is after until ({self.until})")


@dataclass
class NetworkSummary:
    """What a graph holds, for the command's report."""

    nodes: int
    edges: int
    citing_posts: int
    without_origin: int  # forwards whose origin shows neither a channel nor a name


def _citations_sql(selection: NetworkSelection) -> tuple[str, list]:
    """The selected citations, each with its target node id."""
    conditions = ["kind in (select unnest(?::varchar[]))"]
    parameters: list = [list(selection.kinds)]
    if selection.since is not None:
        conditions.append("post_date >= ?")
        parameters.append(selection.since)
    if selection.until is not None:
        conditions.append("post_date <= ?")
        parameters.append(selection.until)
    sql = f"""
        select
            channel as source,
            coalesce(cited_channel, '{UNRESOLVED_PREFIX}' || forwarded_from) as target,
            cited_channel is null as unresolved,
            forwarded_from,
            post_key,
            kind,
            reference_count,
            post_date
        from marts.fct_channel_citations
        where {" and ".join(conditions)}
    """
    return sql, parameters


def _frame(connection: duckdb.DuckDBPyConnection, sql: str, parameters: list) -> pl.DataFrame:
    return pl.from_arrow(connection.sql(sql, params=parameters or None).to_arrow_table())


def _check_tables(connection: duckdb.DuckDBPyConnection, warehouse: Path) -> None:
    present = {
        f"{schema}.{name}"
        for schema, name in connection.execute(
            "select table_schema, table_name from information_schema.tables"
        ).fetchall()
    }
    missing = [table for table in NETWORK_TABLES if table not in present]
    if missing:
        raise NetworkUnavailable(
            f"{warehouse} has no {', '.join(missing)}: it was built before the channel network "
            "existed; `tgwh run` rebuilds it"
        )


def _sunday(monday: date) -> str:
    """The last day of the week that starts on ``monday``, ISO (GEXF intervals are closed)."""
    return (monday + WEEK - timedelta(days=1)).isoformat()


def _week_spells(weeks: list[date]) -> list[tuple[str, str]]:
    """Runs of consecutive weeks as (first Monday, last Sunday), ISO dates."""
    spells: list[tuple[str, str]] = []
    start = previous = None
    for week in sorted(weeks):
        if start is None:
            start = previous = week
        elif week - previous == WEEK:
            previous = week
        else:
            spells.append((start.isoformat(), _sunday(previous)))
            start = previous = week
    if start is not None:
        spells.append((start.isoformat(), _sunday(previous)))
    return spells


def _without_nulls(values: dict) -> dict:
    """GEXF and GraphML have no null: an unknown attribute is left out."""
    return {key: value for key, value in values.items() if value is not None}


def read_network(
    warehouse: Path,
    followed: Iterable[str] = (),
    selection: NetworkSelection | None = None,
) -> tuple[nx.DiGraph, NetworkSummary]:
    """The citation graph of the published warehouse (opened read-only) for ``selection``;
    ``followed`` (usernames, any case) marks the channels the user follows."""
    selection = selection or NetworkSelection()
    followed_keys = {name.lower() for name in followed}
    connection = open_warehouse(warehouse)
    try:
        _check_tables(connection, warehouse)
        citations_sql, parameters = _citations_sql(selection)
        selected = f"with selected as ({citations_sql}) "
        edges = _frame(
            connection,
            selected
            + """
            select
                source,
                target,
                bool_or(unresolved) as unresolved,
                count(distinct post_key) as posts,
                sum(reference_count) as citations,
                count(distinct post_key) filter (where kind = 'forward') as forwards,
                count(distinct post_key) filter (where kind = 'link') as links,
                count(distinct post_key) filter (where kind = 'mention') as mentions,
                string_agg(distinct kind, ',' order by kind) as kinds,
                min(post_date) as first_date,
                max(post_date) as last_date
            from selected
            where target is not null
            group by source, target
            order by source, target
            """,
            parameters,
        )
        weeks = _frame(
            connection,
            selected
            + """
            select
                source,
                target,
                list(week order by week) as weeks,
                list(posts order by week) as week_posts
            from (
                select source, target, cast(date_trunc('week', post_date) as date) as week,
                    count(distinct post_key) as posts
                from selected
                where target is not null and post_date is not null
                group by all
            )
            group by source, target
            """,
            parameters,
        )
        totals = connection.execute(
            selected + "select count(distinct post_key), count(*) filter (where target is null) "
            "from selected",
            parameters,
        ).fetchall()[0]
        channels = _frame(
            connection,
            "select channel, title, subscribers, post_count from marts.dim_channels "
            "order by channel",
            [],
        )
        referenced = _frame(
            connection,
            "select channel, title from marts.dim_referenced_channels order by channel",
            [],
        )
    finally:
        connection.close()

    graph = nx.DiGraph(name="tgwh channel network")
    for row in channels.iter_rows(named=True):
        graph.add_node(
            row["channel"],
            **_without_nulls(
                {
                    "label": row["title"] or f"@{row['channel']}",
                    "username": row["channel"],
                    "title": row["title"],
                    "url": f"https://t.me/{row['channel']}",
                    "subscribers": row["subscribers"],
                    "posts": row["post_count"],
                    "node_type": "warehouse",
                    "in_warehouse": True,
                    "followed": row["channel"] in followed_keys,
                }
            ),
        )
    endpoints = set(edges["target"]) | set(edges["source"])
    for row in referenced.filter(pl.col("channel").is_in(list(endpoints))).iter_rows(named=True):
        graph.add_node(
            row["channel"],
            **_without_nulls(
                {
                    "label": row["title"] or f"@{row['channel']}",
                    "username": row["channel"],
                    "title": row["title"],
                    "url": f"https://t.me/{row['channel']}",
                    "node_type": "referenced",
                    "in_warehouse": False,
                    "followed": row["channel"] in followed_keys,
                }
            ),
        )
    spells = {
        (row["source"], row["target"]): row
        for row in weeks.iter_rows(named=True)  # one row per edge, not per post
    }
    for row in edges.iter_rows(named=True):
        source, target = row["source"], row["target"]
        if target not in graph:  # a forward's origin known only by its name
            name = target.removeprefix(UNRESOLVED_PREFIX) if row["unresolved"] else target
            graph.add_node(
                target,
                label=name,
                node_type="unresolved" if row["unresolved"] else "referenced",
                in_warehouse=False,
                followed=False,
            )
        weekly = spells.get((source, target))
        attributes = {
            "weight": row["posts"],
            "citations": int(row["citations"]),
            "forwards": row["forwards"],
            "links": row["links"],
            "mentions": row["mentions"],
            "kinds": row["kinds"],
            "first_date": row["first_date"].isoformat() if row["first_date"] else None,
            "last_date": row["last_date"].isoformat() if row["last_date"] else None,
        }
        if weekly is not None:
            attributes["spells"] = _week_spells(weekly["weeks"])
            attributes["weekly_posts"] = [
                (posts, week.isoformat(), _sunday(week))
                for week, posts in zip(weekly["weeks"], weekly["week_posts"], strict=True)
            ]
        graph.add_edge(source, target, **_without_nulls(attributes))
    summary = NetworkSummary(
        nodes=graph.number_of_nodes(),
        edges=graph.number_of_edges(),
        citing_posts=totals[0],
        without_origin=totals[1],
    )
    return graph, summary


TIME_ATTRIBUTES = ("spells", "weekly_posts")


def _static(graph: nx.DiGraph) -> nx.DiGraph:
    """A copy without the time attributes that only GEXF can hold (lists)."""
    static = graph.copy()
    for _, _, data in static.edges(data=True):
        for name in TIME_ATTRIBUTES:
            data.pop(name, None)
    return static


def _interval_set(spells: list[tuple[str, str]] | None) -> str | None:
    """The closed intervals of Gephi's spreadsheet import ("Time Interval" column):
    <[2025-05-05,2025-05-18];[2025-06-02,2025-06-08]>."""
    if not spells:
        return None
    return "<" + ";".join(f"[{start},{end}]" for start, end in spells) + ">"


NODE_COLUMNS = {
    "Id": pl.String,
    "Label": pl.String,
    "username": pl.String,
    "title": pl.String,
    "url": pl.String,
    "subscribers": pl.Int64,
    "posts": pl.Int64,
    "node_type": pl.String,
    "in_warehouse": pl.Boolean,
    "followed": pl.Boolean,
}
EDGE_COLUMNS = {
    "Source": pl.String,
    "Target": pl.String,
    "Type": pl.String,
    "Weight": pl.Int64,
    "citations": pl.Int64,
    "forwards": pl.Int64,
    "links": pl.Int64,
    "mentions": pl.Int64,
    "kinds": pl.String,
    "first_date": pl.String,
    "last_date": pl.String,
    "Time Interval": pl.String,
}


def network_tables(graph: nx.DiGraph) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The nodes and edges tables of the CSV export."""
    nodes = pl.DataFrame(
        [
            {"Id": node, "Label": data.get("label", node)}
            | {name: data.get(name) for name in list(NODE_COLUMNS)[2:]}
            for node, data in graph.nodes(data=True)
        ],
        schema=NODE_COLUMNS,
        orient="row",
    )
    edges = pl.DataFrame(
        [
            {"Source": source, "Target": target, "Type": "Directed", "Weight": data["weight"]}
            | {name: data.get(name) for name in list(EDGE_COLUMNS)[4:-1]}
            | {"Time Interval": _interval_set(data.get("spells"))}
            for source, target, data in graph.edges(data=True)
        ],
        schema=EDGE_COLUMNS,
        orient="row",
    )
    return nodes, edges


def output_files(output_format: str, output: Path) -> list[Path]:
    """The files an export writes: one for GEXF and GraphML, nodes.csv and edges.csv in the
    folder ``output`` for CSV."""
    if output_format == "csv":
        return [output / "nodes.csv", output / "edges.csv"]
    return [output]


def write_network(graph: nx.DiGraph, output_format: str, output: Path) -> list[Path]:
    """Write ``graph`` with networkx's writers (each file replaced atomically); the files."""
    if output_format not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}; got {output_format!r}")
    files = output_files(output_format, output)
    if output_format in ("gexf", "graphml"):
        document = io.BytesIO()
        if output_format == "gexf":
            nx.write_gexf(graph, document, version="1.2draft")
        else:
            nx.write_graphml(_static(graph), document, named_key_ids=True)
        write_bytes_atomic(output, document.getvalue())
    else:
        nodes, edges = network_tables(graph)
        write_bytes_atomic(files[0], nodes.write_csv().encode("utf-8"))
        write_bytes_atomic(files[1], edges.write_csv().encode("utf-8"))
    return files


def suggested_channels(
    warehouse: Path, followed: Iterable[str] = (), limit: int = 20, include_bots: bool = False
) -> pl.DataFrame:
    """Channels cited but not in the warehouse (marts.dim_referenced_channels), those cited by
    the most channels, then posts, first; ``followed`` marks those on the user's list."""
    connection = open_warehouse(warehouse)
    try:
        _check_tables(connection, warehouse)
        frame = _frame(
            connection,
            """
            select
                channel, title, citing_channel_count as channels, citing_posts as posts,
                forward_posts as forwards, link_posts as links, mention_posts as mentions,
                citing_channels, cast(first_seen_at as date) as first_seen,
                cast(last_seen_at as date) as last_seen
            from marts.dim_referenced_channels
            where ? or not looks_like_bot
            order by citing_channel_count desc, citing_posts desc, last_seen_at desc nulls last,
                channel
            limit ?
            """,
            [include_bots, limit],
        )
    finally:
        connection.close()
    followed_keys = sorted({name.lower() for name in followed})
    return frame.with_columns(followed=pl.col("channel").is_in(followed_keys))
