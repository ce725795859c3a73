"""Small helpers that turn frames into Dagster metadata (row counts, previews)."""

import dagster as dg
import polars as pl

from orchestration.config import Home

PREVIEW_ROWS = 10


def _cell_text(name: str, dtype: pl.DataType, width: int) -> pl.Expr:
    column = pl.col(name)
    if isinstance(dtype, pl.List):
        column = column.list.eval(pl.element().cast(pl.String)).list.join(", ")
    return column.cast(pl.String).str.replace_all(r"[\n|]", " ").str.slice(0, width).alias(name)


def markdown_table(frame: pl.DataFrame, max_rows: int = PREVIEW_ROWS, width: int = 80) -> str:
    """A Markdown preview of a frame; long cells are cut so the UI stays readable.

    Written out here rather than with pandas' to_markdown: importing pandas and tabulate costs
    seconds, paid by every run for ten rows of preview.
    """
    preview = frame.head(max_rows).select(
        _cell_text(name, dtype, width) for name, dtype in frame.schema.items()
    )
    lines = [
        "| " + " | ".join(preview.columns) + " |",
        "|" + "|".join("---" for _ in preview.columns) + "|",
    ]
    for row in preview.iter_rows():
        lines.append("| " + " | ".join("" if cell is None else cell for cell in row) + " |")
    return "\n".join(lines)


def docs_links(home: Home) -> dict[str, dg.MetadataValue]:
    """Links to the home's documentation, for the UI: the Data Docs (every run renders them)
    and the dbt docs (`tgwh docs` writes them). Browsers open file: links only when pasted
    or opened from another file page, so the path is there to copy too."""
    layout = home.docs
    return {
        "data_docs": dg.MetadataValue.url(layout.data_docs_index.resolve().as_uri()),
        "dbt_docs": dg.MetadataValue.url(layout.dbt_index.resolve().as_uri()),
        "docs_folder": dg.MetadataValue.path(str(layout.root.resolve())),
    }


def preview(frame: pl.DataFrame, empty: str = "(none)") -> dg.MetadataValue:
    return dg.MetadataValue.md(markdown_table(frame) if frame.height else empty)
