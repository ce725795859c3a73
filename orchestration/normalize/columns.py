"""Column helpers for the normalizing passes: run an expensive expression only where needed.

On this kind of data a regex pass costs about half a second per million posts whatever it
finds, so passes run only on the rows a cheap test selects, and the results are put back.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

import polars as pl

STRINGS = pl.List(pl.String)


def alternation(words: Iterable[str]) -> str:
    """Regex alternatives, longest first so that "sept" wins over "sep"."""
    return "|".join(re.escape(word) for word in sorted(set(words), key=len, reverse=True))


def update_where(
    values: pl.Series, mask: pl.Series, compute: Callable[[pl.Series], pl.Series]
) -> pl.Series:
    """Replace ``values`` where ``mask`` holds by ``compute`` run on those rows only.

    Polars evaluates both branches of when/then on every row; for a regex pass over long texts
    that most rows do not need, computing on the selected rows and scattering back is cheaper.
    """
    rows = mask.fill_null(False).arg_true()
    if rows.len() == 0:
        return values
    return values.clone().scatter(rows, compute(values.gather(rows)))


def compute_where(
    source: pl.Series,
    mask: pl.Series,
    compute: Callable[[pl.Series], pl.Series],
    dtype: pl.DataType,
    default: object = None,
) -> pl.Series:
    """``compute`` on the masked rows of ``source``, ``default`` elsewhere.

    ``compute`` must itself give ``default`` on rows the mask leaves out, so that running it
    on every row is also correct. A join on the row number puts the results back (Polars
    cannot scatter lists, and gathering lists is several times slower than this join).
    """
    rows = mask.fill_null(False).arg_true()
    if rows.len() == source.len():
        return compute(source).cast(dtype).alias(source.name)
    everything = pl.DataFrame({"row": pl.int_range(0, source.len(), dtype=pl.UInt32, eager=True)})
    if rows.len():
        computed = pl.DataFrame({"row": rows, "value": compute(source.gather(rows)).cast(dtype)})
        everything = everything.join(computed, on="row", how="left", maintain_order="left")
    else:
        everything = everything.with_columns(value=pl.lit(None, dtype=dtype))
    value = pl.col("value")
    if default is not None:
        value = value.fill_null(pl.lit(default, dtype=dtype))
    return everything.select(value.alias(source.name)).to_series()
