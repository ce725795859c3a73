"""The dbt CLI as a Dagster resource."""

from functools import cached_property
from importlib.metadata import version as installed_version

from dagster_dbt import DbtCliResource
from packaging import version


class TgwhDbtCliResource(DbtCliResource):
    """The dbt CLI resource, minus two start-up costs this project does not need.

    dagster-dbt's DbtCliResource runs `dbt --version` in a subprocess (to tell dbt-core from
    the Fusion engine) and loads dbt's adapter in this process (to fetch row counts and column
    metadata) before every invocation: together 3-7 s per run, measured with pyinstrument.
    Here dbt-core is a locked dependency, and row counts are taken over our own short-lived
    read-only connection (defs/dbt.py), so both are skipped. These override private methods
    of dagster-dbt 0.29 (pinned; tests/defs check that the methods still exist).
    """

    @cached_property
    def _cli_version(self) -> version.Version:
        return version.parse(installed_version("dbt-core"))

    def _initialize_dbt_core_adapter(self, args):
        return None  # no adapter handle: dagster-dbt then skips what would need it
