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
	@echo "make test-colab - run the unit tests and solutions notebooks on Colab's older stack"

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed, found " + sys.version.split()[0] + ". Run: make PYTHON=/path/to/python3.12 ...")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(STAMP_BASE): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[lab]'
	@touch $@

$(STAMP_TEST): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[lab,test]'
	@touch $@ $(STAMP_BASE)

# JupyterLab refuses to run as root unless told (containers, Binder-like machines).
ALLOW_ROOT := $(if $(filter 0,$(shell id -u 2>/dev/null)),--allow-root,)

# No "get Jupyter news?" pop-up and no update check: the course opens on the notebook.
LAB_QUIET := --LabApp.news_url=None --LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate

lab: $(STAMP_BASE)
	$(PY) -m jupyter lab --notebook-dir=notebooks $(ALLOW_ROOT) $(LAB_QUIET) notebooks/00_start_here.ipynb

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
	$(PY) -m course_utils data build --force

notebooks: $(STAMP_TEST)
	$(PY) -m course_utils.lessons build

clean-venv:
	rm -rf $(VENV)

# --- Google Colab's older stack --------------------------------------------------------------
# make test-colab: a second environment, .venv-colab, with the library versions Colab ships
# (pinned in .ci/colab-constraints.txt), course_utils installed into it with those pins as pip
# constraints (so nothing is upgraded - as the notebooks' Colab setup cell needs), then the
# unit tests and the solutions notebooks run there. The venv is made anew when the constraints
# change; course_utils is reinstalled when pyproject.toml changes.
COLAB_PYTHON      ?= $(PYTHON)
COLAB_VENV        := .venv-colab
COLAB_PY          := $(COLAB_VENV)/bin/python
COLAB_CONSTRAINTS := .ci/colab-constraints.txt
# The constraints the venv was made with (a copy) and the install stamp.
COLAB_STAMP_VENV  := $(COLAB_VENV)/colab-constraints.txt
COLAB_STAMP       := $(COLAB_VENV)/.installed-test
# The real-browser test drives JupyterLab; Colab has no JupyterLab and `make test` runs it.
COLAB_DESELECT    := --deselect tests/test_browser.py
# Notebooks run there without comparing their checked outputs (conftest.py: an older
# scikit-learn may print 0.0276 where the text says 0.0275; the text is checked by `make test`).
# `make test-colab COLAB_NBVAL_COMPARE=1` compares them too, to see what differs on Colab.
COLAB_NBVAL_COMPARE ?= 0
# PYDEVD_DISABLE_FILE_VALIDATION: else Colab's ipykernel 6.17 prints a debugger warning.
COLAB_TEST_ENV    := COURSE_NBVAL_COMPARE=$(COLAB_NBVAL_COMPARE) PYDEVD_DISABLE_FILE_VALIDATION=1

.PHONY: test-colab

$(COLAB_STAMP_VENV): $(COLAB_CONSTRAINTS)
	@$(COLAB_PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] in ((3, 11), (3, 12)) else "Colab runs Python 3.11 or 3.12, found " + sys.version.split()[0] + ". Run: make test-colab COLAB_PYTHON=/path/to/python3.11")'
	rm -rf $(COLAB_VENV)
	$(COLAB_PYTHON) -m venv $(COLAB_VENV)
	@echo '*' > $(COLAB_VENV)/.gitignore
	$(COLAB_PY) -m pip install --quiet --upgrade pip
	cp $(COLAB_CONSTRAINTS) $@

$(COLAB_STAMP): pyproject.toml $(COLAB_STAMP_VENV)
	$(COLAB_PY) -m pip install --quiet -e '.[test]' -c $(COLAB_CONSTRAINTS)
	$(COLAB_PY) -m pip check
	@touch $@

test-colab: $(COLAB_STAMP)
	@echo "Colab stack: installed versions against $(COLAB_CONSTRAINTS) (nothing may be upgraded):"
	$(COLAB_PY) tests/test_colab_stack.py $(COLAB_CONSTRAINTS)
	@echo "Skipping tests/test_browser.py here: it needs JupyterLab in a real browser, which Colab does not use; make test runs it."
	$(COLAB_TEST_ENV) $(COLAB_PY) -m pytest tests notebooks/solutions $(COLAB_DESELECT)
