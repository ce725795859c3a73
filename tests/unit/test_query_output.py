"""What `tgwh query`, `tgwh tables` and `tgwh describe` print and write: DuckDB's own values
and types in every format, whole files or none, tables that mark what they leave out and never
pass a control character to the terminal."""

import csv
import io
import json
from decimal import Decimal

import duckdb
import orjson
import pytest
from click.testing import CliRunner
from support.cli import tgwh

from orchestration.app.cli import main
from orchestration.app.tables import escaped
from orchestration.warehouse.query import fetch_text, run_on_warehouse

HUGE = 10**38 - 1  # a HUGEINT beyond BIGINT and DOUBLE, of the most digits Parquet holds
UBIG = 18446744073709551615  # the largest UBIGINT
TEXT = "Заявление\nof the Ministry \x1b[31mred\x1b[0m \u202egnp.exe\t🇷🇺"
KINDS = f"""
    create schema marts;
    create table marts.kinds as select * from (values
      (1, [1, 2], {{'a': 1, 'b': ['x', null]}}, interval '1 month 3 days 04:00:00.5',
       12345.678::decimal(18,3), 1.5::decimal(38,10), {HUGE}::hugeint, {UBIG}::ubigint,
       '{TEXT}', date '2025-05-10', timestamptz '2025-05-10 09:45:10.123456+00', true),
      (2, null, null, null, null, null, null, null, null, null, null, null),
      (3, [], {{'a': null, 'b': []}}, interval '0 seconds', -0.001, 0, -{HUGE}::hugeint, 0, '',
       date '1970-01-01', timestamptz '1970-01-01 00:00:00+00', false)
    ) t(id, list, struct, span, price, ratio, huge, ubig, text, day, seen_at, flag);
"""
TYPES = [
    "INTEGER",
    "INTEGER[]",
    "STRUCT(a INTEGER, b VARCHAR[])",
    "INTERVAL",
    "DECIMAL(18,3)",
    "DECIMAL(38,10)",
    "HUGEINT",
    "UBIGINT",
    "VARCHAR",
    "DATE",
    "TIMESTAMP WITH TIME ZONE",
    "BOOLEAN",
]
ALL = "select * from marts.kinds order by id"
# Two columns of one name, as a self-join gives them.
TWINS = "select a.id, b.id from marts.kinds a join marts.kinds b on a.id + 1 = b.id order by 1"


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    """One home for the module: every test only reads its warehouse."""
    tmp_path = tmp_path_factory.mktemp("query-output")
    home = tmp_path / "home"
    (home / "warehouse").mkdir(parents=True)
    with duckdb.connect(str(home / "warehouse" / "tgwh.duckdb")) as connection:
        connection.execute(KINDS)
        connection.execute(
            "create table marts.posts as select range as id, repeat('word ', 30) || range as text"
            " from range(100)"
        )
        connection.execute(
            "create table marts.wide as select "
            + ", ".join(f"{i} as column_number_{i}" for i in range(30))
        )
        # A view over files outside the warehouse, as the staging layer is: queries here may
        # not read files, so `tgwh tables` leaves it out.
        files = tmp_path / "files.parquet"
        connection.execute(f"copy (select 1 as n) to '{files}'")
        connection.execute(
            f"create schema staging; create view staging.stg_files as from read_parquet('{files}')"
        )
    return home


def test_the_types_of_the_test_table_are_the_ones_meant(home):
    result = run_on_warehouse(home / "warehouse" / "tgwh.duckdb", ALL, fetch_text)
    assert result.types == TYPES


def test_csv_holds_duckdb_s_text_of_every_value(home):
    out = tgwh(home, "query", "--format", "csv", ALL).stdout
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == [
        "id", "list", "struct", "span", "price", "ratio", "huge", "ubig", "text", "day", "seen_at",
        "flag",
    ]  # fmt: skip
    assert rows[1] == [
        "1",
        "[1, 2]",
        "{'a': 1, 'b': [x, NULL]}",
        "1 month 3 days 04:00:00.5",
        "12345.678",
        "1.5000000000",
        str(HUGE),
        str(UBIG),
        TEXT,  # CSV is for programs: the text exactly, quoted
        "2025-05-10",
        "2025-05-10 09:45:10.123456+00",
        "true",
    ]
    assert rows[2] == ["2"] + [""] * 11  # NULL is an empty field...
    assert rows[3][8] == "" and '""' in out.splitlines()[-1]  # ...the empty string is quoted
    assert rows[3][6] == str(-HUGE)


