"""Through `tgwh run`: building in two runs equals building in one, a run with nothing new
builds nothing, and `--full-refresh` rebuilds the same warehouse whole."""

from support.cli import last_dbt_target, query, tgwh, warehouse_snapshot
from support.homes import copy_home
from support.samples import sample_files


def test_incremental_runs_equal_a_full_build_and_an_empty_run_skips(sample_home, tmp_path):
    """Through `tgwh run`: the bundled sample (the session's sample warehouse), then a later
    export with an edited post, against all of them in one run; a third run with nothing new
    builds nothing and keeps the published version; `--full-refresh` then rebuilds it whole,
    every test reading every row, into the same warehouse."""
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

    rebuilt = tgwh(incremental, "run", "--full-refresh", *map(str, files))
    assert "nothing new" not in rebuilt.stdout and "0 failed" in rebuilt.stdout
    assert (incremental / "warehouse" / "tgwh.duckdb").stat().st_ino != published
    assert warehouse_snapshot(incremental) == warehouse_snapshot(full)
    compiled = last_dbt_target(incremental) / "compiled" / "tgwh" / "models" / "marts"
    assert "warehouse_build" not in (compiled / "fct_posts.sql").read_text()  # built whole
    test_sql = (
        compiled / "fct_country_mentions.yml" / "fct_country_mentions_post_key_in_fct_posts.sql"
    )
    assert "batch_id in" not in test_sql.read_text()  # and tested whole
