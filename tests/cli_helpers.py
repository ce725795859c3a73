"""Run the `tgwh` command as a user does: a separate process with its own home folder."""

import json
import os
import subprocess
import sys
from pathlib import Path

TGWH = str(Path(sys.executable).with_name("tgwh"))


def tgwh(
    home: Path, *args: str, check: bool = True, env: dict | None = None
) -> subprocess.CompletedProcess:
    env = {**os.environ, "TGWH_HOME": str(home), "COLUMNS": "200", **(env or {})}
    result = subprocess.run([TGWH, *args], env=env, capture_output=True, text=True, timeout=600)
    if check:
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result


def query(home: Path, sql: str) -> list[dict]:
    return json.loads(tgwh(home, "query", "--format", "json", sql).stdout)


# Columns that legitimately differ between two runs over the same input: when things were seen.
OBSERVATION_TIME_SUFFIXES = ("ingested_at", "observed_at", "age_at_observation")
# What a build was made from and when (run id, time): differs by construction.
BUILD_STAMP = "audit.warehouse_build"


def warehouse_snapshot(home: Path) -> dict:
    """Every table's rows in the published warehouse, minus observation times."""
    import duckdb

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
