// Package agents is copsim's model: the people and communities of an
// organization and the mechanisms by which they take part, learn and
// change (docs/model.md). A World is one replication's state; a Model is a
// scenario made ready to run, which the engine (package sim) asks for
// worlds; World.Phases is the ordered list of a tick's phases.
//
// Each submodel of docs/model.md is one file with one function that
// carries it out (engagement.go, encounters.go, legitimacy.go, ...) and a
// unit test of its own; docs/model.md names the function, and a test
// keeps the two in step. The rules of one person or one meeting (Adopt,
// Socialize, Legitimacy, Motivation, ...) are pure functions of their
// inputs and a random stream, in rules.go and beliefs.go.
//
// It exists apart from the engine so that scheduling, random streams and
// the worker pool, which decide determinism and speed, are in one place
// that knows nothing of communities, and a modeller adds a mechanism as a
// file and a line in the phase list.
package agents
