package main

import (
	"bytes"
	"io"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"strings"
	"testing"
)

// TestInternalErrorExit70: a panic anywhere in a command is a bug: exit
// 70, two lines on the terminal that ask for a report and name a file, and
// the stack in that file rather than on the terminal.
func TestInternalErrorExit70(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	register(&command{name: "test-panic", run: func([]string, io.Writer, io.Writer) int {
		var m map[string]int
		m["x"] = 1 // a nil-map write, as a real bug would be
		return exitOK
	}})
	defer delete(commands, "test-panic")
	var stdout, stderr bytes.Buffer
	code := runMain([]string{"test-panic"}, &stdout, &stderr)
	if code != exitInternal {
		t.Fatalf("exit %d, want %d", code, exitInternal)
	}
	msg := stderr.String()
	if strings.Count(msg, "\n") != 2 || !strings.Contains(msg, "internal error (a bug in copsim") ||
		strings.Contains(msg, "goroutine") {
		t.Errorf("stderr is not a short report:\n%s", msg)
	}
	file := regexp.MustCompile(`\S*copsim-crash-\S*\.txt`).FindString(msg)
	if file == "" || filepath.Dir(file) != tmp {
		t.Fatalf("no crash file in %s named in:\n%s", tmp, msg)
	}
	stack, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(stack), "assignment to entry in nil map") || !strings.Contains(string(stack), "main_test.go") {
		t.Errorf("crash file lacks the panic or the stack:\n%s", stack)
	}
}

// tuneGC sets the collector's pace and memory limit unless GOGC and
// GOMEMLIMIT are set.
func TestTuneGC(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(math.MaxInt64))
	for _, tc := range []struct {
		name      string
		env       map[string]string
		available int64
		asLimit   bool
		percent   int
		limit     int64
	}{
		{"defaults", nil, 8 << 30, false, gcPercent, 8 << 30},
		{"memory unknown", nil, 0, false, gcPercent, math.MaxInt64},
		{"address space limited", nil, 1 << 30, true, 100, 1 << 30},
		{"GOGC set", map[string]string{"GOGC": "100"}, 8 << 30, false, 100, 8 << 30},
		{"both set", map[string]string{"GOGC": "50", "GOMEMLIMIT": "1GiB"}, 8 << 30, false, 100, math.MaxInt64},
	} {
		t.Run(tc.name, func(t *testing.T) {
			debug.SetGCPercent(100)
			debug.SetMemoryLimit(math.MaxInt64)
			tuneGC(func(k string) (string, bool) { v, ok := tc.env[k]; return v, ok },
				func() int64 { return tc.available }, func() bool { return tc.asLimit })
			if p := debug.SetGCPercent(100); p != tc.percent {
				t.Errorf("GC percent %d, want %d", p, tc.percent)
			}
			if l := debug.SetMemoryLimit(-1); l != tc.limit {
				t.Errorf("memory limit %d, want %d", l, tc.limit)
			}
		})
	}
}
