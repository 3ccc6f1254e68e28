# CM Planner — the README's two commands are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
ARGS ?=
# Python keeps its compiled modules (__pycache__, git-ignored) even where the environment says
# not to: every test's and every bench's child process would otherwise compile the whole app
# again (a third of the suite's time), and an installed app has its bytecode too.
unexport PYTHONDONTWRITEBYTECODE

.PHONY: venv run test lint typecheck pytest bench translations lock clean

$(STAMP): pyproject.toml requirements/constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements/constraints.txt -e ".[dev]"
	touch $(STAMP)

venv: $(STAMP)

run: $(STAMP)
	$(BIN)/cmplanner $(ARGS)

test: $(STAMP) lint typecheck pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/pytest -q -n auto --dist loadfile

bench: $(STAMP)
	$(BIN)/python bench/startup.py
	QT_QPA_PLATFORM=offscreen $(BIN)/python bench/contacts.py
	$(BIN)/python bench/events.py
	QT_QPA_PLATFORM=offscreen $(BIN)/python bench/gui_stall.py
	$(BIN)/python bench/ics.py
	$(BIN)/python bench/documents.py
	$(BIN)/python bench/dashboard.py

# Re-extract the messages, merge them into the French catalog, compile it.
translations: $(STAMP)
	$(BIN)/pybabel extract --no-location --sort-output --project="CM Planner" \
		-k N_ -k NP_:1c,2 -o resources/locale/cmplanner.pot cmplanner ui
	$(BIN)/pybabel update --no-fuzzy-matching -i resources/locale/cmplanner.pot \
		-d resources/locale -D cmplanner -l fr
	$(BIN)/pybabel compile -d resources/locale -D cmplanner -l fr

lock:
	@echo "# Pinned versions for \`make run\` / \`make test\` (regenerate with \`make lock\`)." > requirements/constraints.txt
	$(BIN)/python -m pip freeze --exclude-editable | grep -v "^-e" >> requirements/constraints.txt

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache build *.egg-info
