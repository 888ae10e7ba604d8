package main

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"syscall"

	"github.com/copsim/copsim/agents"
	"github.com/copsim/copsim/internal/sat"
	"github.com/copsim/copsim/scenarios"
	"github.com/copsim/copsim/sweep"
)

// byteSize is a flag value in bytes, written as a number with an optional
// unit: 4GB, 512MiB, 1.5G, 2000000000. 0 means no limit.
type byteSize int64

var byteUnits = []struct {
	suffix string
	factor float64
}{
	// longest first, so that "GiB" is not read as "B"
	{"KIB", 1 << 10}, {"MIB", 1 << 20}, {"GIB", 1 << 30}, {"TIB", 1 << 40},
	{"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"TB", 1e12},
	{"K", 1e3}, {"M", 1e6}, {"G", 1e9}, {"T", 1e12}, {"B", 1},
}

func (b *byteSize) Set(s string) error {
	t := strings.ToUpper(strings.TrimSpace(s))
	factor := 1.0
	for _, u := range byteUnits {
		if strings.HasSuffix(t, u.suffix) {
			t, factor = strings.TrimSpace(strings.TrimSuffix(t, u.suffix)), u.factor
			break
		}
	}
	x, err := strconv.ParseFloat(t, 64)
	if err != nil || math.IsNaN(x) || x < 0 || x*factor >= math.MaxInt64 {
		return fmt.Errorf("want an amount of memory such as 4GB, 512MiB or 0 (no limit), got %q", s)
	}
	*b = byteSize(math.Ceil(x * factor))
	return nil
}

func (b *byteSize) String() string { return humanBytes(int64(*b)) }

func (b *byteSize) Type() string { return "bytes" }

// humanBytes writes n bytes with a decimal unit, e.g. "3.2 GB".
func humanBytes(n int64) string {
	switch x := float64(n); {
	case n == 0:
		return "0"
	case x >= 1e12:
		return strconv.FormatFloat(x/1e12, 'f', 1, 64) + " TB"
	case x >= 1e9:
		return strconv.FormatFloat(x/1e9, 'f', 1, 64) + " GB"
	case x >= 1e6:
		return strconv.FormatFloat(x/1e6, 'f', 1, 64) + " MB"
	case x >= 1e3:
		return strconv.FormatFloat(x/1e3, 'f', 1, 64) + " kB"
	}
	return strconv.FormatInt(n, 10) + " B"
}

// availableMemory is the default of --max-memory: what the machine can
// give a new process without swapping (MemAvailable in /proc/meminfo),
// or half the process's address-space limit when that is lower (Go's heap
// grows to about twice its live bytes before it is collected); 0 where
// neither is known, which disables the check.
func availableMemory() int64 {
	var avail int64
	if f, err := os.Open("/proc/meminfo"); err == nil {
		avail = parseMemAvailable(f)
		f.Close()
	}
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_AS, &lim); err == nil && lim.Cur < math.MaxInt64 {
		if half := int64(lim.Cur / 2); avail == 0 || half < avail {
			avail = half
		}
	}
	return avail
}

func parseMemAvailable(r io.Reader) int64 {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) >= 2 && fields[0] == "MemAvailable:" {
			kb, err := strconv.ParseInt(fields[1], 10, 64)
			if err != nil || kb < 0 || kb > math.MaxInt64/1024 {
				return 0
			}
			return kb * 1024
		}
	}
	return 0
}

// checkMemory refuses a run whose estimate exceeds --max-memory, before
// anything starts, with a sentence naming both.
func (f *runFlags) checkMemory(what string, estimate int64) error {
	if f.maxMemory <= 0 || estimate <= int64(f.maxMemory) {
		return nil
	}
	limit := "--max-memory"
	if !f.fs.Changed("max-memory") {
		limit += " (default: the memory available now)"
	}
	return usageError{fmt.Sprintf("%s would need about %s of memory, more than the %s of %s; "+
		"make it smaller (population.people, population.communities, replications, ticks) or raise --max-memory",
		what, humanBytes(estimate), humanBytes(int64(f.maxMemory)), limit)}
}

// sizeInput makes the model's refusal of a size (agents.EstimateMemory's
// error) bad input about the named file.
func sizeInput(name string, err error) error {
	return usageError{fmt.Sprintf("%s: %s", name, err)}
}

// estimateRun is what `copsim run` holds for sc: its worlds and the rows
// it keeps for figures (the time series streams to disk).
func estimateRun(name string, sc scenarios.Scenario, workers int) (int64, error) {
	e, err := agents.EstimateMemory(sc, workers)
	if err != nil {
		return 0, sizeInput(name, err)
	}
	return e, nil
}

// estimateCompare is what `copsim compare` holds: one scenario's worlds at
// a time, and every scenario's rows, kept for the comparison.
func estimateCompare(names []string, scs []scenarios.Scenario, workers int) (int64, error) {
	var worlds, rows int64
	for i, sc := range scs {
		e, err := agents.EstimateMemory(sc, workers)
		if err != nil {
			return 0, sizeInput(names[i], err)
		}
		r, err := agents.RowsMemory(sc)
		if err != nil {
			return 0, sizeInput(names[i], err)
		}
		worlds, rows = max(worlds, e), sat.Add(rows, r)
	}
	return sat.Add(worlds, rows), nil
}

// estimateSweep is what `copsim sweep` holds: a run (one replication on
// one goroutine, rows kept until written) per worker. Sizes grow with
// every numeric parameter, so the largest value each parameter takes in
// the design, all at once, gives an upper bound from one scenario.
func estimateSweep(file string, p *sweep.Plan, workers int) (int64, error) {
	if len(p.Points) == 0 {
		return 0, nil
	}
	largest := map[string]float64{}
	var order []string
	for _, pt := range p.Points {
		for _, set := range pt.Sets {
			k, v, ok := strings.Cut(set, "=")
			x, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			if !ok || err != nil || math.IsNaN(x) {
				continue
			}
			if old, seen := largest[k]; !seen || x > old {
				if !seen {
					order = append(order, k)
				}
				largest[k] = x
			}
		}
	}
	sets := make([]string, 0, len(order))
	for _, k := range order {
		sets = append(sets, k+"="+strconv.FormatFloat(largest[k], 'f', -1, 64))
	}
	sc, err := p.Scenario(0)
	if err != nil {
		return 0, err
	}
	// Should the combination not apply (it always should), point 0 stands
	// for all.
	if big, err := scenarios.ApplySets(sc, sets); err == nil {
		sc = big
	}
	sc.Replications = 1
	run, err := agents.EstimateMemory(sc, 1)
	if err != nil {
		return 0, sizeInput(file, err)
	}
	rows, err := agents.RowsMemory(sc)
	if err != nil {
		return 0, sizeInput(file, err)
	}
	return sat.Mul(sat.Add(run, rows), int64(min(workers, p.Runs()))), nil
}
