"""The expectation suites: one JSON file per table in expectations/, checked when loaded.

Each expectation carries meta {"critical": bool, "why": str}: a critical failure blocks the
build, the others are warnings. A suite names what it validates in ``source``: a DuckDB
relation of the warehouse (``{"kind": "duckdb", "relation": "marts.fct_posts"}``) or a frame of
the normalized layer (``{"kind": "polars"}``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from orchestration.config import settings

NORMALIZED_SUITE = "normalized_posts"


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


def load_suite_spec(name: str, directory: Path | None = None) -> SuiteSpec:
    """Read <suites>/<name>.json; a malformed file fails loudly, naming file and problem."""
    path = Path(directory or settings().expectations_dir) / f"{name}.json"
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


def warehouse_suites(directory: Path | None = None) -> dict[str, str]:
    """suite name -> the warehouse relation it validates, for every DuckDB suite file."""
    folder = Path(directory or settings().expectations_dir)
    relations = {}
    for path in sorted(folder.glob("*.json")):
        spec = load_suite_spec(path.stem, folder)
        if spec.source.get("kind") == "duckdb":
            relations[spec.name] = spec.source["relation"]
    return relations
