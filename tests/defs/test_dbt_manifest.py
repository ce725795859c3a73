"""The dbt manifest Dagster loads is parsed again exactly when the dbt project's files differ."""

import os
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
