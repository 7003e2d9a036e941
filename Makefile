# The two commands: `make run` (demo app, zero setup) and `make test` (the whole suite, as CI runs it).
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
# pytest-xdist: one database per worker, each a copy of one template built per run (tests/db_template.py);
# 2 = the cores of the machines here.
PYTEST_WORKERS ?= 2
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run test install install-dev npm system-deps services lint typecheck pytest demo-db clean

$(VENV)/bin/activate:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip

install: $(VENV)/bin/activate npm
	$(PIP) install -q -e .

install-dev: $(VENV)/bin/activate npm
	$(PIP) install -q -e '.[dev]'

npm: package-lock.json
	@test -d node_modules/@utrecht/component-library-css || npm ci --no-audit --no-fund --loglevel=error

# Debian packages: Chromium for the browser tests, Pango/HarfBuzz and fonts for WeasyPrint PDFs.
system-deps:
	@bash scripts/system-deps.sh

demo-db: install
	mkdir -p var
	DJANGO_SETTINGS_MODULE=config.settings.local $(PY) manage.py migrate --noinput -v0
	DJANGO_SETTINGS_MODULE=config.settings.local $(PY) manage.py load_reference_data
	DJANGO_SETTINGS_MODULE=config.settings.local $(PY) manage.py seed_demo

run: demo-db
	DJANGO_SETTINGS_MODULE=config.settings.local $(PY) manage.py runserver 127.0.0.1:8000

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

typecheck: install-dev
	$(VENV)/bin/mypy .

pytest: install-dev system-deps
	$(PY) -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

test: install-dev system-deps
	bash scripts/services.sh
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	@# mypy runs beside pytest: while pytest's controller builds the test database template (a minute on one
	@# core, before the workers start) the other core is free. Both must pass; mypy's report follows pytest's.
	@mkdir -p var; $(VENV)/bin/mypy . > var/mypy.out 2>&1 & mypy_pid=$$!; \
	$(PY) -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS); pytest_rc=$$?; \
	wait $$mypy_pid; mypy_rc=$$?; echo "mypy:"; cat var/mypy.out; \
	test $$pytest_rc -eq 0 && test $$mypy_rc -eq 0

clean:
	rm -rf $(VENV) node_modules var staticfiles
