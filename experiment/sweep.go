package experiment

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/copsim/copsim/agents"
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

// ReadPlan reads a sweep folder's plan and checks that it describes a sweep
// within the bounds LoadSweep enforces, so that a damaged or hand-made
// sweep.json cannot ask merge for an impossible number of runs.
func ReadPlan(dir string) (*Plan, []byte, error) {
	name := filepath.Join(dir, PlanFile)
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return nil, nil, fmt.Errorf("%s: not a sweep folder (no such folder)", dir)
	}
	fi, err := os.Stat(name)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, nil, fmt.Errorf("%s: not a sweep folder (it has no %s)", dir, PlanFile)
	case err != nil:
		return nil, nil, fmt.Errorf("%s: cannot be read: %v", name, unwrapPath(err))
	case !fi.Mode().IsRegular():
		return nil, nil, fmt.Errorf("%s: is not a regular file", name)
	case fi.Size() > maxPlanBytes:
		return nil, nil, fmt.Errorf("%s: is %d bytes; a sweep plan is at most %d", name, fi.Size(), maxPlanBytes)
	}
	b, err := os.ReadFile(name)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: cannot be read: %v", name, unwrapPath(err))
	}
	var p Plan
	if err := json.Unmarshal(b, &p); err != nil {
		return nil, nil, fmt.Errorf("%s: is not a sweep plan written by copsim sweep (it is not valid JSON of that form)", name)
	}
	if msg := p.check(); msg != "" {
		return nil, nil, fmt.Errorf("%s: is not a valid sweep plan: %s", name, msg)
	}
	return &p, b, nil
}

// maxPlanBytes bounds sweep.json: MaxSweepCells values of at most
// MaxSweepValueBytes each, twice (sets and values), and the rest.
const maxPlanBytes = 4*MaxSweepCells*(MaxSweepValueBytes+8) + MaxSweepFileBytes

