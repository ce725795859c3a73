"""The dbt target folder keeps the last parse for the next build and a few invocations."""

import os

from orchestration.warehouse.dbt_target import PARTIAL_PARSE, keep_after_invocation


def invocation_folder(target, name, age):
    folder = target / name
    folder.mkdir(parents=True)
    (folder / "run_results.json").write_text("{}")
    os.utime(folder, (1_000_000 + age, 1_000_000 + age))
    return folder


def test_the_parse_of_a_build_is_kept_for_the_next(tmp_path):
    target = tmp_path / "target"
    invocation = invocation_folder(target, "tgwh_dbt_models-abc1234-0000001", 0)
    (invocation / PARTIAL_PARSE).write_bytes(b"parsed")
    keep_after_invocation(target, invocation)
    assert (target / PARTIAL_PARSE).read_bytes() == b"parsed"


def test_a_build_that_left_no_parse_keeps_the_one_there(tmp_path):
    target = tmp_path / "target"
    invocation = invocation_folder(target, "tgwh_dbt_models-abc1234-0000001", 0)
    (target / PARTIAL_PARSE).write_bytes(b"older")
    keep_after_invocation(target, invocation)
    assert (target / PARTIAL_PARSE).read_bytes() == b"older"


def test_only_the_newest_invocation_folders_stay(tmp_path):
    target = tmp_path / "target"
    old = [invocation_folder(target, f"tgwh_dbt_models-run{k:04d}-{k:07d}", k) for k in range(6)]
    other = invocation_folder(target, "docs", -5)  # not an invocation of this op
    newest = invocation_folder(target, "tgwh_dbt_models-last000-9999999", -10)  # oldest mtime
    keep_after_invocation(target, newest, keep=3)
    assert sorted(p.name for p in target.iterdir()) == sorted(
        [newest.name, old[5].name, old[4].name, other.name]
    )
