"""Is the warehouse current? A freshness policy on the published warehouse (Dagster's freshness
daemon evaluates it), and a check on every followed channel's scrape, evaluated hourly: a
channel whose scrape is overdue shows stale in the UI, whatever the builds do. (Dagster's
freshness policies judge an asset as a whole, not one partition per channel.)"""

from datetime import timedelta

import dagster as dg

from orchestration.config import Home, settings
from orchestration.defs.keys import OWNERS, SCRAPED_PAGES
from orchestration.ingest.scraping.freshness import channel_freshness

STALE_AFTER = timedelta(hours=settings().stale_after_hours)

# The published warehouse warns after half the window, fails after it.
WAREHOUSE_FRESHNESS = dg.FreshnessPolicy.time_window(
    fail_window=STALE_AFTER, warn_window=STALE_AFTER / 2
)


@dg.asset_check(
    asset=SCRAPED_PAGES,
    name="followed_channels_fresh",
    description=(
        "Every followed channel (tgwh channels list) was scraped within the last "
        f"{settings().stale_after_hours:g} hours (TGWH_STALE_AFTER_HOURS); the stale ones are "
        "named."
    ),
)
def followed_channels_fresh() -> dg.AssetCheckResult:
    table = channel_freshness(Home.from_env(), STALE_AFTER)
    stale = table.filter("stale")["channel"].to_list()
    return dg.AssetCheckResult(
        passed=not stale,
        severity=dg.AssetCheckSeverity.WARN,
        description=("stale: " + ", ".join(stale)) if stale else "every channel is current",
        metadata={
            "stale_channels": len(stale),
            "channels": dg.MetadataValue.table(
                records=[
                    dg.TableRecord(
                        {
                            "channel": row["channel"],
                            "last scraped": str(row["last_scraped_at"] or "never"),
                            "hours since": round(row["hours_since"] or -1, 1),
                            "stale": row["stale"],
                        }
                    )
                    for row in table.iter_rows(named=True)
                ],
                schema=dg.TableSchema(
                    columns=[
                        dg.TableColumn("channel", "string"),
                        dg.TableColumn("last scraped", "string"),
                        dg.TableColumn("hours since", "float", description="-1: never"),
                        dg.TableColumn("stale", "bool"),
                    ]
                ),
            ),
        },
    )


channel_freshness_job = dg.define_asset_job(
    name="check_channel_freshness",
    selection=dg.AssetSelection.checks(followed_channels_fresh),
    description="Says which followed channels have not been scraped for too long.",
    tags={"tgwh/owner": OWNERS[0]},
)

channel_freshness_schedule = dg.ScheduleDefinition(
    name="channel_freshness_hourly",
    job=channel_freshness_job,
    cron_schedule="17 * * * *",
    execution_timezone="UTC",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Evaluates the freshness of every followed channel's scrape, hourly.",
)
