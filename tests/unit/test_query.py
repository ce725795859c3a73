"""`tgwh query`: read-only SQL on the published warehouse, statements that write refused."""

import duckdb
import pytest
from click.testing import CliRunner

from orchestration.app.cli import main
from orchestration.warehouse.query import QueryRefused, WarehouseMissing, run_query


@pytest.fixture
def warehouse(tmp_path):
    path = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(path)) as connection:
        connection.execute(
            "create schema marts; create table marts.fct_posts as "
            "select * from (values ('mfa_russia/1', 'mfa_russia', 10), "
            "('mid_russia/2', 'mid_russia', 20)) t(post_key, channel, views)"
        )
    return path


def test_select_returns_rows(warehouse):
    frame = run_query(warehouse, "select channel, views from marts.fct_posts order by views")
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
    ],
)
def test_statements_that_are_not_a_single_select_are_refused(warehouse, sql):
    with pytest.raises(QueryRefused):
        run_query(warehouse, sql)
    assert run_query(warehouse, "select count(*) n from marts.fct_posts").item() == 2


@pytest.mark.parametrize(
    "sql",
    [
        "select * from read_csv('/etc/passwd')",
        "select * from read_text('/etc/hostname')",
        "select * from glob('/etc/*')",
        "select * from '/etc/passwd'",
    ],
)
def test_selects_that_read_files_fail(warehouse, sql):
    with pytest.raises(duckdb.Error):
        run_query(warehouse, sql)


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
