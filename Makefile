# Counterclaim: `make run` serves the demo on an embedded SQLite database; `make test` runs
# the whole suite. Both install what they need (uv, then the locked environment).

SHELL := /bin/bash
UV := python3 -m uv
MANAGE := $(UV) run --frozen python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help uv install run setup-demo test fuzz lint schema-check format bench soak eval

help:
	@echo "make run    serve the demo site on http://$(HOST):$(PORT) (embedded SQLite) and run the worker"
	@echo "make test   run the whole test suite (DATABASE_URL=postgres://... for PostgreSQL)"
	@echo "make lint   ruff lint and format check, and the OpenAPI schema check"
	@echo "make fuzz   schemathesis against every GET operation, 150 examples each"
	@echo "make bench  gunicorn on 127.0.0.1 against PostgreSQL (100,000 claims): one table"
	@echo "make soak   10 minutes of mixed load: errors and worker memory"
	@echo "make eval   claim matching's precision and recall on tests/data/ (a throwaway database)"

uv:
	@$(UV) --version >/dev/null 2>&1 || python3 -m pip install --quiet uv

install: uv
	$(UV) sync --frozen

# The local demo runs with DEBUG on, on the embedded database unless DATABASE_URL says other.
# Responses link to the address they were asked at; SITE_URL (links made without a request,
# by commands and tasks) follows HOST and PORT unless set.
run: export DEBUG ?= 1
run: export SITE_URL ?= http://$(HOST):$(PORT)
# The background worker (manage.py worker: link checks, imports, webhooks) runs beside the
# web server and stops with it: Ctrl-C stops the server, and the trap stops the worker (a
# non-interactive shell's background job does not get the terminal's Ctrl-C).
run: setup-demo
	@echo "Serving http://$(HOST):$(PORT)/ (SITE_URL=$$SITE_URL), with the background worker"
	@$(MANAGE) worker & worker=$$!; \
	trap 'kill -TERM $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	$(MANAGE) runserver $(HOST):$(PORT)

setup-demo: export DEBUG ?= 1
setup-demo: install
	$(MANAGE) migrate --noinput
	$(MANAGE) load_demo
	@# The local editor's well-known password is for the embedded database only.
	@case "$${DATABASE_URL:-sqlite:}" in \
	  sqlite:*) $(MANAGE) create_local_editor ;; \
	  *) echo "No local editor on $${DATABASE_URL%%:*}: create one with manage.py createsuperuser." ;; \
	esac

# Browser tests also need Debian's Chromium (apt-get install chromium) and axe-core from npm.
test: install node_modules/axe-core
	$(UV) run --frozen pytest

node_modules/axe-core: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

# The schema-driven property tests at full strength (the suite runs them with a few examples).
fuzz: install
	$(UV) run --frozen pytest tests/test_api_fuzz.py --hypothesis-profile=fuzz

lint: install schema-check
	$(UV) run --frozen ruff check .
	$(UV) run --frozen ruff format --check .

# The OpenAPI schema must generate with no warning (undocumented types, ambiguous paths).
schema-check: export DEBUG ?= 1
schema-check: install
	$(MANAGE) spectacular --validate --fail-on-warn --file /dev/null

format: install
	$(UV) run --frozen ruff format .
	$(UV) run --frozen ruff check --fix .

# Load tests on this machine only (127.0.0.1), against the PostgreSQL database
# counterclaim_bench (generated once, then reused) and Redis database 5. BENCH_ARGS passes
# options, e.g. BENCH_ARGS="--claims 1000000". See bench/run.py and docs/performance.md.
bench: install
	$(UV) run --frozen python bench/run.py $(BENCH_ARGS)

# Claim matching on the labelled pairs of tests/data/, in a throwaway database (in memory on
# SQLite; test_<name> with DATABASE_URL=postgres://...). See docs/performance.md.
eval: export DEBUG ?= 1
eval: install
	$(MANAGE) eval_matching $(EVAL_ARGS)

soak: install
	$(UV) run --frozen python bench/run.py --soak 600 $(BENCH_ARGS)
