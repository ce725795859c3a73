"""Through `tgwh run`: building in two runs equals building in one, and a run with nothing new
builds nothing."""

from support.cli import query, tgwh, warehouse_snapshot
from support.samples import sample_files


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
