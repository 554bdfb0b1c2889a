# The two commands: `make demo` and `make test`. Both create .venv with the machine's
# python3 (3.11+) when it is missing and install the project into it.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test lint typecheck pytest bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.demo-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[cli,sql,export]'
	touch $@

$(VENV)/.test-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[all]'
	touch $@ $(VENV)/.demo-installed

demo: $(VENV)/.demo-installed
	$(BIN)/eschool demo

test: $(VENV)/.test-installed lint typecheck pytest

lint: $(VENV)/.test-installed
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/lint-imports

typecheck: $(VENV)/.test-installed
	$(BIN)/mypy --strict src tests benchmarks

# One worker per core; each test file runs on one worker, so its module fixtures are built once.
pytest: $(VENV)/.test-installed
	$(BIN)/python -m pytest -n auto --dist loadfile

bench: $(VENV)/.test-installed
	$(BIN)/python -m pytest benchmarks -o python_files='bench_*.py' --benchmark-enable \
		--benchmark-columns=min,median,max,rounds -p no:cacheprovider

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache .hypothesis
