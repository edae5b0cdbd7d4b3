# Proximity: `make run` starts everything, `make test` checks everything.
# Needs only Python 3.11; every other dependency is installed into .venv by these targets.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
SOURCES := libs/src services/identity/src services/consents/src services/assets/src services/contracts/src services/iam/src services/heatmaps/src gateway/src
TESTS := docs/tests libs/tests services/identity/tests services/consents/tests services/assets/tests services/contracts/tests services/iam/tests services/heatmaps/tests gateway/tests deploy/tests tests-e2e

.PHONY: run test lint typecheck fmt migrate bench clean install

$(STAMP): libs/pyproject.toml services/identity/pyproject.toml services/consents/pyproject.toml services/assets/pyproject.toml services/contracts/pyproject.toml services/iam/pyproject.toml services/heatmaps/pyproject.toml gateway/pyproject.toml requirements-dev.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -e 'libs[dev]' -e services/identity -e services/consents -e 'services/assets[dev]' -e services/contracts -e services/iam -e services/heatmaps -e gateway -r requirements-dev.txt
	@touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(PY) -m proximity.devstack run

migrate: $(STAMP)
	$(PY) -m proximity.devstack migrate

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: $(STAMP)
	$(VENV)/bin/mypy $(SOURCES)

fmt: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

test: lint typecheck
	$(PY) -m pytest -p no:cacheprovider $(TESTS)

bench: $(STAMP)
	$(PY) bench/gateway_overhead.py

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache
