package main

import (
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// The hostile-input corpus: each file in testdata/hostile is a script of
// what a clumsy or hostile user might type, with the files it needs (see
// testscript's format). The command
//
//	copsim EXIT ARGS...
//
// runs the real binary, built without the race detector, as a child process
// under an address-space limit (hostileMemory) and a kill deadline
// (hostileSeconds), and fails the script unless
//   - it exits with EXIT (a kill by the deadline or a crash never matches),
//   - it printed no Go panic or runtime trace,
//   - when EXIT is not 0, it left the working folder exactly as it found it.
//
// The deadline is a hang guard far above any case's normal time, so a
// loaded machine cannot make a case flaky; a run that needs it has hung.
const (
	hostileMemory  = "2000000000" // bytes of address space: enough for any small run
	hostileSeconds = "120"
)

func TestHostileInputs(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary; skipped with -short")
	}
	for _, tool := range []string{"prlimit", "timeout"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s (util-linux, coreutils) is needed to bound the child's memory and time: %v", tool, err)
		}
	}
	bin := filepath.Join(t.TempDir(), "copsim")
	build := exec.Command(filepath.Join(runtime.GOROOT(), "bin", "go"), "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	testscript.Run(t, testscript.Params{
		Dir: "testdata/hostile",
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"copsim": func(ts *testscript.TestScript, neg bool, args []string) {
				hostileCopsim(ts, neg, bin, args)
			},
		},
	})
}

func hostileCopsim(ts *testscript.TestScript, neg bool, bin string, args []string) {
	if neg {
		ts.Fatalf("copsim: give the expected exit code as the first argument instead of !")
	}
	if len(args) < 1 {
		ts.Fatalf("usage: copsim EXIT [ARGS...]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("copsim: exit code %q is not a number", args[0])
	}
	dir := ts.MkAbs(".")
	before := treeListing(ts, dir)
	// The limit is on address space. The C library that net's resolver
	// links in reserves 64 MB of it per thread for malloc arenas it never
	// fills, about a quarter of the limit with no Go allocation behind
	// it; two arenas leave the limit to what copsim allocates.
	ts.Setenv("MALLOC_ARENA_MAX", "2")
	argv := append([]string{"--as=" + hostileMemory, "--", "timeout", "-s", "KILL", hostileSeconds, bin}, args[1:]...)
	err = ts.Exec("prlimit", argv...)
	got := 0
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		got = ee.ExitCode()
		if got == -1 || got == 137 {
			ts.Fatalf("copsim was killed (deadline %s s or memory %s bytes): it hung or ran away", hostileSeconds, hostileMemory)
		}
	case err != nil:
		ts.Fatalf("copsim: %v", err)
	}
	stderr := ts.ReadFile("stderr")
	for _, crash := range []string{"panic:", "fatal error:", "goroutine ", "runtime stack"} {
		if strings.Contains(stderr, crash) {
			ts.Fatalf("copsim crashed (stderr has %q)", crash)
		}
	}
	if got != want {
		ts.Fatalf("copsim exited %d, want %d", got, want)
	}
	if want != 0 {
		if after := treeListing(ts, dir); !slices.Equal(before, after) {
			ts.Fatalf("copsim failed but changed the folder:\nbefore %v\nafter  %v", before, after)
		}
	}
}

// treeListing names every file and folder under dir with its size, so that
// anything written, even a stray temporary, shows up.
func treeListing(ts *testscript.TestScript, dir string) []string {
	var l []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		size := info.Size()
		if d.IsDir() {
			size = 0
		}
		l = append(l, rel+":"+strconv.FormatInt(size, 10))
		return nil
	})
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		ts.Fatalf("listing %s: %v", dir, err)
	}
	return l
}
