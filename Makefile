# Two commands on a fresh machine: `make run` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
PORT   ?= 5000
CATALOGS := $(wildcard marketplace/translations/*/LC_MESSAGES/messages.po)
COMPILED := $(CATALOGS:.po=.mo)

.PHONY: setup run test migrate seed translations i18n-extract bench model clean

setup: $(STAMP) $(COMPILED)

# The CPU build of torch goes in first so sentence-transformers does not pull a CUDA build.
$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip setuptools wheel
	$(BIN)/python -m pip install --quiet torch==2.13.0
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test]'
	touch $(STAMP)

%.mo: %.po $(STAMP)
	$(BIN)/pybabel compile --statistics -i $< -o $@

translations: $(COMPILED)

migrate: setup
	$(BIN)/marketplace db upgrade

seed: migrate
	$(BIN)/marketplace seed --demo --if-empty
	$(BIN)/marketplace match rebuild --if-stale

run: seed
	@echo "Serving on http://127.0.0.1:$(PORT)  (SQLite in instance/, tasks in-process)"
	MATCHER_WARM=1 BASE_URL=$${BASE_URL:-http://127.0.0.1:$(PORT)} $(BIN)/marketplace run --host 127.0.0.1 --port $(PORT)

test: setup
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Re-extract translatable strings and merge them into the catalogs (then translate and commit).
i18n-extract: $(STAMP)
	$(BIN)/pybabel extract -F marketplace/babel.cfg -k _l -k lazy_gettext --sort-by-file \
	  --omit-header -o marketplace/translations/messages.pot .
	$(BIN)/pybabel update -i marketplace/translations/messages.pot -d marketplace/translations \
	  --no-fuzzy-matching --ignore-obsolete

# A verified offline copy of a known, more accurate model: make model MODEL=all-mpnet-base-v2
MODEL ?= all-mpnet-base-v2
model: setup
	$(BIN)/python -m matching.models fetch $(MODEL)

bench: setup
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[bench]"
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) build dist *.egg-info
	find marketplace/translations -name '*.mo' -delete
