"""Query results as a person reads them: a table in the style of the duckdb CLI.

Every value is DuckDB's own text for it, under the column's name and SQL type. What does not
fit is marked where it happens: a value cut short ends in "…", omitted rows are a row of "…"
between the first and the last ones, omitted columns a column of "…", and a line under the
table counts what was left out and says how to see it. Control characters (terminal escape
codes, line breaks, bidirectional overrides) are shown escaped, never sent to the terminal.

Widths are measured with Rich, which knows how many cells each character takes on a terminal
(emoji flags, CJK); the box is drawn here, line by line, because Rich's own tables lay out
every cell again on each print (seconds for a few thousand cells) and squeeze every column to
a sliver rather than leave some out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import click
from rich.cells import cell_len, set_cell_size
from rich.table import Table
from rich.text import Span, Text

from orchestration.app.console import console
from orchestration.warehouse.query import TextResult

# Widest a value is shown before the terminal's spare width is shared out (unless --wide).
MAX_CELL_WIDTH = 40
MIN_CELL_WIDTH = 12
MAX_NAME_WIDTH = 24  # column names longer than this may be cut too
NUMERIC_TYPE = re.compile(
    r"^(U?(TINY|SMALL|BIG|HUGE)?INT(EGER)?|FLOAT|DOUBLE|DECIMAL\(\d+,\d+\)|BIGNUM)$"
)
ESCAPE_STYLE = "reverse"
NULL_STYLE = "dim"
MARK = "…"


def _escape_table() -> dict[str, str]:
    named = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}
    codes = [*range(0x00, 0x20), *range(0x7F, 0xA0)]  # C0, DEL, C1 (ESC, CSI, NEL...)
    table = {chr(c): named.get(chr(c), f"\\x{c:02x}") for c in codes}
    # Line and paragraph separators, bidirectional marks, embeddings, overrides and isolates:
    # they reorder or break what the terminal shows.
    for code in (0x061C, 0x200E, 0x200F, 0x2028, 0x2029, *range(0x202A, 0x202F)):
        table[chr(code)] = f"\\u{code:04x}"
    for code in (*range(0x2066, 0x206A), 0xFEFF):
        table[chr(code)] = f"\\u{code:04x}"
    return table


ESCAPES = _escape_table()
ESCAPABLE = re.compile("[" + "".join(re.escape(c) for c in ESCAPES) + "]")


@dataclass(frozen=True, slots=True)
class Cell:
    """A value as the table shows it: terminal-safe text, its styled spans, its width."""

    plain: str
    spans: tuple[tuple[int, int, str], ...]
    width: int

    @classmethod
    def of(cls, value: str | None, style: str | None = None) -> Cell:
        if value is None:
            return cls("NULL", ((0, 4, NULL_STYLE),), 4)
        spans: list[tuple[int, int, str]] = [(0, 0, style)] if style else []
        if ESCAPABLE.search(value):
            pieces, last, length = [], 0, 0
            for match in ESCAPABLE.finditer(value):
                pieces.append(value[last : match.start()])
                length += match.start() - last
                escape = ESCAPES[match.group()]
                pieces.append(escape)
                spans.append((length, length + len(escape), ESCAPE_STYLE))
                length += len(escape)
                last = match.end()
            pieces.append(value[last:])
            value = "".join(pieces)
        if style:
            spans[0] = (0, len(value), style)
        return cls(value, tuple(spans), cell_len(value))

    def cut(self, width: int) -> Cell:
        """At most ``width`` cells wide, ending in "…" when something was cut."""
        if self.width <= width:
            return self
        kept = set_cell_size(self.plain, max(width - 1, 0))
        spans = tuple((a, min(b, len(kept)), st) for a, b, st in self.spans if a < len(kept))
        return Cell(kept + MARK, spans, width)

    def text(self) -> Text:
        return Text(self.plain, spans=[Span(*span) for span in self.spans])


def escaped(value: str, style: str | None = None) -> Text:
    """``value`` as terminal-safe text: each control character as its escape, highlighted."""
    return Cell.of(value, style).text()


def _table_width(widths: list[int], gap: bool) -> int:
    return sum(widths) + 3 * (len(widths) + gap) + 1 + gap


def _widths(
    natural: list[int], names: list[int], available: int
) -> tuple[list[int], list[int], int | None]:
    """Widths within ``available`` cells: long values are cut first (widest first, never below
    MIN_CELL_WIDTH nor below the column's name), then columns left out from the middle; spare
    width goes back to the columns that were cut."""
    floors = [
        min(n, max(MIN_CELL_WIDTH, min(name, MAX_NAME_WIDTH)))
        for n, name in zip(natural, names, strict=True)
    ]

    def capped(cap: int) -> list[int]:
        return [max(min(n, cap), floor) for n, floor in zip(natural, floors, strict=True)]

    cap = MAX_CELL_WIDTH
    while cap > MIN_CELL_WIDTH and _table_width(capped(cap), False) > available:
        cap -= 1
    widths = capped(cap)
    shown, gap_at = _fit(widths, available)
    spare = available - _table_width([widths[i] for i in shown], gap_at is not None)
    for i in shown:
        extra = min(max(spare, 0), natural[i] - widths[i])
        widths[i] += extra
        spare -= extra
    return widths, shown, gap_at


def _fit(widths: list[int], available: int) -> tuple[list[int], int | None]:
    """Columns to show (indexes, in order) and where the "…" column goes (None: all shown):
    the first and last columns, alternately, as many as fit."""

    def width_of(count: int, total: int, gap: bool) -> int:
        return total + 3 * (count + gap) + 1 + gap

    if width_of(len(widths), sum(widths), False) <= available:
        return list(range(len(widths))), None
    left, right = [], []
    low, high = 0, len(widths) - 1
    total = 0
    while low <= high:
        take = low if len(left) <= len(right) else high
        if width_of(len(left) + len(right) + 1, total + widths[take], True) > available:
            break
        total += widths[take]
        if take == low:
            left.append(low)
            low += 1
        else:
            right.insert(0, high)
            high -= 1
    if not left:  # not even the first column fits: show what of it does
        widths[0] = max(1, available - width_of(1, 0, True))
        left = [0]
    return left + right, len(left)


def build_table(result: TextResult, width: int, wide: bool) -> tuple[list[Text], str]:
    """The table's lines, and the line that says what it leaves out."""
    header_names = [Cell.of(name, "bold") for name in result.names]
    header_types = [Cell.of(kind, "dim") for kind in result.types]
    head = [[Cell.of(v) for v in row] for row in result.head]
    tail = [[Cell.of(v) for v in row] for row in result.tail]
    natural = [
        max(
            header_names[i].width,
            header_types[i].width,
            *(row[i].width for row in head + tail),
        )
        for i in range(len(result.names))
    ]
    if wide:
        widths, shown, gap_at = list(natural), list(range(len(natural))), None
    else:
        names = [name.width for name in header_names]
        widths, shown, gap_at = _widths(natural, names, width)
    columns: list[int | None] = list(shown)
    if gap_at is not None:
        columns.insert(gap_at, None)
    sizes = [1 if i is None else widths[i] for i in columns]
    right = [i is not None and bool(NUMERIC_TYPE.match(result.types[i])) for i in columns]
    mark = Cell(MARK, ((0, 1, "dim"),), 1)
    blank = Cell("", (), 0)
    cut = False

    def line(cells: list[Cell]) -> Text:
        pieces, spans, length = ["│ "], [], 2
        for k, (cell, size) in enumerate(zip(cells, sizes, strict=True)):
            padding = " " * (size - cell.width)
            start = length + (len(padding) if right[k] else 0)
            pieces += [padding, cell.plain] if right[k] else [cell.plain, padding]
            spans += [Span(start + a, start + b, style) for a, b, style in cell.spans]
            length += len(padding) + len(cell.plain)
            separator = " │ " if k < len(cells) - 1 else " │"
            pieces.append(separator)
            length += len(separator)
        return Text("".join(pieces), spans=spans)

    def row_line(row: list[Cell]) -> Text:
        nonlocal cut
        cells = []
        for i in columns:
            if i is None:
                cells.append(mark)
                continue
            cut = cut or row[i].width > widths[i]
            cells.append(row[i].cut(widths[i]))
        return line(cells)

    def rule(left: str, middle: str, end: str) -> Text:
        return Text(left + middle.join("─" * (size + 2) for size in sizes) + end)

    lines = [
        rule("┌", "┬", "┐"),
        line([blank if i is None else header_names[i].cut(widths[i]) for i in columns]),
        line([mark if i is None else header_types[i].cut(widths[i]) for i in columns]),
        rule("├", "┼", "┤"),
        *(row_line(row) for row in head),
        *([line([mark] * len(columns))] if result.rows_omitted else []),
        *(row_line(row) for row in tail),
        rule("└", "┴", "┘"),
    ]
    return lines, _footer(result, len(shown), cut)


def _footer(result: TextResult, columns_shown: int, cut: bool) -> str:
    rows = f"{result.row_count:,} row{'' if result.row_count == 1 else 's'}"
    parts = [rows]
    if result.rows_omitted:
        parts[0] += f" ({len(result.head) + len(result.tail):,} shown)"
    if columns_shown < len(result.names):
        parts.append(f"{len(result.names)} columns ({columns_shown} shown)")
    if cut:
        parts.append(f"long values cut ({MARK})")
    hints = []
    if result.rows_omitted:
        hints.append("--max-rows 0 shows every row")
    if cut or columns_shown < len(result.names):
        hints.append("--wide shows every column and whole values")
    return ", ".join(parts) + (f"; {', '.join(hints)}" if hints else "")


def print_table(result: TextResult, wide: bool = False) -> None:
    lines, footer = build_table(result, console.width, wide)
    # soft_wrap: printed as built, never re-wrapped or cropped (--wide may pass the width)
    console.print(Text("\n").join(lines), soft_wrap=True)
    console.print(Text(footer, style="dim"), highlight=False)


def table_text(result: TextResult, wide: bool = False) -> str:
    """The table as plain text, for a file."""
    lines, footer = build_table(result, console.width, wide)
    return "".join(f"{line.plain}\n" for line in lines) + footer + "\n"


def print_frame(frame, title: str | None = None) -> None:
    """A small Polars frame the program computed (the build summary, channel lists)."""
    table = Table(title=title, title_justify="left", show_lines=False)
    for name in frame.columns:
        table.add_column(escaped(name), overflow="fold")
    for row in frame.iter_rows():
        table.add_row(*(Text("") if value is None else escaped(str(value)) for value in row))
    console.print(table)


def print_result(frame, output_format: str) -> None:
    """A frame the program computed (not a user's query), as a table, CSV or JSON."""
    if output_format == "csv":
        click.echo(frame.write_csv(), nl=False)
    elif output_format == "json":
        click.echo(frame.write_json())
    else:
        print_frame(frame)
