"""Great Expectations layer: suites load, pass on good data, and each corruption fails the right
expectation with the right critical flag; everything GX writes stays under the home folder."""

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import polars as pl
import pyarrow as pa
import pycountry
import pytest

from orchestration.config import BUNDLED_EXPECTATIONS_DIR as EXPECTATIONS_DIR
from orchestration.config import PROJECT_DIR, Home
from orchestration.schemas import NORMALIZED_POST_SCHEMA, conform
from orchestration.validate import context as gx_context_module
from orchestration.validate import inputs, marts, normalized, results, suites

NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)
WAREHOUSE_SUITES = suites.warehouse_suites(EXPECTATIONS_DIR)
ALL_SUITES = (suites.NORMALIZED_SUITE, *WAREHOUSE_SUITES)


# ---------------------------------------------------------------------------------------------
# Synthetic data shaped like the real layers


def good_posts(n_web: int = 36) -> pl.DataFrame:
    """Web previews with ids, two text copies without id or time, one media-only post."""
    rows = [
        {
            "post_key": f"mfa_russia/{i}",
            "channel": "mfa_russia",
            "message_id": i,
            "published_at": NOW - dt.timedelta(hours=i),
            "text": f"Statement number {i} on the situation in Syria 🇸🇾",
            "views": 1000 + i,
            "media_count": 0,
            "language": "en",
            "source_format": "web_preview",
        }
        for i in range(1, n_web + 1)
    ]
    rows += [
        {
            "post_key": f"mid_russia/c{digest}",
            "channel": "mid_russia",
            "message_id": None,
            "published_at": None,
            "text": "Заявление МИД России",
            "views": None,
            "media_count": 0,
            "language": "ru",
            "source_format": "text_copy",
        }
        for digest in ("0a1b2c", "3d4e5f")
    ]
    rows.append(
        {
            "post_key": "maerusia/7",
            "channel": "maerusia",
            "message_id": 7,
            "published_at": NOW - dt.timedelta(days=400),
            "text": "",  # a photo album without caption is fine
            "views": 0,
            "media_count": 3,
            "language": "und",
            "source_format": "desktop_export",
        }
    )
    return conform(
        pl.DataFrame(rows, infer_schema_length=None), NORMALIZED_POST_SCHEMA
    ).with_columns(batch_id=pl.lit("batch-1"))


def set_row(frame: pl.DataFrame, index: int, **values) -> pl.DataFrame:
    row_mask = pl.int_range(pl.len()) == index
    return frame.with_columns(
        [
            pl.when(row_mask)
            .then(pl.lit(value, dtype=frame.schema[name]))
            .otherwise(pl.col(name))
            .alias(name)
            for name, value in values.items()
        ]
    )


def build_warehouse(path: Path, n_posts: int = 20, extra_sql: str = "") -> Path:
    """A DuckDB file with the mart tables and columns dbt builds (marts.*)."""
    countries = [(c.alpha_2, c.alpha_3, c.name) for c in pycountry.countries]
    connection = duckdb.connect(str(path))
    try:
        connection.execute("create schema marts")
        connection.execute(
            """
            create table marts.fct_posts as
            select 'mfa_russia/' || i as post_key, 'mfa_russia' as channel, i as message_id,
                   (now() - to_hours(i))::timestamptz as published_at,
                   'text ' || i as text, 100 * i as views, 'web_preview' as source_format
            from range(1, ? + 1) t(i)
            """,
            [n_posts],
        )
        connection.execute(
            "create table marts.dim_countries (iso2 varchar, iso3 varchar, name varchar)"
        )
        connection.executemany("insert into marts.dim_countries values (?, ?, ?)", countries)
        connection.execute(
            """
            create table marts.dim_leaders as select * from (values
                ('vladimir-putin', 'Vladimir Putin', 'RU', 'reference'),
                ('sergey-lavrov', 'Sergey Lavrov', 'RU', 'reference'),
                ('ahmed-al-sharaa', 'Ahmed al-Sharaa', 'SY', 'discovered')
            ) t(leader_key, name, country_iso2, source)
            """
        )
        connection.execute(
            """
            create table marts.fct_country_mentions as
            select post_key, iso2, 1 + message_id % 3 as mention_count, ['flag'] as evidence
            from marts.fct_posts, (values ('SY'), ('RU')) t(iso2)
            """
        )
        connection.execute(
            """
            create table marts.fct_leader_mentions as
            select post_key, 'sergey-lavrov' as leader_key, 1 as mention_count
            from marts.fct_posts where message_id % 2 = 0
            """
        )
        connection.execute(
            """
            create table marts.dim_channels as
            select * from (values ('mfa_russia', 'MFA Russia'), ('mid_russia', 'МИД России'))
            t(channel, title)
            """
        )
        if extra_sql:
            connection.execute(extra_sql)
    finally:
        connection.close()
    return path


