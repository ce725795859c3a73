"""`tgwh query`: read-only SQL on the published warehouse, statements that write refused."""

import duckdb
import pytest
from click.testing import CliRunner
from support.cli import tgwh

from orchestration.app.cli import main
from orchestration.warehouse.query import (
    QueryLimitExceeded,
    QueryLimits,
    QueryRefused,
    WarehouseMissing,
    fetch_text,
    run_on_warehouse,
    run_query,
)


def build_warehouse(path):
    with duckdb.connect(str(path)) as connection:
        connection.execute(
            "create schema marts; create table marts.fct_posts as "
            "select * from (values ('mfa_russia/1', 'mfa_russia', 10), "
            "('mid_russia/2', 'mid_russia', 20)) t(post_key, channel, views)"
        )
    return path


@pytest.fixture
def warehouse(tmp_path):
    """A warehouse of its own, for a test that moves it into a home."""
    return build_warehouse(tmp_path / "warehouse.duckdb")


@pytest.fixture(scope="module")
def shared(tmp_path_factory):
    """One warehouse for the tests that only read it (each checks it is unchanged)."""
    return build_warehouse(tmp_path_factory.mktemp("shared") / "warehouse.duckdb")


def test_select_returns_rows(shared):
    frame = run_query(shared, "select channel, views from marts.fct_posts order by views")
    assert frame.rows() == [("mfa_russia", 10), ("mid_russia", 20)]


@pytest.mark.parametrize(
    "sql",
    [
        "delete from marts.fct_posts",
        "drop table marts.fct_posts",
        "create table x as select 1",
        "insert into marts.fct_posts values ('a', 'b', 1)",
        "update marts.fct_posts set views = 0",
        "attach '/tmp/other.duckdb' as other",
        "copy marts.fct_posts to '/tmp/out.csv'",
        "install httpfs",
        "load httpfs",
        "set threads = 1",
        "select 1; select 2",
        "pragma database_size",
        # kinds the parser knows but the checks above did not meet before
        "create temp table x as select 1",
        "create temp table x as pivot marts.fct_posts on channel using sum(views)",
        "explain analyze create temp table y as select 1",
        "explain analyze delete from marts.fct_posts",
        "explain (format json) insert into marts.fct_posts values ('a', 'b', 1)",
        "use marts",
        "set variable x = 1",
        "reset threads",
        "checkpoint",
        "call pragma_version()",  # procedures: their table functions are read with SELECT
        "vacuum",
        "begin",
        "prepare p as select 1",
        "export database '/tmp/somewhere'",
        "update extensions",
        "",
        "-- only a comment",
    ],
)
def test_statements_that_are_not_a_single_read_only_query_are_refused(shared, sql):
    with pytest.raises(QueryRefused):
        run_query(shared, sql)
    assert run_query(shared, "select count(*) n from marts.fct_posts").item() == 2


@pytest.mark.parametrize(
    "sql",
    [
        "select * from read_csv('/etc/passwd')",
        "select * from read_text('/etc/hostname')",
        "select * from glob('/etc/*')",
        "select * from '/etc/passwd'",
        "select * from enable_logging()",  # would change the configuration
    ],
)
def test_selects_that_read_files_or_change_settings_fail(shared, sql):
    with pytest.raises(duckdb.Error):
        run_query(shared, sql)


@pytest.mark.parametrize(
    ("sql", "first_row"),
    [
        ("show tables", ("fct_posts",)),  # marts is searched first, so SHOW TABLES shows it
        ("select channel from fct_posts order by views limit 1", ("mfa_russia",)),
        ("describe marts.fct_posts", ("post_key", "VARCHAR", "YES", None, None, None)),
        ("summarize marts.fct_posts", ("post_key", "VARCHAR", "mfa_russia/1", "mid_russia/2")),
        ("pivot (select channel, views from fct_posts) on channel using sum(views)", ("10", "20")),
        ("with p as (select channel, views from fct_posts) pivot p on channel using sum(views)",)
        + (("10", "20"),),
        ("from marts.fct_posts select count(*)", ("2",)),
        ("explain select 1", ("physical_plan",)),
        ("explain analyze select 1", ("analyzed_plan",)),
        ("select library_version from pragma_version()", ("v" + duckdb.__version__,)),
    ],
)
def test_read_only_statements_of_other_kinds_run(shared, sql, first_row):
    result = run_on_warehouse(shared, sql, fetch_text)
    assert result.head[0][: len(first_row)] == first_row


