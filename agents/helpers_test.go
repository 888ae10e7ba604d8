package agents

import (
	"testing"

	"github.com/copsim/copsim/scenarios"
)

// mustWorld is NewWorld for scenarios that tests know to be valid.
func mustWorld(tb testing.TB, sc *scenarios.Scenario, rep, workers int) *World {
	tb.Helper()
	wd, err := NewWorld(sc, rep, workers)
	if err != nil {
		tb.Fatal(err)
	}
	return wd
}
