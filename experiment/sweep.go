package experiment

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/copsim/copsim/results"
	"github.com/copsim/copsim/scenarios"
	"github.com/copsim/copsim/sim"
)

// Shard is a fixed part of a sweep's runs: run i belongs to shard
// i mod Count. The zero Shard is the whole sweep.
type Shard struct{ Index, Count int }

// Has reports whether run i belongs to the shard.
func (s Shard) Has(i int) bool { return s.Count <= 1 || i%s.Count == s.Index }

func (s Shard) String() string {
	if s.Count == 0 {
		return "all"
	}
	return fmt.Sprintf("%d/%d", s.Index, s.Count)
}

// ShardError is a bad --shard; it is the user's input at fault.
type ShardError struct{ Msg string }

func (e ShardError) Error() string { return e.Msg }

// ParseShard reads --shard: "" (the whole sweep), "I/N" (0 <= I < N), or
// "auto", which takes I from SLURM_ARRAY_TASK_ID (minus
// SLURM_ARRAY_TASK_MIN) and N from SLURM_ARRAY_TASK_COUNT, or I from
// Kubernetes' JOB_COMPLETION_INDEX; shards (--shards), when positive, gives
// N and takes precedence over the environment.
func ParseShard(spec string, shards int, getenv func(string) string) (Shard, error) {
	bad := func(format string, args ...any) (Shard, error) {
		return Shard{}, ShardError{fmt.Sprintf(format, args...)}
	}
	if shards < 0 {
		return bad("--shards must be positive, got %d", shards)
	}
	var i, n int
	switch spec {
	case "":
		if shards > 0 {
			return bad("--shards %d needs --shard auto", shards)
		}
		return Shard{}, nil
	case "auto":
		atoi := func(name string) (int, bool, error) {
			v := strings.TrimSpace(getenv(name))
			if v == "" {
				return 0, false, nil
			}
			x, err := strconv.Atoi(v)
			if err != nil {
				return 0, true, fmt.Errorf("%s=%q is not a whole number", name, v)
			}
			return x, true, nil
		}
		id, ok, err := atoi("SLURM_ARRAY_TASK_ID")
		if err != nil {
			return bad("--shard auto: %v", err)
		}
		if ok {
			lo, _, err := atoi("SLURM_ARRAY_TASK_MIN")
			if err != nil {
				return bad("--shard auto: %v", err)
			}
			cnt, okc, err := atoi("SLURM_ARRAY_TASK_COUNT")
			if err != nil {
				return bad("--shard auto: %v", err)
			}
			i, n = id-lo, cnt
			if shards > 0 {
				n = shards
			} else if !okc {
				return bad("--shard auto: SLURM_ARRAY_TASK_COUNT is not set; give the shard count with --shards N")
			}
		} else {
			idx, ok, err := atoi("JOB_COMPLETION_INDEX")
			if err != nil {
				return bad("--shard auto: %v", err)
			}
			if !ok {
				return bad("--shard auto: neither SLURM_ARRAY_TASK_ID nor JOB_COMPLETION_INDEX is set; use --shard I/N outside a job array")
			}
			if shards == 0 {
				return bad("--shard auto with JOB_COMPLETION_INDEX needs the shard count: --shards N (the job's completions)")
			}
			i, n = idx, shards
		}
	default:
		a, b, ok := strings.Cut(spec, "/")
		var e1, e2 error
		i, e1 = strconv.Atoi(a)
		n, e2 = strconv.Atoi(b)
		if !ok || e1 != nil || e2 != nil {
			return bad("--shard %q: must be I/N (such as 0/4, shards counted from 0) or auto", spec)
		}
		if shards > 0 && shards != n {
			return bad("--shard %s disagrees with --shards %d", spec, shards)
		}
	}
	if n < 1 {
		return bad("--shard: the shard count must be at least 1, got %d", n)
	}
	if i < 0 || i >= n {
		return bad("--shard: shard %d is outside its count: with %d shards the index runs from 0 to %d", i, n, n-1)
	}
	return Shard{Index: i, Count: n}, nil
}

