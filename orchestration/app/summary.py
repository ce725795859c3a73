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


# Exit statuses of `tgwh run` and `tgwh scrape` (README, "Load your own data").
PUBLISHED = 0  # published, or nothing new
NOT_PUBLISHED = 1  # a blocking check failed or a step broke: the published warehouse unchanged
PUBLISHED_WITH_SET_ASIDE = 3  # published, but a batch was set aside (see tgwh batches)
# published (or nothing new), but some files could not be ingested, or only in part (cut short,
# conflicting duplicates); 3 wins when a batch was set aside too
PUBLISHED_WITHOUT_SOME_FILES = 4
INTERRUPTED = 130  # stopped by Ctrl-C or SIGTERM (dbt with it), as a shell reports SIGINT


def exit_status(*, published: bool, set_aside: bool, files_incomplete: bool) -> int:
    """The status of a run: not publishing outweighs everything, a batch set aside outweighs
    files that failed (that batch holds more than one file's worth of doubt)."""
    if not published:
        return NOT_PUBLISHED
    if set_aside:
        return PUBLISHED_WITH_SET_ASIDE
    return PUBLISHED_WITHOUT_SOME_FILES if files_incomplete else PUBLISHED


def summarize(home: Home, outcome, log_file: Path) -> int:
    """Print what a build did, and return the exit status it deserves."""
    from orchestration.warehouse.query import run_query

    if outcome.interrupted:
        where = ", ".join(outcome.failed_steps) or "between two steps"
        after = "after publishing" if outcome.published else "before publishing"
        err_console.print(
            f"[yellow]interrupted[/] in {where}, {after}: the run stopped, and dbt with it; "
            f"the published warehouse is {home.warehouse.published} as the last finished run "
            "left it (run again to finish)",
            highlight=False,
        )
        return INTERRUPTED
    incomplete = _files(outcome.ingest)
    _records_not_landed(home, outcome.ingest.get("landed_batches") or [])
    set_aside = _set_aside(home, outcome.run_ids)
    if outcome.up_to_date:
        console.print(
            "nothing new: the published warehouse already holds every landed file "
            f"({home.warehouse.published})"
        )
        console.print(f"Dagster run {', '.join(outcome.run_ids)}")
        return exit_status(published=True, set_aside=False, files_incomplete=bool(incomplete))
    published = outcome.success and not outcome.blocking_failures
    if published and home.warehouse.published.exists():
        for title, sql in SUMMARY_QUERIES.items():
            print_frame(run_query(home.warehouse.published, sql), title=title)
        print_completeness(home.warehouse.published)
    _checks(outcome)
    runs = ", ".join(outcome.run_ids)
    console.print(f"Dagster runs {runs} (see them with `tgwh ui`; dbt log: {log_file})")
    if published:
        _report(home)
        return exit_status(
            published=True, set_aside=bool(set_aside), files_incomplete=bool(incomplete)
        )
    if outcome.published and not outcome.blocking_failures:
        err_console.print(
            "[red]The warehouse was published, but a step after the publish failed[/] "
            "(the search index or the saved searches): " + "; ".join(outcome.errors),
            highlight=False,
        )
        return NOT_PUBLISHED
    err_console.print(
        "[red]The run did not publish a new warehouse[/]; the last published one is unchanged."
    )
    for failed_build in Warehouse(home.warehouse).failed_candidates():
        if any(run_id[:8] in failed_build.name for run_id in outcome.run_ids):
            err_console.print(f"The failed candidate and its report: {failed_build}/report.md")
    reported = {detail for check in outcome.blocking_failures for detail in check.details}
    for problem in outcome.errors:
        if "blocking asset check" not in problem or not reported:
            err_console.print(problem, style="red", markup=False, highlight=False)
    return NOT_PUBLISHED


def print_completeness(warehouse: Path) -> None:
    """One short line per channel: how many of its message ids the warehouse holds."""
    from orchestration.warehouse.coverage import channel_completeness, completeness_line

    channels = channel_completeness(warehouse)
    if channels.is_empty():
        return
    console.print("completeness (message ids, audit.coverage):")
    for row in channels.iter_rows(named=True):
        console.print(f"  {completeness_line(row)}", markup=False, highlight=False)


def _files(ingest: dict) -> int:
    """Print what became of the run's files; how many failed or landed only in part."""
    _skipped(ingest)
    if not any(ingest.get(k) for k in ("files_landed", "files_unchanged", "files_failed")):
        return 0
    failed, in_part = ingest.get("files_failed", 0), ingest.get("files_landed_in_part", 0)
    console.print(
        f"files: {ingest.get('files_landed', 0)} landed"
        + (f" ({in_part} of them in part)" if in_part else "")
        + f", {ingest.get('files_unchanged', 0)} unchanged, {failed} failed"
    )
    if failed:
        err_console.print(f"[red]files that could not be ingested:[/]\n{ingest['failures']}")
    if in_part:
        err_console.print(
            "[yellow]files landed in part (what was not kept is in audit.rejects):[/]\n"
            f"{ingest['partial_losses']}"
        )
    if failed or in_part:
        err_console.print(
            f"[yellow]{failed + in_part} file(s) could not be ingested, or only in part: the "
            f"other files landed (exit status {PUBLISHED_WITHOUT_SOME_FILES} once published)[/]"
        )
    return failed + in_part


