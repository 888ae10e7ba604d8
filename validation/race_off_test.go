//go:build !race

package validation

// raceDetector: see race_on_test.go.
const raceDetector = false
