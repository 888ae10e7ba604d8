//go:build !race

package agents

// raceDetector, RaceDetector: see race_on_test.go.
const raceDetector, RaceDetector = false, false