def test_json_keeps_numbers_exact_and_nests_lists_and_structs(home):
    out = tgwh(home, "query", "--format", "json", ALL).stdout
    rows = json.loads(out, parse_float=Decimal)
    assert [r["id"] for r in rows] == [1, 2, 3]
    first = rows[0]
    assert first["list"] == [1, 2] and first["struct"] == {"a": 1, "b": ["x", None]}
    assert first["span"] == "1 month 3 days 04:00:00.5"
    assert first["price"] == Decimal("12345.678") and first["ratio"] == Decimal("1.5")
    assert first["huge"] == HUGE and first["ubig"] == UBIG and rows[2]["huge"] == -HUGE
    assert first["text"] == TEXT and first["flag"] is True
    assert set(rows[1].values()) == {2, None}
    assert rows[2]["list"] == [] and rows[2]["text"] == ""


def test_parquet_read_back_by_duckdb_has_the_same_rows_and_types(home, tmp_path):
    target = tmp_path / "kinds.parquet"
    result = tgwh(home, "query", "--format", "parquet", "--output", str(target), ALL)
    assert "intervals to the millisecond" in result.stderr  # said, not silently dropped
    with duckdb.connect() as connection:
        connection.execute(f"attach '{home / 'warehouse' / 'tgwh.duckdb'}' as w (read_only)")
        back = connection.sql(f"select * from read_parquet('{target}') order by id")
        # Parquet has no 128-bit integer: DECIMAL(38,0) holds every digit (a DOUBLE would not).
        assert [str(t) for t in back.types] == [
            "DECIMAL(38,0)" if t == "HUGEINT" else t for t in TYPES
        ]
        assert back.fetchall() == connection.sql("from w.marts.kinds order by id").fetchall()


def test_an_integer_parquet_cannot_hold_is_refused_clearly(home, tmp_path):
    target = tmp_path / "largest.parquet"
    largest = "select 170141183460469231731687303715884105727::hugeint as n"
    failed = tgwh(home, "query", "--format", "parquet", "-o", str(target), largest, check=False)
    assert failed.returncode == 1 and not target.exists()
    [message] = failed.stderr.strip().splitlines()
    assert "39-digit integer 170141183460469231731687303715884105727" in message
    assert "VARCHAR" in message
    assert "170141183460469231731687303715884105727" in tgwh(home, "query", largest).stdout


def test_parquet_goes_to_standard_output_when_redirected(home):
    runner = CliRunner(env={"TGWH_HOME": str(home)})
    result = runner.invoke(main, ["query", "--format", "parquet", "select 42 as answer"])
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes[:4] == b"PAR1" and result.stdout_bytes[-4:] == b"PAR1"


def test_repeated_column_names_in_every_format(home, tmp_path):
    table = tgwh(home, "query", TWINS).stdout
    assert table.splitlines()[1].split() == ["│", "id", "│", "id", "│"]
    assert tgwh(home, "query", "--format", "csv", TWINS).stdout.splitlines() == [
        "id,id_1",  # DuckDB's writers tell the two apart
        "1,2",
        "2,3",
    ]
    assert json.loads(tgwh(home, "query", "--format", "json", TWINS).stdout) == [
        {"id": 1, "id_1": 2},
        {"id": 2, "id_1": 3},
    ]
    target = tmp_path / "twins.parquet"
    tgwh(home, "query", "--format", "parquet", "-o", str(target), TWINS)
    with duckdb.connect() as connection:
        assert connection.sql(f"from read_parquet('{target}')").fetchall() == [(1, 2), (2, 3)]


def test_the_table_shows_sql_types_nulls_and_escapes_control_characters(home):
    out = tgwh(home, "query", "--wide", ALL).stdout
    lines = out.splitlines()
    assert lines[0].startswith("┌") and lines[3].startswith("├")
    names = [cell.strip() for cell in lines[1].strip("│").split("│")]
    types = [cell.strip() for cell in lines[2].strip("│").split("│")]
    assert names[:3] == ["id", "list", "struct"] and types == TYPES
    assert str(HUGE) in out and str(-HUGE) in out and str(UBIG) in out
    assert "1 month 3 days 04:00:00.5" in out and "{'a': 1, 'b': [x, NULL]}" in out
    assert "NULL" in lines[5]
    assert r"Заявление\nof the Ministry \x1b[31mred\x1b[0m \u202egnp.exe\t🇷🇺" in out
    for control in ("\x1b", "\u202e", "\t", "\r"):
        assert control not in out
    assert len(lines) == 8 + 1  # three rows in a box, and the line under it
    assert lines[-1] == "3 rows"


