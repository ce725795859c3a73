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
from filelock import FileLock

from orchestration.common.durable import tree_digest, write_text_atomic
from orchestration.config import DBT_IN_HOME, DBT_PROJECT_DIR, Home, apply_dbt_environment
from orchestration.defs.dbt_resource import TgwhDbtCliResource


def _manifest_is_current(project: DbtProject, digest_file: Path, digest: str) -> bool:
    return (
        project.manifest_path.exists()
        and digest_file.exists()
        and digest_file.read_text().strip() == digest
    )


def _parse(project: DbtProject, home: Home, digest: str) -> None:
    """`dbt parse` into the home's target, as runs start dbt (tgwh-dbt, inside the home).

    Not dagster-dbt's own preparer: its DbtCliResource starts `dbt --version` and loads dbt's
    adapter in this process before parsing (~6 s, measured; TgwhDbtCliResource skips both).
    The lock is the preparer's guard: two processes (the UI's code server, a run) parsing into
    one target at once would mix their files. The digest is written before the lock is let go,
    or the second process would find the manifest without it and parse again.
    """
    home.dbt_target.mkdir(parents=True, exist_ok=True)
    with FileLock(str(home.dbt_target / "parse.lock")):
        if _manifest_is_current(project, home.dbt_manifest_source, digest):
            return  # parsed by the process that held the lock
        resource = TgwhDbtCliResource(project_dir=project, dbt_executable=str(DBT_IN_HOME))
        resource.cli(["parse", "--quiet"], target_path=project.target_path).wait()
        write_text_atomic(home.dbt_manifest_source, digest)


@functools.cache
def tgwh_dbt_project() -> DbtProject:
    home = Home.from_env()
    apply_dbt_environment(home)
    project = DbtProject(
        project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR, target_path=home.dbt_target
    )
    digest = tree_digest([DBT_PROJECT_DIR])
    if not _manifest_is_current(project, home.dbt_manifest_source, digest):
        _parse(project, home, digest)
    return project
