// Package agents holds the people and communities of copsim and the rules by
// which they learn and participate: beliefs as bitsets, March's (1991)
// socialization and code learning, interpersonal learning in legitimate
// peripheral participation, practice, legitimacy, motivation and identity.
//
// It exists apart from the engine (package sim) so that each rule is a small
// pure function of its inputs and a random stream: testable alone, cited in
// docs/model.md, and free of scheduling concerns. The engine decides who
// meets whom and when; this package decides what a meeting does.
package agents
