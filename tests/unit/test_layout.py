"""The architecture the tree promises, checked: Dagster only in defs/ and the runner, the
environment read only in config.py, home paths joined only there, bench imported by nobody."""

import ast
from pathlib import Path

import pytest

from orchestration.config import PACKAGE_DIR

DAGSTER_MODULES = ("dagster", "dagster_dbt", "dagster_webserver")
# The command-line runner starts Dagster runs in its own process; everything else that touches
# Dagster is wiring, and lives in defs/.
DAGSTER_ALLOWED = {Path("app/runner.py")}
STAGE_PACKAGES = ("ingest", "normalize", "entities", "warehouse", "validate", "common")


def modules() -> list[Path]:
    return sorted(p for p in PACKAGE_DIR.rglob("*.py") if "__pycache__" not in p.parts)


def imported(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def relative(path: Path) -> Path:
    return path.relative_to(PACKAGE_DIR)


def test_only_defs_and_the_runner_import_dagster():
    offenders = [
        (str(relative(path)), name)
        for path in modules()
        if relative(path).parts[0] != "defs" and relative(path) not in DAGSTER_ALLOWED
        for name in imported(path)
        if name.split(".")[0] in DAGSTER_MODULES
    ]
    assert offenders == []


def test_the_pure_core_never_imports_the_wiring_the_app_or_the_bench():
    """Data flows one way: the stages know nothing of Dagster, the command line or benchmarks."""
    offenders = [
        (str(relative(path)), name)
        for path in modules()
        if relative(path).parts[0] in STAGE_PACKAGES
        for name in imported(path)
        if name.startswith(("orchestration.defs", "orchestration.app", "orchestration.bench"))
    ]
    assert offenders == []


def test_nothing_outside_bench_imports_it_but_its_command():
    offenders = [
        str(relative(path))
        for path in modules()
        if relative(path).parts[0] != "bench"
        and relative(path) != Path("app/commands/bench.py")  # `tgwh bench`
        and any(name.startswith("orchestration.bench") for name in imported(path))
    ]
    assert offenders == []


def reads_the_environment(tree: ast.AST) -> bool:
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in ("environ", "getenv"):
            if isinstance(node.value, ast.Name) and node.value.id == "os":
                return True
        if isinstance(node, ast.ImportFrom) and node.module == "os":
            if any(alias.name in ("environ", "getenv") for alias in node.names):
                return True
    return False


def test_environment_variables_are_read_in_config_only():
    offenders = [
        str(relative(path))
        for path in modules()
        if relative(path) != Path("config.py")
        and reads_the_environment(ast.parse(path.read_text(encoding="utf-8")))
    ]
    assert offenders == []


@pytest.mark.parametrize("needle", ['.root / "', "home / ", "home_root"])
def test_home_paths_are_joined_in_config_only(needle):
    offenders = [
        str(relative(path))
        for path in modules()
        if relative(path) != Path("config.py") and needle in path.read_text(encoding="utf-8")
    ]
    assert offenders == []


def test_every_package_says_what_it_holds():
    for init in PACKAGE_DIR.rglob("__init__.py"):
        if "__pycache__" in init.parts or init.parent == PACKAGE_DIR:
            continue
        assert ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))), init