// check returns why a plan read from a file is not one LoadSweep could
// have made, or "".
func (p *Plan) check() string {
	switch {
	case len(p.Points) < 1 || len(p.Points) > MaxSweepPoints:
		return fmt.Sprintf("it has %d points; a sweep has 1 to %d", len(p.Points), MaxSweepPoints)
	case p.Replications < 1 || p.Replications > scenarios.MaxReplications:
		return fmt.Sprintf("it has %d replications; a sweep has 1 to %d", p.Replications, scenarios.MaxReplications)
	case len(p.Points)*p.Replications > MaxSweepRuns:
		return fmt.Sprintf("it has %d runs; a sweep has at most %d", len(p.Points)*p.Replications, MaxSweepRuns)
	case scenarios.CheckName(p.Name) != nil:
		return fmt.Sprintf("its name %s", scenarios.CheckName(p.Name))
	}
	for k, pt := range p.Points {
		if len(pt.Values) != len(p.Params) {
			return fmt.Sprintf("point %d has %d values for %d parameters", k, len(pt.Values), len(p.Params))
		}
	}
	return ""
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
		// runs/ first: a folder left by a Prepare killed before the plan
		// was written is then still recognised as a sweep folder.
		if err := os.MkdirAll(filepath.Join(out, "runs"), 0o755); err != nil {
			return err
		}
		removeTemps(out, func(string) bool { return true })
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
	if point < 0 || point >= len(p.Points) {
		return ""
	}
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
	// Temporaries of this shard's runs are left by a killed process; other
	// shards sharing the folder may be writing theirs.
	removeTemps(filepath.Join(out, "runs"), func(name string) bool {
		i, ok := runOfTemp(name)
		return ok && opt.Shard.Has(i)
	})
	var todo []int
	for i := 0; i < p.Runs(); i++ {
		if !opt.Shard.Has(i) {
			continue
		}
		st.InShard++
		// A run counts as done only when its files hold what a run writes:
		// an empty or damaged file (a crash, a full disk) is run again.
		if CheckRun(out, p, i) == nil {
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
	if p.Timeseries {
		// A time series left by an earlier attempt must not stand beside
		// this attempt's results row.
		if err := os.Remove(seriesFile(out, i)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	res, err := agents.Run(ctx, sc, sim.Options{Workers: 1})
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

// Missing lists the runs not recorded in dir, or recorded in a file that
// does not hold what a run writes.
func Missing(dir string, p *Plan) []int {
	var miss []int
	for i := 0; i < p.Runs(); i++ {
		if CheckRun(dir, p, i) != nil {
			miss = append(miss, i)
		}
	}
	return miss
}

// CheckRun reports whether run i is recorded in dir: its results row (and,
// when the plan asks for one, its time series) present and whole, naming
// the run, point, replication and seed that the plan gives it. A run not
// recorded at all gives an error that wraps fs.ErrNotExist.
func CheckRun(dir string, p *Plan, i int) error {
	point, rep := i/p.Replications, i%p.Replications
	name := runFile(dir, i)
	b, err := readRunFile(name)
	if err != nil {
		return err
	}
	want := len(p.ResultsHeader())
	head := []string{strconv.Itoa(i), strconv.Itoa(point), strconv.Itoa(rep), strconv.FormatUint(p.RunSeed(point, rep), 10)}
	recs, err := csvRecords(b)
	switch {
	case err != nil:
		return fmt.Errorf("%s: is damaged (%s)", name, err)
	case len(recs) != 1:
		return fmt.Errorf("%s: is damaged (it holds %d rows; a run file holds 1)", name, len(recs))
	case len(recs[0]) != want:
		return fmt.Errorf("%s: is damaged (its row has %d columns; this sweep's have %d)", name, len(recs[0]), want)
	case !slices.Equal(recs[0][:4], head):
		return fmt.Errorf("%s: belongs to another run (it starts %s, run %d starts %s)", name, clip(strings.Join(recs[0][:4], ",")), i, strings.Join(head, ","))
	case !slices.Equal(recs[0][4:4+len(p.Params)], p.Points[point].Values):
		return fmt.Errorf("%s: belongs to another sweep (its parameter values differ from point %d's)", name, point)
	}
	if !p.Timeseries {
		return nil
	}
	name = seriesFile(dir, i)
	if b, err = readRunFile(name); err != nil {
		return err
	}
	if recs, err = csvRecords(b); err != nil {
		return fmt.Errorf("%s: is damaged (%s)", name, err)
	}
	for k, r := range recs {
		if len(r) != len(results.TimeseriesHeader)+2 || r[0] != head[0] || r[1] != head[1] {
			return fmt.Errorf("%s: is damaged (row %d is not a row of run %d's time series)", name, k+1, i)
		}
	}
	return nil
}

// readRunFile reads a file of runs/, refusing what a run cannot have
// written: not a regular file, empty, or not ended by a line break (cut
// short).
func readRunFile(name string) ([]byte, error) {
	fi, err := os.Lstat(name)
	switch {
	case err != nil:
		return nil, fmt.Errorf("%s: %w", name, unwrapPath(err))
	case !fi.Mode().IsRegular():
		return nil, fmt.Errorf("%s: is not a regular file", name)
	case fi.Size() == 0:
		return nil, fmt.Errorf("%s: is empty (a run cut short)", name)
	case fi.Size() > maxRunFileBytes:
		return nil, fmt.Errorf("%s: is %d bytes, more than a run writes", name, fi.Size())
	}
	b, err := os.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, unwrapPath(err))
	}
	if len(b) == 0 || b[len(b)-1] != '\n' {
		return nil, fmt.Errorf("%s: is cut short (it does not end with a line break)", name)
	}
	return b, nil
}

// maxRunFileBytes bounds a file of runs/: a time series of MaxTicks rows
// for MaxCommunities communities (plus a total) at most 1 KB each.
const maxRunFileBytes = int64(scenarios.MaxTicks) * (scenarios.MaxCommunities + 1) * 1024

func csvRecords(b []byte) ([][]string, error) {
	r := csv.NewReader(bytes.NewReader(b))
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return nil, fmt.Errorf("not CSV at line %d", pe.Line)
		}
		return nil, errors.New("not CSV")
	}
	return recs, nil
}

// removeTemps removes the temporaries (.NAME.tmp-*) that writeFileAtomic
// and writeStreamAtomic leave in dir when the process is killed, those
// whose name mine accepts.
func removeTemps(dir string, mine func(name string) bool) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if n := e.Name(); strings.HasPrefix(n, ".") && strings.Contains(n, ".tmp-") && mine(n) {
			os.RemoveAll(filepath.Join(dir, n))
		}
	}
}

