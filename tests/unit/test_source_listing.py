"""What a run takes from the folders it is given, and what it says it passed over."""

import os

from click.testing import CliRunner

from orchestration.app.cli import main
from orchestration.app.runner import RunOutcome
from orchestration.app.summary import summarize
from orchestration.config import Home
from orchestration.ingest.raw_store import RawStore
from orchestration.ingest.sources import list_sources


def folder_with_strays(tmp_path):
    inbox = tmp_path / "exports"
    (inbox / "nested").mkdir(parents=True)
    (inbox / "a.json").write_text("{}")
    (inbox / "nested" / "b.html").write_text("<html></html>")
    (inbox / "notes.csv").write_text("x")
    (inbox / "nested" / "archive.zip").write_bytes(b"PK")
    (inbox / "README").write_text("read me")
    (inbox / ".DS_Store").write_bytes(b"\0")
    (tmp_path / "elsewhere.json").mkdir()
    os.symlink(tmp_path / "elsewhere.json", inbox / "linked.json")
    return inbox


def test_entries_passed_over_are_listed_with_why(tmp_path):
    inbox = folder_with_strays(tmp_path)
    listing = list_sources([inbox, tmp_path / "named.csv"])
    assert listing.files == [inbox / "a.json", inbox / "nested" / "b.html", tmp_path / "named.csv"]
    assert {path.name: why for path, why in listing.skipped} == {
        "README": "not a source file (no suffix)",
        "notes.csv": "not a source file (suffix .csv)",
        "archive.zip": "not a source file (suffix .zip)",
        "linked.json": "a link to a folder (not followed)",
    }


def test_the_run_summary_lists_what_was_skipped(tmp_path, capsys):
    inbox = folder_with_strays(tmp_path)
    report = RawStore(Home(tmp_path / "home").raw).ingest([inbox])
    assert len(report.skipped) == 4
    outcome = RunOutcome(
        run_ids=["run-1"],
        success=False,
        ingest={
            "files_skipped": len(report.skipped),
            "skipped": "\n".join(f"- `{path}`: {why}" for path, why in report.skipped),
        },
    )
    summarize(Home(tmp_path / "home"), outcome, tmp_path / "log")
    shown = capsys.readouterr().out
    assert "skipped 4 file(s) in the folders named" in shown
    assert "notes.csv: not a source file (suffix .csv)" in shown
    assert ".DS_Store" not in shown


def test_version_is_the_installed_package_version():
    from importlib.metadata import version

    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0 and result.output.strip() == f"tgwh {version('tgwh')}"
