"""Run the `tgwh` command as a user does: a separate process with its own home folder."""

import json
import os
import subprocess
import sys
from pathlib import Path

TGWH = str(Path(sys.executable).with_name("tgwh"))


def tgwh(home: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    env = {**os.environ, "TGWH_HOME": str(home), "COLUMNS": "200"}
    result = subprocess.run([TGWH, *args], env=env, capture_output=True, text=True, timeout=600)
    if check:
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result


def query(home: Path, sql: str) -> list[dict]:
    return json.loads(tgwh(home, "query", "--format", "json", sql).stdout)
