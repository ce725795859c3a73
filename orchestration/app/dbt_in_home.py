"""`tgwh-dbt`: dbt, started inside the home folder that TGWH_HOME names.

The dbt profile names the warehouse by a path relative to the home (config.dbt_environment
says why), so tgwh's runs start dbt through this command: it changes directory and hands the
invocation to the run's warm dbt (warehouse/warm_dbt.py), or else becomes dbt (exec: the same
process, so an interrupt reaches dbt).
"""

from __future__ import annotations

import os
import sys

from orchestration.config import enter_home_for_dbt
from orchestration.warehouse.warm_dbt import hand_off


def main() -> None:
    dbt = enter_home_for_dbt()
    argv = [str(dbt), *sys.argv[1:]]
    status = hand_off(argv)
    if status is not None:
        sys.exit(status)
    os.execv(dbt, argv)
