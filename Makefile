# Build and test the dataset. On a fresh machine only python3 and make are needed:
# every target that runs Python first creates .venv and installs the pinned dependencies.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-$(shell sha256sum requirements.lock 2>/dev/null | cut -c1-12)
SOURCE ?= raw/wg-som-recommendations-2012-2018.ru.md
OUT    ?= output
PIP    := $(PY) -m pip --disable-pip-version-check --no-input -q

.DEFAULT_GOAL := help
.PHONY: help venv dataset test benchmark docs lock clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

venv: $(STAMP) ## Create .venv with the pinned dependencies

$(STAMP): requirements.lock
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -r requirements.lock
	touch $@

dataset: $(OUT)/datapackage.json ## Build output/ from the source (SOURCE=… OUT=… to override)

$(OUT)/datapackage.json: $(STAMP) $(SOURCE) $(wildcard $(SOURCE).source.json) $(wildcard pipeline/*.py) $(wildcard schemas/*.json)
	$(PY) -m pipeline build --source $(SOURCE) --out $(OUT)

test: $(STAMP) ## Run the whole test suite
	$(PY) -m pytest

benchmark: $(STAMP) ## Time each stage of the build, then the PDF extract stage against plain pdfplumber
	$(PY) -m pipeline.benchmark
	$(PY) -m pipeline.benchmark --pdf

docs: $(STAMP) ## Regenerate the README's data dictionary from schemas/
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

clean: ## Remove .venv and caches (output/ is committed and kept)
	rm -rf $(VENV) .pytest_cache .hypothesis .lock-venv
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
