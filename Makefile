# udvej: two commands set everything up on a new machine.
#   make run    set up, train the model if there is none, start udvej
#   make test   set up, then run the whole test suite
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test setup train eval bench

setup:
	@tools/bootstrap

run: setup
	$(BIN)/udvej run

test: setup
	@tools/test-deps
	$(BIN)/python -m pytest

train: setup
	$(BIN)/udvej train

eval: setup
	$(BIN)/udvej eval

bench: setup
	$(BIN)/udvej bench screen
