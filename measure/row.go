package measure

// Row is one line of the tidy time series: the state of one community (or of
// the whole organization, Community "all") at one tick of one replication.
type Row struct {
	Rep       int
	Tick      int
	Community string

	Members    int // peripheral + active + core
	Outsiders  int
	Peripheral int
	Active     int
	Core       int

	ParticipationRate float64 // share of members who took part this tick
	// Voluntary and mandated participation split ParticipationRate: members
	// who took part by choice, and those who took part only as mandated.
	VoluntaryParticipation float64
	MandatedParticipation  float64
	ParticipationGini      float64 // inequality of members' recent participation

	KnowledgeMean       float64 // members' mean share of dimensions right
	KnowledgeCore       float64
	KnowledgeActive     float64
	KnowledgePeripheral float64
	RepertoireKnowledge float64 // share of domain dimensions the repertoire has right
	RepertoireScore     float64 // March's score/m: sum(code*reality)/m over the domain
	MajorityKnowledge   float64 // share of domain dimensions the members' majority belief gets right
	Diversity           float64 // mean Gini-Simpson diversity of beliefs per dimension
	Divergence          float64 // mean distance between repertoires: c's to each other's; in "all" over pairs
	RelativeDiversity   float64 // members' diversity over the rest of the organization's, on c's domain

	EIIndex       float64 // Krackhardt & Stern E-I index of this tick's encounters
	BoundaryShare float64 // share of encounters that crossed a community boundary
	Encounters    int

	// Insularity (docs/model.md, Outcomes): where members' ties go, what
	// they bring in across boundaries, and who crosses them.
	TieEI               float64 // E-I index of members' live ties
	TieEIRandom         float64 // its expectation if the same ties went to random others
	OutsideTieShare     float64 // share of members' tie weight to people outside the community
	ImportedKnowledge   float64 // dimensions changed through boundary encounters per member, this tick
	ImportedRightShare  float64 // share of those that were right
	BoundaryActiveShare float64 // share of members with a boundary encounter in the last window
	NewcomerAccess      float64 // newcomers' memberships begun so far that reached active
	TicksToActive       float64 // their mean ticks from joining to active

	Newcomers  int     // memberships begun by people who arrived this tick (turnover)
	Motivation float64 // members' mean intrinsic motivation
	// MotivationEveryone is the mean over everyone affiliated at any
	// legitimacy (in "all": every person), so that a change in who stays a
	// member does not pass for a change in motivation.
	MotivationEveryone float64
	Identity           float64 // members' mean identity with the community

	Stage string
}

// Summary is one replication's end-of-run outcomes.
type Summary struct {
	Rep         int
	Seed        uint64
	FinalTick   int
	Equilibrium bool // the run stopped at March's equilibrium

	KnowledgeMean       float64
	KnowledgeCore       float64
	KnowledgePeripheral float64
	RepertoireKnowledge float64
	RepertoireScore     float64
	OrgKnowledge        float64 // share of dimensions the whole organization's majority gets right
	Diversity           float64
	Divergence          float64
	RelativeDiversity   float64 // mean over communities
	EIIndex             float64
	BoundaryShare       float64
	TieEI               float64
	TieEIRandom         float64
	OutsideTieShare     float64
	// ImportedKnowledge and ImportedRightShare are over the whole run
	// (measured ticks after 0): imports per member-week and their right share.
	ImportedKnowledge   float64
	ImportedRightShare  float64
	BoundaryActiveShare float64
	Motivation          float64
	MotivationEveryone  float64
	ParticipationRate   float64
	// VoluntaryParticipation and MandatedParticipation split
	// ParticipationRate as in Row.
	VoluntaryParticipation float64
	MandatedParticipation  float64
	ParticipationGini      float64
	CoreShare              float64
	ActiveShare            float64
	PeripheralShare        float64 // core, active and peripheral shares are over members
	OutsiderShare          float64 // share of all memberships below the peripheral threshold
	Members                int

	// Newcomers' median ticks from arrival to active and to core, over those
	// who arrived during the run; NaN when none got there.
	MedianTicksToActive float64
	MedianTicksToCore   float64
	// NewcomerAccess is the share of newcomers who reached active or core.
	NewcomerAccess float64
	// KnowledgeVsPeak is members' mean knowledge at the end over its peak
	// during the run: how far knowledge fell back from its best, not how
	// much of it survived turnover.
	KnowledgeVsPeak float64
}

// Network is a picture of one tick's community structure: a sample of
// people and the ties among them.
type Network struct {
	Tick  int
	Nodes []Node
	Edges []Edge
	// CommunityNames indexes Node.Community.
	CommunityNames []string
}

// Node is one person in a Network: their main community (the one where
// their legitimacy is highest), role there, and knowledge.
type Node struct {
	ID          int
	Community   int
	Role        string // outsider, peripheral, active, core
	Legitimacy  float64
	Knowledge   float64
	Broker      bool // belongs to several communities or spans boundaries
	Coordinator bool // the community's most legitimate core member
}

// Edge is a tie between two Nodes (indices into Nodes), weighted in (0,1].
type Edge struct {
	A, B     int
	Weight   float64
	Boundary bool // the two belong to different main communities
}
