"""Run the `tgwh` command as a user does, with its own home folder.

``tgwh`` runs the command in this process through click's test runner: the same code path as
the console script (argument parsing, the Dagster run, the summary, the exit status), without
paying interpreter start-up and imports (~10 s) per call. ``tgwh_process`` starts the real
console script in a separate process, for what only a process shows (signals, the installed
entry point, a fresh interpreter).
"""

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb

TGWH = str(Path(sys.executable).with_name("tgwh"))
# Variables a command reads; each call sets them afresh so no test leaks into the next.
CONTROLLED = ("TGWH_HOME", "DAGSTER_HOME", "TGWH_FAILPOINT", "TGWH_EXPECTATIONS_DIR")


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str


def _check(result, check: bool):
    if check:
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result


def tgwh(home: Path, *args: str, check: bool = True, env: dict | None = None) -> Result:
    from click.testing import CliRunner

    from orchestration.app.cli import main
    from orchestration.app.console import console, err_console

    # The consoles are made when the package is first imported, in whatever environment the
    # first test had: every command here sees a wide terminal unless the test sets COLUMNS.
    columns = (env or {}).get("COLUMNS", "200")
    console.width = err_console.width = int(columns)

    saved = {name: os.environ.get(name) for name in CONTROLLED}
    variables = {name: None for name in CONTROLLED} | {"TGWH_HOME": str(home), **(env or {})}
    try:
        runner = CliRunner(env={"COLUMNS": columns, **variables})
        outcome = runner.invoke(main, list(args), catch_exceptions=True)
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    if outcome.exception is not None and not isinstance(outcome.exception, SystemExit):
        raise outcome.exception
    return _check(Result(outcome.exit_code, outcome.stdout, outcome.stderr), check)


def tgwh_process(
    home: Path, *args: str, check: bool = True, env: dict | None = None
) -> subprocess.CompletedProcess:
    env = {**os.environ, "TGWH_HOME": str(home), "COLUMNS": "200", **(env or {})}
    env.pop("DAGSTER_HOME", None)
    result = subprocess.run([TGWH, *args], env=env, capture_output=True, text=True, timeout=600)
    return _check(result, check)


def query(home: Path, sql: str) -> list[dict]:
    """Rows of `tgwh query --format json SQL` on the published warehouse, as a user gets them."""
    return json.loads(tgwh(home, "query", "--format", "json", sql).stdout)


# Columns that legitimately differ between two runs over the same input: when things were seen.
# When a copy was landed or seen (first/last seen, an edit's before and after, a deletion found
# missing): two homes fed the same files at other moments differ there by construction.
OBSERVATION_TIME_SUFFIXES = (
    "ingested_at",
    "observed_at",
    "age_at_observation",
    "seen_at",
    "found_missing_at",
)
# What a build was made from and when (run id, time): differs by construction.
BUILD_STAMP = "audit.warehouse_build"


def warehouse_snapshot(home: Path) -> dict:
    """Every table's rows in the published warehouse, minus observation times."""
    tables = {}
    with duckdb.connect(str(home / "warehouse" / "tgwh.duckdb"), read_only=True) as con:
        columns = con.execute(
            "select table_schema || '.' || table_name, list(column_name order by ordinal_position)"
            " from information_schema.columns group by 1 order by 1"
        ).fetchall()
        for table, names in columns:
            if table == BUILD_STAMP:
                continue
            kept = ", ".join(f'"{n}"' for n in names if not n.endswith(OBSERVATION_TIME_SUFFIXES))
            tables[table] = sorted(map(repr, con.execute(f"select {kept} from {table}").fetchall()))
    return tables


def last_dbt_target(home: Path) -> Path:
    """The target folder of the home's latest dbt invocation (one per run, under dbt/target)."""
    runs = [p for p in (home / "dbt" / "target").iterdir() if (p / "compiled").is_dir()]
    return max(runs, key=lambda p: p.stat().st_mtime)
