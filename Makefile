# LERA Desk — `make run` starts everything, `make test` checks everything.
SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
RASA_VENV := .venv-rasa
PY := $(VENV)/bin/python
RASA := $(RASA_VENV)/bin/rasa
export PYTHONPATH := $(CURDIR)
export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 3
export TF_ENABLE_ONEDNN_OPTS := 0
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
export PYTHONWARNINGS := ignore

# The model is named by a hash of the files it is trained from (bot/model_name.py): a trained
# model is reused while they are unchanged, also one trained from the admin pages.
MODEL_NAME = $(shell $(PYTHON) -m bot.model_name)
MODEL = models/$(MODEL_NAME).tar.gz

.PHONY: help install browser train run test test-stories test-unit lint validate eval bench bench-latency bench-escalation bench-notifications bench-blind bench-problems bench-swap clean

help:
	@echo "make run    install on first use, train if needed, start the assistant"
	@echo "make test   install, train if needed, run every check"
	@echo "make eval   intent accuracy on the Bitext set and the held-out split"
	@echo "make bench  latency, escalation accuracy and notification speed (real stack)"

# pip's notes about package indexes this machine does not have are not news for a newcomer
PIP_NOTES = 2>&1 | { grep -v '^WARNING: Location' || true; }

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --disable-pip-version-check --upgrade pip==24.2 $(PIP_NOTES)
	$(VENV)/bin/pip install -q --disable-pip-version-check -e '.[dev]' $(PIP_NOTES)
	touch $@

$(RASA_VENV)/.installed: requirements-rasa.lock
	$(PYTHON) -m venv $(RASA_VENV)
	$(RASA_VENV)/bin/pip install -q --disable-pip-version-check --upgrade pip==24.2 $(PIP_NOTES)
	$(RASA_VENV)/bin/pip install -q --disable-pip-version-check --no-deps --ignore-requires-python -r requirements-rasa.lock $(PIP_NOTES)
	touch $@

install: $(VENV)/.installed $(RASA_VENV)/.installed

# headless Chromium for the browser tests, from Debian's package (browsers that download
# themselves do not work here)
CHROMIUM := /usr/bin/chromium
$(CHROMIUM):
	@if [ "$$(id -u)" != 0 ]; then echo "The browser tests need Debian's chromium: sudo apt-get install chromium"; exit 1; fi
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null

browser: $(CHROMIUM)

# Rasa's own output (warnings about its pinned libraries, unused responses) goes to a log under
# results/; a step prints one line, and the log's end when it fails.
LOG = results/logs
quietly = mkdir -p $(LOG) && ( $(1) ) > $(LOG)/$(2).log 2>&1 || { tail -40 $(LOG)/$(2).log; echo "$(2) failed: $(LOG)/$(2).log"; exit 1; }

train: install
	@if [ -f $(MODEL) ]; then echo "model up to date: $(MODEL)"; else \
	  start=$$(date +%s); echo "training $(MODEL) (log: $(LOG)/train.log)"; \
	  $(call quietly,$(RASA) train --fixed-model-name $(MODEL_NAME) --out models --quiet,train) && \
	  test -f $(MODEL) && echo "training took $$(( $$(date +%s) - start )) s -> $(MODEL)"; fi

run: train
	$(PY) -m bot.run --model $(MODEL)

validate: install
	@$(call quietly,$(RASA) data validate --fail-on-warnings --quiet,validate) && echo "rasa data validate: no warnings"

test-stories: train
	@$(call quietly,$(RASA) test core --model $(MODEL) --stories tests/stories --fail-on-prediction-errors --out results/stories --quiet,stories) && \
	  echo "test stories: $$(grep -c '^- story:' tests/stories/*.yml | awk -F: '{n+=$$2} END {print n}') stories, all predicted as written"

test-unit: train browser
	LERA_MODEL=$(MODEL) $(PY) -m pytest -q

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

test: lint validate test-stories test-unit

eval: train
	$(RASA_VENV)/bin/python -m nlu.evaluate --model $(MODEL)

bench: bench-latency bench-escalation bench-notifications

bench-latency: train
	$(PY) -m bench.latency --model $(MODEL)

bench-escalation: train
	$(PY) -m bench.escalation --model $(MODEL) $(if $(CASES),--cases $(CASES))

# problem reading: lexicon, learned reader and their combination, cross-validated
bench-problems: install
	$(RASA_VENV)/bin/python -m bench.problems

# a blind evaluation set through the real stack; writes transcripts for a blind reviewer
bench-blind: train
	$(PY) -m bench.blind --model $(MODEL) --cases $(CASES) $(if $(OUT),--out $(OUT))

bench-notifications: train
	$(PY) -m bench.notifications --model $(MODEL)

# training from the admin pages: a one-example edit to "active", and the swap under load
# (FULL=1: also a model trained from zero)
bench-swap: train
	$(PY) -m bench.model_swap --model $(MODEL) $(if $(FULL),--full)

clean:
	rm -rf models results .cache .pytest_cache .mypy_cache .ruff_cache .hypothesis
