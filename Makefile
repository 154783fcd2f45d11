# Build and test the dataset. On a fresh machine only python3 and make are needed:
# every target that runs Python first creates .venv and installs the pinned dependencies.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-editable-$(shell sha256sum requirements.lock 2>/dev/null | cut -c1-12)
SOURCE ?= raw/wg-som-recommendations-2012-2018.ru.md
OUT    ?= output
DIST   ?= dist
PORT   ?=
# The dataset's version lives in schemas/package.json only; release names are read from it.
RELEASE := $(shell PYTHONPATH=. $(PYTHON) -m pipeline version)
ZIP    ?= $(DIST)/$(RELEASE).zip
PIP    := $(PY) -m pip --disable-pip-version-check --no-input -q

.DEFAULT_GOAL := help
.PHONY: help venv dataset test test-fast browser fonts fixtures release verify-release diff serve benchmark docs lock clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-15s %s\n", $$1, $$2}'

venv: $(STAMP) ## Create .venv with the pinned dependencies and the project installed editable

# The stamp is named after the lock's hash, so a changed lock makes a new stamp; its file time does not matter
# (a fresh checkout may give the lock a newer time than an environment already built from the same lock).
$(STAMP):
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -r requirements.lock
	$(PIP) install --no-deps -e .
	touch $@

dataset: $(OUT)/datapackage.json ## Build output/ from the source (SOURCE=… OUT=… to override)

$(OUT)/datapackage.json: $(STAMP) $(SOURCE) $(wildcard $(SOURCE).source.json) $(shell find pipeline -name "*.py" -o -name "*.html" -o -name "*.md" -o -name "*.cff" -o -name "*.txt") $(wildcard schemas/*.json) $(wildcard rules/*.csv)
	$(PY) -m pipeline build --source $(SOURCE) --out $(OUT)

test: $(STAMP) browser fonts ## Run the whole test suite (installs Chromium and fonts first when missing and run as root)
	$(PY) -m pytest

test-fast: $(STAMP) ## Run the tests not marked slow (no servers, browsers, processes or PDFs): the edit loop
	$(PY) -m pytest -m "not slow"

# The browser test drives headless Chromium from Debian's packages. Installing them needs root (as on CI); without
# root and without Chromium the browser test is skipped, except on CI, where it fails.
browser: ## Install chromium and chromium-driver from Debian's packages if they are missing
	@if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "installing chromium and chromium-driver from Debian's packages"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; \
	else echo "note: chromium or chromedriver is missing and installing them needs root and apt-get" >&2; fi

# The PDF fixtures in a Times-metric serif use Liberation Serif from Debian's fonts-liberation, installed the same way;
# without it their tests are skipped, except on CI, where they fail.
fonts: ## Install Liberation Serif (fonts-liberation) from Debian's packages if it is missing
	@if [ -f /usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf ] || \
	    [ -f /usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "installing fonts-liberation from Debian's packages"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-liberation >/dev/null; \
	else echo "note: Liberation Serif is missing and installing fonts-liberation needs root and apt-get" >&2; fi

# The Word and LibreOffice PDF fixtures are committed, so the tests need no LibreOffice; regenerating them does.
fixtures: $(STAMP) ## Regenerate tests/data/libreoffice/ (Word fixture and its PDFs; needs LibreOffice and hyphen-ru)
	@command -v soffice >/dev/null 2>&1 || { echo "error: soffice not found; install Debian's libreoffice-writer-nogui and hyphen-ru (apt-get install -y libreoffice-writer-nogui hyphen-ru)" >&2; exit 2; }
	$(PY) -m tests.fixtures.word --out tests/data/libreoffice

release: $(OUT)/datapackage.json ## Build dist/<name>-<version>/ and its zip from output/ (PREVIOUS=zip: diff in changelog)
	$(PY) -m pipeline release --package $(OUT) --dist $(DIST) $(if $(PREVIOUS),--previous $(PREVIOUS))

verify-release: $(STAMP) $(if $(filter command line,$(origin ZIP)),,release) ## Check the release zip (ZIP=… for another)
	$(PY) -m pipeline verify-release $(ZIP)

diff: $(if $(NEW),$(STAMP),$(OUT)/datapackage.json) ## Print what changed between two editions (OLD=… NEW=…, NEW defaults to output/)
	$(if $(OLD),,$(error OLD=… is required: the earlier release zip, package folder or datapackage.json))
	$(PY) -m pipeline diff $(OLD) $(or $(NEW),$(OUT))

# Rebuilds output/ first when it is out of date; the command itself rebuilds it when the database is missing or
# altered, and refuses a taken port in one line.
serve: $(OUT)/datapackage.json ## Search and browse the SQLite database with Datasette on 127.0.0.1 (PORT=… for another port)
	$(PY) -m pipeline serve --package $(OUT) $(if $(PORT),--port $(PORT)) --source $(SOURCE)

benchmark: $(STAMP) ## Time a full build against importing its libraries, where its time goes, the 10x and 40x editions, PDF extraction, Word builds
	$(PY) -m pipeline.tools.benchmark
	$(PY) -m pipeline.tools.benchmark --pdf
	$(PY) -m pipeline.tools.benchmark --word

docs: $(OUT)/datapackage.json ## Regenerate the generated sections of README.md and docs/, and the docs/ figure
	$(PY) -m pipeline docs

lock: ## Re-pin requirements.lock from the dependencies in pyproject.toml
	rm -rf .lock-venv
	$(PYTHON) -m venv .lock-venv
	$(PYTHON) -c 'import tomllib; p = tomllib.load(open("pyproject.toml", "rb"))["project"]; print("\n".join(p["dependencies"] + sum(p["optional-dependencies"].values(), [])))' > .lock-venv/requirements.in
	.lock-venv/bin/pip install --disable-pip-version-check -q -r .lock-venv/requirements.in
	{ echo "# Every package the build and the tests install, pinned so a fresh machine builds the same bytes."; \
	  echo "# Regenerate with \`make lock\` after changing the dependencies in pyproject.toml."; \
	  .lock-venv/bin/pip freeze --exclude-editable; } > requirements.lock
	rm -rf .lock-venv

clean: ## Remove .venv, dist/ and caches (output/ is committed and kept)
	rm -rf $(VENV) $(DIST) .pytest_cache .hypothesis .lock-venv
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
