package sweep

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/copsim/copsim/scenarios"
)

// FuzzLoad checks that Load never panics or hangs, that every
// error it reports is a located scenarios.Error, and that a plan it accepts
// is within the documented bounds and well formed. The seed corpus in
// testdata/fuzz/FuzzLoad holds the examples and the hostile cases'
// sweep files.
func FuzzLoad(f *testing.F) {
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(dir, "fuzz.yaml")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		p, err := Load(path, Options{})
		if err != nil {
			errs := scenarios.Errors(err)
			if _, ok := err.(scenarios.ErrorList); !ok || len(errs) == 0 {
				t.Fatalf("error of type %T: %v", err, err)
			}
			for _, e := range errs {
				if e.File == "" || e.Msg == "" {
					t.Errorf("badly located error %q", e.Error())
				}
				if e.File == path && e.Line < 1 && len(data) > 0 && len(data) <= MaxFileBytes {
					t.Errorf("error without a line: %q", e.Error())
				}
			}
			return
		}
		switch {
		case len(p.Points) < 1 || len(p.Points) > MaxPoints:
			t.Fatalf("plan with %d points", len(p.Points))
		case p.Replications < 1 || p.Replications > scenarios.MaxReplications:
			t.Fatalf("plan with %d replications", p.Replications)
		case p.Runs() > MaxRuns:
			t.Fatalf("plan with %d runs", p.Runs())
		case scenarios.CheckName(p.Name) != nil:
			t.Fatalf("plan named %q", p.Name)
		case p.check() != "":
			t.Fatalf("plan refused by readPlan: %s", p.check())
		}
		for k, pt := range p.Points {
			if len(pt.Values) != len(p.Params) {
				t.Fatalf("point %d has %d values for %d parameters", k, len(pt.Values), len(p.Params))
			}
		}
		if p.Rerun(0, 0) == "" {
			t.Fatal("no rerun command for the first run")
		}
	})
}
