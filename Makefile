# Deep Dive: `make demo` runs the platform, `make test` runs every test, `make check` the
# everyday part of them (lint, then the tests on SQLite without the browser and reliability tests).
VENV  := .venv
STAMP := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: demo test check install lint format messages clean

$(STAMP): requirements.lock pyproject.toml
	scripts/bootstrap
	rm -f $(VENV)/.installed-*
	touch $@

# The compiled catalogues follow the .po files (a pull that changes only a translation).
MO := $(patsubst %.po,%.mo,$(wildcard src/deepdive/locale/*/LC_MESSAGES/*.po))
$(MO): %.mo: %.po | $(STAMP)
	$(VENV)/bin/python scripts/compile_messages.py

install: $(STAMP) $(MO)

demo: install
	$(VENV)/bin/deepdive demo

test: install
	scripts/bootstrap --test-system
	scripts/test

check: install
	scripts/test --quick

lint: install
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/ruff format --check src tests bench
	$(VENV)/bin/mypy

format: install
	$(VENV)/bin/ruff format src tests bench
	$(VENV)/bin/ruff check --fix src tests bench

# Refresh the French and Spanish catalogues from the code (needs Debian's gettext).
messages: install
	cd src/deepdive && ../../$(VENV)/bin/deepdive makemessages -l fr -l es --no-obsolete --add-location file
	cd src/deepdive && ../../$(VENV)/bin/deepdive makemessages -d djangojs -l fr -l es --no-obsolete --add-location file

clean:
	rm -rf $(VENV) var/static
