# Two commands do all the set-up on a fresh machine with Python >= 3.11, a JDK and Maven:
#   make run    install what is missing, start Kafka, the seven services and a demo dossier
#   make test   the whole suite: ruff, mypy, unit, integration (real Kafka, SQLite and
#               PostgreSQL) and end-to-end tests
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
export UV_PYTHON_DOWNLOADS := never
export UV_PYTHON ?= $(shell command -v $(PYTHON))
UV_BOOTSTRAP := .cache/uv-bootstrap
UV := $(shell command -v uv 2>/dev/null || echo $(UV_BOOTSTRAP)/bin/uv)
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: help install run stop status test lint typecheck pytest bench docs schemas postgres-install gateway-install chromium-install kafka deploy-tools

help:
	@echo "make run     start Kafka, the seven services and a demo dossier; Ctrl-C stops them (DETACH=1: leave them running)"
	@echo "make stop    stop what make run started (detached or not)"
	@echo "make test    lint, type-check and run every test (real Kafka, SQLite, PostgreSQL)"
	@echo "make bench   measure throughput, latency, cost per dossier, replay and more (~25 min)"
	@echo "make docs    regenerate the JSON Schemas, OpenAPI and AsyncAPI documents"

$(UV_BOOTSTRAP)/bin/uv:
	$(PYTHON) -m venv $(UV_BOOTSTRAP)
	$(UV_BOOTSTRAP)/bin/pip install --quiet --disable-pip-version-check uv

$(VENV)/.synced: uv.lock pyproject.toml $(wildcard services/*/pyproject.toml) contracts/pyproject.toml | $(UV)
	$(UV) sync --all-packages --frozen --quiet
	@touch $@

install: $(VENV)/.synced

kafka: install
	$(PY) deploy/kafka/kafkactl.py start
	$(PY) deploy/kafka/kafkactl.py topics

run: install gateway-install
	$(PY) deploy/devstack.py up $(if $(DETACH),--detach)

stop:
	$(PY) deploy/devstack.py down

# The benchmark of issues #8 and #12 on its own broker (port 28192) and services (28101+),
# cold-started for each of 3 runs under var/bench/: about 8 minutes a run at 300-500 dossiers/s;
# BENCH_QUICK=1 for a 2-3 minute smoke run. Prints a table and writes
# bench/results/latest.{json,md,png}. See bench/README.md.
bench: install
	$(PY) -m bench.run

# PostgreSQL is the production event store; its tests start a throw-away cluster from the
# Debian package's binaries.
postgres-install:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { \
	  echo "installing PostgreSQL from Debian's packages"; \
	  $(if $(filter 0,$(shell id -u)),,sudo) apt-get update -qq && \
	  $(if $(filter 0,$(shell id -u)),,sudo) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; }

# The gateway (one origin on port 8100: /api/<service>/ and the web pages) is Debian's nginx,
# started from the config deploy/gateway/gatewayctl.py renders (ADR 0019).
gateway-install:
	@test -x /usr/sbin/nginx || { \
	  echo "installing nginx from Debian's packages"; \
	  $(if $(filter 0,$(shell id -u)),,sudo) apt-get update -qq && \
	  $(if $(filter 0,$(shell id -u)),,sudo) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null; }

# The browser tests drive Debian's headless Chromium through Playwright (no browser download).
chromium-install:
	@test -x /usr/bin/chromium || { \
	  echo "installing Chromium from Debian's packages"; \
	  $(if $(filter 0,$(shell id -u)),,sudo) apt-get update -qq && \
	  $(if $(filter 0,$(shell id -u)),,sudo) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null; }

# deptry: every package imports only what it declares (configuration in each pyproject.toml).
PACKAGES := contracts $(wildcard services/*)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	@for package in $(PACKAGES); do \
	  (cd $$package && $(CURDIR)/$(VENV)/bin/deptry . --no-ansi) || exit 1; done

typecheck: install
	$(VENV)/bin/mypy

# tests/deploy validates the compose file and the Kubernetes manifests with no cluster: kustomize
# (built with Go from its module) and Strimzi's CRDs (generated from its Maven Central api jar,
# needs Java 21+) are cached in .cache/ on first use (~45 s). See deploy/k8s/tools.py.
deploy-tools: install
	$(PY) deploy/k8s/tools.py install

pytest: install postgres-install gateway-install chromium-install deploy-tools
	$(VENV)/bin/pytest

test: lint typecheck pytest

schemas: install
	$(PY) -c "from dvc_contracts.schemas import write_all; write_all()"

docs: schemas
	$(PY) -m dvc_testing.apidocs
	$(PY) -m dvc_processing.statedoc
