"""The dbt project as Dagster sees it: one cached DbtProject whose artifacts live in the home.

dagster-dbt needs a manifest before definitions load. It is parsed into the home folder (never
into the source tree) the first time, and again whenever a file of the dbt project is newer
than the manifest.
"""

from __future__ import annotations

import functools

from dagster_dbt import DbtProject

from orchestration.config import DBT_PROJECT_DIR, Home, apply_dbt_environment


def _manifest_is_stale(project: DbtProject) -> bool:
    if not project.manifest_path.exists():
        return True
    built = project.manifest_path.stat().st_mtime
    return any(
        path.stat().st_mtime > built
        for path in DBT_PROJECT_DIR.rglob("*")
        if path.is_file() and path.suffix in {".sql", ".yml", ".yaml", ".csv"}
    )


@functools.cache
def tgwh_dbt_project() -> DbtProject:
    home = Home.from_env()
    apply_dbt_environment(home)
    project = DbtProject(
        project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR, target_path=home.dbt_target
    )
    if _manifest_is_stale(project):
        project.preparer.prepare(project)
    return project
