package main

import (
	"regexp"
	"strings"
	"testing"
)

func TestByteSize(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int64
		ok   bool
	}{
		{"0", 0, true},
		{"2000000000", 2_000_000_000, true},
		{"4GB", 4_000_000_000, true},
		{"4g", 4_000_000_000, true},
		{"512MiB", 512 << 20, true},
		{"1.5 GiB", 3 << 29, true},
		{"10kb", 10_000, true},
		{"7B", 7, true},
		{"", 0, false},
		{"-1GB", 0, false},
		{"lots", 0, false},
		{"NaN", 0, false},
		{"1e30", 0, false},
		{"9223372036854775807TB", 0, false},
		{"GB", 0, false},
	} {
		var b byteSize
		err := b.Set(tc.in)
		if (err == nil) != tc.ok || (tc.ok && int64(b) != tc.want) {
			t.Errorf("Set(%q) = %d, %v; want %d, ok %v", tc.in, b, err, tc.want, tc.ok)
		}
	}
}

func TestParseMemAvailable(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int64
	}{
		{"MemTotal:       32594024 kB\nMemFree:         1000 kB\nMemAvailable:   24000000 kB\n", 24_000_000 * 1024},
		{"MemTotal: 1 kB\n", 0},
		{"MemAvailable: lots kB\n", 0},
		{"MemAvailable: 99999999999999999999 kB\n", 0},
		{"", 0},
	} {
		if got := parseMemAvailable(strings.NewReader(tc.in)); got != tc.want {
			t.Errorf("%q: %d, want %d", tc.in, got, tc.want)
		}
	}
}

// A run over --max-memory is refused before it starts, naming the estimate
// and the limit; one within it runs.
func TestMaxMemory(t *testing.T) {
	for _, tc := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"run", "-q", "--no-plots", "--max-memory", "1MB", "baseline"}, exitBadInput, "would need about .* of memory, more than the 1.0 MB of --max-memory"},
		{[]string{"compare", "-q", "--no-plots", "--max-memory", "1MB", "baseline", "seeding"}, exitBadInput, "comparing 2 scenarios would need about"},
		{[]string{"run", "-q", "--no-plots", "--max-memory", "-5", "baseline"}, exitBadInput, ""}, // the message is the flag parser's (issue 7, item 9)
		{[]string{"run", "-q", "--no-plots", "--max-memory", "0", "--reps", "1", "--ticks", "2", "--set", "population.people=50", "baseline"}, exitOK, ""},
		{[]string{"run", "-q", "--no-plots", "--max-memory", "4GB", "--reps", "1", "--ticks", "2", "--set", "population.people=50", "baseline"}, exitOK, ""},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			t.Chdir(t.TempDir())
			var out, errb strings.Builder
			if code := runMain(tc.args, &out, &errb); code != tc.code {
				t.Fatalf("exit %d, want %d; stderr %s", code, tc.code, errb.String())
			}
			if tc.msg != "" && !regexp.MustCompile(tc.msg).MatchString(errb.String()) {
				t.Errorf("stderr %q does not match %q", errb.String(), tc.msg)
			}
		})
	}
}
