"""What a build did, in a few lines and tables: files, posts, countries, leaders, checks."""

from __future__ import annotations

from pathlib import Path

from orchestration.app.console import console, err_console
from orchestration.app.tables import print_frame
from orchestration.config import Home
from orchestration.warehouse.versions import Warehouse

SUMMARY_QUERIES = {
    "Posts per channel": """
        select channel, title, post_count as posts, strftime(first_post_at, '%Y-%m-%d') as first,
               strftime(last_post_at, '%Y-%m-%d') as last, subscribers
        from marts.dim_channels order by post_count desc, channel""",
    "Countries mentioned most": """
        select c.flag_emoji as flag, c.name as country, count(*) as posts,
               sum(m.mention_count) as mentions
        from marts.fct_country_mentions m join marts.dim_countries c using (iso2)
        group by all order by posts desc, country limit 10""",
    "Leaders mentioned most": """
        select l.name as leader, l.country_iso2 as country, l.source, count(*) as posts
        from marts.fct_leader_mentions m join marts.dim_leaders l using (leader_key)
        group by all order by posts desc, leader limit 10""",
}


def summarize(home: Home, outcome, log_file: Path) -> bool:
    """Print what a build did; False when it published nothing."""
    from orchestration.warehouse.query import run_query

    ingest = outcome.ingest
    if any(ingest.get(k) for k in ("files_landed", "files_unchanged", "files_failed")):
        console.print(
            f"files: {ingest.get('files_landed', 0)} landed, "
            f"{ingest.get('files_unchanged', 0)} unchanged, {ingest.get('files_failed', 0)} failed"
        )
        if ingest.get("files_failed"):
            err_console.print(f"[red]files that could not be ingested:[/]\n{ingest['failures']}")
    if outcome.up_to_date:
        console.print(
            "nothing new: the published warehouse already holds every landed file "
            f"({home.warehouse.published})"
        )
        console.print(f"Dagster run {outcome.run_id}")
        return True
    if home.warehouse.published.exists():
        for title, sql in SUMMARY_QUERIES.items():
            print_frame(run_query(home.warehouse.published, sql), title=title)
    print_saved_search_hits(home, outcome.run_id)
    passed = sum(c.passed for c in outcome.checks)
    failed = [c for c in outcome.checks if not c.passed]
    console.print(f"checks: {passed} passed, {len(failed)} failed")
    for check in failed:
        kind = "[red]BLOCKING[/]" if check.blocking_failure else "[yellow]warning[/]"
        console.print(f"  {kind} {check.asset}: {check.name}")
    if outcome.failed_steps:
        err_console.print("[red]failed steps:[/] " + ", ".join(outcome.failed_steps))
    console.print(f"Dagster run {outcome.run_id} (see it with `tgwh ui`; dbt log: {log_file})")
    if outcome.success and not outcome.blocking_failures:
        return True
    if outcome.published and not outcome.blocking_failures:
        err_console.print(
            "[red]The warehouse was published, but a step after the publish failed[/] "
            "(the search index or the saved searches): " + "; ".join(outcome.errors)
        )
        return False
    err_console.print(
        "[red]The run did not publish a new warehouse[/]; the last published one is unchanged."
    )
    for failed_build in Warehouse(home.warehouse).failed_candidates():
        if outcome.run_id[:8] in failed_build.name:
            err_console.print(f"The failed candidate and its report: {failed_build}/report.md")
    for problem in outcome.errors:
        err_console.print(f"[red]{problem}[/]")
    return False


SAVED_SEARCH_NEWEST = 3


def print_saved_search_hits(home: Home, run_id: str) -> None:
    """The saved searches' new hits, as this run's evaluation after the publish found them."""
    from orchestration.search.saved import last_evaluation

    evaluation = last_evaluation(home.search)
    if not evaluation or evaluation.get("run_id") != run_id or not evaluation.get("results"):
        return
    console.print("saved searches (new hits since the last run):")
    for result in evaluation["results"]:
        console.print(
            f"  {result['name']}: {result['new_hits']} new", markup=False, highlight=False
        )
        if result.get("error"):
            err_console.print(f"    [red]{result['error']}[/]")
        for hit in result["newest"][:SAVED_SEARCH_NEWEST]:
            snippet = " ".join(hit["snippet"].split())[:100]
            console.print(
                f"    {hit['date'] or 'undated'}  {hit['link']}  {snippet}",
                markup=False,
                highlight=False,
            )
