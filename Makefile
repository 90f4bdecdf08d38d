# The two commands of the README: `make run` and `make test`.
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 5000
export FLASK_APP := app

.PHONY: run test install lint translations lock

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
# and the .mo says what the .po says. The keywords are also in tests/i18n/catalog.py.
TRANSLATIONS := app/translations
translations: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -c Translators: \
		--add-location=file --sort-output -o $(TRANSLATIONS)/messages.pot .
	$(BIN)/pybabel update -i $(TRANSLATIONS)/messages.pot -d $(TRANSLATIONS) -l en \
		--init-missing --ignore-obsolete --ignore-pot-creation-date
	$(BIN)/pybabel compile --statistics -d $(TRANSLATIONS) -l en
	rm -f $(TRANSLATIONS)/messages.pot

# The install is the lock: exact versions with their hashes (requirements/app.txt for a
# production machine, requirements/dev.txt for development and CI), then the project itself
# without resolving anything more. The lock pins setuptools, so the project builds without
# reaching for an unpinned build backend.
install: $(VENV)/.installed

$(VENV)/.installed: requirements/dev.txt pyproject.toml
	test -d $(VENV) || python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes --no-deps -r requirements/dev.txt
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

# Refresh the lock after editing pyproject.toml's dependencies; pins that still satisfy it are
# kept. To move a package on: make lock LOCK_ARGS="--upgrade-package flask"; everything:
# make lock LOCK_ARGS=--upgrade. Commit the lock with the pyproject.toml change.
PIP_COMPILE := $(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
	--no-emit-index-url --no-emit-find-links $(LOCK_ARGS)
lock: install
	$(PIP_COMPILE) -o requirements/app.txt pyproject.toml
	$(PIP_COMPILE) --extra dev -c requirements/app.txt -o requirements/dev.txt pyproject.toml