// PlanFile is the name of the plan in a sweep folder.
const PlanFile = "sweep.json"

func runFile(dir string, i int) string { return filepath.Join(dir, "runs", fmt.Sprintf("%07d.csv", i)) }
func seriesFile(dir string, i int) string {
	return filepath.Join(dir, "runs", fmt.Sprintf("%07d.ts.csv", i))
}

// planBytes is the canonical form of the plan, written as sweep.json.
func planBytes(p *Plan) ([]byte, error) {
	b, err := json.MarshalIndent(p, "", "  ")
	return append(b, '\n'), err
}

// ReadPlan reads a sweep folder's plan.
func ReadPlan(dir string) (*Plan, []byte, error) {
	b, err := os.ReadFile(filepath.Join(dir, PlanFile))
	if err != nil {
		return nil, nil, fmt.Errorf("%s: not a sweep folder: %w", dir, err)
	}
	var p Plan
	if err := json.Unmarshal(b, &p); err != nil {
		return nil, nil, fmt.Errorf("%s: %w", filepath.Join(dir, PlanFile), err)
	}
	return &p, b, nil
}

// ErrDifferentSweep is returned when an output folder holds another sweep.
var ErrDifferentSweep = errors.New("holds a different sweep")

// Prepare makes out a folder for the plan, or checks that it already is
// one (resuming). Shards of one sweep may share the folder.
func Prepare(out string, p *Plan) error {
	b, err := planBytes(p)
	if err != nil {
		return err
	}
	old, err := os.ReadFile(filepath.Join(out, PlanFile))
	switch {
	case err == nil:
		if !bytes.Equal(old, b) {
			return fmt.Errorf("%s %w (its %s differs from this sweep); choose another --out", out, ErrDifferentSweep, PlanFile)
		}
	case errors.Is(err, fs.ErrNotExist):
		if entries, err := os.ReadDir(out); err == nil && len(entries) > 0 {
			if _, err := os.Stat(filepath.Join(out, "runs")); err != nil {
				return fmt.Errorf("%s: exists and is not a sweep folder; choose another --out", out)
			}
		}
		if err := os.MkdirAll(out, 0o755); err != nil {
			return err
		}
		if err := writeFileAtomic(filepath.Join(out, PlanFile), b); err != nil {
			return err
		}
	default:
		return err
	}
	return os.MkdirAll(filepath.Join(out, "runs"), 0o755)
}

// Status counts a sweep's runs.
type Status struct {
	Total   int // runs of the sweep
	InShard int // runs of this shard
	Skipped int // already done before this call
	Ran     int // done by this call
}

// RunOptions control Execute; none of them changes a result.
type RunOptions struct {
	Workers  int
	Shard    Shard
	Progress func(done, total int) // runs of this call
}

// scenarioOf is the scenario of one run.
func (p *Plan) scenarioOf(point, rep int) (scenarios.Scenario, error) {
	sets := append(append([]string(nil), p.Points[point].Sets...),
		"seed="+strconv.FormatUint(p.RunSeed(point, rep), 10), "replications=1")
	return scenarios.ApplySets(p.base, sets)
}

func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-=/:,+") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// Rerun is the command that repeats one run of the sweep alone: its
// summary.csv row equals the run's row in results.csv.
func (p *Plan) Rerun(point, rep int) string {
	var b strings.Builder
	b.WriteString("copsim run " + shellQuote(p.Base))
	for _, s := range p.Fixed {
		b.WriteString(" --set " + shellQuote(s))
	}
	for _, s := range p.Points[point].Sets {
		b.WriteString(" --set " + shellQuote(s))
	}
	fmt.Fprintf(&b, " --seed %d --reps 1", p.RunSeed(point, rep))
	return b.String()
}

// ResultsHeader names the columns of results.csv.
func (p *Plan) ResultsHeader() []string {
	h := []string{"run", "point", "rep", "seed"}
	h = append(h, p.Params...)
	h = append(h, results.SummaryHeader[2:]...)
	return append(h, "rerun")
}

