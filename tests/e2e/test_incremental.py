"""Through `tgwh run`: building in two runs equals building in one, and a run with nothing new
builds nothing."""

import json
from pathlib import Path

from support.cli import query, tgwh, warehouse_snapshot

from orchestration.config import SAMPLE_DATA_DIR
from orchestration.ingest.sources import expand_sources


def sample_files(tmp_path: Path) -> list[Path]:
    """The sample, plus a later export of the Spanish channel in which one post was edited."""
    files = expand_sources([SAMPLE_DATA_DIR])
    export = next(p for p in files if "MAERusia" in str(p))
    document = json.loads(export.read_text())
    message = next(m for m in document["messages"] if m.get("type") == "message")
    message["text"] = "Texto corregido: el canciller Serguéi Lavrov visitó Venezuela."
    message["edited_unixtime"] = str(int(message["date_unixtime"]) + 3600)
    edited = tmp_path / "MAERusia_edited.json"
    edited.write_text(json.dumps(document, ensure_ascii=False))
    return [*files, edited]


def test_incremental_runs_equal_a_full_build_and_an_empty_run_skips(tmp_path):
    """Through `tgwh run`: two files then two more, against all four in one run; a third run
    with nothing new builds nothing and keeps the published version."""
    files = sample_files(tmp_path)[-4:]
    incremental, full = tmp_path / "incremental", tmp_path / "full"
    tgwh(incremental, "run", *map(str, files[:2]))
    tgwh(incremental, "run", *map(str, files[2:]))
    tgwh(full, "run", *map(str, files))
    assert warehouse_snapshot(incremental) == warehouse_snapshot(full)

    published = (incremental / "warehouse" / "tgwh.duckdb").stat().st_ino
    again = tgwh(incremental, "run", *map(str, files))
    assert "nothing new" in again.stdout
    assert (incremental / "warehouse" / "tgwh.duckdb").stat().st_ino == published
    stamp = query(incremental, "select batches_digest from audit.warehouse_build")
    assert len(stamp) == 1
