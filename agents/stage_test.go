package agents

import (
	"testing"

	"github.com/copsim/copsim/scenarios"
)

func TestStageClassifier(t *testing.T) {
	sc := scenarios.Default()
	wd := mustWorld(t, &sc, 0, 1)
	defer wd.Close()
	cm := &wd.comms[0]
	tests := []struct {
		members              int
		cohesion, repertoire float64
		want                 Stage
	}{
		{1, 0.5, 0.9, Dispersed},
		{50, 0, 0.1, Potential},
		{50, 0.2, 0.1, Coalescing},
		{50, 0.2, 0.7, Maturing},
		{50, 0.2, 0.9, Stewardship},
	}
	for _, tt := range tests {
		if got := wd.classifyStage(cm, 1, tt.members, tt.cohesion, tt.repertoire); got != tt.want {
			t.Errorf("members %d cohesion %.1f repertoire %.1f: %v, want %v", tt.members, tt.cohesion, tt.repertoire, got, tt.want)
		}
	}
	// A sharp fall of smoothed participation after a full window: transformation.
	for k := range cm.partHistory {
		cm.partHistory[k] = 0.6
	}
	cm.partSmooth = 0.2
	if got := wd.classifyStage(cm, 100, 50, 0.2, 0.9); got != Transformation {
		t.Errorf("falling participation: %v, want transformation", got)
	}
}

// The "all" row's stage is the most common among the communities, the
// most advanced on a tie.
func TestOrgStage(t *testing.T) {
	wd := tinyWorld(t, 4, 4)
	for _, tt := range []struct {
		stages []Stage
		want   Stage
	}{
		{[]Stage{Potential, Potential, Maturing, Coalescing}, Potential},
		{[]Stage{Potential, Maturing, Maturing, Potential}, Maturing},
		{[]Stage{Dispersed, Stewardship, Coalescing, Potential}, Dispersed},
	} {
		for c, s := range tt.stages {
			wd.comms[c].stage = s
		}
		if got := wd.orgStage(); got != tt.want.String() {
			t.Errorf("%v: %s, want %s", tt.stages, got, tt.want)
		}
	}
}
