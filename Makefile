GO ?= go
BIN := bin/copsim

.PHONY: build run test bench fuzz clean golden

build:
	$(GO) build -o $(BIN) ./cmd/copsim

run: build
	./$(BIN) run baseline

# The model's statistical tests (directions, calibration) skip themselves
# under -race, which slows the model tenfold and adds nothing to them; the
# second run gives them the model at full speed.
test:
	$(GO) vet ./...
	$(GO) test -race -timeout 15m ./...
	$(GO) test -count=1 -timeout 15m ./agents/

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./agents/ ./sim/

fuzz:
	$(GO) test -run '^$$' -fuzz FuzzParse -fuzztime 60s ./scenarios/
	$(GO) test -run '^$$' -fuzz FuzzLoad -fuzztime 60s ./sweep/

clean:
	rm -rf bin

# golden rewrites the pinned outputs of cmd/copsim/testdata/golden; run it only
# when a change is meant to alter results, and say why in the commit.
golden:
	$(GO) test ./cmd/copsim -run '^TestGolden' -update -count=1
