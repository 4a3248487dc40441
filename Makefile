# sipviewer: `make run` opens the viewer on the sample archive, `make test` runs the tests.
# Each target creates the virtual environment in .venv first when needed.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: run test lint bench bench-quick screenshots clean help

help:  ## list the targets
	@grep -E '^[a-z]+:.*##' Makefile | sed 's/:.*## /\t/'

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

run: $(VENV)/.installed  ## open sipviewer on the default archive (built from the sample on first start)
	$(VENV)/bin/sipviewer $(ARGS)

test: $(VENV)/.installed  ## run the whole test suite (offscreen, no display needed)
	$(PY) tests/run_suite.py

lint: $(VENV)/.installed  ## ruff
	$(PY) -m ruff check sipviewer tests bench

bench: $(VENV)/.installed  ## the issue's speed and memory figures on 30 generated volumes, each beside its anchor
	$(PY) -m pip install --quiet tantivy || echo "tantivy not installed: its figures are skipped"
	$(PY) bench/run_all.py

bench-quick: $(VENV)/.installed  ## the same figures on 6 volumes (for development; report the full run)
	$(PY) bench/run_all.py --volumes 6

clean:  ## remove the virtual environment and caches
	rm -rf $(VENV) build *.egg-info .pytest_cache

screenshots: $(VENV)/.installed  ## regenerate docs/screenshots (offscreen, 1280×800)
	$(PY) packaging/screenshots.py
