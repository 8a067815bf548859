# The archive's two commands are `make run` and `make test`; the rest help.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
# `make run` is development: DEBUG on, an SQLite file unless DATABASE_URL says otherwise.
RUN_ENV := DEBUG=1

.PHONY: run test install install-dev migrate demo editor backup restore lock lint format clean

run: install migrate demo ## Set up and serve the archive with demo content on http://127.0.0.1:8000
	$(RUN_ENV) $(MANAGE) runserver 127.0.0.1:8000

test: install-dev ## Set up and run the whole test suite
	$(BIN)/python -m pytest $(PYTEST_ARGS)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.lock | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.lock
	touch $@

$(VENV)/.installed-dev: requirements-dev.lock | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements-dev.lock
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

migrate: install
	$(RUN_ENV) $(MANAGE) migrate --noinput

demo: install ## Import (or refresh) the demo readouts, published
	$(RUN_ENV) $(MANAGE) load_demo

editor: install ## Create an editor account: make editor [ROLE=reviewer]
	$(RUN_ENV) $(MANAGE) add_editor --role $(or $(ROLE),editor)

backup: install ## Back up the database: make backup [OUTPUT=file]
	$(RUN_ENV) $(MANAGE) backup $(if $(OUTPUT),--output $(OUTPUT))

restore: install ## Replace the database with a backup: make restore FILE=backups/...
	$(RUN_ENV) $(MANAGE) restore $(FILE)

lock: install-dev ## Re-pin dependencies after changing pyproject.toml
	$(BIN)/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links --output-file requirements.lock pyproject.toml
	$(BIN)/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links --extra dev --output-file requirements-dev.lock pyproject.toml

lint: install-dev
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) staticfiles output

# Benchmarks (README, "Benchmarks"): a throwaway PostgreSQL database, gunicorn, wrk.
MEETINGS ?= 50000
DURATION ?= 30
BENCH_ADMIN_URL ?= postgres://postgres@127.0.0.1:5432/postgres
.PHONY: bench bench-import soak wrk

bench: install wrk ## Load-test production settings: make bench [MEETINGS=5000 DURATION=5]
	BENCH_ADMIN_URL=$(BENCH_ADMIN_URL) $(BIN)/python bench/run.py --meetings $(MEETINGS) --duration $(DURATION)

bench-import: install ## Import 1,000 readout text files into an empty database, in readouts/s
	BENCH_ADMIN_URL=$(BENCH_ADMIN_URL) $(BIN)/python bench/import_throughput.py

SOAK_MEETINGS ?= 2000
SOAK_DURATION ?= 60
soak: install wrk ## 64 clients on the public pages for a minute, not one error: make soak [SOAK_MEETINGS=2000 SOAK_DURATION=60]
	BENCH_ADMIN_URL=$(BENCH_ADMIN_URL) $(BIN)/python bench/soak.py --meetings $(SOAK_MEETINGS) --duration $(SOAK_DURATION)

wrk:
	@command -v wrk >/dev/null || { echo "Installing wrk (Debian package)"; \
		apt-get install -y wrk || sudo apt-get install -y wrk; }
