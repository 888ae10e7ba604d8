package web

import (
	"encoding/json"
	"math"
	"os"
	"regexp"
	"slices"
	"testing"

	"github.com/copsim/copsim/measure"
)

// wireFrame is a frame as the page reads it.
type wireFrame struct {
	Tick     int              `json:"tick"`
	Rows     []map[string]any `json:"rows"`
	Finished bool             `json:"finished"`
}

// wireNum is a number of a wire row: null (not a number) is NaN.
func wireNum(v any) float64 {
	if x, ok := v.(float64); ok {
		return x
	}
	return math.NaN()
}

// checkWire fails unless the wire row got carries each of wireFields' values
// of r.
func checkWire(t *testing.T, got map[string]any, r *measure.Row) {
	t.Helper()
	if len(got) != len(wireFields) {
		t.Errorf("the wire row has %d keys, want %d", len(got), len(wireFields))
	}
	for _, f := range wireFields {
		v, ok := got[f.key]
		switch {
		case !ok:
			t.Errorf("the wire row lacks %q", f.key)
		case f.col.Kind() == measure.Text:
			if v != f.col.Format(r) {
				t.Errorf("%s (%s) = %v, want %q", f.key, f.col.Name, v, f.col.Format(r))
			}
		default:
			if x, want := wireNum(v), f.col.Float(r); x != want && !(math.IsNaN(x) && math.IsNaN(want)) {
				t.Errorf("%s (%s) = %v, want %v", f.key, f.col.Name, x, want)
			}
		}
	}
}

func TestWireRowCarriesItsColumns(t *testing.T) {
	r := measure.Row{Community: `c<1> "x"`, Members: 40, Outsiders: 3, Peripheral: 20, Active: 12, Core: 8,
		KnowledgeMean: 1.0 / 3, KnowledgeCore: math.NaN(), KnowledgeActive: 0.5, KnowledgePeripheral: 0.25,
		RepertoireKnowledge: 0.75, EIIndex: -0.125, BoundaryShare: 0.0625, Encounters: 16, OutsideTieShare: math.NaN(), ImportedKnowledge: 0.03125,
		BoundaryActiveShare: 0.375, ParticipationRate: 0.5, VoluntaryParticipation: 0.125, MandatedParticipation: 0.375,
		Motivation: 0.9, Stage: "maturing"}
	b, err := json.Marshal(toWire(r))
	if err != nil {
		t.Fatal(err)
	}
	// The page's contract, byte for byte: keys, order and number forms.
	const want = `{"community":"c\u003c1\u003e \"x\"","members":40,"outsiders":3,"peripheral":20,"active":12,"core":8,` +
		`"knowledge":0.3333333333333333,"knowledgeCore":null,"knowledgeActive":0.5,"knowledgePeripheral":0.25,` +
		`"repertoire":0.75,"boundaryShare":0.0625,"encounters":16,"outsideTies":null,"boundaryActive":0.375,"imported":0.03125,` +
		`"participation":0.5,"voluntary":0.125,"mandated":0.375,"motivation":0.9,"stage":"maturing"}`
	if string(b) != want {
		t.Errorf("wire row\n %s\nwant\n %s", b, want)
	}
	var got map[string]any
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	checkWire(t, got, &r)
}

// TestPageReadsWhatIsSent: every key the page's charts read from a row is
// one the wire sends.
func TestPageReadsWhatIsSent(t *testing.T) {
	js, err := os.ReadFile("static/app.js")
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, f := range wireFields {
		keys = append(keys, f.key)
	}
	reads := regexp.MustCompile(`\bget\("(\w+)"(?:, "(\w+)")?\)|\br\.(members|outsiders|stage|outsideTies)\b`).FindAllStringSubmatch(string(js), -1)
	if len(reads) < 10 {
		t.Fatalf("found %d reads of a row in app.js; has the page changed how it reads them?", len(reads))
	}
	for _, m := range reads {
		for _, k := range m[1:] {
			if k != "" && !slices.Contains(keys, k) {
				t.Errorf("app.js reads %q, which the wire does not send", k)
			}
		}
	}
}
