# The two commands a newcomer needs: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test bench lint install migrate demo

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall whenever the lock or the project metadata changes.
$(STAMP): $(BIN)/python requirements/dev.lock pyproject.toml
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements/dev.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e . 2>/dev/null || \
		$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

# The translation catalogs (locale/*/django.po) compiled to .mo in pure Python: no gettext needed.
install: $(STAMP)
	$(BIN)/python manage.py compile_catalogs

migrate: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py createcachetable

demo: migrate
	$(BIN)/python manage.py seed_demo

run: demo
	scripts/run-dev

# The identity providers the SSO tests sign in through (tests/sso: oidc-provider for OpenID Connect,
# samlify for SAML), installed from their lock. Without npm the SSO tests skip (or fail under
# REQUIRE_SERVICES=1), as for any missing service. SAML's xmlsec wheel needs no system library.
tests/sso/node_modules: tests/sso/package.json tests/sso/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --prefix tests/sso --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "npm not found: the SSO tests will not run"; fi

# axe-core, which the accessibility browser test (tests/browser/test_every_page.py) adds to pages.
tests/a11y/node_modules: tests/a11y/package.json tests/a11y/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --prefix tests/a11y --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "npm not found: the accessibility browser test will fail"; fi

# --dist worksteal: a worker that runs out of tests takes some of the other's instead of waiting
# for it (the browser and two-node tests run for tens of seconds each): 539 -> 477 s on 2 cores.
test: install tests/sso/node_modules tests/a11y/node_modules
	$(BIN)/python -m pytest -n $${PYTEST_WORKERS:-2} --dist worksteal $(PYTEST_ARGS)

bench: install
	$(BIN)/python -m benchmarks $(BENCH_ARGS)

# check_catalogs: the .po files hold exactly the strings the code marks (makemessages: GNU gettext),
# and --complete: every one translated, none fuzzy, in Spanish and French.
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python manage.py check_catalogs --complete
