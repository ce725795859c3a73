"""Small helpers that turn frames into Dagster metadata (row counts, previews)."""

import dagster as dg
import polars as pl

PREVIEW_ROWS = 10


def _cell_text(name: str, dtype: pl.DataType, width: int) -> pl.Expr:
    column = pl.col(name)
    if isinstance(dtype, pl.List):
        column = column.list.eval(pl.element().cast(pl.String)).list.join(", ")
    return column.cast(pl.String).str.replace_all(r"[\n|]", " ").str.slice(0, width).alias(name)


def markdown_table(frame: pl.DataFrame, max_rows: int = PREVIEW_ROWS, width: int = 80) -> str:
    """A Markdown preview of a frame; long cells are cut so the UI stays readable."""
    preview = frame.head(max_rows).select(
        _cell_text(name, dtype, width) for name, dtype in frame.schema.items()
    )
    return preview.to_pandas().to_markdown(index=False)


def frame_metadata(frame: pl.DataFrame) -> dict:
    return {
        "dagster/row_count": frame.height,
        "preview": dg.MetadataValue.md(markdown_table(frame) if frame.height else "(empty)"),
    }