SKIPPED_SHOWN = 10


def _skipped(ingest: dict) -> None:
    """What the named folders held that was not read (another suffix, a link to a folder), so a
    user who dropped a .csv or a .zip beside the exports sees it was not taken."""
    from orchestration.ingest.sources import SOURCE_SUFFIXES

    count = ingest.get("files_skipped", 0)
    if not count:
        return
    lines = [line for line in str(ingest.get("skipped", "")).splitlines() if line.strip()]
    shown = "\n".join(line.replace("`", "") for line in lines[:SKIPPED_SHOWN])
    more = f"\n- … and {count - SKIPPED_SHOWN} more" if count > SKIPPED_SHOWN else ""
    console.print(
        f"skipped {count} file(s) in the folders named, not read as sources "
        f"({', '.join(sorted(SOURCE_SUFFIXES))} are; a file named on its own is always read):\n"
        f"{shown}{more}",
        markup=False,
        highlight=False,
        soft_wrap=True,  # paths whole, never broken across lines
    )


def _records_not_landed(home: Home, batches: list[str]) -> None:
    """Records of this run's files that a parser could not read or a rule refused."""
    import polars as pl

    from orchestration.normalize.store import NormalizedStore

    store = NormalizedStore(home.normalized)
    known = [batch for batch in batches if batch in store.batches()]
    if not known:
        return
    rejects = store.scan("rejects", known).filter(pl.col("rule") != "unreadable_file").collect()
    if rejects.height:
        by_rule = ", ".join(
            f"{rule} {n}" for rule, n in sorted(rejects["rule"].value_counts().iter_rows())
        )
        console.print(
            f"records not landed: {rejects.height} ({by_rule}); the rest of their files landed. "
            "They are in audit.rejects, with their reasons."
        )


def _set_aside(home: Home, run_ids: list[str]) -> list[str]:
    """Batches this run set aside, a few lines each."""
    from orchestration.normalize.quarantine import Quarantine

    quarantine = Quarantine(home.normalized)
    found = []
    for batch in sorted(quarantine.batches()):
        report = quarantine.report(batch) or {}
        if report.get("run_id") not in run_ids:
            continue
        found.append(batch)
        files = ", ".join(report.get("source_files") or []) or "(no file)"
        err_console.print(f"[yellow]set aside[/] batch {batch[:12]} ({files}):", highlight=False)
        for reason in report.get("reasons", []):
            column = f" on {reason['column']}" if reason.get("column") else ""
            examples = ", ".join(
                f"{e['post_key']} = {e['value']}" for e in reason.get("examples", [])[:3]
            )
            err_console.print(
                f"  {reason['expectation']}{column}: {reason['failing_rows']} of "
                f"{reason['rows']} rows" + (f", e.g. {examples}" if examples else ""),
                markup=False,
                highlight=False,
            )
        err_console.print(
            f"  report: {home.normalized.quarantined(batch).report_md}; the other batches were "
            f"built. `tgwh batches release {batch[:12]}` builds it anyway, "
            f"`tgwh batches remove {batch[:12]}` drops it."
        )
    return found


def _report(home: Home) -> None:
    """Where the charts are; a page older than the warehouse was not redrawn (a warning of
    the run: drawing never fails a build)."""
    page, published = home.report.page, home.warehouse.published
    if not published.exists():
        return
    if page.exists() and page.stat().st_mtime >= published.stat().st_mtime:
        console.print(f"report: {page} (the warehouse in charts; opens offline)")
    else:
        err_console.print(
            f"[yellow]report not redrawn[/] this run ({page}): the warning is in the run's "
            "log (`tgwh ui`, asset report/page)",
            highlight=False,
        )


def _checks(outcome) -> None:
    passed = sum(c.passed for c in outcome.checks)
    failed = [c for c in outcome.checks if not c.passed]
    console.print(f"checks: {passed} passed, {len(failed)} failed")
    for check in failed:
        kind = "[red]BLOCKING[/]" if check.blocking_failure else "[yellow]warning[/]"
        console.print(f"  {kind} {check.asset}: {check.name}")
        for detail in check.details:
            console.print(f"    {detail}", markup=False, highlight=False)


SAVED_SEARCH_NEWEST = 3


def print_saved_search_hits(home: Home, run_ids: list[str]) -> None:
    """The saved searches' new hits, as this run's evaluation after the publish found them."""
    from orchestration.search.saved import last_evaluation

    evaluation = last_evaluation(home.search)
    if not evaluation or evaluation.get("run_id") not in run_ids or not evaluation.get("results"):
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
