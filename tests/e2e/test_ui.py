"""`tgwh ui` serves the Dagster UI on 127.0.0.1 with the whole lineage and its checks.

The home is a copy of the sample warehouse, run once more with nothing new, as a user's home
is between two scheduled runs, then once with a broken export that is set aside (a blocked
run: nothing built, nothing published). Talks to the real webserver over HTTP (its GraphQL
API, which the UI's pages are drawn from), then opens the pages a user watches data quality on
in headless Chromium (support/browser.py), which may reach only this server.
"""

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import expect
from support.browser import Offline, chromium, requires_chromium
from support.cli import tgwh
from support.homes import copy_home
from support.samples import blank_export

TGWH = str(Path(sys.executable).with_name("tgwh"))
ASSETS_QUERY = """
{ assetNodes { assetKey { path } groupName dependencyKeys { path }
               assetChecksOrError { ... on AssetChecks { checks { name blocking } } } } }
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def ui(sample_home, tmp_path_factory):
    home = copy_home(sample_home, tmp_path_factory.mktemp("ui") / "home")
    again = tgwh(home, "run")
    assert "nothing new" in again.stdout, again.stdout
    blocked = tgwh(home, "run", str(blank_export(home.parent)), check=False)
    assert blocked.returncode == 1 and "set aside batch" in blocked.stderr, blocked.stderr
    port = free_port()
    process = subprocess.Popen(
        [TGWH, "ui", "--port", str(port)],
        env={**os.environ, "TGWH_HOME": str(home)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{url}/server_info", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert process.poll() is None, "tgwh ui exited early"
            time.sleep(1)
        else:
            pytest.fail("the Dagster UI did not answer within 180 s")
        yield url, home
    finally:
        os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def graphql(url: str, query: str) -> dict:
    response = httpx.post(f"{url}/graphql", json={"query": query}, timeout=60)
    response.raise_for_status()
    body = response.json()
    assert "errors" not in body, body
    return body["data"]


def test_the_ui_binds_loopback_and_uses_the_home(ui):
    url, home = ui
    assert url.startswith("http://127.0.0.1:")
    assert (home / "dagster" / "dagster.yaml").exists()
    page = httpx.get(url, timeout=30)
    assert page.status_code == 200 and "<html" in page.text.lower()


def test_the_ui_shows_one_lineage_with_checks(ui):
    url, _ = ui
    nodes = {"/".join(n["assetKey"]["path"]): n for n in graphql(url, ASSETS_QUERY)["assetNodes"]}
    parents = {k: {"/".join(d["path"]) for d in n["dependencyKeys"]} for k, n in nodes.items()}
    assert "sources/telegram_files" in parents["raw/batches"]
    assert "raw/batches" in parents["normalized/posts"]
    assert "normalized/posts" in parents["staging/stg_posts"]
    assert "staging/stg_posts" in parents["intermediate/int_posts_resolved"]
    assert "intermediate/int_posts_resolved" in parents["marts/fct_posts"]
    assert "marts/fct_posts" in parents["warehouse/published"]
    checks = {c["name"]: c for c in nodes["marts/fct_posts"]["assetChecksOrError"]["checks"]}
    assert checks["gx_fct_posts"]["blocking"]
    assert "unique_fct_posts_post_key" in checks
    sensors = graphql(
        url,
        '{ sensorsOrError(repositorySelector: {repositoryName: "__repository__", '
        'repositoryLocationName: "tgwh"}) { ... on Sensors { results { name '
        "sensorState { status } } } } }",
    )["sensorsOrError"]["results"]
    assert {s["name"]: s["sensorState"]["status"] for s in sensors} == {
        "build_after_ingest": "RUNNING",
        "inbox_sensor": "RUNNING",
        "rebuild_after_scrape": "RUNNING",
    }
    schedules = graphql(
        url,
        '{ schedulesOrError(repositorySelector: {repositoryName: "__repository__", '
        'repositoryLocationName: "tgwh"}) { ... on Schedules { results { name cronSchedule '
        "scheduleState { status } } } } }",
    )["schedulesOrError"]["results"]
    assert sorted((s["name"], s["scheduleState"]["status"]) for s in schedules) == [
        ("channel_freshness_hourly", "RUNNING"),
        ("scrape_followed_channels", "RUNNING"),
    ]


CLI_RUNS_QUERY = """
{ runsOrError(filter: {tags: [{key: "tgwh/trigger", value: "cli"}]}) {
    ... on Runs { results { runId jobName status tags { key value }
                            repositoryOrigin { repositoryLocationName repositoryName } } } } }
