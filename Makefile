# Two commands for users: `make run` builds the warehouse from the bundled sample,
# `make test` runs the tests. Both install what they need first (Python 3.11 and make suffice).

PYTHON ?= python3
VENV := .venv
UV_BOOT := .tools/uv
UV := $(UV_BOOT)/bin/uv
UV_VERSION := 0.13.9
STAMP := $(VENV)/.installed

.PHONY: install run test check lint ui bench

install: $(STAMP)

$(UV):
	$(PYTHON) -m venv $(UV_BOOT)
	$(UV_BOOT)/bin/pip install --quiet "uv==$(UV_VERSION)"

# --compile-bytecode: every process (a run, a dbt step, a test worker) imports Dagster, dbt and
# Great Expectations; compiled once here, that costs half the seconds it costs from source (and
# where PYTHONDONTWRITEBYTECODE is set, Python would never keep what it compiled).
$(STAMP): $(UV) pyproject.toml uv.lock
	$(UV) sync --frozen --compile-bytecode --python $(PYTHON)
	touch $(STAMP)

run: $(STAMP)
	$(VENV)/bin/tgwh run

# Every tier on both cores (unit, defs, dbt, e2e): what CI runs; the slowest tests are listed
# at the end.
test: $(STAMP)
	$(VENV)/bin/pytest -n 2 --dist worksteal --durations=25

# The edit loop: the unit tier (pure code, no Dagster run, no dbt), in seconds.
check: $(STAMP)
	$(VENV)/bin/pytest tests/unit -n 2 --dist worksteal -q

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# Figures for the README's Performance section: 1M generated posts in a fresh home (BENCH_POSTS
# to change it); JSON in $$TGWH_HOME/bench/.
BENCH_POSTS ?= 1000000
bench: $(STAMP)
	$(VENV)/bin/tgwh bench --posts $(BENCH_POSTS)

ui: $(STAMP)
	$(VENV)/bin/tgwh ui
