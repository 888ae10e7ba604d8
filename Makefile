GO ?= go
BIN := bin/copsim

.PHONY: build run test bench fuzz clean

build:
	$(GO) build -o $(BIN) ./cmd/copsim

run: build
	./$(BIN) run baseline

test:
	$(GO) vet ./...
	$(GO) test -race -timeout 15m ./...

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./sim/

fuzz:
	$(GO) test -run '^$$' -fuzz FuzzParse -fuzztime 60s ./scenarios/

clean:
	rm -rf bin
