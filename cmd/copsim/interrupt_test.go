package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
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
// has started (its time series spool exists), so it lands while people are
// being set up or inside a tick of 300 000 people; the deadline is only a
// hang guard.
func TestInterrupt(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary; skipped with -short")
	}
	bin := filepath.Join(t.TempDir(), "copsim")
	build := exec.Command(filepath.Join(runtime.GOROOT(), "bin", "go"), "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
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
			// Started: run's spool exists; compare has no spool, so wait for
			// the process to have used some CPU time instead.
			started := func() bool {
				if m, _ := filepath.Glob(filepath.Join(tmp, "copsim-timeseries-*", "*.csv")); len(m) > 0 {
					return true
				}
				return tc.name == "compare" && cpuTicks(cmd.Process.Pid) > 50
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
