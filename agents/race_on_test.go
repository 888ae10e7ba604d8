//go:build race

package agents

// raceDetector reports whether the tests run under the race detector, which
// slows the model tenfold: the statistical tests of the model's findings
// skip themselves there, and make test runs them apart without it.
// RaceDetector exports it to the package's external tests.
const raceDetector, RaceDetector = true, true
