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
	Divergence          float64 // mean distance between communities' repertoires ("all" only)

	EIIndex       float64 // Krackhardt & Stern E-I index of this tick's encounters
	BoundaryShare float64 // share of encounters that crossed a community boundary
	Encounters    int

	Newcomers  int     // memberships begun by people who arrived this tick (turnover)
	Motivation float64 // members' mean intrinsic motivation
	Identity   float64 // members' mean identity with the community

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
	EIIndex             float64
	BoundaryShare       float64
	ParticipationRate   float64
	// VoluntaryParticipation and MandatedParticipation split
	// ParticipationRate as in Row.
	VoluntaryParticipation float64
	MandatedParticipation  float64
	ParticipationGini      float64
	CoreShare              float64
	ActiveShare            float64
	PeripheralShare        float64
	Members                int

	// Newcomers' median ticks from arrival to active and to core, over those
	// who arrived during the run; NaN when none got there.
	MedianTicksToActive float64
	MedianTicksToCore   float64
	// NewcomerAccess is the share of newcomers who reached active or core.
	NewcomerAccess float64
	// KnowledgeRetained is the mean knowledge of members at the end relative
	// to its peak during the run (knowledge kept after turnover).
	KnowledgeRetained float64
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
