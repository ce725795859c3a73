"""A command-line run says, as each step ends, what it produced and how long it took."""

import re
import time

from orchestration.app.runner import build_warehouse
from orchestration.config import Home
from orchestration.defs.progress import elapsed, step_name


def test_each_finished_step_prints_one_timed_line(tmp_path, capsys):
    home = Home(tmp_path / "home")
    started = time.time() - 65
    outcome = build_warehouse(home, [], progress_since=started)
    assert outcome.success
    lines = capsys.readouterr().err.splitlines()
    [landing] = [line for line in lines if "raw/batches" in line]
    # timed from when the command began; not a terminal here: no "started" lines
    minutes, seconds = map(int, re.match(r"\[(\d+):(\d\d)\] ", landing).groups())
    assert minutes * 60 + seconds >= 65 and " raw/batches done in " in landing
    assert "0 files landed, 0 posts landed, 0 files failed" in landing
    assert not any(line.endswith("…") for line in lines)


def test_without_progress_a_run_prints_nothing_on_stderr(tmp_path, capsys):
    build_warehouse(Home(tmp_path / "home"), [])
    assert "raw/batches" not in capsys.readouterr().err


def test_names_and_times_read_as_a_person_reads_them():
    assert step_name("raw__batches") == "raw/batches"
    assert [elapsed(s) for s in (0, 59.9, 61, 3600)] == ["0:00", "0:59", "1:01", "60:00"]
