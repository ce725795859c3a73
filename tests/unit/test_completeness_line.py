"""The summary's completeness line tells gaps inside what was collected from history never
collected."""

from orchestration.warehouse.coverage import completeness_line


def row(lowest, highest, seen, never, missing=0):
    return {
        "channel": "mfa_russia",
        "lowest_message_id": lowest,
        "highest_message_id": highest,
        "ids_seen": seen,
        "ids_never_seen": never,
        "ids_missing_in_scraped_ranges": missing,
    }


def test_a_whole_history_with_gaps():
    assert completeness_line(row(1, 31_860, 31_500, 360, 12)) == (
        "mfa_russia: ids 1-31,860: 31,500 seen (98.9%), 360 never seen "
        "(12 inside scraped pages' ranges)"
    )


def test_recent_posts_only_are_complete_and_the_earlier_history_not_collected():
    # audit.coverage counts the ids below the lowest seen among those never seen
    assert completeness_line(row(31_842, 31_864, 23, 31_841)) == (
        "mfa_russia: ids 31,842-31,864: 23 seen (100.0%); ids 1-31,841 not collected"
    )


def test_gaps_and_uncollected_history_are_both_said():
    assert completeness_line(row(101, 200, 90, 110)) == (
        "mfa_russia: ids 101-200: 90 seen (90.0%), 10 never seen; ids 1-100 not collected"
    )
