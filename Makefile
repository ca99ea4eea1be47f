# Himaya: `make run` serves the demo, `make test` runs the whole suite.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# The suite runs in parallel (pytest-xdist: a worker per core, each with its own test database
# and its own browser-test server), a whole test file at a time, so that the tests of a file
# still run in order in one process. `make test PYTEST_ARGS="-n 0"` runs it in one process.
PYTEST_PARALLEL ?= -n auto --dist loadfile
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run test test-deps lint format messages install assets clean

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is required ($(PYTHON) not found)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

assets: node_modules/.package-lock.json

install: $(VENV)/.installed assets messages

# Translations are compiled with Babel (no system gettext needed).
messages: $(VENV)/.installed
	@if [ -d himaya/locale ]; then $(BIN)/pybabel compile -d himaya/locale -D django --statistics; fi

run: install
	HOST=$(HOST) PORT=$(PORT) $(BIN)/himaya run --host $(HOST) --port $(PORT)

# ruff, then the apps' dependency order and no import circle (import-linter, pyproject.toml).
lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

format: $(VENV)/.installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Debian packages the tests need (Chromium, Pango, fonts), installed when missing.
test-deps:
	@scripts/test-deps

test: test-deps install lint
	DATABASE_URL=sqlite:///:memory: $(BIN)/python manage.py makemigrations --check --dry-run >/dev/null
	$(BIN)/pytest $(PYTEST_PARALLEL) $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) node_modules var/static
