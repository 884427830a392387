# Luoshi: `make run` serves the app with its loops; `make test` runs every check.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
export LUOSHI_VAR_DIR ?= $(CURDIR)/var

.PHONY: run test bench install install-dev assets system-run-deps system-test-deps lint clean

$(VENV)/.runtime: requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	touch $@

$(VENV)/.dev: requirements-dev.lock $(VENV)/.runtime
	$(PY) -m pip install --quiet -r requirements-dev.lock
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.runtime node_modules/.installed
install-dev: $(VENV)/.dev node_modules/.installed
assets: node_modules/.installed

run: install system-run-deps
	mkdir -p var
	LUOSHI_DEMO=$${LUOSHI_DEMO-1} $(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput --verbosity 0
	LUOSHI_DEMO=$${LUOSHI_DEMO-1} $(PY) manage.py seed_demo --if-empty
	@echo ""
	@echo "落实 督查督办平台：http://127.0.0.1:8000/   （Ctrl+C 停止）"
	@echo ""
	LUOSHI_DEMO=$${LUOSHI_DEMO-1} $(PY) manage.py serve

system-run-deps:
	scripts/ensure_run_system_packages.sh

system-test-deps:
	scripts/ensure_test_system_packages.sh

test: install-dev system-test-deps
	scripts/test.sh

bench: install-dev system-test-deps
	scripts/bench.sh

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy luoshi conftest.py

clean:
	rm -rf $(VENV) node_modules var/static
