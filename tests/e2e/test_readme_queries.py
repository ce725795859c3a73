"""Every query README.md shows, run on the warehouse built from the bundled sample in every
output format, and every mart written as CSV, JSON and Parquet and read back by DuckDB.

The queries are read from the README itself (each statement of a ```sql block, and the SQL of
each `tgwh query` line of a ```sh block), so a query added there is tested here unchanged. Each
result is read back by DuckDB and compared with what DuckDB answers on the warehouse directly.
"""

import shlex
from pathlib import Path

import duckdb
import pytest
from markdown_it import MarkdownIt
from support.cli import tgwh
from support.homes import shared_home

from orchestration.app.commands.query import query as query_command
from orchestration.config import DBT_PROJECT_DIR, PROJECT_DIR

README = PROJECT_DIR / "README.md"
FORMATS = ("table", "csv", "json", "parquet")
MARTS = sorted(path.stem for path in (DBT_PROJECT_DIR / "models" / "marts").glob("*.sql"))


def readme_queries() -> list[tuple[str, str]]:
    """(what it asks, SQL) of every query in the README."""
    found = []
    parser = duckdb.connect()
    for token in MarkdownIt().parse(README.read_text(encoding="utf-8")):
        if token.type != "fence":
            continue
        if token.info.strip() == "sql":
            for statement in parser.extract_statements(token.content):
                sql = statement.query.strip().rstrip(";")
                comments = [line for line in sql.splitlines() if line.startswith("--")]
                found.append((comments[0].lstrip("- ") if comments else sql[:60], sql))
        elif token.info.strip() == "sh":
            for line in token.content.splitlines():
                words = shlex.split(line, comments=True)
                if words[:2] != ["tgwh", "query"] or "--file" in words:
                    continue
                words = words[: words.index(">")] if ">" in words else words
                sql = query_command.make_context("query", words[2:]).params["sql"]
                found.append((sql[:60], sql))
    return found


QUERIES = readme_queries()


@pytest.fixture(scope="session")
def sample_home(tmp_path_factory) -> Path:
    def build(home: Path) -> None:
        result = tgwh(home, "run")
        assert "0 failed" in result.stdout, result.stdout

    return shared_home(tmp_path_factory, "readme-sample", build)


@pytest.fixture(scope="module")
def reader(sample_home):
    """A DuckDB connection with the sample warehouse attached read-only as the default."""
    with duckdb.connect() as connection:
        connection.execute(f"attach '{sample_home / 'warehouse' / 'tgwh.duckdb'}' as w (read_only)")
        connection.execute("use w")
        yield connection


def read_back(connection, output_format: str, path: Path, names, types) -> str:
    """The SQL that reads a written file with the result's own column types."""
    columns = "{" + ", ".join(f"'{n}': '{t}'" for n, t in zip(names, types, strict=True)) + "}"
    if output_format == "csv":
        return f"read_csv('{path}', header = true, columns = {columns})"
    if output_format == "json":
        return f"read_json('{path}', format = 'array', columns = {columns})"
    return f"read_parquet('{path}')"


def assert_same_rows(connection, sql: str, output_format: str, path: Path) -> None:
    expected = connection.sql(sql)
    names, types = expected.columns, [str(t) for t in expected.types]
    assert len(set(names)) == len(names), f"two columns share a name: {names}"
    written = read_back(connection, output_format, path, names, types)
    back_types = [str(t) for t in connection.sql(f"from {written}").types]
    if output_format == "parquet":  # what the README says Parquet cannot hold as such
        types = ["DECIMAL(38,0)" if t == "HUGEINT" else t for t in types]
    assert back_types == types
    # Parquet keeps intervals to the millisecond; compare the rest exactly.
    columns = ", ".join(
        f"date_trunc('millisecond', \"{n}\")"
        if output_format == "parquet" and t == "INTERVAL"
        else f'"{n}"'
        for n, t in zip(names, types, strict=True)
    )
    [(differing,)] = connection.sql(
        f"select count(*) from ((select {columns} from ({sql}) except all "
        f"select {columns} from {written}) union all (select {columns} from {written} "
        f"except all select {columns} from ({sql})))"
    ).fetchall()
    assert differing == 0
    [(count,)] = connection.sql(f"select count(*) from {written}").fetchall()
    assert count == len(expected.fetchall())


def test_the_readme_shows_the_queries_this_module_tests():
    asked = [name for name, _ in QUERIES]
    assert len(QUERIES) >= 9
    assert "Which leaders are named together in the same post?" in asked


@pytest.mark.parametrize("output_format", FORMATS)
@pytest.mark.parametrize(("asked", "sql"), QUERIES, ids=[name for name, _ in QUERIES])
def test_every_readme_query_answers_in_every_format(
    sample_home, reader, tmp_path, asked, sql, output_format
):
    rows = len(reader.sql(sql).fetchall())  # (discovered leaders: none in the sample)
    if output_format == "table":
        out = tgwh(sample_home, "query", "--wide", "--max-rows", "0", "--", sql).stdout
        out = out.splitlines()
        body = out[out.index(next(line for line in out if line.startswith("├"))) + 1 :]
        assert len([line for line in body if line.startswith("│")]) == rows
        assert out[-1] == f"{rows:,} row{'' if rows == 1 else 's'}"
        return
    path = tmp_path / f"result.{output_format}"
    # "--": a query may start with a comment, which would otherwise read as an option
    tgwh(sample_home, "query", "--format", output_format, "--output", str(path), "--", sql)
    assert_same_rows(reader, sql, output_format, path)


def test_the_marts_in_the_repository_are_the_marts_in_the_warehouse(reader):
    found = reader.sql(
        "select table_name from duckdb_tables() where schema_name = 'marts' order by 1"
    ).fetchall()
    assert [name for (name,) in found] == MARTS


@pytest.mark.parametrize("output_format", ["csv", "json", "parquet"])
@pytest.mark.parametrize("mart", MARTS)
def test_every_mart_round_trips(sample_home, reader, tmp_path, mart, output_format):
    sql = f"select * from marts.{mart}"
    path = tmp_path / f"{mart}.{output_format}"
    tgwh(sample_home, "query", "--format", output_format, "--output", str(path), sql)
    assert_same_rows(reader, sql, output_format, path)
