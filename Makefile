# Two commands for a fresh machine: `make run` serves Declutter, `make test` runs every test.
# Both create .venv on first use; pip is upgraded first because pip 23 cannot resolve
# readability-lxml's lxml[html-clean] extra. `make run` installs only what serving needs; `make
# test` adds the test, bench (the tests run the benchmarks) and check extras, `make bench` the bench.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: run test check bench bench-load bench-instructions wrk valgrind extension browser browsers \
        firefox node-tools nginx newsboat epubcheck clean

# Serving: Declutter and its runtime dependencies, nothing else.
$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

# Developing: the same venv with the extras of pyproject.toml (reinstalled when it changes).
$(BIN)/.installed-test: $(BIN)/.installed
	$(BIN)/python -m pip install --quiet -e '.[test,bench,check]'
	touch $@

$(BIN)/.installed-bench: $(BIN)/.installed
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	touch $@

run: $(BIN)/.installed
	$(BIN)/declutter serve

# The checks first (quick, and a failure there names the line), then every test.
test: check browsers node-tools nginx newsboat epubcheck
	$(BIN)/python -m pytest

# Lint, format, types and the packages' import layers, with the versions the check extra pins.
check: $(BIN)/.installed-test
	$(BIN)/ruff check
	$(BIN)/ruff format --check
	$(BIN)/mypy
	$(BIN)/lint-imports

# The extension tests drive Debian's Chromium and Firefox ESR, with Node tools; install them when we
# can (root), fail clearly when we cannot.
browsers: browser firefox

browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver; \
	  else echo "make test needs Chromium: sudo apt-get install chromium" >&2; exit 1; fi; }

firefox:
	@command -v firefox-esr >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq firefox-esr; \
	  else echo "make test needs Firefox ESR: sudo apt-get install firefox-esr" >&2; exit 1; fi; }

# web-ext (lint) and puppeteer-core (drives Firefox), at the versions extension/package-lock.json
# pins; npm ci installs them again only when the lockfile changes.
node-tools: extension/node_modules/.package-lock.json

extension/node_modules/.package-lock.json: extension/package-lock.json
	@command -v npm >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm; \
	  else echo "make test needs Node and npm: sudo apt-get install nodejs npm" >&2; exit 1; fi; }
	npm ci --prefix extension --no-audit --no-fund --loglevel=error
	touch $@

# tests/test_epub.py checks every EPUB it makes with epubcheck, the reference validator (Java).
epubcheck:
	@test -e /usr/share/java/epubcheck.jar || command -v epubcheck >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq epubcheck; \
	  else echo "make test needs epubcheck: sudo apt-get install epubcheck" >&2; exit 1; fi; }

# tests/test_deploy.py runs deploy/nginx.conf in a real nginx; without one those two tests are skipped.
nginx:
	@command -v nginx >/dev/null 2>&1 || command -v /usr/sbin/nginx >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light; \
	  else echo "nginx is absent: its deploy tests will be skipped (sudo apt-get install nginx-light)" >&2; fi; }

# tests/test_newsboat.py subscribes Debian's newsboat (a real feed reader) to full-text feeds.
newsboat:
	@command -v newsboat >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq newsboat; \
	  else echo "make test needs newsboat: sudo apt-get install newsboat" >&2; exit 1; fi; }

# Every benchmark in one run: cache hits beside a trivial endpoint and misses under gunicorn, then,
# with DATASET=dir, extraction quality, speed and memory beside readability-lxml and trafilatura.
# BENCH_ARGS=--quick makes the wrk runs 10 s instead of 60 s.
bench: $(BIN)/.installed-bench wrk
	$(BIN)/python -m proxy.bench.load $(BENCH_ARGS) $(if $(DATASET),--dataset $(DATASET))

# Only the load benchmark (python -m proxy.bench.load --help for its options).
bench-load: $(BIN)/.installed-bench wrk
	$(BIN)/python -m proxy.bench.load $(BENCH_ARGS)

# Instructions per cache hit beside the trivial endpoint, counted by callgrind (a few minutes).
bench-instructions: $(BIN)/.installed-bench valgrind
	$(BIN)/python -m proxy.bench.load.instructions

valgrind:
	@command -v valgrind >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq valgrind; \
	  else echo "bench-instructions needs valgrind: sudo apt-get install valgrind" >&2; exit 1; fi; }

# The load generator, from Debian; installed when we can (root), named when we cannot.
wrk:
	@command -v wrk >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; \
	  else echo "the load benchmark needs wrk: sudo apt-get install wrk" >&2; exit 1; fi; }

# The browser extension for the stores: dist/declutter-chrome-<version>.zip and -firefox-, each with its folder.
extension:
	$(PYTHON) extension/build.py dist

clean:
	rm -rf $(VENV) build dist *.egg-info