"""


def cli_runs(url: str) -> list[dict]:
    """The runs `tgwh run` started on this home, newest first."""
    return graphql(url, CLI_RUNS_QUERY)["runsOrError"]["results"]


def fct_posts_checks(url: str) -> list[str]:
    nodes = graphql(url, ASSETS_QUERY)["assetNodes"]
    (node,) = [n for n in nodes if n["assetKey"]["path"] == ["marts", "fct_posts"]]
    return sorted(c["name"] for c in node["assetChecksOrError"]["checks"])


def test_the_command_line_runs_are_in_the_instance(ui):
    url, _ = ui
    runs = cli_runs(url)
    tags = [{t["key"]: t["value"] for t in run["tags"]} for run in runs]
    # the sample's build, the nothing-new run, the blocked run (its batch set aside, no build)
    assert [t.get("tgwh/phase") for t in tags] == ["ingest", "land", "build", "ingest"]
    # the job's page lists a run by its code location's label (a hidden tag GraphQL leaves out)
    job_runs = graphql(
        url,
        '{ runsOrError(filter: {pipelineName: "build_warehouse", tags: [{key: '
        '".dagster/repository", value: "__repository__@tgwh"}]}) { ... on Runs { results { '
        "runId } } } }",
    )["runsOrError"]["results"]
    assert [run["runId"] for run in job_runs] == [run["runId"] for run in runs]
    assert [run["status"] for run in runs] == ["FAILURE", "SUCCESS", "SUCCESS", "SUCCESS"]
    assert {run["jobName"] for run in runs} == {"build_warehouse"}
    # the code location's origin, by which the UI places runs (the Overview timeline)
    assert [run["repositoryOrigin"] for run in runs] == [
        {"repositoryLocationName": "tgwh", "repositoryName": "__repository__"}
    ] * len(runs)


@pytest.fixture(scope="module")
def browser():
    with chromium() as browser:
        yield browser


@pytest.fixture
def tab(ui, browser):
    """A tab that may reach only the UI's server; tall, so the UI's virtualized lists draw
    every row."""
    url, _ = ui
    tab = Offline(browser, allowed=f"{url}/", viewport={"width": 1600, "height": 3000})
    yield tab
    tab.close()


def assert_no_dialog_covers(page) -> None:
    """No first-visit dialog ("Join the Dagster community") over the warehouse's pages."""
    expect(page.get_by_text("Join the Dagster community")).to_have_count(0)
    expect(page.get_by_role("dialog")).to_have_count(0)


@requires_chromium
def test_the_asset_page_shows_every_fct_posts_check_passed(ui, tab):
    """After a run with nothing new and a blocked one, the checks tab shows each check as its
    last build left it: none skipped, none failed, none not evaluated."""
    url, _ = ui
    checks = fct_posts_checks(url)
    page = tab.page
    page.goto(f"{url}/assets/marts/fct_posts?view=checks")
    expect(page.get_by_text(f"Checks ({len(checks)})", exact=True)).to_be_visible(timeout=60_000)
    rows = page.locator('[class*="checkRow"]')
    expect(rows).to_have_count(len(checks))
    # a row reads: the name as drawn (truncated in the middle), the full name, the status
    shown = {name: status for *_, name, status in (r.inner_text().split("\n") for r in rows.all())}
    assert sorted(shown) == checks
    assert {name: status for name, status in shown.items() if status != "Succeeded"} == {}
    expect(page.get_by_text("Passed", exact=True)).to_be_visible()  # the selected check's result
    for word in ("Skipped", "Failed", "Not evaluated"):
        expect(page.get_by_text(word, exact=True)).to_have_count(0)
    assert_no_dialog_covers(page)
    assert tab.refused == [] and tab.errors == []


BOARD_QUERY = """
{ assetNodes { assetKey { path }
    assetChecksOrError { ... on AssetChecks { checks { name
        executionForLatestMaterialization { status } } } } } }
"""


