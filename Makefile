# `make demo` and `make test` are the whole set-up on a fresh clone.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

BENCH_STAMP := $(VENV)/.installed-bench
# Python 3.11's ensurepip brings pip 23.2, whose resolver fails on requirements-bench.txt
# ("Candidate is not for this requirement lxml[html-clean,html-clean]"): every venv gets this one.
PIP_VERSION := 25.3

# pywb (replay tests; the web-archive stand-in) in its own venv: its pins clash with ours.
PYWB_STAMP := .venv-pywb/.installed

.PHONY: demo demo-recover test accuracy bench fixtures gazetteer clean check-bench-install pywb

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "need $(PYTHON) (set PYTHON=...)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip==$(PIP_VERSION)

# Reinstall only when the pinned requirements change.
$(STAMP): requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/scrapy demo

# A vanished mirror site recovered from a web archive on loopback (pywb), both sources (docs/recover.md).
demo-recover: $(STAMP) $(PYWB_STAMP)
	$(BIN)/python -m mirror.demo_recover

test: $(STAMP) $(PYWB_STAMP)
	$(BIN)/python -m pytest -q -rs --durations=25

# Built once, rebuilt when requirements-pywb.txt changes (mirror/pywb.py checks the same stamp).
$(PYWB_STAMP): requirements-pywb.txt $(STAMP)
	$(BIN)/python -c "from mirror.pywb import ensure_venv; ensure_venv()"

pywb: $(PYWB_STAMP)

$(BENCH_STAMP): requirements-bench.txt $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip==$(PIP_VERSION)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-bench.txt
	touch $(BENCH_STAMP)

# CI: the bench requirements resolve and install with the venv's pip (a dry run: nothing installed).
check-bench-install: $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip==$(PIP_VERSION)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --dry-run -r requirements-bench.txt

# Accuracy on the gold set, side by side with trafilatura (not part of `make test`).
accuracy: $(BENCH_STAMP)
	$(BIN)/python benchmarks/accuracy.py

# Performance vs the peers: throughput, extraction cost, memory at scale, re-run cost
# (docs/benchmarks.md; not part of `make test`; ~20 minutes; nginx from Debian's packages).
bench: $(BENCH_STAMP)
	$(BIN)/python benchmarks/bench.py

# Re-capture the fixture pages from the mirror, then add the gold-set variants.
fixtures: $(STAMP)
	$(BIN)/python -m mirror.capture
	$(BIN)/python -m mirror.gold

# Rebuild wardcrawl/places/data/ from vietnamadminunits (tooling only; not a runtime dependency).
gazetteer: $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -r requirements-gazetteer.txt
	$(BIN)/python -m wardcrawl.places.regenerate

clean:
	rm -rf $(VENV) .venv-pywb .pytest_cache .hypothesis test-artifacts
