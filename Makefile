# Bootstrap only: create .venv, install pinned dependencies, then hand over to invoke.
# Two commands do everything on a fresh machine:  make serve  and  make test.

VENV    := .venv
PY      := $(VENV)/bin/python
INVOKE  := $(VENV)/bin/invoke
CHROMIUM ?= /usr/bin/chromium
HEADLESS_SHELL := /usr/bin/chromium-headless-shell

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

# Browser tests need Debian's Chromium (Playwright's own download does not work here). They drive its
# headless shell, the same engine with less CPU, and fall back to chromium when the shell cannot be had.
chromium:
	@if [ -x "$(CHROMIUM)" ] && [ -x "$(HEADLESS_SHELL)" ]; then exit 0; fi; \
	if [ "$$(id -u)" != "0" ]; then \
		if [ -x "$(CHROMIUM)" ]; then echo "Tip: 'sudo apt-get install -y chromium-headless-shell' makes the browser tests lighter." >&2; exit 0; fi; \
		echo "Chromium is missing: run 'sudo apt-get install -y chromium chromium-headless-shell', then make test again." >&2; exit 1; \
	fi; \
	echo "Installing Debian's chromium and chromium-headless-shell for the browser tests..."; \
	if apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-headless-shell >/dev/null; then exit 0; fi; \
	if [ -x "$(CHROMIUM)" ]; then echo "chromium-headless-shell could not be installed: the tests use chromium." >&2; exit 0; fi; \
	exit 1

clean:
	rm -rf output output-offline .output.cache dist .pytest_cache
