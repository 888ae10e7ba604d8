package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Ctrl-C during a long run ends the real binary with exit 130, leaving no
// output folder and no temporary files. The signal is sent once the run
// has started (its time series has gone to a spool file, or the process
// has used half a second of CPU time), so it lands while people are being
// set up or inside a tick of 300 000 people; the deadline is only a hang
// guard.
func TestInterrupt(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary; skipped with -short")
	}
	bin := buildBinary(t)
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"run", []string{"run", "-q", "--reps", "2", "--ticks", "1000000", "--set", "population.people=300000", "baseline"}},
		{"run many reps", []string{"run", "-q", "--reps", "64", "--ticks", "1000000", "--set", "population.people=2000", "baseline"}},
		{"compare", []string{"compare", "-q", "--reps", "2", "--ticks", "1000000", "--set", "population.people=300000", "baseline", "seeding"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			work, tmp := t.TempDir(), t.TempDir()
			out := filepath.Join(work, "results", "x")
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second) // hang guard
			defer cancel()
			cmd := exec.CommandContext(ctx, bin, append(tc.args, "--out", out)...)
			cmd.Dir = work
			cmd.Env = append(os.Environ(), "TMPDIR="+tmp)
			stderr := &syncBuffer{}
			cmd.Stderr = stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			// Started: run's spool has a file (a run keeps a small time
			// series in memory), or the process has used some CPU time.
			started := func() bool {
				if m, _ := filepath.Glob(filepath.Join(tmp, "copsim-timeseries-*", "*.csv")); len(m) > 0 {
					return true
				}
				return cpuTicks(cmd.Process.Pid) > 50
			}
			for !started() {
				if ctx.Err() != nil {
					t.Fatalf("the run did not start; stderr: %s", stderr.String())
				}
				time.Sleep(20 * time.Millisecond)
			}
			if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
				t.Fatal(err)
			}
			err := cmd.Wait()
			if ctx.Err() != nil {
				t.Fatalf("still running 60 s after SIGINT: Ctrl-C did not reach the run; stderr: %s", stderr.String())
			}
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.ExitCode() != exitInterrupted {
				t.Fatalf("exit %v, want %d; stderr: %s", err, exitInterrupted, stderr.String())
			}
			for _, dir := range []string{work, tmp} {
				if ents, _ := os.ReadDir(dir); len(ents) != 0 {
					t.Errorf("%s holds %v after the interrupt, want nothing", dir, ents)
				}
			}
		})
	}
}

// buildBinary builds copsim into a temporary folder.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "copsim")
	build := exec.Command(filepath.Join(runtime.GOROOT(), "bin", "go"), "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// A sweep killed with SIGKILL while it runs (no chance to clean up or
// flush) resumes with the same command: the runs recorded before the kill
// are not run again, and the results equal an uninterrupted sweep's. The
// kill is sent once the record file holds some runs, found by polling.
func TestSweepKilled(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary; skipped with -short")
	}
	bin := buildBinary(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "sweep.yaml")
	sweep := `name: killed
base: march1991
replications: 300
parameters:
  - path: model.socialization
    range: {from: 0.1, to: 0.9, step: 0.1}
`
	if err := os.WriteFile(file, []byte(sweep), 0o644); err != nil {
		t.Fatal(err)
	}
	sweepCmd := func(ctx context.Context, out string) *exec.Cmd {
		return exec.CommandContext(ctx, bin, "sweep", "--no-plots", "--workers", "2", "-o", out, file)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second) // hang guard
	defer cancel()
	ref := filepath.Join(dir, "ref")
	if b, err := sweepCmd(ctx, ref).CombinedOutput(); err != nil {
		t.Fatalf("uninterrupted sweep: %v\n%s", err, b)
	}

	out := filepath.Join(dir, "out")
	cmd := sweepCmd(ctx, out)
	stderr := &syncBuffer{}
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	recorded := func() bool {
		m, _ := filepath.Glob(filepath.Join(out, "runs", "records-*"))
		for _, f := range m {
			if fi, err := os.Stat(f); err == nil && fi.Size() > 8<<10 {
				return true
			}
		}
		return false
	}
	for !recorded() {
		if ctx.Err() != nil {
			t.Fatalf("no runs recorded; stderr: %s", stderr.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	err := cmd.Wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != -1 {
		t.Fatalf("the sweep was not killed while it ran (exit %v): make it longer", err)
	}
	if _, err := os.Stat(filepath.Join(out, "results.csv")); err == nil {
		t.Fatal("the sweep had finished before the kill: make it longer")
	}

	b, err := sweepCmd(ctx, out).CombinedOutput()
	if err != nil {
		t.Fatalf("resumed sweep: %v\n%s", err, b)
	}
	m := regexp.MustCompile(`\((\d+) done before, (\d+) now\)`).FindSubmatch(b)
	if m == nil {
		t.Fatalf("resumed sweep said %q, want its counts", b)
	}
	before, _ := strconv.Atoi(string(m[1]))
	now, _ := strconv.Atoi(string(m[2]))
	t.Logf("killed after %d runs were recorded; %d run on resuming", before, now)
	if before == 0 || before+now != 2700 {
		t.Errorf("resumed with %d runs done before and %d now, want some before and 2700 in all", before, now)
	}
	for _, f := range []string{"results.csv", "design.csv"} {
		want, err1 := os.ReadFile(filepath.Join(ref, f))
		got, err2 := os.ReadFile(filepath.Join(out, f))
		if err := errors.Join(err1, err2); err != nil || !bytes.Equal(want, got) {
			t.Errorf("%s of the killed and resumed sweep differs from the uninterrupted one's (%v)", f, err)
		}
	}
}

// cpuTicks is the user+system CPU time of a process in clock ticks (0 when
// unknown).
func cpuTicks(pid int) int {
	b, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "stat"))
	if err != nil {
		return 0
	}
	// After the command's closing parenthesis: state, then 10 fields, then
	// utime and stime (proc(5)).
	f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+1:]))
	if len(f) < 13 {
		return 0
	}
	u, _ := strconv.Atoi(f[11])
	s, _ := strconv.Atoi(f[12])
	return u + s
}

// syncBuffer is a bytes.Buffer that a child's output and the test can
// use at the same time.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
