# Two commands for users: `make run` builds the warehouse from the bundled sample,
# `make test` runs the tests. Both install what they need first (Python 3.11 and make suffice).

PYTHON ?= python3
VENV := .venv
UV_BOOT := .tools/uv
UV := $(UV_BOOT)/bin/uv
UV_VERSION := 0.13.9
STAMP := $(VENV)/.installed

.PHONY: install run test ui clean-home

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

ui: $(STAMP)
	$(VENV)/bin/tgwh ui
