# Ballast: the two README commands (`make demo`, `make test`), plus `make bench`, `make fuzz` and `make soak`.
# Each installs what is missing first (scripts/install-deps.sh), so a fresh Debian machine with
# Swift needs nothing else.

SWIFT ?= swift
PYTHON ?= python3
PY_TEST_REQUIREMENTS := clients/python/requirements-test.txt
CLI_TEST_REQUIREMENTS := clients/cli/requirements-test.txt
NVIM_TEST_REQUIREMENTS := clients/nvim/requirements-test.txt
BENCH_REQUIREMENTS := Benchmarks/requirements.txt
JUPYTER_TEST_REQUIREMENTS := clients/jupyter/requirements-test.txt
SPARK_TEST_REQUIREMENTS := sidecars/spark/requirements-test.txt

.PHONY: all deps build release test test-swift test-python test-spark demo bench fuzz soak clean

all: build

deps:
	@scripts/install-deps.sh

build: deps
	$(SWIFT) build --build-tests

## Release binaries for this machine: BALLAST_NATIVE=1 compiles the numerics for its CPU (AVX2,
## FMA where present), a quarter faster per training iteration; copy them only to alike CPUs.
release: deps
	BALLAST_NATIVE=1 $(SWIFT) build -c release --product ballastd
	BALLAST_NATIVE=1 $(SWIFT) build -c release --product ballast

## Every test: the Swift packages' own, then each client's (they replay protocol/examples too).
test: deps
	@scripts/install-deps.sh --neovim --spark $(PY_TEST_REQUIREMENTS) $(CLI_TEST_REQUIREMENTS) $(NVIM_TEST_REQUIREMENTS) $(JUPYTER_TEST_REQUIREMENTS) $(SPARK_TEST_REQUIREMENTS)
	$(SWIFT) build --build-tests
	$(MAKE) test-swift test-python

test-swift:
	$(SWIFT) test

test-python:
	cd clients/python && BALLASTD=$(CURDIR)/.build/debug/ballastd $(PYTHON) -m pytest -q
	cd clients/cli && BALLAST=$(CURDIR)/.build/debug/ballast BALLASTD=$(CURDIR)/.build/debug/ballastd $(PYTHON) -m pytest -q tests
	cd clients/nvim && BALLAST=$(CURDIR)/.build/debug/ballast BALLASTD=$(CURDIR)/.build/debug/ballastd $(PYTHON) -m pytest -q
	cd clients/jupyter && BALLAST=$(CURDIR)/.build/debug/ballast BALLASTD=$(CURDIR)/.build/debug/ballastd $(PYTHON) -m pytest -q
	$(MAKE) test-spark

## The Spark sidecar on local Spark (one JVM for the run), against scikit-learn's fits.
test-spark:
	cd sidecars/spark && $(PYTHON) -m pytest -q

## The main job on the embedded default: the seed's experiment on the synthetic fraud dataset,
## as a `ballast` script (examples/seed.bal) run against a private daemon (its own connection file
## and state directory, never your workspace) that stops afterwards.
demo: release
	@bin=$(CURDIR)/.build/release; dir=$$(mktemp -d); \
	export BALLAST_CONNECTION_FILE=$$dir/ballastd.json BALLAST_STATE_DIR=$$dir/state BALLASTD=$$bin/ballastd; \
	trap '"$$bin/ballast" stop >/dev/null 2>&1 || true; rm -rf "$$dir"' EXIT; \
	"$$bin/ballast" run examples/seed.bal

## Benchmarks, each beside its peer measured in the same run. Not part of `make test`.
bench: release
	@scripts/install-deps.sh $(PY_TEST_REQUIREMENTS) $(BENCH_REQUIREMENTS)
	@Benchmarks/run.sh $(CURDIR)/.build/release

## The protocol fuzzer at length: over a million seeded messages against the real daemon, with the
## same checks as its 20,000-message form in `make test`. A new seed each run unless one is given;
## a failure prints the seed that repeats it. Bounded; not part of `make test`.
fuzz: build
	BALLAST_FUZZ_MESSAGES=$${BALLAST_FUZZ_MESSAGES:-1000000} BALLAST_FUZZ_SEED=$${BALLAST_FUZZ_SEED:-$$(date +%s)} \
		$(SWIFT) test --skip-build --filter ProtocolFuzzTests

## The load test at full size: 50 clients × 1,000 mixed requests while two long trainings run,
## printing lost and duplicated replies, p50/p99 latency and control-ping p99. Then the kill -9 loop
## at length: 200 kills at random moments of trainings and experiments (5 in `make test`), a new
## seed each run unless one is given, printing what was acknowledged, interrupted and lost (the
## goal: nothing); a failure prints the seed that repeats it. Bounded; not part of `make test`.
soak: build
	BALLAST_LOAD_CLIENTS=$${BALLAST_LOAD_CLIENTS:-50} BALLAST_LOAD_REQUESTS=$${BALLAST_LOAD_REQUESTS:-1000} \
		$(SWIFT) test --skip-build --filter LoadTests
	BALLAST_KILL_ROUNDS=$${BALLAST_KILL_ROUNDS:-200} BALLAST_KILL_SEED=$${BALLAST_KILL_SEED:-$$(date +%s)} \
		$(SWIFT) test --skip-build --filter KillLoopTests

clean:
	rm -rf .build Benchmarks/.build
