# Apple or Banana? - the two commands a learner needs are `make lab` and `make test`.
# Everything else is for course developers.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
# Stamp files: reinstall only when pyproject.toml or the lock changes.
STAMP_BASE := $(VENV)/.installed-base
STAMP_TEST := $(VENV)/.installed-test

# The lock: every package of `.[lab,test]` at one exact version, resolved by uv for Python
# 3.11 (`make lock` refreshes it to the newest versions). `make lab` and `make test` install
# with it as pip constraints, so a class set up today and one set up next year get the same
# versions. `make lab LOCK=` installs without it (the newest versions in the ranges).
LOCK        ?= requirements-lock.txt
LOCK_PYTHON := 3.11
LOCK_ARG    := $(if $(LOCK),-c $(LOCK),)
LOCK_HINT   := echo "The locked versions did not install. The lock is made for Python $(LOCK_PYTHON); on another Python, install the newest versions instead: make lab LOCK= (or make test LOCK=)" >&2; exit 1

.PHONY: lab test lint bench notebooks data clean-venv help lock test-latest

help:
	@echo "make lab        - set up .venv (first time only) and open JupyterLab on the notebooks"
	@echo "make test       - set up .venv with the test tools and run the whole test suite"
	@echo "make bench      - print the benchmark table (medians against the course budgets)"
	@echo "make notebooks  - rebuild notebooks/ from the lesson sources in lessons/"
	@echo "make data       - rebuild data/ from the simulated world (default seed)"
	@echo "make lint       - ruff check and format check"
	@echo "make lock       - refresh $(LOCK) to the newest versions (uv, Python $(LOCK_PYTHON))"
	@echo "make test-latest - run the test suite on the newest versions (in .venv-latest)"
	@echo "make test-colab - run the unit tests and solutions notebooks on Colab's older stack"

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed, found " + sys.version.split()[0] + ". Run: make PYTHON=/path/to/python3.12 ...")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(STAMP_BASE): pyproject.toml $(LOCK) jupyter/overrides.json | $(PY)
	$(PY) -m pip install --quiet -e '.[lab]' $(LOCK_ARG) || { $(LOCK_HINT); }
	$(LAB_SETTINGS)
	@touch $@

$(STAMP_TEST): pyproject.toml $(LOCK) jupyter/overrides.json | $(PY)
	$(PY) -m pip install --quiet -e '.[lab,test]' $(LOCK_ARG) || { $(LOCK_HINT); }
	$(LAB_SETTINGS)
	@touch $@ $(STAMP_BASE)

# JupyterLab refuses to run as root unless told (containers, Binder-like machines).
ALLOW_ROOT := $(if $(filter 0,$(shell id -u 2>/dev/null)),--allow-root,)

# No "get Jupyter news?" pop-up and no update check: the course opens on the notebook.
# jupyter/overrides.json sets JupyterLab's defaults for this environment (the learner can
# still change them in Settings); the options below stop the server side of both.
LAB_SETTINGS = mkdir -p $(VENV)/share/jupyter/lab/settings && cp jupyter/overrides.json $(VENV)/share/jupyter/lab/settings/overrides.json
LAB_QUIET := --LabApp.news_url=None --LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate

lab: $(STAMP_BASE)
	$(PY) -m jupyter lab --notebook-dir=notebooks $(ALLOW_ROOT) $(LAB_QUIET) notebooks/00_start_here.ipynb

test: $(STAMP_TEST)
	$(if $(LOCK),$(PY) tests/test_lock.py --strict $(LOCK))
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