def test_escapes_cover_c0_c1_and_bidirectional_controls():
    assert escaped("a\x00b\x07\x7f\x9b[2J").plain == r"a\x00b\x07\x7f\x9b[2J"
    assert escaped("\u2028\u2029\u200f\u2066\ufeff").plain == r"\u2028\u2029\u200f\u2066\ufeff"
    assert escaped("plain café 🇫🇷").plain == "plain café 🇫🇷"  # printable text unchanged


def test_long_values_are_cut_visibly_and_wide_shows_them_whole(home):
    query = "select id, text from marts.posts where id = 7"
    narrow = tgwh(home, "query", query, env={"COLUMNS": "60"}).stdout
    assert all(len(line) <= 60 for line in narrow.splitlines()[:-1])
    assert "…" in narrow and "long values cut (…)" in narrow and "--wide" in narrow
    assert "word 7" not in narrow
    wide = tgwh(home, "query", "--wide", query, env={"COLUMNS": "60"}).stdout
    assert "word " * 29 + "word 7" in wide and "…" not in wide and "cut" not in wide


def test_rows_and_columns_left_out_are_counted(home):
    out = tgwh(home, "query", "--max-rows", "10", "select id from marts.posts").stdout
    shown = [line.strip("│ ") for line in out.splitlines() if line.startswith("│")][2:]
    assert shown == ["0", "1", "2", "3", "4", "…", "95", "96", "97", "98", "99"]
    assert out.splitlines()[-1] == "100 rows (10 shown); --max-rows 0 shows every row"
    every = tgwh(home, "query", "--max-rows", "0", "select id from marts.posts").stdout
    assert "…" not in every and every.splitlines()[-1] == "100 rows"
    wide = tgwh(home, "query", "select * from marts.wide", env={"COLUMNS": "100"}).stdout
    assert "column_number_0" in wide and "column_number_29" in wide
    assert "column_number_15" not in wide
    assert "30 columns (" in wide.splitlines()[-1] and "--wide" in wide.splitlines()[-1]


def test_fetch_text_keeps_only_the_rows_it_shows(home):
    warehouse = home / "warehouse" / "tgwh.duckdb"
    sql = "select range::varchar as n from range(5000)"  # more than one Arrow batch
    result = run_on_warehouse(warehouse, sql, lambda relation: fetch_text(relation, 10))
    assert result.row_count == 5000 and result.rows_omitted == 4990
    assert [r[0] for r in result.head + result.tail] == [
        *map(str, range(5)),
        *map(str, range(4995, 5000)),
    ]
    just_over = run_on_warehouse(
        warehouse, "select range from range(41)", lambda relation: fetch_text(relation, 40)
    )
    assert [int(r[0]) for r in just_over.head] == list(range(20))
    assert [int(r[0]) for r in just_over.tail] == list(range(21, 41))


@pytest.mark.parametrize("output_format", ["table", "csv", "json", "parquet"])
def test_output_files_are_whole_or_absent(home, tmp_path, output_format):
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / f"result.{output_format}"
    tgwh(home, "query", "--format", output_format, "--output", str(target), ALL)
    written = target.read_bytes()
    assert written and sorted(p.name for p in folder.iterdir()) == [target.name]
    failing = "select id, 1 / (id - 3)::integer // 0 from marts.kinds"
    failed = tgwh(home, "query", "--format", output_format, "-o", str(target), failing, check=False)
    assert failed.returncode == 1 and "Error" in failed.stderr
    assert target.read_bytes() == written  # the complete earlier file, untouched
    assert sorted(p.name for p in folder.iterdir()) == [target.name]  # no temporary left
    fresh = folder / f"fresh.{output_format}"
    tgwh(home, "query", "--format", output_format, "-o", str(fresh), failing, check=False)
    assert not fresh.exists()


def test_a_failed_parquet_write_leaves_nothing(home, tmp_path):
    target = tmp_path / "negative.parquet"
    failed = tgwh(
        home, "query", "--format", "parquet", "-o", str(target),
        "select interval '-1 day' as span", check=False,
    )  # fmt: skip
    assert failed.returncode == 1 and "negative intervals" in failed.stderr
    assert list(tmp_path.glob("*negative*")) == []


