# Apple or Banana? - the two commands a learner needs are `make lab` and `make test`.
# Everything else is for course developers.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
# Stamp files: reinstall only when pyproject.toml changes.
STAMP_BASE := $(VENV)/.installed-base
STAMP_TEST := $(VENV)/.installed-test

.PHONY: lab test lint bench notebooks data clean-venv help

help:
	@echo "make lab        - set up .venv (first time only) and open JupyterLab on the notebooks"
	@echo "make test       - set up .venv with the test tools and run the whole test suite"
	@echo "make bench      - print the benchmark table (medians against the course budgets)"
	@echo "make notebooks  - rebuild notebooks/ from the lesson sources in lessons/"
	@echo "make data       - rebuild data/ from the simulated world (default seed)"
	@echo "make lint       - ruff check and format check"

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed, found " + sys.version.split()[0] + ". Run: make PYTHON=/path/to/python3.12 ...")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(STAMP_BASE): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e .
	@touch $@

$(STAMP_TEST): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $@ $(STAMP_BASE)

# JupyterLab refuses to run as root unless told (containers, Binder-like machines).
ALLOW_ROOT := $(if $(filter 0,$(shell id -u 2>/dev/null)),--allow-root,)

lab: $(STAMP_BASE)
	$(PY) -m jupyter lab --notebook-dir=notebooks $(ALLOW_ROOT) notebooks/00_start_here.ipynb

test: $(STAMP_TEST)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m pytest

lint: $(STAMP_TEST)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

bench: $(STAMP_TEST)
	$(PY) -m course_utils bench --out docs/benchmark.md

data: $(STAMP_BASE)
	$(PY) -m course_utils data build

notebooks: $(STAMP_TEST)
	$(PY) -m course_utils.lessons build

clean-venv:
	rm -rf $(VENV)
