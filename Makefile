# Two commands for users: `make run` builds the warehouse from the bundled sample,
# `make test` runs the tests. Both install what they need first (Python 3.11 and make suffice).

PYTHON ?= python3
VENV := .venv
UV_BOOT := .tools/uv
UV := $(UV_BOOT)/bin/uv
UV_VERSION := 0.13.9
STAMP := $(VENV)/.installed

.PHONY: install run test ui bench clean-home

install: $(STAMP)

$(UV):
	$(PYTHON) -m venv $(UV_BOOT)
	$(UV_BOOT)/bin/pip install --quiet "uv==$(UV_VERSION)"

$(STAMP): $(UV) pyproject.toml uv.lock
	$(UV) sync --frozen --python $(PYTHON)
	touch $(STAMP)

run: $(STAMP)
	$(VENV)/bin/tgwh run

test: $(STAMP)
	$(VENV)/bin/pytest

# Figures for the README's Performance section: 1M generated posts in a fresh home (BENCH_POSTS
# to change it); JSON in $$TGWH_HOME/bench/.
BENCH_POSTS ?= 1000000
bench: $(STAMP)
	$(VENV)/bin/tgwh bench --posts $(BENCH_POSTS)

ui: $(STAMP)
	$(VENV)/bin/tgwh ui
