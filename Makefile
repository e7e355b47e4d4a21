# The two set-up commands of the README are `make dev` and `make test`.
SWIFT ?= swift
CONFIG ?= debug
BIN = .build/$(CONFIG)/vaultctl

.PHONY: deps build release dev test lint format bench clean

deps:
	@scripts/install-deps.sh build

build: deps
	$(SWIFT) build -c $(CONFIG)

release:
	@scripts/install-deps.sh build
	$(SWIFT) build -c release

## Runs the service on its embedded default: SQLite in ./.vault-dev, initialised and unsealed.
dev: build
	$(BIN) server --dev

## Installs what the tests need, then runs the whole suite.
test:
	@scripts/install-deps.sh test
	$(SWIFT) build
	$(SWIFT) test

lint:
	$(SWIFT) format lint --strict --recursive Sources Tests Package.swift

format:
	$(SWIFT) format --in-place --recursive Sources Tests Package.swift

## Measures this service beside reference tools on the same machine; writes bench-results/.
bench:
	@scripts/install-deps.sh bench
	$(SWIFT) build -c release
	scripts/bench.sh

clean:
	rm -rf .build
