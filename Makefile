# The README's two commands: `make` sets up and builds every leaflet; `make test` sets up and tests.
# For developers: `make test-fast` (no PDF, no browser: under a minute), `make lint`, `make format`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
APT_PACKAGES := poppler-utils qpdf ghostscript gettext libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core libgs-common chromium chromium-driver nginx openssl

# The studio's script keeps one style: Prettier, pinned in devtools/js/package-lock.json, with
# axe-core, which the browser tests inject into the studio (tests/studio/test_axe.py).
JS := leaflets/studio/static/*.js
PRETTIER := devtools/js/node_modules/.bin/prettier
JS_MODULES := devtools/js/node_modules/.package-lock.json

.PHONY: studio-messages all setup system-deps node build test test-fast fuzz stress lint format bench bench-studio bench-team bench-orders clean

all: build

# System libraries: WeasyPrint's Pango, the fast HarfBuzz subsetter, and the PDF tools the tests use.
system-deps:
	@if command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
	  missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	  if [ -n "$$missing" ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; fi; \
	else echo "note: not root or no apt-get; install these yourself if missing: $(APT_PACKAGES)"; fi

$(BIN)/leaflets: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	@touch $@

setup: system-deps $(BIN)/leaflets

build: setup
	$(BIN)/leaflets build

# Two pytest-xdist workers, for the two cores CI has (not `-n auto`: a container may report
# the host's cores); a test file stays on one worker, so its module fixtures render once.
TEST_WORKERS ?= 2
test: setup $(JS_MODULES)
	$(BIN)/python -m pytest -q -n $(TEST_WORKERS) --dist loadfile

# Every test that renders no PDF and drives no browser (markers in pyproject.toml; tests/conftest.py
# applies them and refuses WeasyPrint, pdfium and Chromium in this run).
test-fast: setup
	$(BIN)/python -m pytest -q -m "not pdf and not browser"

# The property tests with many more examples (tests/conftest.py's "fuzz" profile): minutes, not
# seconds, so `make test` keeps the short profile.
FUZZ_TESTS := tests/pipeline/test_contact_invariant.py tests/pipeline/test_property.py tests/i18n/checks/test_contact_rules.py tests/studio/test_api_fuzz.py
fuzz: setup
	HYPOTHESIS_PROFILE=fuzz $(BIN)/python -m pytest -q --hypothesis-show-statistics $(FUZZ_TESTS)

# Timing- and signal-dependent tests, many times over, beside two busy loops that keep both
# cores loaded: a race or a lost signal that `make test` meets once in a hundred runs shows here.
STRESS_RUNS ?= 50
stress: setup
	@sh -c 'while :; do :; done' & one=$$!; sh -c 'while :; do :; done' & two=$$!; \
	trap "kill $$one $$two" EXIT; \
	LEAFLETS_RACE_RUNS=$(STRESS_RUNS) $(BIN)/python -m pytest -q -p no:cacheprovider \
		tests/i18n/commands/test_save_race.py && \
	for i in $$(seq $(STRESS_RUNS)); do \
		$(BIN)/python -m pytest -q -p no:cacheprovider --basetemp=/tmp/leaflets-stress \
			tests/studio/test_server.py \
			-k "ctrl_c_stops or other_than_loopback or right_after_the_first_line" \
			|| exit 1; \
	done

# The studio's own interface (the gettext domain `studio`): extract its pages' and scripts' words
# with Babel into leaflets/studio/locale/studio.pot and merge them into the es and ht catalogs.
studio-messages: setup
	$(BIN)/python devtools/studio_messages.py

lint: setup $(JS_MODULES)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(PRETTIER) --check $(JS)

format: setup $(JS_MODULES)
	$(BIN)/ruff format .
	$(PRETTIER) --write $(JS)

# Node.js and npm for Prettier: Debian's, where the machine has no npm of its own.
node:
	@if command -v npm >/dev/null 2>&1; then :; \
	elif command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm; \
	else echo "install Node.js and npm to check the studio's script" >&2; exit 1; fi

# npm ci writes node_modules/.package-lock.json last: a newer lock file installs again.
$(JS_MODULES): devtools/js/package-lock.json
	@$(MAKE) --no-print-directory node
	cd devtools/js && npm ci --no-audit --no-fund
	@touch $@

bench: setup
	$(BIN)/python benchmarks/bench_build.py

# The review studio: 10 edits, from a saved .po to a changed page image (card and tri-fold).
bench-studio: setup
	$(BIN)/python benchmarks/bench_studio.py

# Ten reviewers of one language save and approve at once: answer times, and from a save to the
# event on every open page and to the card rendered again (issue 20).
bench-team: setup
	$(BIN)/python benchmarks/bench_team.py

# The order form's check and preview of a 10-item order, on each change (target about 50 ms).
bench-orders: setup
	$(BIN)/python benchmarks/bench_order_preview.py

clean:
	rm -rf out .pytest_cache