def failed_set(result: results.SuiteResult) -> set[tuple[str, str | None, bool]]:
    return {(r.expectation, r.column, r.critical) for r in result.failed()}


# ---------------------------------------------------------------------------------------------
# Fast: suite files and helpers, no GX import


@pytest.mark.parametrize("name", ALL_SUITES)
def test_every_suite_file_loads_with_critical_flag_and_reason(name):
    spec = suites.load_suite_spec(name)
    assert spec.expectations
    assert all(isinstance(e["meta"]["critical"], bool) for e in spec.expectations)
    if name in WAREHOUSE_SUITES:
        assert spec.source["relation"] == f"marts.{name}"


def test_suite_files_are_exactly_the_known_suites():
    assert sorted(path.stem for path in EXPECTATIONS_DIR.glob("*.json")) == sorted(ALL_SUITES)


def test_malformed_suite_file_names_file_and_problem(tmp_path):
    bad = {
        "suite": "broken",
        "expectations": [
            {
                "type": "expect_column_values_to_be_unique",
                "kwargs": {"column": "x"},
                "meta": {"critical": "yes", "why": "because"},
            }
        ],
    }
    (tmp_path / "broken.json").write_text(json.dumps(bad))
    with pytest.raises(ValueError, match=r"broken\.json.*meta\.critical"):
        suites.load_suite_spec("broken", tmp_path)
    (tmp_path / "broken.json").write_text("{not json")
    with pytest.raises(ValueError, match=r"broken\.json: invalid JSON"):
        suites.load_suite_spec("broken", tmp_path)


def test_referenced_columns_include_row_condition_columns():
    columns = suites.load_suite_spec("normalized_posts").referenced_columns()
    assert "source_format" in columns and normalized.TEXT_OR_MEDIA_COLUMN in columns
    assert "hashtags" not in columns  # list columns are never converted to pandas


def test_text_or_media_ok_helper():
    frame = pl.DataFrame(
        {
            "text": ["hello", "  \n ", None, "", None],
            "media_count": [0, 0, 0, 2, None],
        },
        schema={"text": pl.String, "media_count": pl.Int64},
    )
    flags = normalized.add_text_or_media_ok(frame)[normalized.TEXT_OR_MEDIA_COLUMN].to_list()
    assert flags == [True, False, False, True, False]


def test_the_suite_reads_its_columns_not_the_texts(context):
    """Collected from a scan, the frame the suite reads holds no texts (most of a post's
    bytes), only the helper column drawn from them, and is judged as the whole frame is."""
    posts = corrupt_text_and_media(good_posts())
    frame = normalized.suite_frame(posts.lazy())
    assert "text" not in frame.columns
    assert frame[normalized.TEXT_OR_MEDIA_COLUMN].to_list() == [
        flag for flag in normalized.add_text_or_media_ok(posts)[normalized.TEXT_OR_MEDIA_COLUMN]
    ]
    whole = normalized.validate_normalized_posts(posts, context)
    projected = normalized.validate_normalized_posts(frame, context)
    assert not whole.success
    assert [r.success for r in projected.results] == [r.success for r in whole.results]


