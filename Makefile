# Brik's everyday commands. `make run` starts Brik on this computer with demo
# data; `make test` runs the whole test suite. Both set everything up first.

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

# Debian packages the test suite needs: Debian's chromium for the browser
# tests (Playwright cannot download its own browser here), fonts and the
# Pango/HarfBuzz libraries for WeasyPrint's PDFs, gettext for translations.
APT_PACKAGES := chromium fonts-dejavu-core fonts-liberation libpango-1.0-0 libpangoft2-1.0-0 \
	libharfbuzz-subset0 gettext

NPM_STAMP := $(if $(wildcard package.json),node_modules/.brik-installed)

.PHONY: help venv install system-packages run dev test lint format messages clean instructions

help:
	@echo "make run       set up, migrate, load demo data if the database is empty, serve at http://$(HOST):$(PORT)/"
	@echo "               with the production server (gunicorn, as in production)"
	@echo "make dev       the same with Django's development server, which restarts when the code changes"
	@echo "make test      set up (Python, npm and Debian packages) and run the test suite (PYTEST_ARGS=... passes on)"
	@echo "make lint      ruff, a missing migration, mypy and the import contracts (import-linter)"
	@echo "make format    ruff format and ruff check --fix"
	@echo "make messages  update and compile the Danish translations"
	@echo "make install   create .venv and install Brik with its development tools, and the npm packages"
	@echo "make clean     remove .venv, node_modules and caches (keeps ./data)"
	@echo "make instructions  count each page's instructions a request under valgrind (BENCHMARK_ARGS=... passes on)"

venv install: $(VENV)/.brik-installed $(NPM_STAMP)

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null || { echo "Brik needs Python 3.11 or newer, and '$(PYTHON)' was not found. Run: make PYTHON=/path/to/python3.11 ..." >&2; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Brik needs Python 3.11 or newer, and $(PYTHON) is $$($(PYTHON) --version 2>&1). Run: make PYTHON=/path/to/python3.11 ..." >&2; exit 1; }
	@$(PYTHON) -c 'import ensurepip, venv' 2>/dev/null || { echo "$(PYTHON) cannot create virtual environments. On Debian or Ubuntu: apt-get install python3-venv" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)

# Reinstalled only when pyproject.toml changes.
$(VENV)/.brik-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $@

# Reinstalled only when package.json or package-lock.json changes.
node_modules/.brik-installed: package.json $(wildcard package-lock.json)
	npm install --no-audit --no-fund
	@mkdir -p node_modules && touch $@

# Installs only what is missing, so a second run is fast and needs no network.
system-packages:
	@if ! command -v dpkg >/dev/null; then \
		echo "Not a Debian system: please install the equivalents of: $(APT_PACKAGES)" >&2; exit 0; \
	fi; \
	missing=""; \
	for p in $(APT_PACKAGES); do \
		dpkg -s "$$p" 2>/dev/null | grep -q '^Status: install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages:$$missing"; \
		sudo=""; [ "$$(id -u)" -eq 0 ] || sudo=sudo; \
		$$sudo apt-get update -qq && \
		$$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi

# The production server (gunicorn, static files by WhiteNoise), so that what
# you see is the real speed; `make dev` restarts on code changes instead.
run: install
	$(BIN)/brik migrate --no-input
	$(BIN)/brik demo --if-empty --host $(HOST) --port $(PORT)
	$(BIN)/brik serve --host $(HOST) --port $(PORT)

dev: install
	$(BIN)/brik migrate --no-input
	$(BIN)/brik demo --if-empty --host $(HOST) --port $(PORT)
	$(BIN)/brik serve --dev --host $(HOST) --port $(PORT)

# Each page's instructions a request (scripts/benchmark.py --instructions): a count that
# does not depend on how fast the machine is this hour. Needs valgrind and a C compiler.
BENCHMARK_ARGS ?= --instructions 100
instructions: install
	@$(MAKE) --no-print-directory system-packages APT_PACKAGES="valgrind gcc libc6-dev"
	$(BIN)/python scripts/benchmark.py $(BENCHMARK_ARGS)

# pytest exits 5 when it collected no test: that is a failure here, said plainly.
test: install system-packages
	@$(BIN)/pytest $(PYTEST_ARGS); status=$$?; \
	if [ $$status -eq 5 ]; then echo "pytest collected no tests: failing." >&2; fi; \
	exit $$status

# Each step says what it checks; the first that fails stops the others. The
# packages mypy checks and the import contracts are in pyproject.toml.
lint: install
	@echo "==> ruff check: lint rules"
	$(BIN)/ruff check .
	@echo "==> ruff format --check: formatting"
	$(BIN)/ruff format --check .
	@echo "==> makemigrations --check: every model change has its migration"
	$(BIN)/brik makemigrations --check --dry-run
	@echo "==> mypy: types"
	$(BIN)/mypy
	@echo "==> lint-imports: the layers and which app may import which"
	$(BIN)/lint-imports --no-logo

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

messages: install
	@command -v msgfmt >/dev/null || { echo "makemessages needs gettext: apt-get install gettext" >&2; exit 1; }
	$(BIN)/brik makemessages --locale da --ignore .venv --ignore node_modules --ignore data --ignore test-output
	$(BIN)/brik compilemessages --locale da --ignore .venv --ignore node_modules

clean:
	rm -rf $(VENV) node_modules .pytest_cache .ruff_cache .mypy_cache .import_linter_cache .grimp_cache \
		test-output *.egg-info
	find . -name __pycache__ -type d -prune -not -path './node_modules/*' -exec rm -rf {} +