// Execute runs the shard's runs that are not done yet in out (prepared by
// Prepare), in parallel, recording each finished run atomically in
// out/runs. It stops early with ctx's error; what finished stays recorded.
func Execute(ctx context.Context, out string, p *Plan, opt RunOptions) (Status, error) {
	st := Status{Total: p.Runs()}
	var todo []int
	for i := 0; i < p.Runs(); i++ {
		if !opt.Shard.Has(i) {
			continue
		}
		st.InShard++
		if _, err := os.Stat(runFile(out, i)); err == nil {
			st.Skipped++
			continue
		}
		todo = append(todo, i)
	}
	workers := max(1, opt.Workers)
	var next, done atomic.Int64
	var wg sync.WaitGroup
	var mu sync.Mutex
	var firstErr error
	cctx, cancel := context.WithCancel(ctx)
	defer cancel()
	for w := 0; w < min(workers, len(todo)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				k := int(next.Add(1)) - 1
				if k >= len(todo) || cctx.Err() != nil {
					return
				}
				if err := runOne(cctx, out, p, todo[k]); err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
					cancel()
					return
				}
				d := done.Add(1)
				if opt.Progress != nil {
					opt.Progress(int(d), len(todo))
				}
			}
		}()
	}
	wg.Wait()
	st.Ran = int(done.Load())
	if err := ctx.Err(); err != nil {
		return st, err
	}
	return st, firstErr
}

// runOne runs run i and records it: the time series first (when asked
// for), then the results row, whose presence marks the run done.
func runOne(ctx context.Context, out string, p *Plan, i int) error {
	point, rep := i/p.Replications, i%p.Replications
	sc, err := p.scenarioOf(point, rep)
	if err != nil {
		return fmt.Errorf("run %d: %w", i, err)
	}
	res, err := sim.Run(ctx, sc, sim.Options{Workers: 1})
	if err != nil {
		return err
	}
	if p.Timeseries {
		var buf bytes.Buffer
		cw := csv.NewWriter(&buf)
		for _, r := range res.Rows {
			r.Rep = rep
			cw.Write(append([]string{strconv.Itoa(i), strconv.Itoa(point)}, results.TimeseriesRecord(r)...))
		}
		cw.Flush()
		if err := writeFileAtomic(seriesFile(out, i), buf.Bytes()); err != nil {
			return err
		}
	}
	s := res.Summaries[0]
	rec := []string{strconv.Itoa(i), strconv.Itoa(point), strconv.Itoa(rep), strconv.FormatUint(sc.Seed, 10)}
	rec = append(rec, p.Points[point].Values...)
	rec = append(rec, results.SummaryRecord(s)[2:]...)
	rec = append(rec, p.Rerun(point, rep))
	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	cw.Write(rec)
	cw.Flush()
	return writeFileAtomic(runFile(out, i), buf.Bytes())
}

// Missing lists the runs not recorded in dir.
func Missing(dir string, p *Plan) []int {
	var miss []int
	for i := 0; i < p.Runs(); i++ {
		if _, err := os.Stat(runFile(dir, i)); err != nil {
			miss = append(miss, i)
		}
	}
	return miss
}

// writeStreamAtomic fills path through a temporary file renamed at the end.
func writeStreamAtomic(path string, fill func(w io.Writer) error) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-")
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(f)
	err = fill(bw)
	if err == nil {
		err = bw.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(f.Name(), 0o644)
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		os.Remove(f.Name())
	}
	return err
}

func copyFile(w io.Writer, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(w, f)
	return err
}

