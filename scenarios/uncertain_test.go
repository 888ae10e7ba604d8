package scenarios

import (
	"math"
	"os"
	"strconv"
	"strings"
	"testing"
)

// TestUncertainParams checks the registry: every key is a number of the
// schema, every range is ordered and valid at both ends, every range has
// its reason, and no key comes twice.
func TestUncertainParams(t *testing.T) {
	if len(UncertainParams) == 0 {
		t.Fatal("no uncertain parameters")
	}
	seen := map[string]bool{}
	for _, u := range UncertainParams {
		if seen[u.Key] {
			t.Errorf("%s: listed twice", u.Key)
		}
		seen[u.Key] = true
		if _, err := u.Value(Default()); err != nil {
			t.Errorf("%s: %v", u.Key, err)
			continue
		}
		if !(u.Low < u.High) || math.IsInf(u.Low, 0) || math.IsInf(u.High, 0) {
			t.Errorf("%s: range %v to %v must have Low < High, both finite", u.Key, u.Low, u.High)
		}
		for _, v := range []float64{u.Low, u.High, u.At(0.5)} {
			if _, err := ApplySets(Default(), []string{u.Set(v)}); err != nil {
				t.Errorf("%s: %v is outside the key's valid values: %v", u.Key, v, err)
			}
		}
		if len(u.Why) < 20 || !strings.HasSuffix(u.Why, ".") {
			t.Errorf("%s: Why must be a sentence saying where the range comes from, got %q", u.Key, u.Why)
		}
	}
}

func TestUncertainValueAndAt(t *testing.T) {
	tests := []struct {
		u       Uncertain
		q, want float64
		err     bool
	}{
		{u: Uncertain{Key: "model.legitimacy.closure", Low: 0.2, High: 0.9}, q: 0, want: 0.2},
		{u: Uncertain{Key: "model.legitimacy.closure", Low: 0.2, High: 0.9}, q: 1, want: 0.9},
		{u: Uncertain{Key: "model.legitimacy.closure", Low: 0, High: 1}, q: 1.0 / 3, want: 0.333333},
		{u: Uncertain{Key: "model.legitimacy.closue"}, err: true},
		{u: Uncertain{Key: "model.legitimacy"}, err: true},
		{u: Uncertain{Key: "model.dimensions"}, err: true},      // an integer
		{u: Uncertain{Key: "model.lpp.x"}, err: true},           // below a scalar
		{u: Uncertain{Key: "interventions.0.start"}, err: true}, // a list
	}
	for _, tt := range tests {
		v, err := tt.u.Value(Default())
		if (err != nil) != tt.err {
			t.Errorf("%s: Value error %v, want error %v", tt.u.Key, err, tt.err)
			continue
		}
		if tt.err {
			continue
		}
		if v != Default().Model.Legitimacy.Closure {
			t.Errorf("%s: Value %v, want the default", tt.u.Key, v)
		}
		if got := tt.u.At(tt.q); got != tt.want {
			t.Errorf("%s: At(%v) = %v, want %v", tt.u.Key, tt.q, got, tt.want)
		}
	}
	sc, err := ApplySets(Default(), []string{UncertainParams[0].Set(0.123)})
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := UncertainParams[0].Value(sc); v != 0.123 {
		t.Errorf("Set then Value gave %v, want 0.123", v)
	}
}

// TestUncertainDocs keeps the section "Plausible ranges" of
// docs/calibration.md in step with the registry: a row per parameter with
// its range, and no row for a parameter that is not in it.
func TestUncertainDocs(t *testing.T) {
	src, err := os.ReadFile("../docs/calibration.md")
	if err != nil {
		t.Fatal(err)
	}
	_, sec, ok := strings.Cut(string(src), "\n## Plausible ranges\n")
	if !ok {
		t.Fatal(`docs/calibration.md has no section "## Plausible ranges"`)
	}
	if i := strings.Index(sec, "\n## "); i >= 0 {
		sec = sec[:i]
	}
	rows := map[string]string{}
	for _, line := range strings.Split(sec, "\n") {
		if strings.HasPrefix(line, "| `") {
			cells := strings.Split(line, "|")
			rows[strings.Trim(strings.TrimSpace(cells[1]), "`")] = strings.TrimSpace(cells[2])
		}
	}
	for _, u := range UncertainParams {
		r, ok := rows[u.Key]
		if !ok {
			t.Errorf("docs/calibration.md: no row for %s", u.Key)
			continue
		}
		if want := formatRange(u); r != want {
			t.Errorf("docs/calibration.md: %s: range %q, want %q", u.Key, r, want)
		}
		delete(rows, u.Key)
	}
	for k := range rows {
		t.Errorf("docs/calibration.md lists %s, which is not in UncertainParams", k)
	}
}

func formatRange(u Uncertain) string {
	return strconv.FormatFloat(u.Low, 'g', -1, 64) + " – " + strconv.FormatFloat(u.High, 'g', -1, 64)
}
