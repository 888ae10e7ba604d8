package agents

// applyChanges is the phase "parameter changes": the scenario's changes
// of this week (scenarios.Change) take effect before any mechanism of the
// week runs. The scenario is copied, so that the caller's and the
// replications' are left alone; a week without a change costs a scan of
// the (short) list and allocates nothing.
func (wd *World) applyChanges() {
	now := wd.eng.Tick()
	changed := false
	for _, ch := range wd.sc.Changes {
		if ch.Week != now {
			continue
		}
		if !changed {
			sc := *wd.sc
			wd.sc, wd.mp, changed = &sc, &sc.Model, true
		}
		// Validation accepted the key, so Apply cannot fail.
		_ = ch.Apply(wd.sc)
	}
}
