# Two commands for a newcomer: `make run` and `make test`. Everything else is a thin alias.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help install run build validate test lint typecheck check bench bench-remote clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP) ## create .venv and install pdkg with its dev tools

run: $(STAMP) ## build, validate and write the release into dist/
	$(BIN)/pdkg build --out dist

build: run ## alias of run

validate: $(STAMP) ## SHACL-validate graph/ and print the report
	$(BIN)/pdkg validate

test: $(STAMP) ## run the whole test suite (lint, types, doctests, tests)
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests
	$(BIN)/mypy
	$(BIN)/pytest --doctest-modules src tests -q

lint: $(STAMP) ## ruff lint and format check
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests

typecheck: $(STAMP) ## mypy --strict on src/
	$(BIN)/mypy

check: test ## what CI runs

BENCH ?=
bench: $(STAMP) ## time every stage at 10k, 100k and 1M triples against a plain baseline (BENCH="--huge" adds 10M)
	$(BIN)/python bench/run.py $(BENCH)

bench-remote: $(STAMP) ## the 1M graph in Oxigraph's server (and Debian's Virtuoso if installed): saved queries through --endpoint
	$(BIN)/python bench/remote.py $(BENCH)

clean: ## remove .venv and dist/
	rm -rf $(VENV) dist
