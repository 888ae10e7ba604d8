//go:build race

package agents_test

// raceDetector reports whether the tests run under the race detector, which
// slows the model tenfold: the statistical tests of the model's findings
// skip themselves there and run without it (make test runs them apart).
const raceDetector = true