def latest_runs(url: str, keys: list[str]) -> list[dict]:
    selected = ", ".join(f"{{path: {json.dumps(key.split('/'))}}}" for key in keys)
    query = (
        f"{{ assetsLatestInfo(assetKeys: [{selected}]) {{ latestRun {{ runId status }} "
        "latestMaterialization { runId } } }"
    )
    return graphql(url, query)["assetsLatestInfo"]


@requires_chromium
def test_after_a_blocked_run_the_board_shows_what_failed_and_the_published_marts(ui, tab):
    """The blocked run failed one check, on the batch it set aside; every mart still shows the
    build that published it, its checks as that build left them: nothing red downstream."""
    url, _ = ui
    checks = {
        ("/".join(node["assetKey"]["path"]), check["name"]): (
            check["executionForLatestMaterialization"] or {}
        ).get("status")
        for node in graphql(url, BOARD_QUERY)["assetNodes"]
        for check in node["assetChecksOrError"].get("checks", [])
    }
    assert {key for key, status in checks.items() if status == "FAILED"} == {
        ("normalized/posts", "gx_normalized_posts")
    }
    marts = {key: status for key, status in checks.items() if key[0].startswith("marts/")}
    assert len(marts) > 50 and set(marts.values()) == {"SUCCEEDED"}
    runs = cli_runs(url)
    (published_by,) = [
        r["runId"] for r in runs if {"key": "tgwh/phase", "value": "build"} in r["tags"]
    ]
    mart_keys = sorted({asset for asset, _ in marts})
    for info in latest_runs(url, mart_keys):
        assert info["latestRun"] == {"runId": published_by, "status": "SUCCESS"}
        assert info["latestMaterialization"] == {"runId": published_by}

    page = tab.page
    page.goto(f"{url}/assets/normalized/posts?view=checks")
    row = page.locator('[class*="checkRow"]', has_text="gx_normalized_posts")
    expect(row).to_contain_text("Failed", timeout=60_000)
    page.goto(f"{url}/assets/marts/fct_posts")
    expect(page.get_by_text("marts.fct_posts", exact=True).first).to_be_visible(timeout=60_000)
    for word in ("Failed", "Skipped"):
        expect(page.get_by_text(word, exact=True)).to_have_count(0)
    assert_no_dialog_covers(page)
    assert tab.refused == [] and tab.errors == []


@requires_chromium
def test_the_runs_list_shows_the_command_line_runs(ui, tab):
    url, _ = ui
    runs = cli_runs(url)
    page = tab.page
    page.goto(f"{url}/runs")
    for run in runs:
        # the run's own row, the one linking to it: a build phase's row names the ingest run
        # it completes in a tag
        link = page.locator(f'a[href$="/runs/{run["runId"]}"]')
        row = page.locator('[class*="rowGrid"]').filter(has=link)
        expect(row).to_be_visible(timeout=60_000)
        expect(row).to_contain_text("build_warehouse")
        expect(row).to_contain_text("Failure" if run["status"] == "FAILURE" else "Success")
    assert_no_dialog_covers(page)
    assert tab.refused == [] and tab.errors == []


@requires_chromium
def test_the_asset_page_names_the_table_users_query(ui, tab):
    """The overview's Storage line names the published table (marts.fct_posts), not the
    candidate file dbt builds into."""
    url, _ = ui
    page = tab.page
    page.goto(f"{url}/assets/marts/fct_posts")
    expect(page.get_by_text("marts.fct_posts", exact=True).first).to_be_visible(timeout=60_000)
    expect(page.get_by_text("candidate", exact=False)).to_have_count(0)
    assert_no_dialog_covers(page)
    assert tab.refused == [] and tab.errors == []


@requires_chromium
def test_the_overview_timeline_shows_the_command_line_runs(ui, tab):
    url, _ = ui
    page = tab.page
    page.goto(f"{url}/overview/activity/timeline")
    # the job's row under the code location (its runs drawn beside it)
    row = page.locator('a[href="/locations/tgwh/jobs/build_warehouse"]')
    expect(row.first).to_be_visible(timeout=60_000)
    assert_no_dialog_covers(page)
    assert tab.refused == [] and tab.errors == []
