# The two commands of the README: `make run` and `make test`.
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 5000
export FLASK_APP := app

.PHONY: run test install lint translations

run: install
	$(BIN)/flask db upgrade
	$(BIN)/flask demo seed
	$(BIN)/flask demo generate --profile small --if-empty
	$(BIN)/flask run --port $(PORT)

test: install
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy workflows notifications

# The English catalog, app/translations/en (the msgids are the Swedish text): extract every
# string from the code (babel.cfg), merge them into the .po, compile the .mo. Translate what is
# new or fuzzy in the .po, then run it again; tests/i18n/ fails until every string has English
# and the .mo matches the .po. The keywords are also in tests/i18n/catalog.py.
TRANSLATIONS := app/translations
translations: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -c Translators: \
		--add-location=file --sort-output -o $(TRANSLATIONS)/messages.pot .
	$(BIN)/pybabel update -i $(TRANSLATIONS)/messages.pot -d $(TRANSLATIONS) -l en \
		--init-missing --ignore-obsolete --ignore-pot-creation-date
	$(BIN)/pybabel compile --statistics -d $(TRANSLATIONS) -l en
	rm -f $(TRANSLATIONS)/messages.pot

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -d $(VENV) || python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@