def test_missing_warehouse_says_how_to_build_it(tmp_path):
    with pytest.raises(WarehouseMissing, match="tgwh run"):
        run_query(tmp_path / "none.duckdb", "select 1")


def test_cli_formats_and_refusal(warehouse, monkeypatch, tmp_path):
    home = tmp_path / "home"
    (home / "warehouse").mkdir(parents=True)
    warehouse.rename(home / "warehouse" / "tgwh.duckdb")
    monkeypatch.setenv("TGWH_HOME", str(home))
    runner = CliRunner()
    csv = runner.invoke(
        main,
        ["query", "--format", "csv", "select channel, views from marts.fct_posts order by views"],
    )
    assert csv.exit_code == 0, csv.output
    assert csv.output.splitlines() == ["channel,views", "mfa_russia,10", "mid_russia,20"]
    as_json = runner.invoke(
        main, ["query", "--format", "json", "select max(views) m from marts.fct_posts"]
    )
    assert as_json.exit_code == 0 and '"m":20' in as_json.output.replace(" ", "")
    refused = runner.invoke(main, ["query", "drop table marts.fct_posts"])
    assert refused.exit_code != 0
    assert "only read-only SELECT" in refused.output


def test_a_query_that_never_ends_stops_at_the_timeout(shared):
    endless = (
        "with recursive r(n) as (select 1 union all select n + 1 from r) select count(*) from r"
    )
    with pytest.raises(QueryLimitExceeded, match="time limit of 0.5 s") as raised:
        run_on_warehouse(shared, endless, fetch_text, QueryLimits(timeout_seconds=0.5))
    assert raised.value.limit == "timeout"


def test_a_growing_cross_join_stops_at_the_memory_limit(shared):
    growing = (
        "select count(distinct a.range * 1000000 + b.range) from range(100000) a, range(100000) b"
    )
    limits = QueryLimits(timeout_seconds=60, memory_limit="100MB")
    with pytest.raises(QueryLimitExceeded, match="more memory than its limit of 100MB") as raised:
        run_on_warehouse(shared, growing, fetch_text, limits)
    assert raised.value.limit == "memory"


def test_limits_from_the_command_line_and_the_environment(warehouse, tmp_path):
    home = tmp_path / "home"
    (home / "warehouse").mkdir(parents=True)
    warehouse.rename(home / "warehouse" / "tgwh.duckdb")
    endless = (
        "with recursive r(n) as (select 1 union all select n + 1 from r) select count(*) from r"
    )
    by_option = tgwh(home, "query", "--timeout", "0.5", endless, check=False)
    assert by_option.returncode == 1
    [message] = by_option.stderr.strip().splitlines()
    assert "time limit of 0.5 s" in message and "--timeout" in message
    by_variable = tgwh(home, "query", endless, check=False, env={"TGWH_QUERY_TIMEOUT": "0.5"})
    assert "time limit of 0.5 s" in by_variable.stderr
    growing = "select list(a.range) from range(100000) a, range(1000) b"
    memory = tgwh(home, "query", growing, check=False, env={"TGWH_QUERY_MEMORY_LIMIT": "100MB"})
    assert memory.returncode == 1
    [message] = memory.stderr.strip().splitlines()
    assert "more memory than its limit of 100MB" in message and "--memory-limit" in message
    bad = tgwh(home, "query", "select 1", check=False, env={"TGWH_QUERY_TIMEOUT": "soon"})
    assert bad.returncode != 0


def test_ctrl_c_interrupts_a_long_query(warehouse, tmp_path):
    import os
    import signal
    import subprocess
    import sys
    import time
    from pathlib import Path

    import psutil

    home = tmp_path / "home"
    (home / "warehouse").mkdir(parents=True)
    warehouse.rename(home / "warehouse" / "tgwh.duckdb")
    process = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("tgwh")),
            "query",
            "select count(*) from range(1000000000000) a, range(10) b",
        ],
        env={**os.environ, "TGWH_HOME": str(home)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        # Interrupt once the query runs (the warehouse is open), not after a fixed sleep: on a
        # busy machine the imports alone can take longer than any sleep chosen here.
        child = psutil.Process(process.pid)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not any(
            f.path.endswith("tgwh.duckdb") for f in child.open_files()
        ):
            time.sleep(0.1)
        time.sleep(1)
        started = time.monotonic()
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=30)
    finally:
        process.kill()  # never leave a runaway query behind, whatever happened
    assert time.monotonic() - started < 10
    assert process.returncode == 130
    assert "interrupted" in stderr
