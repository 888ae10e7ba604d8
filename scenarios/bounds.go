package scenarios

// Upper bounds on every size a user can set. They keep a valid scenario
// within what one machine can hold and what copsim's integer types can
// count, so that no input wraps a counter or asks for memory that cannot
// exist. docs/scenarios.md states each one; the engine and the server rely
// on them.
const (
	MaxPeople       = 10_000_000 // population.people
	MaxCommunities  = 1_000      // population.communities
	MaxTicks        = 1_000_000  // ticks
	MaxReplications = 100_000    // replications
	MaxDimensions   = 256        // model.dimensions: beliefs are at most four 64-bit words
	MaxPartners     = 32         // model.encounter.partners
	MaxStageWindow  = 10_000     // model.stage.window
	MaxNetworkNodes = 5_000      // output.network_nodes: a figure, not a data set
	MaxWorkers      = 1_024      // --workers
	MaxLearnerMix   = 16         // model.socialization_mix: a handful of kinds of learner
)

// Caps on the size of what a scenario file holds, so that reading one is
// cheap whatever it contains. With every count above bounded, each product
// of two of them (people × dimensions, ticks × replications, people ×
// communities, ...) fits a 64-bit int by orders of magnitude.
const (
	// MaxScenarioBytes is the largest scenario file read; a real one is a
	// few kilobytes.
	MaxScenarioBytes = 1 << 20
	// MaxDescriptionBytes bounds description, which is copied into every
	// manifest and report.
	MaxDescriptionBytes = 10_000
	// MaxInterventions bounds the interventions list.
	MaxInterventions = 1_000
	// MaxChanges bounds the changes list.
	MaxChanges = 1_000
	// MaxAliasNodes bounds the YAML nodes read through aliases (*name): a
	// few aliases are handy, but nested ones can make a small file expand
	// exponentially (an "alias bomb").
	MaxAliasNodes = 100_000
)
