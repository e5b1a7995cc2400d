# vestnik: two commands on a fresh machine — `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
DEMO_DATA ?= .demo-data
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: demo test lint typecheck pytest bench install system-deps clean

$(VENV)/.stamp-base: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.stamp-dev: pyproject.toml $(VENV)/.stamp-base
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

$(VENV)/.stamp-bench: pyproject.toml $(VENV)/.stamp-dev
	$(PY) -m pip install --quiet -e '.[dev,bench]'
	touch $@

install: $(VENV)/.stamp-base

# Debian packages the tests need, as COMMAND:PACKAGE pairs (a command name or an absolute path):
# chromium for the end-to-end UI test (no browser download), openssl for the TLS test, PostgreSQL 15
# for the store tests (tests/_pg.py starts a throwaway server of its own; no service is enabled),
# catdoc for legacy .doc attachments; the DejaVu fonts (below) for regenerating the demo PDFs.
SYSTEM_DEPS := chromium:chromium openssl:openssl /usr/lib/postgresql/15/bin/initdb:postgresql \
	catdoc:catdoc

system-deps:
	@missing=""; for pair in $(SYSTEM_DEPS); do cmd="$${pair%%:*}"; pkg="$${pair#*:}"; \
		command -v "$$cmd" >/dev/null 2>&1 || missing="$$missing $$pkg"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing Debian packages:$$missing"; \
		$(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi
	@if [ ! -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ]; then \
		echo "installing Debian fonts-dejavu-core (the demo PDFs' font)"; \
		$(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-dejavu-core >/dev/null; \
	fi

demo: $(VENV)/.stamp-base
	$(VENV)/bin/vestnik demo --data $(DEMO_DATA)

lint: $(VENV)/.stamp-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: $(VENV)/.stamp-dev
	$(VENV)/bin/mypy

pytest: $(VENV)/.stamp-dev system-deps
	$(VENV)/bin/pytest

test: lint typecheck pytest

bench: $(VENV)/.stamp-bench
	$(PY) bench/run_all.py

clean:
	rm -rf $(VENV) $(DEMO_DATA) .pytest_cache .mypy_cache .ruff_cache
