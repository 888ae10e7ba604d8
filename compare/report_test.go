package compare

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/copsim/copsim/agents"
	"github.com/copsim/copsim/plots"
	"github.com/copsim/copsim/results"
	"github.com/copsim/copsim/scenarios"
	"github.com/copsim/copsim/sim"
)

func smallScenario(t *testing.T, name string) scenarios.Scenario {
	t.Helper()
	sc, err := scenarios.Load(name, []string{"population.people=60", "ticks=30", "replications=2"})
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

func TestWriteRunReport(t *testing.T) {
	sc := smallScenario(t, "baseline")
	res, err := agents.Run(context.Background(), sc, sim.Options{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	os.Mkdir(filepath.Join(dir, "plots"), 0o755)
	if _, err := writePlots(filepath.Join(dir, "plots"), []*agents.Result{res}, Table([]*agents.Result{res}), plots.Options{}); err != nil {
		t.Fatal(err)
	}
	if err := WriteRunReport(dir, res, results.NewManifest("run", sc, 2, nil, time.Now())); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, "report.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"<title>Baseline</title>", "data:image/png;base64,", "mean knowledge", "the share of ties outside the community", "knowledge imported across boundaries", "scenario_yaml", "Knowledge over time, whole organization: the share"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("report lacks %q", want)
		}
	}
}
