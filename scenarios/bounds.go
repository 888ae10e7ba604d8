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
)
