"""`tgwh bench` at a small scale: the benchmark keeps working and its figures add up.

No figure is checked against a time: on a shared machine that would fail at random. What is
checked is that every stage was measured, that the builds did what their names say (the empty
run builds nothing, the incremental one adds exactly the new posts) and that the JSON and
the printed table agree.
"""

import json
from pathlib import Path
from types import SimpleNamespace

import pytest
from support.cli import tgwh_process
from support.homes import shared_home

POSTS, CHANNELS, HTML_POSTS = 2_000, 3, 200


@pytest.fixture(scope="module")
def bench(tmp_path_factory):
    """One small benchmark per session (the module's tests may run on either worker): its home,
    what it printed, and its JSON figures."""

    def run(home: Path) -> None:
        # a real process: each build runs in a child that writes to this one's standard error
        result = tgwh_process(
            home,
            "bench",
            "--posts",
            str(POSTS),
            "--channels",
            str(CHANNELS),
            "--html-posts",
            str(HTML_POSTS),
        )
        printed = {"stdout": result.stdout, "stderr": result.stderr}
        (home.parent / f"{home.name}-printed.json").write_text(json.dumps(printed))

    home = shared_home(tmp_path_factory, "bench", run)
    printed = json.loads((home.parent / f"{home.name}-printed.json").read_text())
    report = json.loads((home / "bench" / "latest.json").read_text())
    return home, SimpleNamespace(**printed), report


def test_three_builds_with_every_stage_measured(bench):
    _, _, report = bench
    runs = {run["name"]: run for run in report["runs"]}
    assert list(runs) == ["full", "empty", "incremental"]
    full = runs["full"]
    assert full["published"] and full["posts_in_warehouse"] == POSTS
    stages = {stage["stage"]: stage for stage in full["stages"]}
    assert list(stages) == [
        "parse",
        "land",
        "normalize + entities",
        "dbt build",
        "validation",
        "publish",
    ]
    for stage in stages.values():
        assert stage["ran"], stage
        assert stage["wall_seconds"] > 0 and stage["peak_memory_mb"] > 100
        assert stage["rows_per_second"] > 0
    assert stages["parse"]["rows"] == POSTS
    wall = sum(stage["wall_seconds"] for stage in stages.values())
    assert wall <= full["end_to_end"]["wall_seconds"]
    assert full["end_to_end"]["cpu_seconds"] > stages["parse"]["cpu_seconds"]


def test_the_empty_run_builds_nothing_and_the_increment_adds_one_percent(bench):
    _, _, report = bench
    runs = {run["name"]: run for run in report["runs"]}
    empty, incremental = runs["empty"], runs["incremental"]
    assert not empty["published"]
    skipped = {s["stage"] for s in empty["stages"] if not s["ran"]}
    assert {"parse", "dbt build", "validation", "publish"} <= skipped
    assert incremental["published"]
    assert incremental["new_posts"] == POSTS // 100
    assert incremental["posts_in_warehouse"] == POSTS + POSTS // 100
    parse = next(s for s in incremental["stages"] if s["stage"] == "parse")
    assert parse["rows"] == POSTS // 100


def test_figures_are_kept_and_printed(bench):
    home, result, report = bench
    assert report["spec"] == {
        "posts": POSTS,
        "channels": CHANNELS,
        "seed": 7,
        "increment": POSTS // 100,
        "small_run": POSTS // 100,  # 1% is a small run here: no fourth build
    }
    assert report["machine"]["cpus"] >= 1
    assert report["web_preview_parsing"]["posts"] == HTML_POSTS
    assert {t["target"] for t in report["targets"]} >= {
        "empty run end to end (s)",
        "small run end to end (s), 20 new posts",
        "normalization + entities + events (posts/s)",
    }
    assert len(list((home / "bench").glob("bench-*.json"))) == 1
    for heading in ("full build", "empty build", "incremental build", "targets"):
        assert heading in result.stdout
    # where a long benchmark is: a line per build, then one as each of its steps ends
    assert "incremental build (20 new posts)" in result.stderr
    assert "tgwh_dbt_models done in" in result.stderr
    assert not (home / "bench" / f"home-{POSTS}").exists()  # removed unless --keep
