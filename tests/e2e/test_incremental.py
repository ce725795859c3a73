"""Through `tgwh run`: building in two runs equals building in one, and a run with nothing new
builds nothing."""

from support.cli import query, tgwh, warehouse_snapshot
from support.homes import copy_home
from support.samples import sample_files


def test_incremental_runs_equal_a_full_build_and_an_empty_run_skips(sample_home, tmp_path):
    """Through `tgwh run`: the bundled sample (the session's sample warehouse), then a later
    export with an edited post, against all of them in one run; a third run with nothing new
    builds nothing and keeps the published version."""
    files = sample_files(tmp_path)
    incremental, full = copy_home(sample_home, tmp_path / "incremental"), tmp_path / "full"
    tgwh(incremental, "run", str(files[-1]))
    tgwh(full, "run", *map(str, files))
    assert warehouse_snapshot(incremental) == warehouse_snapshot(full)
    edited = query(
        incremental, "select text from marts.fct_posts where text like 'Texto corregido%'"
    )
    assert len(edited) == 1  # the later export's edit won

    published = (incremental / "warehouse" / "tgwh.duckdb").stat().st_ino
    again = tgwh(incremental, "run", *map(str, files))
    assert "nothing new" in again.stdout
    assert (incremental / "warehouse" / "tgwh.duckdb").stat().st_ino == published
    stamp = query(incremental, "select batches_digest from audit.warehouse_build")
    assert len(stamp) == 1
