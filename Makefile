# The two commands of the README: `make demo` and `make test`.
VENV := .venv/bin
EXAMPLE := examples/ceasefire-talks.txt

.PHONY: setup setup-test demo test lint lock serve

setup:
	scripts/setup.sh

setup-test:
	scripts/setup.sh test

## Install everything, extract the bundled sample article and store the examples in ./newsgraph.db
demo: setup
	$(VENV)/newsgraph extract $(EXAMPLE) --format table
	$(VENV)/newsgraph ingest examples/
	$(VENV)/newsgraph events --format table

## Install the test dependencies, start a throwaway PostgreSQL, lint and run the whole suite
test: setup-test
	scripts/run-tests.sh

lint:
	$(VENV)/ruff check src tests benchmarks training

serve: setup
	$(VENV)/newsgraph serve

## Re-pin the Python dependencies (needs the package registry)
lock:
	scripts/lock.sh
