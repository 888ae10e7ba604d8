// Package results writes what a copsim run produces: tidy CSV tables for R
// and pandas, a reproducibility manifest, and the output folder itself,
// written atomically. It exists so that every command (run, compare,
// sweep) writes the same formats in the same all-or-nothing way.
package results

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"time"

	"github.com/copsim/copsim/measure"
	"github.com/copsim/copsim/scenarios"
)

// Version is copsim's version, written into every manifest.
const Version = "0.1.0"

// TimeseriesHeader names the columns of timeseries.csv, in order.
var TimeseriesHeader = []string{
	"rep", "tick", "community", "members", "outsiders", "peripheral", "active", "core",
	"participation_rate", "participation_gini", "knowledge_mean", "knowledge_core",
	"knowledge_active", "knowledge_peripheral", "repertoire_knowledge", "repertoire_score",
	"majority_knowledge", "diversity", "divergence", "ei_index", "boundary_share", "encounters", "newcomers",
	"motivation", "identity", "stage",
}

// F formats a float for the tables: shortest round-trip form, NA for NaN
// (R's missing value, which pandas reads too).
func F(x float64) string {
	if math.IsNaN(x) {
		return "NA"
	}
	return strconv.FormatFloat(x, 'g', -1, 64)
}

func itoa(i int) string { return strconv.Itoa(i) }

// TimeseriesRecord is one row of timeseries.csv.
func TimeseriesRecord(r measure.Row) []string {
	return []string{
		itoa(r.Rep), itoa(r.Tick), r.Community, itoa(r.Members), itoa(r.Outsiders),
		itoa(r.Peripheral), itoa(r.Active), itoa(r.Core),
		F(r.ParticipationRate), F(r.ParticipationGini), F(r.KnowledgeMean), F(r.KnowledgeCore),
		F(r.KnowledgeActive), F(r.KnowledgePeripheral), F(r.RepertoireKnowledge), F(r.RepertoireScore),
		F(r.MajorityKnowledge), F(r.Diversity), F(r.Divergence), F(r.EIIndex), F(r.BoundaryShare), itoa(r.Encounters),
		itoa(r.Newcomers), F(r.Motivation), F(r.Identity), r.Stage,
	}
}

// WriteTimeseries writes the tidy time series: a row per (rep, tick, community).
func WriteTimeseries(w io.Writer, rows []measure.Row) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(TimeseriesHeader); err != nil {
		return err
	}
	for _, r := range rows {
		if err := cw.Write(TimeseriesRecord(r)); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// SummaryHeader names the columns of summary.csv, in order.
var SummaryHeader = []string{
	"rep", "seed", "final_tick", "equilibrium", "members", "knowledge_mean", "knowledge_core",
	"knowledge_peripheral", "repertoire_knowledge", "repertoire_score", "org_knowledge",
	"diversity", "divergence", "ei_index", "boundary_share", "participation_rate",
	"participation_gini", "core_share", "active_share", "peripheral_share",
	"median_ticks_to_active", "median_ticks_to_core", "newcomer_access", "knowledge_retained",
}

// SummaryRecord is one row of summary.csv.
func SummaryRecord(s measure.Summary) []string {
	return []string{
		itoa(s.Rep), strconv.FormatUint(s.Seed, 10), itoa(s.FinalTick), strconv.FormatBool(s.Equilibrium),
		itoa(s.Members), F(s.KnowledgeMean), F(s.KnowledgeCore), F(s.KnowledgePeripheral),
		F(s.RepertoireKnowledge), F(s.RepertoireScore), F(s.OrgKnowledge), F(s.Diversity),
		F(s.Divergence), F(s.EIIndex), F(s.BoundaryShare), F(s.ParticipationRate),
		F(s.ParticipationGini), F(s.CoreShare), F(s.ActiveShare), F(s.PeripheralShare),
		F(s.MedianTicksToActive), F(s.MedianTicksToCore), F(s.NewcomerAccess), F(s.KnowledgeRetained),
	}
}

// SummaryOutcomes maps the outcome columns of summary.csv (all but rep,
// seed, final_tick, equilibrium) to their values, for statistics.
func SummaryOutcomes(s measure.Summary) map[string]float64 {
	rec := SummaryRecord(s)
	out := make(map[string]float64, len(rec))
	for k := 4; k < len(rec); k++ {
		v, err := strconv.ParseFloat(rec[k], 64)
		if err != nil {
			v = math.NaN()
		}
		out[SummaryHeader[k]] = v
	}
	return out
}

// WriteSummary writes summary.csv: a row per replication.
func WriteSummary(w io.Writer, sums []measure.Summary) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(SummaryHeader); err != nil {
		return err
	}
	for _, s := range sums {
		if err := cw.Write(SummaryRecord(s)); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// Manifest records how a result was made, so that it can be made again.
type Manifest struct {
	Copsim    string             `json:"copsim_version"`
	Command   string             `json:"command"`
	Go        string             `json:"go_version"`
	Platform  string             `json:"platform"`
	Seed      uint64             `json:"seed"`
	Reps      int                `json:"replications"`
	Workers   int                `json:"workers"`
	Overrides []string           `json:"overrides,omitempty"`
	Started   time.Time          `json:"started"`
	Finished  time.Time          `json:"finished"`
	Scenario  scenarios.Scenario `json:"scenario"`
	// ScenarioYAML is the resolved scenario, ready to run again with
	// `copsim run`.
	ScenarioYAML string `json:"scenario_yaml"`
}

// NewManifest fills the fields that come from the environment.
func NewManifest(command string, sc scenarios.Scenario, workers int, overrides []string, started time.Time) Manifest {
	y, _ := scenarios.Marshal(sc)
	return Manifest{
		Copsim: Version, Command: command, Go: runtime.Version(),
		Platform: runtime.GOOS + "/" + runtime.GOARCH, Seed: sc.Seed, Reps: sc.Replications,
		Workers: workers, Overrides: overrides, Started: started.UTC(), Scenario: sc,
		ScenarioYAML: string(y),
	}
}

// WriteJSON writes v as indented JSON to path.
func WriteJSON(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

// WriteFile creates path and fills it with write.
func WriteFile(path string, write func(io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// ErrExists is returned when the output folder already exists.
var ErrExists = errors.New("output folder already exists")

// Atomic creates the folder final all at once: fill writes into a
// temporary sibling folder, which is renamed to final only when fill
// succeeds. An interrupted or failed run leaves no folder named final
// (a ".tmp-" sibling is removed on failure, and one left by a killed
// process is removed by the next Atomic of the same folder).
func Atomic(final string, fill func(dir string) error) error {
	if _, err := os.Stat(final); err == nil {
		return fmt.Errorf("%s: %w; choose another --out or remove it", final, ErrExists)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	parent := filepath.Dir(final)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return err
	}
	prefix := "." + filepath.Base(final) + ".tmp-"
	RemoveStale(parent, prefix)
	tmp, err := MkdirTemp(parent, prefix)
	if err != nil {
		return err
	}
	if err := fill(tmp); err != nil {
		os.RemoveAll(tmp)
		return err
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		os.RemoveAll(tmp)
		return err
	}
	if err := os.Rename(tmp, final); err != nil {
		os.RemoveAll(tmp)
		return err
	}
	return nil
}