# --- the lock and the newest versions ----------------------------------------------------------
# make lock: resolve pyproject.toml's dependencies and every extra afresh, to the newest
# versions, with uv (installed into .venv on first use) for Python $(LOCK_PYTHON) on Linux (the
# platform CI and Binder run; on macOS and Windows the same pins apply, plus a few unpinned
# platform-only packages such as appnope).
# Review the diff, run `make test` (it reinstalls from the new lock), then commit the lock.
lock: | $(PY)
	$(PY) -m pip install --quiet 'uv>=0.5'
	$(PY) -m uv pip compile pyproject.toml --all-extras --python-version $(LOCK_PYTHON) --python-platform linux \
		--quiet --custom-compile-command 'make lock' > $(LOCK).new
	{ echo "# The course's locked versions: pyproject.toml's dependencies and extras [lab] and [test],"; \
	  echo "# resolved by uv for Python $(LOCK_PYTHON). make lab, make test and environment.yml install"; \
	  echo "# with this file as pip constraints. Refresh with make lock; make test-latest tries the newest."; \
	  cat $(LOCK).new; } > $(LOCK)
	rm -f $(LOCK).new
	@echo "wrote $(LOCK): $$(grep -c '==' $(LOCK)) packages"

# make test-latest: the same test suite on the newest versions that pyproject.toml allows, in
# a venv of its own (.venv-latest), upgraded at every run - so that an upgrade is seen (a
# changed notebook output, a deprecation) before `make lock` takes it. It first lists where
# the newest versions differ from the lock.
LATEST_VENV := .venv-latest
LATEST_PY   := $(LATEST_VENV)/bin/python

test-latest:
	@test -x $(LATEST_PY) || { $(PYTHON) -m venv $(LATEST_VENV) && echo '*' > $(LATEST_VENV)/.gitignore; }
	$(LATEST_PY) -m pip install --quiet --upgrade pip
	$(LATEST_PY) -m pip install --quiet --upgrade --upgrade-strategy eager -e '.[lab,test]'
	$(LATEST_PY) tests/test_lock.py $(LOCK)
	$(LATEST_PY) -m pytest

# --- Google Colab's older stack --------------------------------------------------------------
# make test-colab: a second environment, .venv-colab, made like a Colab runtime the learner
# opens a notebook in: first the library versions Colab ships (pinned in
# .ci/colab-constraints.txt) and the test tools within those pins; then course_utils installed
# the way the notebooks' Colab setup cell does it (the package and config.COLAB_PINS, without
# constraints) - and it FAILS if that install changed the version of any package that was
# there before. Then the unit tests and the solutions notebooks run there. The venv is made
# anew when the constraints, pyproject.toml or the setup cell's pins change.
COLAB_PYTHON      ?= $(PYTHON)
COLAB_VENV        := .venv-colab
COLAB_PY          := $(COLAB_VENV)/bin/python
COLAB_CONSTRAINTS := .ci/colab-constraints.txt
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

$(COLAB_STAMP): $(COLAB_CONSTRAINTS) pyproject.toml course_utils/config.py
	@$(COLAB_PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] in ((3, 11), (3, 12)) else "Colab runs Python 3.11 or 3.12, found " + sys.version.split()[0] + ". Run: make test-colab COLAB_PYTHON=/path/to/python3.11")'
	rm -rf $(COLAB_VENV)
	$(COLAB_PYTHON) -m venv $(COLAB_VENV)
	@echo '*' > $(COLAB_VENV)/.gitignore
	$(COLAB_PY) -m pip install --quiet --upgrade pip
	$(COLAB_PY) -m pip install --quiet -r $(COLAB_CONSTRAINTS)
	$(COLAB_PY) tests/test_colab_stack.py --install $(COLAB_CONSTRAINTS)
	$(COLAB_PY) -m pip check
	@touch $@

test-colab: $(COLAB_STAMP)
	@echo "Colab stack: installed versions against $(COLAB_CONSTRAINTS) (nothing may be upgraded):"
	$(COLAB_PY) tests/test_colab_stack.py $(COLAB_CONSTRAINTS)
	@echo "Skipping tests/test_browser.py here: it needs JupyterLab in a real browser, which Colab does not use; make test runs it."
	$(COLAB_TEST_ENV) $(COLAB_PY) -m pytest tests notebooks/solutions $(COLAB_DESELECT)