// Assemble writes a finished sweep's dataset into dir from dir/runs, in
// run order: results.csv (a row per run), design.csv (a row per point),
// timeseries.csv (when the plan asks for it) and, with plots, plots/. The
// data files depend only on the plan and the runs, so a merged sweep's are
// byte-identical to an unsharded one's.
func Assemble(dir string, p *Plan, withPlots bool) error {
	if miss := Missing(dir, p); len(miss) > 0 {
		return fmt.Errorf("%s: %d of %d runs are not done (first: run %d)", dir, len(miss), p.Runs(), miss[0])
	}
	err := writeStreamAtomic(filepath.Join(dir, "results.csv"), func(w io.Writer) error {
		cw := csv.NewWriter(w)
		if err := cw.Write(p.ResultsHeader()); err != nil {
			return err
		}
		cw.Flush()
		for i := 0; i < p.Runs(); i++ {
			if err := copyFile(w, runFile(dir, i)); err != nil {
				return err
			}
		}
		return cw.Error()
	})
	if err != nil {
		return err
	}
	err = writeStreamAtomic(filepath.Join(dir, "design.csv"), func(w io.Writer) error {
		cw := csv.NewWriter(w)
		cw.Write(append([]string{"point"}, p.Params...))
		for k, pt := range p.Points {
			cw.Write(append([]string{strconv.Itoa(k)}, pt.Values...))
		}
		cw.Flush()
		return cw.Error()
	})
	if err != nil {
		return err
	}
	if p.Timeseries {
		err = writeStreamAtomic(filepath.Join(dir, "timeseries.csv"), func(w io.Writer) error {
			cw := csv.NewWriter(w)
			cw.Write(append([]string{"run", "point"}, results.TimeseriesHeader...))
			cw.Flush()
			for i := 0; i < p.Runs(); i++ {
				if err := copyFile(w, seriesFile(dir, i)); err != nil {
					return err
				}
			}
			return cw.Error()
		})
		if err != nil {
			return err
		}
	}
	if withPlots {
		pdir := filepath.Join(dir, "plots")
		if err := os.MkdirAll(pdir, 0o755); err != nil {
			return err
		}
		if _, err := WriteSweepPlots(pdir, p, filepath.Join(dir, "results.csv")); err != nil {
			return err
		}
	}
	return nil
}

// Merge joins the folders of a sweep's shards into a new folder out
// (written atomically): the plan, every run, and the assembled dataset.
// The shards must hold the same plan and together every run.
func Merge(out string, dirs []string, withPlots bool) (*Plan, error) {
	if len(dirs) == 0 {
		return nil, ShardError{"merge needs at least one sweep folder"}
	}
	p, ref, err := ReadPlan(dirs[0])
	if err != nil {
		return nil, err
	}
	for _, d := range dirs[1:] {
		_, b, err := ReadPlan(d)
		if err != nil {
			return nil, err
		}
		if !bytes.Equal(b, ref) {
			return nil, fmt.Errorf("%s and %s hold different sweeps (their %s differ)", dirs[0], d, PlanFile)
		}
	}
	src := make([]string, p.Runs())
	var miss []int
	for i := range src {
		for _, d := range dirs {
			if _, err := os.Stat(runFile(d, i)); err == nil {
				src[i] = d
				break
			}
		}
		if src[i] == "" {
			miss = append(miss, i)
		}
	}
	if len(miss) > 0 {
		return nil, fmt.Errorf("%d of %d runs are in none of the folders (first: run %d); finish every shard, then merge", len(miss), p.Runs(), miss[0])
	}
	err = results.Atomic(out, func(tmp string) error {
		if err := os.WriteFile(filepath.Join(tmp, PlanFile), ref, 0o644); err != nil {
			return err
		}
		if err := os.Mkdir(filepath.Join(tmp, "runs"), 0o755); err != nil {
			return err
		}
		for i, d := range src {
			files := []func(string, int) string{runFile}
			if p.Timeseries {
				files = append(files, seriesFile)
			}
			for _, name := range files {
				b, err := os.ReadFile(name(d, i))
				if err != nil {
					return err
				}
				if err := os.WriteFile(name(tmp, i), b, 0o644); err != nil {
					return err
				}
			}
		}
		return Assemble(tmp, p, withPlots)
	})
	return p, err
}

// Scenario is the scenario of a point's first replication, as the sweep
// runs it (for estimates made before running).
func (p *Plan) Scenario(point int) (scenarios.Scenario, error) { return p.scenarioOf(point, 0) }
