package plots

import "github.com/copsim/copsim/measure"

// The time-series columns the figures read, by name.
var (
	colMembers     = column("members")
	colOutsiders   = column("outsiders")
	colPeripheral  = column("peripheral")
	colActive      = column("active")
	colCore        = column("core")
	colKnowledge   = column("knowledge_mean")
	colKnowCore    = column("knowledge_core")
	colKnowPeriph  = column("knowledge_peripheral")
	colRepertoire  = column("repertoire_knowledge")
	colOutsideTies = column("outside_tie_share")
	colStage       = column("stage")
)

// column returns the time-series column called name; a name that is no
// column is a mistake in this package, found when it is loaded.
func column(name string) *measure.Column[measure.Row] {
	c := measure.RowColumns.Lookup(name)
	if c == nil {
		panic("plots: no time-series column " + name)
	}
	return c
}