def corrupt_text_and_media(posts: pl.DataFrame) -> pl.DataFrame:
    """The first post without text and without media."""
    first = pl.int_range(pl.len()) == 0
    return posts.with_columns(
        text=pl.when(first).then(pl.lit("  ")).otherwise(pl.col("text")),
        media_count=pl.when(first).then(0).otherwise(pl.col("media_count")),
    )


def test_naive_arrow_timestamps_become_utc():
    table = pa.table({"t": pa.array([dt.datetime(2025, 5, 10, 12)], pa.timestamp("us"))})
    frame = inputs.arrow_to_pandas(table)
    assert str(frame["t"].dt.tz) == "UTC"
    assert frame["t"].iloc[0].hour == 12


def test_module_import_stays_light():
    """Dagster imports this module at start-up: GX (5 s+) must load lazily, Dagster never."""
    code = (
        "import sys, orchestration.validate.marts, orchestration.validate.normalized; "
        "print('great_expectations' in sys.modules, 'dagster' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT_DIR, capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["False", "False"]


# ---------------------------------------------------------------------------------------------
# Slow: real GX runs, one context for the module


def _project_snapshot() -> dict:
    watched = [
        PROJECT_DIR / "gx",
        PROJECT_DIR / "uncommitted",
        EXPECTATIONS_DIR / "gx",
        EXPECTATIONS_DIR / "uncommitted",
        PROJECT_DIR / "great_expectations",
    ]
    return {
        "exists": {str(path): path.exists() for path in watched},
        "expectations": sorted((p.name, p.stat().st_mtime_ns) for p in EXPECTATIONS_DIR.iterdir()),
    }


@pytest.fixture(scope="module")
def gx_home(tmp_path_factory):
    """One GX context for all slow tests, run from an empty working directory we can inspect."""
    base = tmp_path_factory.mktemp("gx")
    home, cwd = base / "home", base / "cwd"
    cwd.mkdir()
    before = _project_snapshot()
    old_cwd, old_home = os.getcwd(), os.environ.get("TGWH_HOME")
    os.chdir(cwd)
    os.environ["TGWH_HOME"] = str(home)
    try:
        context = gx_context_module.gx_context(Home(home))
        yield {"home": home, "cwd": cwd, "context": context, "before": before}
    finally:
        os.chdir(old_cwd)
        if old_home is None:
            os.environ.pop("TGWH_HOME", None)
        else:
            os.environ["TGWH_HOME"] = old_home


@pytest.fixture(scope="module")
def context(gx_home):
    return gx_home["context"]


def test_context_is_cached_per_home(gx_home):
    assert gx_context_module.gx_context(Home(gx_home["home"])) is gx_home["context"]
    assert (gx_home["home"] / "gx" / "great_expectations.yml").is_file()


def test_good_posts_pass(context):
    result = normalized.validate_normalized_posts(good_posts(), context)
    assert result.suite == "normalized_posts"
    assert result.success, result.summary()
    assert result.critical_success
    assert len(result.results) == len(suites.load_suite_spec("normalized_posts").expectations)


def test_empty_posts_pass(context):
    """The first run may have nothing to validate; that is not a failure."""
    result = normalized.validate_normalized_posts(
        pl.DataFrame(schema={**NORMALIZED_POST_SCHEMA, "batch_id": pl.String}), context
    )
    assert result.success, result.summary()


def test_default_context_comes_from_tgwh_home(gx_home):
    result = normalized.validate_normalized_posts(good_posts())  # context=None
    assert result.success, result.summary()
    assert gx_context_module.gx_context(Home(gx_home["home"])) is gx_home["context"]


@pytest.mark.parametrize(
    ("corrupt", "expected_failures", "critical_success"),
    [
        pytest.param(
            lambda f: set_row(f, 1, post_key="mfa_russia/1"),
            {("expect_compound_columns_to_be_unique", "post_key,batch_id", True)},
            False,
            id="duplicate_post_key",
        ),
        pytest.param(
            lambda f: set_row(f, 0, published_at=NOW + dt.timedelta(days=2)),
            {("expect_column_values_to_be_between", "published_at", True)},
            False,
            id="future_published_at",
        ),
        pytest.param(
            lambda f: set_row(f, 3, views=-5),
            {("expect_column_values_to_be_between", "views", True)},
            False,
            id="negative_views",
        ),
        pytest.param(
            lambda f: set_row(f, 4, text="   "),  # 1 of 39 posts: a warning only
            {("expect_column_values_to_be_in_set", "text_or_media_ok", False)},
            True,
            id="empty_text_without_media",
        ),
        pytest.param(
            lambda f: f.with_columns(text=pl.lit(None, pl.String)),  # parser lost all text
            {
                ("expect_column_values_to_be_in_set", "text_or_media_ok", False),
                ("expect_column_values_to_not_be_in_set", "text_or_media_ok", True),
            },
            False,
            id="text_lost_wholesale",
        ),
        pytest.param(
            lambda f: set_row(f, 2, channel="MFA Russia"),
            {("expect_column_values_to_match_regex", "channel", True)},
            False,
            id="bad_channel",
        ),
        pytest.param(
            lambda f: set_row(f, 5, published_at=None),  # a web preview without time
            {("expect_column_values_to_not_be_null", "published_at", False)},
            True,
            id="missing_time_outside_text_copies",
        ),
        pytest.param(
            lambda f: set_row(f, 6, language="english", source_format="html"),
            {
                ("expect_column_values_to_be_in_set", "language", False),
                ("expect_column_values_to_be_in_set", "source_format", True),
            },
            False,
            id="unknown_language_and_format",
        ),
        pytest.param(
            lambda f: set_row(f, 7, message_id=0),
            {("expect_column_values_to_be_between", "message_id", True)},
            False,
            id="zero_message_id",
        ),
    ],
)
def test_each_posts_corruption_fails_the_right_expectation(
    context, corrupt, expected_failures, critical_success
):
    result = normalized.validate_normalized_posts(corrupt(good_posts()), context)
    assert failed_set(result) == expected_failures, result.summary()
    assert result.success is False
    assert result.critical_success is critical_success
    for failure in result.failed():
        assert failure.why and failure.observed


def test_future_time_observed_names_the_bad_value(context):
    future = NOW + dt.timedelta(days=2)
    result = normalized.validate_normalized_posts(
        set_row(good_posts(), 0, published_at=future), context
    )
    (failure,) = result.failed()
    assert "unexpected_count=1" in failure.observed
    assert str(future.year) in failure.observed


def test_missing_column_fails_with_a_message(context):
    result = normalized.validate_normalized_posts(good_posts().drop("views"), context)
    (failure,) = result.failed()
    assert failure.column == "views" and failure.critical
    assert "views" in failure.observed and failure.observed.startswith("error:")


def test_good_marts_pass(context, tmp_path):
    warehouse = build_warehouse(tmp_path / "tgwh.duckdb", n_posts=20)
    found = marts.validate_marts(warehouse, normalized_post_count=20, context=context)
    assert set(found) == set(WAREHOUSE_SUITES)
    for result in found.values():
        assert result.success, result.summary()
    # read_only connection was closed: a writer can open the file again
    duckdb.connect(str(warehouse)).close()


def test_marts_corruptions_fail_the_right_expectations(context, tmp_path):
    """What the suites say beyond dbt's tests: the layers agree, counts keep their bounds.
    Unknown keys and duplicates are dbt's tests (tests/dbt), so they pass here."""
    warehouse = build_warehouse(
        tmp_path / "tgwh.duckdb",
        n_posts=20,
        extra_sql="""
            insert into marts.fct_country_mentions values ('mfa_russia/1', 'XX', 0, ['name']);
            insert into marts.fct_leader_mentions values ('mfa_russia/1', 'nobody', 0);
            insert into marts.dim_leaders values ('X Y', 'X Y', null, 'guessed');
        """,
    )
    found = marts.validate_marts(warehouse, normalized_post_count=21, context=context)
    assert failed_set(found["fct_posts"]) == {("expect_table_row_count_to_equal", None, True)}
    assert "observed_value=20" in found["fct_posts"].failed()[0].observed
    for name in ("fct_country_mentions", "fct_leader_mentions"):
        assert failed_set(found[name]) == {
            ("expect_column_values_to_be_between", "mention_count", True)
        }
    assert failed_set(found["dim_leaders"]) == {
        ("expect_column_values_to_match_regex", "leader_key", False)
    }
    for name in ("dim_countries", "dim_channels"):
        assert found[name].success, found[name].summary()
    assert not found["fct_posts"].critical_success


def test_short_country_list_and_a_missing_relation(context, tmp_path):
    warehouse = build_warehouse(
        tmp_path / "tgwh.duckdb",
        n_posts=5,
        extra_sql="""
            delete from marts.dim_countries where iso2 not in ('SY', 'RU');
            insert into marts.dim_countries values ('RUS', 'RUS', 'iso3 in the wrong column');
            drop table marts.dim_channels;
        """,
    )
    found = marts.validate_marts(warehouse, normalized_post_count=5, context=context)
    assert found["fct_posts"].success, found["fct_posts"].summary()
    assert failed_set(found["dim_countries"]) == {
        ("expect_column_value_lengths_to_equal", "iso2", True),
        ("expect_column_values_to_match_regex", "iso2", False),
        ("expect_table_row_count_to_be_between", None, True),
    }
    (missing,) = found["dim_channels"].results
    assert missing.expectation == "relation_exists" and not missing.success
    assert "marts.dim_channels" in missing.observed


def test_unknown_expectation_type_names_the_suite_file(context, tmp_path):
    spec = suites.load_suite_spec("dim_channels")
    broken = {**spec.expectations[0], "type": "expect_column_values_to_be_purple"}
    bad_spec = suites.SuiteSpec("bad", spec.path, "", spec.source, [broken])
    with pytest.raises(ValueError, match=r"dim_channels\.json: expectation #0"):
        gx_context_module._build_suite(bad_spec)


def test_a_repeated_expectation_names_the_suite_file(context, tmp_path):
    spec = suites.load_suite_spec("dim_channels")
    twice = suites.SuiteSpec("twice", spec.path, "", spec.source, [spec.expectations[0]] * 2)
    with pytest.raises(ValueError, match=r"dim_channels\.json: expectation #1 .* repeats"):
        gx_context_module._build_suite(twice)


def test_missing_warehouse_is_a_clear_error(context, tmp_path):
    with pytest.raises(FileNotFoundError, match="warehouse not found"):
        marts.validate_marts(tmp_path / "nope.duckdb", 0, context=context)


def test_data_docs_built_under_home_and_nothing_written_elsewhere(gx_home, tmp_path):
    context, home = gx_home["context"], gx_home["home"]
    normalized.validate_normalized_posts(good_posts(), context, run_name="dagster-run-42")
    index = gx_context_module.build_data_docs(context)
    assert index == home / "docs" / "index.html"
    assert index.is_file()
    assert "normalized_posts" in index.read_text(encoding="utf-8")
    assert list(
        (home / "docs" / "validations" / "normalized_posts" / "dagster-run-42").rglob("*.html")
    )
    assert (home / "docs" / "expectations" / "normalized_posts.html").is_file()
    assert not (home / "gx" / "uncommitted" / "data_docs" / "local_site").exists()
    # nothing in the working directory, the project or expectations/
    assert list(gx_home["cwd"].iterdir()) == []
    assert _project_snapshot() == gx_home["before"]
