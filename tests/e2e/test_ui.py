"""`tgwh ui` serves the Dagster UI on 127.0.0.1 with the whole lineage and its checks.

Talks to the real webserver over HTTP (its GraphQL API, which the UI's pages are drawn from).
"""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

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
def ui(tmp_path_factory):
    home = tmp_path_factory.mktemp("ui") / "home"
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
