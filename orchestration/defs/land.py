"""The land phase of a build on its own: what a run with nothing new loads instead of the whole
code location.

A run whose files have all landed before only records that it saw them (raw/batches, zero
landed). Loading the whole code location for that costs more than the run: dagster-dbt and the
dbt manifest alone take seconds to import and load. This is the same job (build_warehouse, in
the same code location: the UI lists its runs beside the others) over the only asset the phase
materializes, with the same resources, loggers and executor.
"""

import dagster as dg

from orchestration.defs.keys import BUILD_JOB, RAW_BATCHES
from orchestration.defs.progress import progress_logger
from orchestration.defs.raw import raw_batches, source_files
from orchestration.defs.resources import HomeResource

LAND_ONLY_PHASE = [RAW_BATCHES]

land_defs = dg.Definitions(
    assets=[source_files, raw_batches],
    jobs=[dg.define_asset_job(name=BUILD_JOB, selection=dg.AssetSelection.assets(RAW_BATCHES))],
    loggers={"console": dg.colored_console_logger, "progress": progress_logger},
    resources={"home": HomeResource()},
    executor=dg.in_process_executor,
)
