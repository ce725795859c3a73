"""Shared fixtures: the real-data conformance suite and throwaway home folders."""

import os
import tempfile
from pathlib import Path

import pytest
from support.paths import REAL_DATA


@pytest.fixture(scope="session")
def real_data() -> Path:
    """Real Telegram files nobody here wrote; absent in a standalone checkout."""
    if not REAL_DATA.is_dir():
        pytest.skip(f"real-data conformance suite not found at {REAL_DATA}")
    return REAL_DATA


@pytest.fixture
def home_dir(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    return home


# Tests never touch a user's home: anything that resolves the home without being told where
# (the Dagster definitions, the dbt manifest) gets a throwaway one.
os.environ["TGWH_HOME"] = tempfile.mkdtemp(prefix="tgwh-test-home-")
