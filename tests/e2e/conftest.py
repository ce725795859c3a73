"""The sample warehouse the end-to-end modules read, built once per session."""

from pathlib import Path

import pytest
from support.cli import tgwh_process
from support.homes import shared_home


@pytest.fixture(scope="session")
def sample_home(tmp_path_factory) -> Path:
    """The bundled sample built by the installed console script, as a user runs it.

    Shared by every module and xdist worker: tests only read it; one that writes copies it.
    """

    def build(home: Path) -> None:
        result = tgwh_process(home, "run")
        assert "checks:" in result.stdout and "0 failed" in result.stdout, result.stdout

    return shared_home(tmp_path_factory, "sample", build)
