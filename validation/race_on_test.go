//go:build race

package validation

// raceDetector reports whether the tests run under the race detector, which
// slows the model tenfold: the suite's test skips itself there, and make
// test runs this package again without it.
const raceDetector = true
