# Two commands set everything up on a fresh machine (python3, pip, make): `make serve`, `make test`.
PYTHON ?= python3
VENV   ?= .venv
PORT   ?= 8080
DATA_DIR ?= data
STAMP  := $(VENV)/.installed

.PHONY: serve test lint coverage bench clean fuzz

# The Sage 50 connector (source 1001's on-premise agent) is its own distribution; its tests run here too.
$(STAMP): pyproject.toml connector/pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[test]'
	$(VENV)/bin/pip install --quiet -e ./connector
	touch $(STAMP)

serve: $(STAMP)
	$(VENV)/bin/xero-gateway serve --port $(PORT) --data-dir $(DATA_DIR)

# pytest exits 5 when it collected no test: that is a failure here, never a pass.
# The shared-state tests also run on PostgreSQL and on Redis: tests/pg.py starts a throwaway cluster from Debian's
# server binaries, tests/redis_server.py a throwaway redis-server. Locally, without them, those cases skip with the
# reason; in CI (CI=true) they must run, so the recipe installs Debian's postgresql and redis-server packages first
# when their binaries are missing (and chromium with chromium-driver for the console's browser test). A temporary
# policy-rc.d keeps the packages from starting the system services.
PG_INITDB ?= /usr/lib/postgresql/*/bin/initdb
REDIS_SERVER ?= redis-server
XERO_NODE := tests/e2e/xero_node
# The console's browser test (tests/console/test_browser.py) drives Debian's Chromium through chromium-driver.
CHROMIUM ?= /usr/bin/chromium
CHROMEDRIVER ?= /usr/bin/chromedriver

# pytest-xdist runs the suite on PYTEST_WORKERS processes (CI's machine has 2 cores, and much of the suite waits on
# subprocesses and sockets). --dist loadfile keeps each test file on one worker: module-scoped stacks start once and
# a module's tests (the contract walk) keep their order. PYTEST_WORKERS=0 runs it in this process, as before.
PYTEST_WORKERS ?= 2

test: $(STAMP)
	$(VENV)/bin/ruff check .
	@if [ "$(CI)" = "true" ]; then \
	  pkgs=; \
	  ls $(PG_INITDB) >/dev/null 2>&1 || pkgs="$$pkgs postgresql"; \
	  command -v $(REDIS_SERVER) >/dev/null 2>&1 || pkgs="$$pkgs redis-server"; \
	  command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || pkgs="$$pkgs nodejs npm"; \
	  { [ -x $(CHROMIUM) ] && [ -x $(CHROMEDRIVER) ]; } || pkgs="$$pkgs chromium chromium-driver"; \
	  if [ -n "$$pkgs" ]; then \
	    echo "make test: CI without server binaries: installing Debian's$$pkgs" >&2; \
	    sudo=; [ "$$(id -u)" -eq 0 ] || sudo=sudo; \
	    policy=/usr/sbin/policy-rc.d; own_policy=; \
	    if [ ! -e $$policy ]; then \
	      printf '#!/bin/sh\nexit 101\n' | $$sudo tee $$policy >/dev/null && $$sudo chmod 755 $$policy && own_policy=1; \
	    fi; \
	    $$sudo apt-get update -qq && $$sudo env DEBIAN_FRONTEND=noninteractive \
	      apt-get install -y -qq --no-install-recommends $$pkgs >/dev/null; rc=$$?; \
	    if [ -n "$$own_policy" ]; then $$sudo rm -f $$policy; fi; \
	    if [ $$rc -ne 0 ]; then echo "make test: installing$$pkgs failed" >&2; exit $$rc; fi; \
	  fi; \
	fi
	@# the pinned xero-node of the SDK tests (tests/e2e/xero_node), installed once from its lock file
	@if command -v npm >/dev/null 2>&1 && [ ! -e $(XERO_NODE)/node_modules/xero-node/package.json ]; then \
	  npm ci --prefix $(XERO_NODE) --no-audit --no-fund --loglevel=error || exit 1; \
	fi
	$(VENV)/bin/python -m pytest -q -n $(PYTEST_WORKERS) --dist loadfile; rc=$$?; \
	  if [ $$rc -eq 5 ]; then echo "make test: no test ran" >&2; exit 1; fi; exit $$rc

# The long runs (a few minutes each), outside `make test`'s 20-minute budget: issue 11's spec fuzzing with 25
# requests per operation (about 5,900, fixed seed) and 5 SIGKILL rounds of keyed invoice writes on 1000, 1004 and
# 1009 (the last two through their emulators), and the benchmark's smoke run; `make test` runs 2 examples and 1 round.
fuzz: $(STAMP)
	FUZZ_EXAMPLES=25 CRASH_ROUNDS=5 BENCH_SMOKE=1 $(VENV)/bin/python -m pytest -q -s \
	  tests/runtime/test_spec_fuzz.py tests/runtime/test_crash_exactly_once.py \
	  tests/runtime/test_crash_exactly_once_upstream.py tests/test_bench_smoke.py

# The request-path benchmark (bench/request_path.py, about ten minutes): a table of the gateway beside its baselines.
# Options in BENCH_ARGS, e.g. BENCH_ARGS="--database-url postgresql+asyncpg://… --soak 100000".
bench: $(STAMP)
	$(VENV)/bin/python -m bench.request_path $(BENCH_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .

clean:
	rm -rf $(VENV) .pytest_cache
