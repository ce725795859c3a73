"""Fingerprints of the code that shapes the data: when one changes, what it built is rebuilt.

Each covers whole package directories, so a module added to (or split inside) a stage is
covered without being listed here. Only the stages whose output is stored are covered: the
normalized layer (normalization, entity matching, their reference data, the layer schemas),
and the warehouse (the normalized layer's code plus the dbt project and the expectation suites).
"""

from __future__ import annotations

from orchestration.common.durable import tree_digest
from orchestration.config import DBT_PROJECT_DIR, PACKAGE_DIR, settings

NORMALIZED_LAYER_CODE = ("normalize", "entities", "reference", "schemas.py")


def normalized_layer_fingerprint() -> str:
    """The code whose output the normalized partitions are."""
    return tree_digest(PACKAGE_DIR / name for name in NORMALIZED_LAYER_CODE)


def pipeline_fingerprint() -> str:
    """The code whose output the warehouse is: a change runs dbt with --full-refresh."""
    roots = [PACKAGE_DIR / name for name in NORMALIZED_LAYER_CODE]
    return tree_digest([*roots, DBT_PROJECT_DIR, settings().expectations_dir])
