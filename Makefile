# Bootstrap: `make html` builds the site, `make test` lints (ruff) and runs the
# whole test suite.
# Both create .venv from the pinned requirements when it is missing or stale.

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin

.PHONY: html test serve clean

$(BIN)/python:
	@$(PYTHON) -m venv $(VENV) || { \
	  echo "Could not create $(VENV). On Debian: apt-get install python3-venv"; \
	  rm -rf $(VENV); exit 1; }

$(VENV)/.requirements: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

$(VENV)/.requirements-test: requirements-test.txt requirements.txt $(VENV)/.requirements
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-test.txt
	@touch $@

html: $(VENV)/.requirements node_modules/.installed
	$(BIN)/invoke build

# The browser editor (Decap CMS, for `invoke serve --edit`) and the W3C Nu
# HTML Checker for the browser tests; without npm both are missing (and said).
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	  npm ci --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "npm not found (apt-get install npm): no browser editor, and the HTML validity test will be skipped"; fi

test: $(VENV)/.requirements-test node_modules/.installed
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

serve: $(VENV)/.requirements
	$(BIN)/invoke serve

clean:
	rm -rf output cache
