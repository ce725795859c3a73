"""`tgwh search`: full-text search over the published posts; saved searches."""

from __future__ import annotations

import json

import click

from orchestration.app.commands.common import lock_wait_seconds
from orchestration.app.console import console, err_console
from orchestration.config import Home

LANGUAGE_CHOICE = click.Choice(["en", "ru", "es", "fr"])
DATE = click.DateTime(formats=["%Y-%m-%d"])

EPILOG = """\b
Query syntax:
  sanctions ukraine          both words (stemmed: "sanction" finds "sanctions")
  "security council"         a phrase; "security council"~2 allows two words between
  cuba OR venezuela          either word
  sanctions -iran            not that word (also: sanctions NOT iran)
  (cuba OR venezuela) AND humanitarian
  biolab*                    words starting with biolab
"""


@click.command(epilog=EPILOG)
@click.argument("query", required=False)
@click.option("--channel", help="Only this channel's posts (username, @ optional).")
@click.option("--since", type=DATE, help="Only posts of this day (YYYY-MM-DD) or later.")
@click.option("--until", type=DATE, help="Only posts of this day (YYYY-MM-DD) or earlier.")
@click.option("--lang", "language", type=LANGUAGE_CHOICE, help="Only posts in this language.")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(min=1))
@click.option("--format", "output_format", type=click.Choice(["table", "json"]), default="table")
@click.option("--save", "save_name", metavar="NAME", help="Save QUERY (and its filters) as NAME.")
@click.option("--list", "list_saved", is_flag=True, help="List the saved searches.")
@click.option("--remove", "remove_name", metavar="NAME", help="Remove the saved search NAME.")
@click.option("--reindex", is_flag=True, help="Rebuild the index from the published warehouse.")
def search(
    query: str | None,
    channel: str | None,
    since,
    until,
    language: str | None,
    limit: int,
    output_format: str,
    save_name: str | None,
    list_saved: bool,
    remove_name: str | None,
    reindex: bool,
) -> None:
    """Search the posts of the published warehouse, best matches first (BM25).

    Saved searches (--save) are evaluated after every `tgwh run` that publishes: their new
    hits show in the run's summary and in the Dagster UI (asset search/saved_searches).
    """
    from orchestration.search.query import QueryError, SearchRequest
    from orchestration.search.saved import SavedSearch, SavedSearchError, SavedSearches

    home = Home.from_env()
    actions = [bool(save_name), list_saved, bool(remove_name), reindex]
    if sum(actions) > 1:
        raise click.UsageError("use one of --save, --list, --remove and --reindex at a time")
    saved = SavedSearches(home.search)
    try:
        if list_saved:
            _list_saved(saved, output_format)
            return
        if remove_name:
            saved.remove(remove_name)
            console.print(f"removed the saved search {remove_name}")
            return
        if reindex:
            _reindex(home)
            return
        if not query:
            raise click.UsageError("give a QUERY to search for (see `tgwh search --help`)")
        request = SearchRequest(
            query=query,
            channel=channel,
            since=since.date() if since else None,
            until=until.date() if until else None,
            language=language,
            limit=limit,
        )
        if save_name:
            entry = saved.save(
                SavedSearch(
                    name=save_name,
                    query=query,
                    channel=channel,
                    since=request.since.isoformat() if request.since else None,
                    until=request.until.isoformat() if request.until else None,
                    language=language,
                )
            )
            console.print(
                f"saved {entry.name}: {entry.describe()}; its new hits are shown after each "
                "`tgwh run` that publishes"
            )
            return
        _search(home, request, output_format)
    except (QueryError, SavedSearchError) as error:
        raise click.ClickException(str(error)) from None


def _search(home: Home, request, output_format: str) -> None:
    from orchestration.search.generations import SearchGenerations, SearchIndexMissing
    from orchestration.search.query import search

    try:
        opened = SearchGenerations(home.search).open_current()
    except SearchIndexMissing as error:
        raise click.ClickException(str(error)) from None
    _warn_if_stale(home, opened)
    results = search(opened, request)
    if output_format == "json":
        click.echo(
            json.dumps(
                {
                    "query": request.query,
                    "total": results.total,
                    "hits": [hit.to_dict() for hit in results.hits],
                },
                ensure_ascii=False,
                indent=1,
            )
        )
        return
    _print_hits(results)


def _print_hits(results) -> None:
    from rich.table import Table
    from rich.text import Text

    table = Table(show_lines=True, title_justify="left")
    for name, options in (
        ("#", {"justify": "right"}),
        ("score", {"justify": "right"}),
        ("post", {"overflow": "fold"}),
        ("date", {"no_wrap": True}),
        ("link", {"overflow": "fold"}),
        ("snippet", {"ratio": 1}),
    ):
        table.add_column(name, **options)
    for hit in results.hits:
        snippet = Text(hit.snippet.text.replace("\n", " "))
        for start, end in hit.snippet.highlights:
            snippet.stylize("bold yellow", start, end)
        table.add_row(
            str(hit.rank),
            f"{hit.score:.2f}",
            hit.post_key,
            hit.post_date.isoformat() if hit.post_date else "",
            hit.link,
            snippet,
        )
    if results.hits:
        console.print(table)
    shown = len(results.hits)
    more = f" (the best {shown} shown; --limit for more)" if results.total > shown else ""
    console.print(f"{results.total} posts match{more}")


def _warn_if_stale(home: Home, opened) -> None:
    """After a rollback the index may hold batches the published warehouse lacks."""
    from orchestration.search.generations import file_signature

    if opened.state is None or opened.state.warehouse_file == file_signature(
        home.warehouse.published
    ):
        return  # built from the very file published now: no need to open it
    from orchestration.warehouse.stamp import published_build

    stamp = published_build(home.warehouse.published)
    if stamp is None:
        return
    if set(stamp["batch_ids"]) != set(opened.state.batch_ids):
        err_console.print(
            "[yellow]the search index was built from another version of the warehouse; the "
            "next `tgwh run` brings it up to date (or now: `tgwh search --reindex`)[/]"
        )


def _list_saved(saved, output_format: str) -> None:
    searches = saved.all()
    if output_format == "json":
        click.echo(
            json.dumps([vars(entry) for entry in searches.values()], ensure_ascii=False, indent=1)
        )
        return
    if not searches:
        console.print('no saved searches (save one: tgwh search --save NAME "QUERY")')
        return
    for entry in searches.values():
        console.print(f"{entry.name}: {entry.describe()}", markup=False, highlight=False)


def _reindex(home: Home) -> None:
    from orchestration.common.writer_lock import WarehouseBusy, writer_lock
    from orchestration.search.build import build_search_index

    try:
        with writer_lock(
            home.lock,
            run="tgwh search --reindex",
            wait_seconds=lock_wait_seconds(),
            on_wait=lambda message: err_console.print(f"[yellow]{message}[/]"),
        ):
            build = build_search_index(home.search, home.warehouse.published, full=True)
    except WarehouseBusy as error:
        raise click.ClickException(str(error)) from error
    if build.mode == "no_warehouse":
        raise click.ClickException(f"{build.reason}: build it first with `tgwh run`")
    console.print(
        f"indexed {build.posts_read} posts in {build.seconds:.1f} s "
        f"({build.posts_per_second:,.0f} posts/s): {build.documents} documents"
    )