// runOfTemp is the run a temporary of runs/ belongs to
// (.0000012.csv.tmp-123 or .0000012.ts.csv.tmp-123).
func runOfTemp(name string) (int, bool) {
	digits, _, ok := strings.Cut(strings.TrimPrefix(name, "."), ".")
	if !ok || len(digits) != 7 {
		return 0, false
	}
	i, err := strconv.Atoi(digits)
	return i, err == nil
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
	if err == nil {
		err = f.Sync()
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
		return err
	}
	return syncDir(filepath.Dir(path))
}

// syncDir makes a rename in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
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

// ManifestFile is written last into an assembled sweep folder: a folder
// without it is incomplete (an assembly was interrupted, or it is a shard's
// folder, which merge assembles).
const ManifestFile = "manifest.json"

// Manifest lists the data files of an assembled sweep folder.
type Manifest struct {
	Copsim   string         `json:"copsim_version"`
	Name     string         `json:"name"`
	Runs     int            `json:"runs"`
	Complete bool           `json:"complete"`
	Files    []ManifestItem `json:"files"`
}

// ManifestItem is one data file of a sweep folder.
type ManifestItem struct {
	Name   string `json:"name"`
	Bytes  int64  `json:"bytes"`
	SHA256 string `json:"sha256"`
}

// Assemble writes a finished sweep's dataset into dir from dir/runs, in
// run order: results.csv (a row per run), design.csv (a row per point),
// timeseries.csv (when the plan asks for it), with plots plots/, and last
// manifest.json, which marks the folder complete. The data files depend
// only on the plan and the runs, so a merged sweep's are byte-identical to
// an unsharded one's.
func Assemble(dir string, p *Plan, withPlots bool) error {
	if miss := Missing(dir, p); len(miss) > 0 {
		return fmt.Errorf("%s: %d of %d runs are not done (first: run %d: %v)", dir, len(miss), p.Runs(), miss[0], CheckRun(dir, p, miss[0]))
	}
	// Until the new manifest is written, the folder is not complete.
	if err := os.Remove(filepath.Join(dir, ManifestFile)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if err := syncDir(dir); err != nil {
		return err
	}
	everyTemp := func(string) bool { return true }
	removeTemps(dir, everyTemp)
	removeTemps(filepath.Join(dir, "plots"), everyTemp)
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
	return writeManifest(dir, p)
}

// writeManifest records the data files of dir, durably, as the last step.
func writeManifest(dir string, p *Plan) error {
	m := Manifest{Copsim: results.Version, Name: p.Name, Runs: p.Runs(), Complete: true}
	names := []string{PlanFile, "results.csv", "design.csv"}
	if p.Timeseries {
		names = append(names, "timeseries.csv")
	}
	for _, n := range names {
		f, err := os.Open(filepath.Join(dir, n))
		if err != nil {
			return err
		}
		h := sha256.New()
		size, err := io.Copy(h, f)
		f.Close()
		if err != nil {
			return err
		}
		m.Files = append(m.Files, ManifestItem{Name: n, Bytes: size, SHA256: hex.EncodeToString(h.Sum(nil))})
	}
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	return writeFileAtomic(filepath.Join(dir, ManifestFile), append(b, '\n'))
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
	// Each run from the first folder that holds it whole; a run that no
	// folder holds whole is refused with what is wrong with it.
	src := make([]string, p.Runs())
	var miss []int
	for i := range src {
		for _, d := range dirs {
			if CheckRun(d, p, i) == nil {
				src[i] = d
				break
			}
		}
		if src[i] == "" {
			miss = append(miss, i)
		}
	}
	if len(miss) > 0 {
		for _, d := range dirs {
			if err := CheckRun(d, p, miss[0]); !errors.Is(err, fs.ErrNotExist) {
				return nil, fmt.Errorf("%d of %d runs are in none of the folders as a whole run file (first: run %d); %v; run that shard again (copsim sweep resumes it), then merge", len(miss), p.Runs(), miss[0], err)
			}
		}
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
