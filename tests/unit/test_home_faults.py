"""Faults a person meets, each said in one line that names the path, without a traceback
(kept for --verbose): a full disk, a read-only home; and the exit statuses of `tgwh run`.

The faults are real, in a child process: a file size limit (RLIMIT_FSIZE: a write past it
fails with EFBIG, as on a full disk) and a home made read-only with chmod.
"""

from __future__ import annotations

import functools
import shutil
import stat
import sys
from pathlib import Path

import duckdb
import pytest
from support.faults import limit_file_size, obey_file_modes, run_in_child
from support.paths import PARSING_FIXTURES

from orchestration.app.summary import (
    NOT_PUBLISHED,
    PUBLISHED,
    PUBLISHED_WITH_SET_ASIDE,
    PUBLISHED_WITHOUT_SOME_FILES,
    exit_status,
)
from orchestration.common.durable import CannotWrite
from orchestration.config import Home
from orchestration.ingest.raw_store import RawStore
from orchestration.warehouse.versions import Warehouse

CANNOT_WRITE = 3  # the children's exit code when ingest raised CannotWrite


def _ingest(home: str, inputs: str) -> None:
    try:
        report = RawStore(Home(Path(home)).raw).ingest([Path(inputs)])
    except CannotWrite as error:
        print(f"CannotWrite: {error}")
        sys.exit(CANNOT_WRITE)
    print(f"landed {len(report.landed)}, failed {report.failed}")


def _tgwh(home: str, *args: str) -> None:
    import os

    from orchestration.app.cli import main

    os.environ["TGWH_HOME"] = home
    os.environ["COLUMNS"] = "300"
    main(list(args), prog_name="tgwh")


def _read_only(root: Path) -> None:
    for path in [root, *root.rglob("*")]:
        if path.is_dir():
            path.chmod(stat.S_IRUSR | stat.S_IXUSR | stat.S_IRGRP | stat.S_IXGRP)


def _writable(root: Path) -> None:
    for path in [root, *root.rglob("*")]:
        if path.is_dir():
            path.chmod(0o755)


@pytest.fixture
def inputs(tmp_path) -> Path:
    folder = tmp_path / "inputs"
    folder.mkdir()
    shutil.copy(PARSING_FIXTURES / "export_account.json", folder / "a.json")
    shutil.copy(PARSING_FIXTURES / "web_page.html", folder / "b.html")
    return folder


def test_a_full_disk_stops_ingest_naming_the_file_it_could_not_write(tmp_path, inputs):
    home = tmp_path / "home"
    code, said = run_in_child(
        functools.partial(limit_file_size, 1024),
        functools.partial(_ingest, str(home), str(inputs)),
    )
    assert code == CANNOT_WRITE, said
    raw = Home(home).raw.root
    assert f"CannotWrite: cannot write {raw}/posts/" in said, said
    assert "file too large (the disk is full, or over this process's file size limit)" in said
    # not each source file's fault: no file is reported failed, none kept as a reject
    assert "could not be landed" not in said and not (raw / "rejects").exists()
    assert not list(raw.rglob(".*.tmp"))  # the half-written temporary does not take the space
    assert not RawStore(Home(home).raw).landed_batches()  # the next run lands them whole
    report = RawStore(Home(home).raw).ingest([inputs])  # room again: everything lands
    assert len(report.landed) == 2 and not report.failed


def test_a_read_only_home_is_said_in_one_line_naming_the_path(tmp_path, inputs):
    home = Home(tmp_path / "home").ensure()
    home.logs.last_run.parent.mkdir(parents=True)
    _read_only(home.root)
    try:
        code, said = run_in_child(
            obey_file_modes,
            functools.partial(_tgwh, str(home.root), "run", str(inputs)),
        )
        verbose_code, verbose = run_in_child(
            obey_file_modes,
            functools.partial(_tgwh, str(home.root), "run", "--verbose", str(inputs)),
        )
    finally:
        _writable(home.root)
    assert code == 1, said
    assert said.strip().splitlines()[-1] == (
        f"Error: {home.logs.last_run}: permission denied (is the home folder read-only?)"
    ), said
    assert "Traceback" not in said
    assert verbose_code == 1 and "Traceback" in verbose and "PermissionError" in verbose


def test_rollback_in_a_read_only_home_says_so_and_changes_nothing(tmp_path):
    home = Home(tmp_path / "home").ensure()
    warehouse = Warehouse(home.warehouse)
    for generation in (1, 2):
        warehouse.start_candidate(copy_published=False)
        with duckdb.connect(str(warehouse.candidate)) as connection:
            connection.execute(f"create table t as select {generation} as generation")
        warehouse.publish()
    _read_only(home.root)
    try:
        code, said = run_in_child(
            obey_file_modes,
            functools.partial(_tgwh, str(home.root), "rollback"),
        )
    finally:
        _writable(home.root)
    assert code == 1, said
    assert said.strip() == (
        f"Error: cannot write {warehouse.published}: permission denied "
        "(is the home folder read-only?)"
    )
    assert warehouse.current_version() == 1  # still the second build


@pytest.mark.parametrize(
    ("published", "set_aside", "files_incomplete", "status"),
    [
        (True, False, False, PUBLISHED),
        (True, False, True, PUBLISHED_WITHOUT_SOME_FILES),
        (True, True, False, PUBLISHED_WITH_SET_ASIDE),
        (True, True, True, PUBLISHED_WITH_SET_ASIDE),  # the set-aside batch wins
        (False, True, True, NOT_PUBLISHED),
        (False, False, False, NOT_PUBLISHED),
    ],
)
def test_exit_statuses_are_distinct_and_ranked(published, set_aside, files_incomplete, status):
    assert (PUBLISHED, NOT_PUBLISHED, PUBLISHED_WITH_SET_ASIDE, PUBLISHED_WITHOUT_SOME_FILES) == (
        0,
        1,
        3,
        4,
    )
    assert (
        exit_status(published=published, set_aside=set_aside, files_incomplete=files_incomplete)
        == status
    )
