# The two commands a newcomer needs: `make run` and `make test`. Both set up .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
APP_STAMP := $(VENV)/.installed-app
TEST_STAMP := $(VENV)/.installed-test

PACKAGE_STAMP := $(VENV)/.installed-package

.PHONY: run system-check test lint format bench package package-smoke clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(APP_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e .
	touch $@

$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@ $(APP_STAMP)

## The system libraries the window needs on Linux, before anything else: installed when
## run as root on Debian/Ubuntu, else the one `sudo apt-get install` line is printed and
## make stops. Nothing to check headless (QT_QPA_PLATFORM=offscreen) or off Linux.
system-check:
	@$(PYTHON) -m inspector_app.gui.platform_check

## Set up and open the app (with no file: the demo inspection in your data folder)
run: system-check $(APP_STAMP)
	$(BIN)/inspector-app $(if $(FILE),"$(FILE)",--open-demo)

## Set up and run the whole test suite headless
test: $(TEST_STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest $(PYTEST_ARGS)

## Style, import contracts (.importlinter) and types, as CI runs them
lint: $(TEST_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy --config-file mypy.ini inspector_app/core inspector_app/app inspector_app/cli
	$(BIN)/python tools/mypy_gui_baseline.py

format: $(TEST_STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## Run every bench (full sizes) and regenerate docs/benchmarks.md from their JSON
bench: $(TEST_STAMP)
	$(BIN)/python tools/benchmarks_doc.py

## The same at small sizes: checks the benches work; the figures are not for quoting
.PHONY: bench-quick
bench-quick: $(TEST_STAMP)
	$(BIN)/python tools/benchmarks_doc.py --quick

$(PACKAGE_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test,package]'
	touch $@ $(APP_STAMP) $(TEST_STAMP)

## Build the one-folder desktop app into dist/inspector-app and smoke-test it
package: $(PACKAGE_STAMP)
	$(BIN)/pyinstaller --noconfirm --log-level ERROR --distpath dist --workpath build packaging/inspector-app.spec
	bash packaging/smoke_test.sh dist/inspector-app/inspector-app

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache build dist *.egg-info
