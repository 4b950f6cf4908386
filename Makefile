# hrkg: two commands on a fresh machine.  `make demo` and `make test` install everything first.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed
STORE  ?= hrkg-data/demo

# Debian packages the tests need: a real browser for the web page, a real external triple store.
DEBIAN_PACKAGES = chromium virtuoso-opensource
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: install system-deps demo test lint clean

system-deps:
	@missing=$$(for p in $(DEBIAN_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  if command -v apt-get >/dev/null; then \
	    echo "installing Debian packages: $$missing"; \
	    $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	  else echo "apt-get not found: install $$missing yourself (the browser and Virtuoso tests will say they are skipped)"; fi; \
	fi

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/hrkg demo --store $(STORE)

test: $(STAMP) system-deps
	$(BIN)/ruff check kg tests benchmarks
	$(BIN)/python -m pytest --nbmake --nbmake-timeout=600 tests kg notebooks

lint: $(STAMP)
	$(BIN)/ruff check kg tests benchmarks
	$(BIN)/ruff format --check kg tests benchmarks

clean:
	rm -rf $(VENV) hrkg-data .pytest_cache
