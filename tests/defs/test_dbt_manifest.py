"""The dbt manifest Dagster loads is parsed again exactly when the dbt project's files differ."""

import os
import subprocess
import sys
from types import SimpleNamespace

from orchestration.common.durable import tree_digest
from orchestration.config import DBT_PROJECT_DIR
from orchestration.defs.project import _manifest_is_current


def test_a_manifest_is_current_by_the_project_content_not_by_file_times(tmp_path):
    manifest, digest_file = tmp_path / "manifest.json", tmp_path / "manifest.project-digest"
    project = SimpleNamespace(manifest_path=manifest)
    digest = tree_digest([DBT_PROJECT_DIR])
    assert not _manifest_is_current(project, digest_file, digest)  # never parsed

    manifest.write_text("{}")
    digest_file.write_text(digest)
    # a copied home (or a checkout) gives the files new times, its content unchanged
    os.utime(manifest, (0, 0))
    assert _manifest_is_current(project, digest_file, digest)

    # a model edited since, whatever the times say
    assert not _manifest_is_current(project, digest_file, tree_digest([DBT_PROJECT_DIR / "models"]))
    manifest.unlink()
    assert not _manifest_is_current(project, digest_file, digest)


def test_a_fresh_home_is_parsed_once_whoever_loads_it_first(tmp_path):
    """Two processes loading the definitions of one fresh home at once: dbt parses it once,
    and both load the same manifest."""
    home = tmp_path / "home"
    load = "from orchestration.defs.project import tgwh_dbt_project as p; print(p().manifest_path)"
    env = {**os.environ, "TGWH_HOME": str(home)}
    loads = [
        subprocess.Popen([sys.executable, "-c", load], env=env, stdout=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    printed = [process.communicate(timeout=120)[0].strip() for process in loads]
    assert [process.returncode for process in loads] == [0, 0]
    manifest = home / "dbt" / "target" / "manifest.json"
    assert printed == [str(manifest)] * 2 and manifest.exists()
    log = (home / "dbt" / "target" / "dbt.log").read_text()
    assert log.count("Command `dbt parse` succeeded") == 1, log[-2000:]
