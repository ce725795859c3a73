"""The Great Expectations context of a home, the suites registered in it, and its Data Docs.

Importing GX costs ~5-9 s, so it is imported lazily: importing this module stays cheap for
Dagster's code server. Contexts are cached per home folder, and each suite is registered once
per context, so several suites in one process pay the set-up once.

GX may also write concurrently from several processes into the same <home>/gx; suites and
validation definitions are re-registered per process (idempotent), results are new files.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
import weakref
from pathlib import Path
from typing import TYPE_CHECKING, Any

from orchestration.config import DocsLayout, Home
from orchestration.validate.docs_pages import finish_site
from orchestration.validate.results import SuiteResult, suite_result
from orchestration.validate.suites import SuiteSpec

if TYPE_CHECKING:
    import pandas as pd

DATASOURCE_NAME = "tgwh_frames"
BATCH_DEFINITION_NAME = "whole_frame"
DOCS_SITE_NAME = "local_site"
RESULT_FORMAT = {"result_format": "SUMMARY", "partial_unexpected_count": 5}


_CONTEXTS: dict[Path, Any] = {}
_DEFINITIONS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
# Runs validated through a context since its last Data Docs build (for incremental builds).
_UNRENDERED_RUNS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_LOCK = threading.RLock()


def gx_context(home: Home):
    """File-backed GX context in <home>/gx, Data Docs written to <home>/docs; cached per home.

    Everything GX writes (suites, validation definitions, results, docs) stays under the home
    folder, never in the source tree or the working directory.
    """
    root = home.root
    with _LOCK:
        context = _CONTEXTS.get(root)
        if context is None:
            context = _create_context(root)
            _CONTEXTS[root] = context
        return context


def _create_context(root):
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
    """The suite with all its expectations, built before GX sees it: added one by one to a
    suite already in the store, GX rewrites the stored file at every addition (~0.6 s a run)."""
    import great_expectations as gx
    from great_expectations.expectations.expectation_configuration import (
        ExpectationConfiguration,
    )

    expectations, seen = [], set()
    for index, item in enumerate(spec.expectations):
        meta = item["meta"]
        identity = (item["type"], json.dumps(item["kwargs"], sort_keys=True, default=str))
        if identity in seen:  # GX would silently keep one of the two
            raise ValueError(
                f"{spec.path}: expectation #{index} ({item['type']}) repeats an earlier one"
            )
        seen.add(identity)
        try:
            expectations.append(
                ExpectationConfiguration(
                    type=item["type"],
                    kwargs=item["kwargs"],
                    meta=meta,
                    notes=f"{'Critical' if meta['critical'] else 'Warning'}: {meta['why']}",
                    # GX's own severity, so Data Docs show which failures block the run.
                    severity="critical" if meta["critical"] else "warning",
                ).to_domain_obj()
            )
        except Exception as error:
            raise ValueError(
                f"{spec.path}: expectation #{index} ({item['type']}): {error}"
            ) from None
    suite = gx.ExpectationSuite(
        name=spec.name, expectations=expectations, notes=spec.description or None
    )
    if len(suite.expectations) != len(spec.expectations):
        raise ValueError(f"{spec.path}: GX kept {len(suite.expectations)} expectations")
    return suite


def run_suite(
    context,
    spec: SuiteSpec,
    frame: pd.DataFrame,
    parameters: dict,
    run_name: str | None,
    row_identifiers: list[str] | None = None,
) -> SuiteResult:
    """``row_identifiers``: columns that name each failing row in the result (all of them,
    not a sample), so that failures can be traced to their records and files."""
    from great_expectations.core.run_identifier import RunIdentifier
    from great_expectations.exceptions.resource_freshness import (
        ResourceFreshnessAggregateError,
    )

    # The run name (e.g. the Dagster run id) groups a run's results in Data Docs.
    run_id = RunIdentifier(run_name=run_name, run_time=dt.datetime.now(dt.UTC))

    def validate():
        return _validation_definition(context, spec).run(
            batch_parameters={"dataframe": frame},
            expectation_parameters=parameters,
            result_format=RESULT_FORMAT
            if not row_identifiers
            else {"result_format": "COMPLETE", "unexpected_index_column_names": row_identifiers},
            run_id=run_id,
        )

    try:
        validation = validate()
    except ResourceFreshnessAggregateError:
        # another process (the validation worker, another run) registered the suite in the
        # home's store since this context did: register it again and validate
        with _LOCK:
            _DEFINITIONS.get(context, {}).pop(spec.name, None)
        validation = validate()
    with _LOCK:
        _UNRENDERED_RUNS.setdefault(context, set()).add((spec.name, run_id.to_tuple()))
    return suite_result(spec.name, validation)


def build_data_docs(context, *, full: bool = False) -> Path:
    """Render the Data Docs site into <home>/docs, offline and sanitized (docs_pages.py);
    return its index.html.

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
    # GX's pages load their assets from CDNs and render data values as markup: every page it
    # just wrote is made offline and safe before anyone opens it.
    layout = DocsLayout(Path(base))
    finish_site(layout)
    return layout.data_docs_index