def test_the_query_from_a_file_or_standard_input(home, tmp_path):
    query_file = tmp_path / "question.sql"
    query_file.write_text("-- how many?\nselect count(*) as n\nfrom marts.kinds;\n")
    assert json.loads(tgwh(home, "query", "--format", "json", "--file", str(query_file)).stdout)
    runner = CliRunner(env={"TGWH_HOME": str(home)})
    piped = runner.invoke(
        main, ["query", "--format", "csv", "--file", "-"], input="select 7 as seven"
    )
    assert piped.exit_code == 0 and piped.stdout.splitlines() == ["seven", "7"]
    both = tgwh(home, "query", "--file", str(query_file), "select 1", check=False)
    assert both.returncode == 2 and "one of the two" in both.stderr
    neither = tgwh(home, "query", check=False)
    assert neither.returncode == 2
    long_query = "select 1 as n -- " + "x" * (128 * 1024) + "\n"
    too_long = tgwh(home, "query", long_query, check=False)
    assert too_long.returncode == 2 and "--file" in too_long.stderr
    query_file.write_text(long_query)
    assert tgwh(home, "query", "--format", "csv", "--file", str(query_file)).stdout == "n\n1\n"


def write_manifest(home):
    manifest = home / "dbt" / "target" / "manifest.json"
    manifest.parent.mkdir(parents=True, exist_ok=True)
    node = {
        "resource_type": "model",
        "schema": "marts",
        "alias": "kinds",
        "description": "One row per kind of value.\nUsed by the tests.",
        "columns": {"huge": {"description": "The largest\n  HUGEINT."}},
    }
    manifest.write_bytes(orjson.dumps({"nodes": {"model.tgwh.kinds": node}}))


def test_tables_lists_what_a_query_can_read(home):
    write_manifest(home)
    result = tgwh(home, "tables", "--format", "json")
    rows = json.loads(result.stdout)
    assert [(r["schema"], r["name"], r["kind"], r["rows"]) for r in rows] == [
        ("marts", "kinds", "table", 3),
        ("marts", "posts", "table", 100),
        ("marts", "wide", "table", 1),
    ]
    assert rows[0]["description"] == "One row per kind of value."
    assert rows[1]["description"] is None
    assert "1 views of staging" in result.stderr  # the view that reads files is not listed
    table = tgwh(home, "tables").stdout
    assert "kinds" in table and "BIGINT" in table and table.splitlines()[-1] == "3 rows"


def test_describe_shows_columns_types_and_descriptions(home):
    write_manifest(home)
    rows = json.loads(tgwh(home, "describe", "--format", "json", "kinds").stdout)
    assert [(r["column"], r["type"]) for r in rows] == list(
        zip(
            ["id", "list", "struct", "span", "price", "ratio", "huge", "ubig", "text", "day"]
            + ["seen_at", "flag"],
            TYPES,
            strict=True,
        )
    )
    assert rows[6]["description"] == "The largest HUGEINT." and rows[0]["description"] is None
    table = tgwh(home, "describe", "marts.kinds").stdout
    assert table.startswith("marts.kinds: One row per kind of value.")
    assert "STRUCT(a INTEGER, b VARCHAR[])" in table
    missing = tgwh(home, "describe", "nothing_here", check=False)
    assert missing.returncode == 1 and "tgwh tables" in missing.stderr


def test_on_a_colour_terminal_only_the_table_s_own_styles_are_sent(home, monkeypatch):
    import re

    from rich.console import Console

    from orchestration.app import tables

    colour = Console(force_terminal=True, color_system="truecolor", width=250)
    monkeypatch.setattr(tables, "console", colour)
    out = tgwh(home, "query", "--wide", "select text from marts.kinds where id = 1").stdout
    assert "\x1b[7m\\x1b\x1b[0m[31mred" in out  # the post's escape, shown and highlighted
    assert "\x1b[31m" not in out and "\u202e" not in out
    assert set(re.findall(r"\x1b\[[0-9;]*m", out)) <= {"\x1b[0m", "\x1b[1m", "\x1b[2m", "\x1b[7m"}
    assert out.count("\x1b") == len(re.findall(r"\x1b\[[0-9;]*m", out))
