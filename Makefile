# Kafo: `make run` serves the platform with the demo, `make test` runs every check
# (ruff, import-linter layers, mypy on the engines, migrations, the tests).
PYTHON ?= python3
PORT ?= 8000
VENV := .venv
TOOLS := .tools
# Use uv from PATH when there is one; otherwise install it with pip into .tools/.
UV := $(shell command -v uv 2>/dev/null || echo $(TOOLS)/bin/uv)
KAFO := $(VENV)/bin/kafo
export UV_PYTHON_DOWNLOADS := never

.PHONY: install run test lint format messages bench clean

install: $(VENV)/.installed

$(TOOLS)/bin/uv:
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet uv

$(VENV)/.installed: pyproject.toml uv.lock $(wildcard kafo/locale/*/LC_MESSAGES/*.po) | $(UV)
	$(UV) sync --frozen --python $(PYTHON)
	$(VENV)/bin/pybabel --quiet compile --domain django --directory kafo/locale --use-fuzzy
	@touch $@

run: install
	$(KAFO) migrate --no-input
	$(KAFO) demo --if-empty
	$(KAFO) serve --port $(PORT)

test: install
	$(VENV)/bin/ruff check kafo tests bench
	$(VENV)/bin/ruff format --check kafo tests bench
	$(VENV)/bin/lint-imports --no-cache
	$(VENV)/bin/mypy
	$(KAFO) makemigrations --check --dry-run
	$(VENV)/bin/pytest --numprocesses auto

lint: install
	$(VENV)/bin/ruff check --fix kafo tests bench
	$(VENV)/bin/ruff format kafo tests bench

messages: install
	$(VENV)/bin/python -m kafo.messages

bench: install
	$(VENV)/bin/python bench/point_lookup.py

clean:
	rm -rf $(VENV) $(TOOLS) staticfiles .pytest_cache .ruff_cache
