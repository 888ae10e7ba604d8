package scenarios

import (
	"reflect"
	"testing"
)

// FuzzParse checks that Parse never panics, that every error it reports is
// located in the file, and that whatever it accepts is valid and survives
// Marshal and Parse unchanged. The seed corpus in testdata/fuzz/FuzzParse
// holds every built-in and a set of broken files.
func FuzzParse(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Parse("fuzz.yaml", data)
		if err != nil {
			errs := Errors(err)
			if _, ok := err.(ErrorList); !ok || len(errs) == 0 {
				t.Fatalf("error of type %T: %v", err, err)
			}
			for _, e := range errs {
				if e.File != "fuzz.yaml" || e.Line < 1 || e.Msg == "" {
					t.Errorf("badly located error %q (file %q, line %d)", e.Error(), e.File, e.Line)
				}
				checkEcho(t, e)
			}
			return
		}
		if err := s.Validate(); err != nil {
			t.Fatalf("Parse accepted an invalid scenario: %v", err)
		}
		out, err := Marshal(s)
		if err != nil {
			t.Fatalf("Marshal: %v", err)
		}
		back, err := Parse("fuzz.yaml", out)
		if err != nil {
			t.Fatalf("Marshal output does not parse: %v\n%s", err, out)
		}
		if !reflect.DeepEqual(back, s) {
			t.Fatalf("round trip changed the scenario\ngot  %+v\nwant %+v\n%s", back, s, out)
		}
	})
}

// FuzzApplySets checks that no override panics and that an accepted one
// leaves a valid scenario.
func FuzzApplySets(f *testing.F) {
	for _, s := range []string{"model.socialization=0.9", "interventions.0.kind=seeding", "communities.0.name=x",
		"interventions.0.communities=[c0, 1]", "model.roles={core: 0.9}", "seed=", "a.b.c=1", "ticks.x=1", "communities.x=1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, set string) {
		s, err := ApplySets(Default(), []string{set})
		if err != nil {
			for _, e := range Errors(err) {
				checkEcho(t, e)
			}
			return
		}
		if err := s.Validate(); err != nil {
			t.Fatalf("ApplySets accepted an invalid scenario: %v", err)
		}
	})
}

// checkEcho fails when an error repeats much of the user's text: its
// place is clipped to maxPlace bytes, and its message echoes at most a few
// clipped values besides the schema's own words.
func checkEcho(t *testing.T, e *Error) {
	t.Helper()
	if n := len(e.Error()); n > 2*maxPlace+600 {
		t.Errorf("a %d-byte error: %.300s", n, e.Error())
	}
}
