# Two commands on a fresh machine: `make run` and `make test`. Everything else is set up on the way.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
BIN := $(VENV)/bin
# durable-rules 2.0.28 builds a C extension that imports on CPython 3.11 and 3.12 only.
PYTHON ?= $(shell for p in python3.12 python3.11 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info[:2] not in ((3, 11), (3, 12)))' 2>/dev/null \
	&& { echo $$p; break; }; done)
HOST ?= 127.0.0.1
PORT ?= 5000
# The tests run on SQLite and on this PostgreSQL server; set it empty to skip the PostgreSQL run.
CLAUSEWISE_TEST_POSTGRES ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
export CLAUSEWISE_TEST_POSTGRES

.PHONY: help run test bench lint kb-check system-deps clean

help:
	@echo "make run     set up everything and serve http://$(HOST):$(PORT)"
	@echo "make test    set up everything and run the whole test suite"
	@echo "make bench   print the engine benchmark figures"
	@echo "make lint    ruff over app, tests, bench and migrations"

$(BIN)/python:
	@if [ -z "$(PYTHON)" ]; then \
		echo "Clausewise needs Python 3.11 or 3.12 (durable-rules 2.0.28 does not import on 3.13)."; \
		echo "Install one, e.g. 'apt-get install python3.11 python3.11-venv' or 'pyenv install 3.12',"; \
		echo "or name it: make PYTHON=/path/to/python3.12 ..."; exit 1; fi
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

# Debian packages: chromium for the browser tests, Pango/HarfBuzz and a font for WeasyPrint's PDF reports.
DEBIAN_PACKAGES := chromium libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core
system-deps:
	@missing=$$(for p in $(DEBIAN_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages:" $$missing; \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
		else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; fi; \
	fi

run: $(VENV)/.installed system-deps
	$(BIN)/clausewise kb check --quiet
	$(BIN)/clausewise db upgrade
	$(BIN)/clausewise demo --if-empty
	$(BIN)/clausewise run --host $(HOST) --port $(PORT)

test: $(VENV)/.installed system-deps
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: $(VENV)/.installed
	$(BIN)/python -m bench

# migrations/ too: new revisions are sorted and formatted as they are written (post_write_hooks in alembic.ini).
LINTED := app tests bench migrations wsgi.py
lint: $(VENV)/.installed
	$(BIN)/ruff check $(LINTED)
	$(BIN)/ruff format --check $(LINTED)

kb-check: $(VENV)/.installed
	$(BIN)/clausewise kb check

clean:
	rm -rf $(VENV) instance/*.sqlite3 .pytest_cache
