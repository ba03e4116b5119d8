# Prep — the two commands that matter are `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# Two installs: the site's own dependencies (make demo, make serve) and, on top, the dev
# extras the tests, lint and benchmarks need (Playwright, locust, hypothesis, ruff...).
RUNTIME_STAMP := $(VENV)/.runtime-stamp
STAMP := $(VENV)/.installed-stamp
PYTEST_ARGS ?=
XDIST ?= -n 2

# The local demo and the tests run with DEBUG off over plain HTTP on loopback.
# Links in emails and calendar feeds follow PORT unless SITE_URL is set.
DEMO_ENV := PREP_PLAIN_HTTP=1 SECRET_KEY=$${SECRET_KEY:-prep-local-demo-key-not-for-production} SITE_URL=$${SITE_URL:-http://127.0.0.1:$(PORT)}
TEST_ENV := PREP_PLAIN_HTTP=1 SECRET_KEY=prep-test-key DJANGO_ALLOW_ASYNC_UNSAFE=true

# Without DATABASE_URL the suite runs on SQLite and deselects (by marker) the tests
# that only make sense on PostgreSQL, with Redis or with a real Celery worker.
ifeq ($(strip $(DATABASE_URL)),)
MARKERS := -m "not postgres and not worker and not redis"
else
MARKERS :=
endif

# make demo times itself from here (before installing) to its first page.
ifneq ($(filter demo,$(MAKECMDGOALS)),)
DEMO_STARTED := $(shell $(PYTHON) -c 'import time; print(time.time())')
endif

.PHONY: install install-runtime demo serve test test-fast lint format bench check-deploy clean

# The runtime needs pyproject's dependencies only (manage.py runs from the checkout), so no
# build of the project itself; modules are compiled on first import rather than all upfront.
$(RUNTIME_STAMP): pyproject.toml requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -c "import tomllib; print(*tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies'], sep='\n')" > $(VENV)/runtime-requirements.txt
	$(PY) -m pip install -q --no-compile -c requirements.lock -r $(VENV)/runtime-requirements.txt
	touch $(RUNTIME_STAMP)

$(STAMP): pyproject.toml requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -c requirements.lock -e '.[dev]'
	touch $(STAMP) $(RUNTIME_STAMP)

install-runtime: $(RUNTIME_STAMP)

install: $(STAMP)

# migrate, load_content, seed_demo --small and runserver, in one process (tooling/demo/serve.py)
demo: install-runtime
	$(DEMO_ENV) $(PY) -m tooling.demo.serve --port $(PORT) --started $(DEMO_STARTED)

serve: install-runtime
	$(DEMO_ENV) $(PY) manage.py runserver 127.0.0.1:$(PORT)

test: install
	$(TEST_ENV) $(PY) -m pytest $(XDIST) $(MARKERS) $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

check-deploy: install
	DEBUG=0 SECRET_KEY=$$($(PY) -c "import secrets; print(secrets.token_urlsafe(50))") \
	ALLOWED_HOSTS=prep.example.com $(PY) manage.py check --deploy --fail-level WARNING

bench: install
	PREP_PLAIN_HTTP=1 SECRET_KEY=prep-bench-key $(PY) -m tooling.bench

clean:
	rm -rf $(VENV) prep.sqlite3 staticfiles .pytest_cache
