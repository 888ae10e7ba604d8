GO ?= go
BIN := bin/copsim

.PHONY: build run test bench bench-peers fuzz clean golden validation

build:
	$(GO) build -o $(BIN) ./cmd/copsim

run: build
	./$(BIN) run baseline

# The model's statistical tests (directions, calibration, the quick
# validation suite) skip themselves under -race, which slows the model
# tenfold and adds nothing to them; the second run gives them the model at
# full speed.
test:
	$(GO) vet ./...
	$(GO) test -race -timeout 15m ./...
	$(GO) test -count=1 -timeout 15m ./agents/ ./validation/

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./agents/ ./sim/

# bench-peers times copsim against a Mesa 3.2 version of March's (1991) model
# on one row of his Figure 1, in turn, and writes a dated section into
# docs/benchmarks.md. MESA is a Mesa 3.2 source tree (see
# internal/tools/benchpeers for the set-up); PAIRS the Mesa/copsim pairs.
MESA ?=
PAIRS ?= 3
bench-peers:
	$(GO) run ./internal/tools/benchpeers -mesa "$(MESA)" -pairs $(PAIRS)

fuzz:
	$(GO) test -run '^$$' -fuzz FuzzParse -fuzztime 60s ./scenarios/
	$(GO) test -run '^$$' -fuzz FuzzLoad -fuzztime 60s ./sweep/
	$(GO) test -run '^$$' -fuzz FuzzRecords -fuzztime 60s ./sweep/
	$(GO) test -run '^$$' -fuzz FuzzReadLog -fuzztime 60s ./class/

clean:
	rm -rf bin

# golden rewrites the pinned outputs of cmd/copsim/testdata/golden; run it only
# when a change is meant to alter results, and say why in the commit.
golden:
	$(GO) test ./cmd/copsim -run '^TestGolden' -update -count=1

# validation runs the full validation suite (package validation) and
# rewrites docs/validation.md and docs/img/validation/; commit both.
validation:
	$(GO) run ./internal/tools/validate -o docs/validation.md -img docs/img/validation
