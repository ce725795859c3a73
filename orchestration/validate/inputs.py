"""What the suites are given: frames as pandas (the engine GX runs here), run-time parameters.

Why pandas frames and not a GX SQL datasource on the warehouse: GX 1.24 has no DuckDB dialect.
Through duckdb-engine its queries come back empty unless the connection is persisted, and regex
expectations are refused. So exactly the columns a suite needs are read through Arrow (DuckDB
`to_arrow_table()`, Polars `to_arrow()`) into pandas and validated with the pandas engine,
which is fast enough (about 2 s for 1M posts and 18 expectations, 0.7 s of it GX fingerprinting
the frame) and supports every expectation. Pandas 3 keeps strings Arrow-backed, so regexes run
in RE2 unless they use what RE2 lacks (\\s, \\S, \\d on non-ASCII, lookarounds): then pandas falls
back to Python's re per row (~1.4 s per 1M values), so the suites' regexes avoid those.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

# Timestamps come from other clocks (Telegram, the exporter's machine): allow a little drift.
DEFAULT_CLOCK_SKEW = dt.timedelta(minutes=15)


def max_published_at(now: dt.datetime | None, clock_skew: dt.timedelta) -> dt.datetime:
    now = now or dt.datetime.now(dt.UTC)
    if now.tzinfo is None:
        now = now.replace(tzinfo=dt.UTC)
    return now + clock_skew


def arrow_to_pandas(table: pa.Table) -> pd.DataFrame:
    """Arrow -> pandas, reading naive timestamps as UTC so they compare with aware bounds."""
    import pyarrow as pa

    for index, arrow_field in enumerate(table.schema):
        if pa.types.is_timestamp(arrow_field.type) and arrow_field.type.tz is None:
            utc_type = pa.timestamp(arrow_field.type.unit, tz="UTC")
            table = table.set_column(index, arrow_field.name, table.column(index).cast(utc_type))
    return table.to_pandas()
