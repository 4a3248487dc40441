# sipviewer: `make run` opens the viewer on the sample archive, `make test` runs the tests.
# Each target creates the virtual environment in .venv first when needed.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: run test lint bench bench-quick screenshots package clean help

help:  ## list the targets
	@grep -E '^[a-z]+:.*##' Makefile | sed 's/:.*## /\t/'

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@# PySide keeps its own Python support modules in an archive inside its library and
	@# compiles them from source at every start (30 ms); unpacked once beside it (PySide's
	@# SBK_EMBED=0) they are compiled here, once
	SBK_EMBED=0 $(PY) -c "import PySide6.QtCore"
	$(PY) -m compileall -q "$$($(PY) -c "import pathlib, shiboken6; print(pathlib.Path(shiboken6.__file__).parent / 'files.dir')")"
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

package: $(VENV)/.installed  ## one-folder application in dist/sipviewer (PyInstaller; runs without Python)
	$(PY) -m pip install --quiet -e '.[package]'
	$(VENV)/bin/pyinstaller --noconfirm --clean --log-level WARN --distpath dist \
		--workpath build/pyinstaller packaging/sipviewer.spec
	@du -sh dist/sipviewer

clean:  ## remove the virtual environment and caches
	rm -rf $(VENV) build dist *.egg-info .pytest_cache

screenshots: $(VENV)/.installed  ## regenerate docs/screenshots (offscreen, 1280×800)
	$(PY) packaging/screenshots.py
	$(PY) packaging/screenshots_catalogue.py
	$(PY) packaging/kiosk_screenshots.py
	$(PY) packaging/kiosk_screenshots.py --scale 2 --size 1366x768
