//go:build !race

package agents_test

// raceDetector: see race_on_test.go.
const raceDetector = false
