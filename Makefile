# Two commands set everything up on a fresh machine (python3, pip, make): `make serve`, `make test`.
PYTHON ?= python3
VENV   ?= .venv
PORT   ?= 8080
DATA_DIR ?= data
STAMP  := $(VENV)/.installed

.PHONY: serve test lint coverage clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[test]'
	touch $(STAMP)

serve: $(STAMP)
	$(VENV)/bin/xero-gateway serve --port $(PORT) --data-dir $(DATA_DIR)

# pytest exits 5 when it collected no test: that is a failure here, never a pass.
test: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/python -m pytest -q; rc=$$?; \
	  if [ $$rc -eq 5 ]; then echo "make test: no test ran" >&2; exit 1; fi; exit $$rc

lint: $(STAMP)
	$(VENV)/bin/ruff check .

clean:
	rm -rf $(VENV) .pytest_cache
