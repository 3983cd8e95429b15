# Bootstrap only: create .venv, install pinned dependencies, then hand over to invoke.
# Two commands do everything on a fresh machine:  make serve  and  make test.

VENV    := .venv
PY      := $(VENV)/bin/python
INVOKE  := $(VENV)/bin/invoke
CHROMIUM ?= /usr/bin/chromium

.PHONY: serve test install install-dev chromium clean

# Builds, serves on http://127.0.0.1:8000 and rebuilds on every change; open pages reload by themselves.
serve: install
	$(INVOKE) serve --watch

test: install-dev chromium
	$(INVOKE) test

$(PY):
	python3 -m venv $(VENV)

$(VENV)/.installed: requirements.txt constraints.txt package.json package-lock.json | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt $(VENV)/.installed
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

# Browser tests need Debian's Chromium (Playwright's own download does not work here).
chromium:
	@if [ -x "$(CHROMIUM)" ]; then exit 0; fi; \
	if [ "$$(id -u)" = "0" ]; then \
		echo "Installing Debian's chromium for the browser tests..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else \
		echo "Chromium is missing: run 'sudo apt-get install -y chromium', then make test again." >&2; exit 1; \
	fi

clean:
	rm -rf output output-offline .output.cache dist .pytest_cache
