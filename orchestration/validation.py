r"""Great Expectations checks on normalized posts and on the dbt marts (no Dagster here).

Suites live as JSON files in expectations/ (one per table, each expectation with
meta {"critical": bool, "why": str}); this module loads them into GX, validates, and returns
plain dataclasses the orchestrator can turn into asset checks.

Why pandas frames and not a GX SQL datasource on the warehouse: GX 1.24 has no DuckDB dialect.
Through duckdb-engine its queries come back empty unless the connection is persisted, and regex
expectations are refused. So we read exactly the columns a suite needs through Arrow (DuckDB
`to_arrow_table()`, Polars `to_arrow()`) into pandas and validate with the pandas engine,
which is fast enough (about 2 s for 1M posts and 18 expectations, 0.7 s of it GX fingerprinting
the frame) and supports every expectation. Pandas 3 keeps strings Arrow-backed, so regexes run
in RE2 unless they use what RE2 lacks (\s, \S, \d on non-ASCII, lookarounds): then pandas falls
back to Python's re per row (~1.4 s per 1M values), so the suites' regexes avoid those.

GX may also write concurrently from several processes into the same <home>/gx; suites and
validation definitions are re-registered per process (idempotent), results are new files.

Importing GX costs ~5-9 s, so it is imported lazily: importing this module stays cheap for
Dagster's code server. Contexts are cached per home folder, and each suite is registered once
per context, so several suites in one process pay the set-up once.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
import weakref
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl

from orchestration.paths import EXPECTATIONS_DIR, Home
from orchestration.schemas import SOURCE_FORMATS

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

NORMALIZED_SUITE = "normalized_posts"
MART_SUITES = (
    "fct_posts",
    "fct_country_mentions",
    "fct_leader_mentions",
    "dim_countries",
    "dim_leaders",
    "dim_channels",
)
# Timestamps come from other clocks (Telegram, the exporter's machine): allow a little drift.
DEFAULT_CLOCK_SKEW = dt.timedelta(minutes=15)
# Helper column: GX has no "text non-blank OR media_count > 0" expectation, and a row_condition
# would need two expectations (null text, blank text) plus null handling of media_count. One
# boolean computed in Polars expresses the rule exactly, also for whitespace-only text.
TEXT_OR_MEDIA_COLUMN = "text_or_media_ok"

DATASOURCE_NAME = "tgwh_frames"
BATCH_DEFINITION_NAME = "whole_frame"
DOCS_SITE_NAME = "local_site"
RESULT_FORMAT = {"result_format": "SUMMARY", "partial_unexpected_count": 5}
OBSERVED_MAX_CHARS = 160


@dataclass
class ExpectationResult:
    expectation: str  # GX expectation type, e.g. "expect_column_values_to_be_unique"
    column: str | None
    critical: bool
    success: bool
    observed: str  # short: "unexpected_count=2 of 10, e.g. ['a/1']" or "observed_value=12"
    why: str


@dataclass
class SuiteResult:
    suite: str
    success: bool  # every expectation passed
    critical_success: bool  # every critical expectation passed
    results: list[ExpectationResult] = field(default_factory=list)

    def failed(self) -> list[ExpectationResult]:
        return [result for result in self.results if not result.success]

    def summary(self) -> str:
        """One line for logs and asset-check descriptions."""
        failed = self.failed()
        if not failed:
            return f"{self.suite}: all {len(self.results)} expectations passed"
        parts = [
            f"{'CRITICAL ' if r.critical else ''}{r.expectation}({r.column or ''}): {r.observed}"
            for r in failed
        ]
        return f"{self.suite}: {len(failed)}/{len(self.results)} failed: " + "; ".join(parts)


@dataclass(frozen=True)
class SuiteSpec:
    """A suite file from expectations/, checked on load."""

    name: str
    path: Path
    description: str
    source: dict
    expectations: list[dict]

    def referenced_columns(self) -> list[str]:
        """Columns the expectations touch (also in row conditions), in first-use order."""
        names: list[str] = []
        for expectation in self.expectations:
            kwargs = expectation["kwargs"]
            candidates = [kwargs.get("column"), kwargs.get("column_A"), kwargs.get("column_B")]
            candidates += list(kwargs.get("column_list") or [])
            candidates += _condition_columns(kwargs.get("row_condition"))
            names += [name for name in candidates if isinstance(name, str)]
        return list(dict.fromkeys(names))


def _condition_columns(condition: Any) -> list[str]:
    if isinstance(condition, dict):
        found = []
        column = condition.get("column")
        if isinstance(column, dict) and isinstance(column.get("name"), str):
            found.append(column["name"])
        for value in condition.values():
            if isinstance(value, (dict, list)):
                found += _condition_columns(value)
        return found
    if isinstance(condition, list):
        return [name for item in condition for name in _condition_columns(item)]
    return []


def load_suite_spec(name: str, directory: Path = EXPECTATIONS_DIR) -> SuiteSpec:
    """Read expectations/<name>.json; a malformed file fails loudly, naming file and problem."""
    path = Path(directory) / f"{name}.json"
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise FileNotFoundError(f"expectation suite file not found: {path}") from None
    except json.JSONDecodeError as error:
        raise ValueError(f"{path}: invalid JSON: {error}") from None
    if raw.get("suite") != name:
        raise ValueError(f"{path}: 'suite' is {raw.get('suite')!r}, expected {name!r}")
    expectations = raw.get("expectations")
    if not isinstance(expectations, list) or not expectations:
        raise ValueError(f"{path}: 'expectations' must be a non-empty list")
    for index, expectation in enumerate(expectations):
        where = f"{path}: expectation #{index} ({expectation.get('type')!r})"
        if not isinstance(expectation.get("type"), str) or not isinstance(
            expectation.get("kwargs"), dict
        ):
            raise ValueError(f"{where}: needs a string 'type' and a 'kwargs' object")
        meta = expectation.get("meta") or {}
        if not isinstance(meta.get("critical"), bool):
            raise ValueError(f"{where}: meta.critical must be true or false")
        if not isinstance(meta.get("why"), str) or not meta["why"].strip():
            raise ValueError(f"{where}: meta.why must say why the expectation matters")
    return SuiteSpec(
        name=name,
        path=path,
        description=raw.get("description", ""),
        source=raw.get("source") or {},
        expectations=expectations,
    )


# ---------------------------------------------------------------------------------------------
# Context and registration


_CONTEXTS: dict[Path, Any] = {}
_DEFINITIONS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
# Runs validated through a context since its last Data Docs build (for incremental builds).
_UNRENDERED_RUNS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_LOCK = threading.RLock()


def gx_context(home: Path):
    """File-backed GX context in <home>/gx, Data Docs written to <home>/docs; cached per home.

    Everything GX writes (suites, validation definitions, results, docs) stays under the home
    folder, never in the source tree or the working directory.
    """
    root = Path(home).expanduser().resolve()
    with _LOCK:
        context = _CONTEXTS.get(root)
        if context is None:
            context = _create_context(root)
            _CONTEXTS[root] = context
        return context


def warm_up(home: Path) -> threading.Thread:
    """Import GX and open the home's context in a background thread.

    The import costs 5-10 s. Started while Polars normalizes (which releases the GIL), it is
    mostly done by the time the first suite runs; gx_context() then waits for it under the
    lock instead of starting over. A failure here is left for that real call to raise.
    """

    def load() -> None:
        try:
            gx_context(home)
        except Exception:  # the validating call raises it again, with its context
            pass

    thread = threading.Thread(target=load, name="gx-warm-up", daemon=True)
    thread.start()
    return thread


def _create_context(root: Path):
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    home = Home(root)
    root.mkdir(parents=True, exist_ok=True)
    context = gx.get_context(mode="file", project_root_dir=str(root))
    docs_site = {
        "class_name": "SiteBuilder",
        "show_how_to_buttons": False,
        "store_backend": {
            "class_name": "TupleFilesystemStoreBackend",
            "base_directory": str(home.data_docs),  # absolute: outside <home>/gx/uncommitted
        },
        "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
    }
    sites = dict(context.variables.data_docs_sites or {})
    if sites != {DOCS_SITE_NAME: docs_site}:
        for name in sites:
            context.delete_data_docs_site(name)
        context.add_data_docs_site(DOCS_SITE_NAME, docs_site)
    progress_off = ProgressBarsConfig(globally=False)
    if context.variables.progress_bars != progress_off:
        context.variables.progress_bars = progress_off  # tqdm bars would flood Dagster logs
        context.variables.save()
    return context


def _validation_definition(context, spec: SuiteSpec):
    """Register the suite (from its JSON file) and a dataframe asset once per context."""
    with _LOCK:
        registered = _DEFINITIONS.setdefault(context, {})
        if spec.name in registered:
            return registered[spec.name]
        import great_expectations as gx

        suite = context.suites.add_or_update(_build_suite(spec))
        try:
            datasource = context.data_sources.get(DATASOURCE_NAME)
        except KeyError:
            datasource = context.data_sources.add_pandas(DATASOURCE_NAME)
        try:
            asset = datasource.get_asset(spec.name)
        except LookupError:
            asset = datasource.add_dataframe_asset(spec.name)
        try:
            batch_definition = asset.get_batch_definition(BATCH_DEFINITION_NAME)
        except KeyError:
            batch_definition = asset.add_batch_definition_whole_dataframe(BATCH_DEFINITION_NAME)
        definition = context.validation_definitions.add_or_update(
            gx.ValidationDefinition(name=spec.name, data=batch_definition, suite=suite)
        )
        registered[spec.name] = definition
        return definition


def _build_suite(spec: SuiteSpec):
    import great_expectations as gx
    from great_expectations.expectations.expectation_configuration import (
        ExpectationConfiguration,
    )

    suite = gx.ExpectationSuite(name=spec.name, notes=spec.description or None)
    for index, item in enumerate(spec.expectations):
        meta = item["meta"]
        try:
            expectation = ExpectationConfiguration(
                type=item["type"],
                kwargs=item["kwargs"],
                meta=meta,
                notes=f"{'Critical' if meta['critical'] else 'Warning'}: {meta['why']}",
                # GX's own severity, so Data Docs show which failures block the run.
                severity="critical" if meta["critical"] else "warning",
            ).to_domain_obj()
        except Exception as error:
            raise ValueError(
                f"{spec.path}: expectation #{index} ({item['type']}): {error}"
            ) from None
        # add_expectation (not add_expectation_configuration, which upserts by type+column and
        # would silently drop a second check on the same column).
        suite.add_expectation(expectation)
    if len(suite.expectations) != len(spec.expectations):
        raise ValueError(f"{spec.path}: duplicate expectations (GX kept {len(suite.expectations)})")
    return suite


# ---------------------------------------------------------------------------------------------
# Running


def _default_context():
    return gx_context(Home.from_env().root)


def _max_published_at(now: dt.datetime | None, clock_skew: dt.timedelta) -> dt.datetime:
    now = now or dt.datetime.now(dt.UTC)
    if now.tzinfo is None:
        now = now.replace(tzinfo=dt.UTC)
    return now + clock_skew


def language_codes() -> list[str]:
    """ISO 639-1 codes plus "und" (undetermined), the values NORMALIZED_POST_SCHEMA allows."""
    import pycountry

    codes = {language.alpha_2 for language in pycountry.languages if hasattr(language, "alpha_2")}
    return sorted(codes | {"und"})


def _arrow_to_pandas(table: pa.Table) -> pd.DataFrame:
    """Arrow -> pandas, reading naive timestamps as UTC so they compare with aware bounds."""
    import pyarrow as pa

    for index, arrow_field in enumerate(table.schema):
        if pa.types.is_timestamp(arrow_field.type) and arrow_field.type.tz is None:
            utc_type = pa.timestamp(arrow_field.type.unit, tz="UTC")
            table = table.set_column(index, arrow_field.name, table.column(index).cast(utc_type))
    return table.to_pandas()


def _short(value: Any) -> str:
    text = str(value)
    return text if len(text) <= OBSERVED_MAX_CHARS else text[: OBSERVED_MAX_CHARS - 3] + "..."


def _observed(result: Any) -> str:
    exception = result.exception_info or {}
    # exception_info is either flat ({"raised_exception": ...}) or keyed by metric id.
    messages = (
        [exception.get("exception_message")]
        if "raised_exception" in exception
        else [
            info.get("exception_message") for info in exception.values() if isinstance(info, dict)
        ]
    )
    messages = [message for message in messages if message]
    if messages:
        return _short(f"error: {messages[0]}")
    details = result.result or {}
    if details.get("unexpected_count") is not None:
        text = f"unexpected_count={details['unexpected_count']} of {details.get('element_count')}"
        examples = details.get("partial_unexpected_list") or []
        if details["unexpected_count"] and examples:
            text += f", e.g. {[str(example) for example in examples[:3]]}"
        return _short(text)
    if "observed_value" in details:
        return _short(f"observed_value={details['observed_value']}")
    return ""


def _column_of(kwargs: dict) -> str | None:
    if kwargs.get("column"):
        return kwargs["column"]
    if kwargs.get("column_list"):
        return ",".join(kwargs["column_list"])
    if kwargs.get("column_A"):
        return f"{kwargs['column_A']},{kwargs['column_B']}"
    return None


def _suite_result(name: str, validation: Any) -> SuiteResult:
    results = []
    for result in validation.results:
        config = result.expectation_config
        meta = config.meta or {}
        results.append(
            ExpectationResult(
                expectation=config.type,
                column=_column_of(config.kwargs),
                critical=bool(meta.get("critical", True)),
                success=bool(result.success),
                observed=_observed(result),
                why=meta.get("why", ""),
            )
        )
    return SuiteResult(
        suite=name,
        success=all(result.success for result in results),
        critical_success=all(result.success for result in results if result.critical),
        results=results,
    )


def _run(
    context, spec: SuiteSpec, frame: pd.DataFrame, parameters: dict, run_name: str | None
) -> SuiteResult:
    from great_expectations.core.run_identifier import RunIdentifier

    definition = _validation_definition(context, spec)
    # The run name (e.g. the Dagster run id) groups a run's results in Data Docs.
    run_id = RunIdentifier(run_name=run_name, run_time=dt.datetime.now(dt.UTC))
    validation = definition.run(
        batch_parameters={"dataframe": frame},
        expectation_parameters=parameters,
        result_format=RESULT_FORMAT,
        run_id=run_id,
    )
    with _LOCK:
        _UNRENDERED_RUNS.setdefault(context, set()).add((spec.name, run_id.to_tuple()))
    return _suite_result(spec.name, validation)


def add_text_or_media_ok(posts: pl.DataFrame) -> pl.DataFrame:
    """Add the helper column: text is non-blank, or the post carries media."""
    has_text = pl.col("text").str.strip_chars().str.len_chars().fill_null(0) > 0
    has_media = pl.col("media_count").fill_null(0) > 0
    return posts.with_columns((has_text | has_media).alias(TEXT_OR_MEDIA_COLUMN))


def validate_normalized_posts(
    posts: pl.DataFrame,
    context=None,
    *,
    now: dt.datetime | None = None,
    clock_skew: dt.timedelta = DEFAULT_CLOCK_SKEW,
    run_name: str | None = None,
) -> SuiteResult:
    """Validate the normalized posts frame (NORMALIZED_POST_SCHEMA) with the normalized_posts suite.

    Only the columns the suite references go to pandas (list columns would cost seconds per
    million rows and are not checked). A missing column fails its expectations, naming it.
    """
    context = context if context is not None else _default_context()
    spec = load_suite_spec(NORMALIZED_SUITE)
    if {"text", "media_count"} <= set(posts.columns):
        posts = add_text_or_media_ok(posts)
    columns = [name for name in spec.referenced_columns() if name in posts.columns]
    frame = _arrow_to_pandas(posts.select(columns).to_arrow())
    parameters = {
        "max_published_at": _max_published_at(now, clock_skew),
        "source_formats": list(SOURCE_FORMATS),
        "language_codes": language_codes(),
    }
    return _run(context, spec, frame, parameters, run_name)


def _quote_relation(relation: str) -> str:
    return ".".join('"' + part.replace('"', '""') + '"' for part in relation.split("."))


def _missing_relation(spec: SuiteSpec, relation: str, warehouse: Path) -> SuiteResult:
    missing = ExpectationResult(
        expectation="relation_exists",
        column=None,
        critical=True,
        success=False,
        observed=f"{relation} not found in {warehouse}",
        why="The dbt model did not build, so none of the suite's expectations could run.",
    )
    return SuiteResult(spec.name, success=False, critical_success=False, results=[missing])


def validate_marts(
    warehouse_path: Path,
    normalized_post_count: int,
    context=None,
    *,
    now: dt.datetime | None = None,
    clock_skew: dt.timedelta = DEFAULT_CLOCK_SKEW,
    run_name: str | None = None,
) -> dict[str, SuiteResult]:
    """Validate every mart suite against the DuckDB warehouse (opened read-only, then closed).

    Run-time values come from the same warehouse (dim_countries iso2 set, dim_leaders keys)
    and from the caller (normalized_post_count, for the layer row-count check). The connection
    is closed before GX runs, so dbt is never locked out for long.
    """
    import duckdb

    warehouse = Path(warehouse_path)
    if not warehouse.is_file():
        raise FileNotFoundError(f"DuckDB warehouse not found: {warehouse}")
    context = context if context is not None else _default_context()
    specs = [load_suite_spec(name) for name in MART_SUITES]
    tables: dict[str, pa.Table | None] = {}
    connection = duckdb.connect(str(warehouse), read_only=True)
    try:
        existing: dict[str, list[str]] = {}
        for schema, table, column in connection.execute(
            "select table_schema, table_name, column_name from information_schema.columns "
            "where table_catalog = current_database() order by ordinal_position"
        ).fetchall():
            existing.setdefault(f"{schema}.{table}".lower(), []).append(column)
        for spec in specs:
            relation = spec.source["relation"]
            present = existing.get(relation.lower())
            if present is None:
                tables[spec.name] = None
                continue
            wanted = [name for name in spec.referenced_columns() if name in present]
            select = ", ".join('"' + name + '"' for name in wanted) or "1 as _row"
            tables[spec.name] = connection.sql(
                f"select {select} from {_quote_relation(relation)}"
            ).to_arrow_table()
        country_iso2_set = _distinct(connection, existing, "marts.dim_countries", "iso2")
        leader_keys = _distinct(connection, existing, "marts.dim_leaders", "leader_key")
    finally:
        connection.close()

    parameters = {
        "max_published_at": _max_published_at(now, clock_skew),
        "source_formats": list(SOURCE_FORMATS),
        "normalized_post_count": int(normalized_post_count),
        "country_iso2_set": country_iso2_set,
        "leader_keys": leader_keys,
    }
    results = {}
    for spec in specs:
        table = tables[spec.name]
        if table is None:
            results[spec.name] = _missing_relation(spec, spec.source["relation"], warehouse)
        else:
            frame = _arrow_to_pandas(table)
            results[spec.name] = _run(context, spec, frame, parameters, run_name)
    return results


def _distinct(connection, existing: dict, relation: str, column: str) -> list[str]:
    """Distinct non-null values of a dimension key: the allowed set for a foreign key."""
    if column not in existing.get(relation, []):
        return []
    rows = connection.execute(
        f'select distinct "{column}" from {_quote_relation(relation)} '
        f'where "{column}" is not null order by 1'
    ).fetchall()
    return [row[0] for row in rows]


def build_data_docs(context, *, full: bool = False) -> Path:
    """Render the Data Docs site into <home>/docs; return its index.html.

    By default only the suites and the results validated through this context since the last
    build are rendered (plus the index): a full re-render costs ~20 ms per stored result and
    results accumulate run after run. full=True re-renders everything.
    """
    with _LOCK:
        pending = _UNRENDERED_RUNS.pop(context, set())
    identifiers = None  # GX: None means everything
    if not full:
        # Suite pages are few and cheap; always re-render them so they match expectations/.
        identifiers = list(context.expectations_store.list_keys())
        identifiers += [
            key
            for key in context.validation_results_store.list_keys()
            if (key.expectation_suite_identifier.name, key.run_id.to_tuple()) in pending
        ]
    context.build_data_docs(site_names=[DOCS_SITE_NAME], resource_identifiers=identifiers)
    base = context.variables.data_docs_sites[DOCS_SITE_NAME]["store_backend"]["base_directory"]
    return Path(base) / "index.html"
