# The two entry points of the README. Each sets up what it needs on a fresh machine.
#   make run   – install, build the graph from data/ and serve it on http://127.0.0.1:5000
#   make test  – install everything the tests need (Python, chromium, Virtuoso, npm assets) and run them
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test setup setup-test browser services web-assets lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

setup: $(STAMP) web-assets

web-assets:
	@if [ -f web/package.json ]; then \
	  if [ ! -d web/node_modules ] || [ web/package-lock.json -nt web/node_modules ]; then \
	    cd web && npm ci --no-audit --no-fund --loglevel=error; \
	  fi; \
	fi

browser:
	@if [ ! -x /usr/bin/chromium ]; then \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	  || { echo "Could not install Debian's chromium (needs root and the Debian mirror)"; exit 1; }; \
	fi

# Services the tests start themselves: Virtuoso for the remote-store test (tests/test_remote_store.py).
services:
	@if ! command -v virtuoso-t >/dev/null 2>&1; then \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq virtuoso-opensource >/dev/null) \
	  || { echo "Could not install Debian's virtuoso-opensource (needs root and the Debian mirror)"; exit 1; }; \
	fi

run: setup
	$(BIN)/partnergraph build
	$(BIN)/partnergraph serve --host 127.0.0.1 --port 5000

test: setup browser services
	$(BIN)/ruff check src tests $(wildcard benchmarks)
	$(BIN)/pytest -n 2 --dist loadgroup -q

lint: $(STAMP)
	$(BIN)/ruff check src tests $(wildcard benchmarks)

clean:
	rm -rf $(VENV) var web/node_modules
