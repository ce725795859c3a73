"""The dbt project as Dagster sees it: one cached DbtProject whose artifacts live in the home.

dagster-dbt needs a manifest before definitions load. It is parsed into the home folder (never
into the source tree) the first time, and again whenever the dbt project's files differ from
those it was parsed from: compared by digest, not by time, since a copied home or a checkout
gives files new times whatever their content.
"""

from __future__ import annotations

import functools
from pathlib import Path

from dagster_dbt import DbtProject

from orchestration.common.durable import tree_digest, write_text_atomic
from orchestration.config import DBT_PROJECT_DIR, Home, apply_dbt_environment


def _manifest_is_current(project: DbtProject, digest_file: Path, digest: str) -> bool:
    return (
        project.manifest_path.exists()
        and digest_file.exists()
        and digest_file.read_text().strip() == digest
    )


@functools.cache
def tgwh_dbt_project() -> DbtProject:
    home = Home.from_env()
    apply_dbt_environment(home)
    project = DbtProject(
        project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR, target_path=home.dbt_target
    )
    digest = tree_digest([DBT_PROJECT_DIR])
    if not _manifest_is_current(project, home.dbt_manifest_source, digest):
        project.preparer.prepare(project)
        write_text_atomic(home.dbt_manifest_source, digest)
    return project
