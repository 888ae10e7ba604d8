// Command benchpeers times copsim against a peer, a Mesa 3.2 version of
// the same March (1991) model (mesa_march.py beside this file), on one row
// of March's Figure 1: code learning p2 given, socialization p1 = 0.1 …
// 0.9, reps replications each, every run to equilibrium. It exists so that
// the speed claimed against the field's tools is a ratio measured in one
// run on one machine, with both sides' values shown to agree.
//
// Mesa and copsim run in turn, A B A B (pairs times), each timed as whole
// processes: Mesa's one Python process; copsim as one `copsim sweep` of the
// row with its figures, as nine `copsim run --no-plots` processes, and as
// nine `copsim run` processes with their default outputs (figures
// included). The ratios are of medians. Both sides' mean March score/m at
// each p1 must agree within sampling error. The results are written into
// docs/benchmarks.md as a dated section (replacing one of the same date).
//
//	MESA=/path/to/mesa-3.2 make bench-peers
//	go run ./internal/tools/benchpeers -mesa /path/to/mesa-3.2 [-pairs 3]
//
// Mesa is not part of the repository. Set-up on Debian:
//
//	apt-get install python3-numpy python3-pandas python3-scipy python3-tqdm
//	git clone --depth 1 --branch v3.2.0 https://github.com/projectmesa/mesa mesa-3.2
//
// -mesa takes that source tree (or leave it empty when Python already
// imports mesa 3.2).
package main

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"
)

// p1s are the socialization rates of a Figure-1 row.
var p1s = []string{"0.1", "0.2", "0.3", "0.4", "0.5", "0.6", "0.7", "0.8", "0.9"}

// forms are the ways copsim runs the row, with the targets (the
// least ratio to Mesa's whole-process time wanted).
var forms = []struct {
	name, label string
	target      float64
}{
	{"sweep", "one `copsim sweep` of the row, with its figures", 70},
	{"runs-no-plots", "nine `copsim run --no-plots` processes", 40},
	{"runs", "nine `copsim run` processes, default outputs (figures included)", 15},
}

type config struct {
	mesa, python, copsim, doc, p2 string
	pairs, reps                   int
	write                         bool
}

func main() {
	var c config
	flag.StringVar(&c.mesa, "mesa", os.Getenv("MESA"), "a Mesa 3.2 source tree (default $MESA; empty: the mesa Python imports)")
	flag.StringVar(&c.python, "python", os.Getenv("PYTHON"), "the Python to run Mesa with (default $PYTHON, else the first python3 that imports numpy and mesa)")
	flag.StringVar(&c.copsim, "copsim", "", "a copsim binary (default: built from ./cmd/copsim as make build does)")
	flag.StringVar(&c.doc, "doc", "docs/benchmarks.md", "the file the dated section is written into")
	flag.StringVar(&c.p2, "p2", "0.5", "March's code learning rate p2 of the row")
	flag.IntVar(&c.pairs, "pairs", 3, "Mesa/copsim pairs timed in turn (A B A B)")
	flag.IntVar(&c.reps, "reps", 80, "replications at each p1")
	flag.BoolVar(&c.write, "write", true, "write the section into -doc")
	flag.Parse()
	if err := run(c); err != nil {
		fmt.Fprintln(os.Stderr, "benchpeers:", err)
		os.Exit(1)
	}
}

// timing is one timed step: wall time, and the CPU time (user + system)
// of its processes.
type timing struct{ wall, cpu time.Duration }

func run(c config) error {
	tmp, err := os.MkdirTemp("", "benchpeers-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	script, err := filepath.Abs(filepath.Join("internal", "tools", "benchpeers", "mesa_march.py"))
	if err != nil {
		return err
	}
	if _, err := os.Stat(script); err != nil {
		return fmt.Errorf("%v: run from the repository's root (make bench-peers)", err)
	}
	py, env, version, err := findMesa(c.python, c.mesa)
	if err != nil {
		return err
	}
	c.python = py
	if c.copsim == "" {
		c.copsim = filepath.Join(tmp, "copsim")
		build := exec.Command("go", "build", "-o", c.copsim, "./cmd/copsim")
		build.Stderr = os.Stderr
		if err := build.Run(); err != nil {
			return fmt.Errorf("building copsim: %v", err)
		}
	}
	sweepFile := filepath.Join(tmp, "row.yaml")
	if err := os.WriteFile(sweepFile, []byte(sweepYAML(c.p2, c.reps)), 0o644); err != nil {
		return err
	}
	load := loadAverage()
	mesaT := []timing{}
	copsimT := make([][]timing, len(forms))
	var mesaVals map[string]float64
	vals := make([]map[string]stat, len(forms))
	for pair := range c.pairs {
		fmt.Fprintf(os.Stderr, "pair %d of %d: Mesa ...", pair+1, c.pairs)
		var out []byte
		t, err := timed(func() (timing, error) {
			cmd := exec.Command(py, script, c.p2, strconv.Itoa(c.reps))
			cmd.Env = env
			var err error
			out, err = cmd.Output()
			return cpuOf(cmd), errOut(err)
		})
		if err != nil {
			return fmt.Errorf("Mesa: %v", err)
		}
		if mesaVals, err = parseMesa(out); err != nil {
			return err
		}
		mesaT = append(mesaT, t)
		fmt.Fprintf(os.Stderr, " %.1f s; copsim ...", t.wall.Seconds())
		for k, f := range forms {
			dir := filepath.Join(tmp, fmt.Sprintf("%s-%d", f.name, pair))
			t, err := timed(func() (timing, error) { return runForm(c, f.name, sweepFile, dir) })
			if err != nil {
				return fmt.Errorf("copsim, %s: %v", f.label, err)
			}
			copsimT[k] = append(copsimT[k], t)
			if vals[k], err = formValues(f.name, dir); err != nil {
				return err
			}
			fmt.Fprintf(os.Stderr, " %.2f s", t.wall.Seconds())
		}
		fmt.Fprintln(os.Stderr)
	}
	section, ok := report(c, version, load, mesaT, copsimT, mesaVals, vals)
	fmt.Print(section)
	if c.write {
		if err := writeSection(c.doc, section); err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "written into %s\n", c.doc)
	}
	if !ok {
		return errors.New("the two sides' values do not agree within sampling error (see the table)")
	}
	return nil
}

// errOut adds a failed command's standard error to its error.
func errOut(err error) error {
	var ee *exec.ExitError
	if errors.As(err, &ee) && len(ee.Stderr) > 0 {
		return fmt.Errorf("%v: %s", err, bytes.TrimSpace(ee.Stderr))
	}
	return err
}

// timed runs f and adds the wall time around it to the CPU time it reports.
func timed(f func() (timing, error)) (timing, error) {
	start := time.Now()
	t, err := f()
	t.wall = time.Since(start)
	return t, err
}

func cpuOf(cmd *exec.Cmd) timing {
	if cmd.ProcessState == nil {
		return timing{}
	}
	return timing{cpu: cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()}
}

// findMesa finds a Python that imports numpy and Mesa 3.2 (from tree, when
// given), and returns it with its environment and Mesa's version.
func findMesa(python, tree string) (string, []string, string, error) {
	env := os.Environ()
	if tree != "" {
		abs, err := filepath.Abs(tree)
		if err != nil {
			return "", nil, "", err
		}
		// The package folder itself names its parent.
		if _, err := os.Stat(filepath.Join(abs, "__init__.py")); err == nil && filepath.Base(abs) == "mesa" {
			abs = filepath.Dir(abs)
		}
		if _, err := os.Stat(filepath.Join(abs, "mesa", "__init__.py")); err != nil {
			return "", nil, "", fmt.Errorf("%s is not a Mesa source tree (it has no mesa/__init__.py)%s", tree, howToGetMesa)
		}
		env = append(env, "PYTHONPATH="+abs)
	}
	candidates := []string{"python3", "/usr/bin/python3"}
	if python != "" {
		candidates = []string{python}
	}
	var problems []string
	for _, py := range candidates {
		cmd := exec.Command(py, "-c", "import numpy, mesa; print(mesa.__version__)")
		cmd.Env = env
		out, err := cmd.Output()
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s: %v", py, errOut(err)))
			continue
		}
		v := strings.TrimSpace(string(out))
		if !strings.HasPrefix(v, "3.2") {
			problems = append(problems, fmt.Sprintf("%s imports Mesa %s, not 3.2", py, v))
			continue
		}
		return py, env, v, nil
	}
	return "", nil, "", fmt.Errorf("no Python runs the Mesa peer (%s)%s", strings.Join(problems, "; "), howToGetMesa)
}

const howToGetMesa = `
Set-up on Debian: apt-get install python3-numpy python3-pandas python3-scipy python3-tqdm,
and Mesa 3.2's source: git clone --depth 1 --branch v3.2.0 https://github.com/projectmesa/mesa mesa-3.2;
then MESA=mesa-3.2 make bench-peers`

// sweepYAML is the row as a sweep file (examples/sweep-march-figure1.yaml
// at p2 = 0.5 and 80 replications).
func sweepYAML(p2 string, reps int) string {
	return fmt.Sprintf(`name: march-figure1-row
base: march1991
set:
  model.code_learning: %s
replications: %d
parameters:
  - path: model.socialization
    range: {from: 0.1, to: 0.9, step: 0.1}
`, p2, reps)
}

// runForm runs the row as copsim form name, into dir.
func runForm(c config, name, sweepFile, dir string) (timing, error) {
	var total timing
	exe := func(args ...string) error {
		cmd := exec.Command(c.copsim, args...)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		err := cmd.Run()
		t := cpuOf(cmd)
		total.cpu += t.cpu
		if err != nil {
			return fmt.Errorf("copsim %s: %v: %s", strings.Join(args, " "), err, bytes.TrimSpace(stderr.Bytes()))
		}
		return nil
	}
	if name == "sweep" {
		return total, exe("sweep", "-q", "-o", dir, sweepFile)
	}
	for _, p1 := range p1s {
		args := []string{"run", "march1991", "-q", "--set", "model.code_learning=" + c.p2, "--set", "model.socialization=" + p1,
			"--reps", strconv.Itoa(c.reps), "-o", filepath.Join(dir, p1)}
		if name == "runs-no-plots" {
			args = append(args, "--no-plots")
		}
		if err := exe(args...); err != nil {
			return total, err
		}
	}
	return total, nil
}

var mesaLine = regexp.MustCompile(`^p1=([0-9.]+) p2=[0-9.]+ score/m=(-?[0-9.]+)$`)

// parseMesa reads the peer's lines "p1=0.1 p2=0.5 score/m=0.953".
func parseMesa(out []byte) (map[string]float64, error) {
	vals := map[string]float64{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		m := mesaLine.FindStringSubmatch(strings.TrimSpace(sc.Text()))
		if m == nil {
			continue
		}
		v, _ := strconv.ParseFloat(m[2], 64)
		p, _ := strconv.ParseFloat(m[1], 64)
		vals[strconv.FormatFloat(p, 'g', -1, 64)] = v
	}
	for _, p := range p1s {
		if _, ok := vals[p]; !ok {
			return nil, fmt.Errorf("the Mesa peer printed no score for p1=%s; it printed:\n%s", p, out)
		}
	}
	return vals, nil
}

// stat is the mean and standard deviation of March's score/m over runs.
type stat struct {
	mean, sd float64
	n        int
}

func statOf(xs []float64) stat {
	s := stat{n: len(xs)}
	for _, x := range xs {
		s.mean += x
	}
	s.mean /= float64(len(xs))
	for _, x := range xs {
		s.sd += (x - s.mean) * (x - s.mean)
	}
	if len(xs) > 1 {
		s.sd = math.Sqrt(s.sd / float64(len(xs)-1))
	}
	return s
}

// formValues reads copsim's repertoire_score (March's score/m) of each run
// at each p1 from what form name wrote into dir.
func formValues(name, dir string) (map[string]stat, error) {
	runs := map[string][]float64{}
	if name == "sweep" {
		rows, err := readCSV(filepath.Join(dir, "results.csv"))
		if err != nil {
			return nil, err
		}
		for _, r := range rows {
			runs[r["model.socialization"]] = append(runs[r["model.socialization"]], num(r["repertoire_score"]))
		}
	} else {
		for _, p := range p1s {
			rows, err := readCSV(filepath.Join(dir, p, "summary.csv"))
			if err != nil {
				return nil, err
			}
			for _, r := range rows {
				runs[p] = append(runs[p], num(r["repertoire_score"]))
			}
		}
	}
	vals := map[string]stat{}
	for _, p := range p1s {
		if len(runs[p]) == 0 {
			return nil, fmt.Errorf("%s: no runs at p1=%s", dir, p)
		}
		vals[p] = statOf(runs[p])
	}
	return vals, nil
}

func num(s string) float64 {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return math.NaN()
	}
	return v
}

// readCSV reads a CSV file with a header into one map per row.
func readCSV(path string) ([]map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil || len(recs) < 1 {
		return nil, fmt.Errorf("%s: not a CSV file with a header (%v)", path, err)
	}
	var rows []map[string]string
	for _, r := range recs[1:] {
		m := map[string]string{}
		for i, h := range recs[0] {
			if i < len(r) {
				m[h] = r[i]
			}
		}
		rows = append(rows, m)
	}
	return rows, nil
}

func median(ts []time.Duration) time.Duration {
	s := slices.Clone(ts)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func walls(ts []timing) []time.Duration {
	var d []time.Duration
	for _, t := range ts {
		d = append(d, t.wall)
	}
	return d
}

func cpus(ts []timing) []time.Duration {
	var d []time.Duration
	for _, t := range ts {
		d = append(d, t.cpu)
	}
	return d
}

// tolerance is how far the two sides' means at a point may differ: three
// standard errors of the difference of two means of n runs, with the
// standard deviation of copsim's runs standing for both (the same model),
// plus Mesa's rounding to three decimals.
func tolerance(s stat) float64 { return 3*s.sd*math.Sqrt(2/float64(s.n)) + 0.0005 }

// pooled is the spread of the runs of every form at a point, as one sample
// of n runs (n the replications of one side): a steadier estimate than one
// form's runs alone.
func pooled(forms []stat, n int) stat {
	var ss, df float64
	for _, s := range forms {
		ss += s.sd * s.sd * float64(s.n-1)
		df += float64(s.n - 1)
	}
	return stat{sd: math.Sqrt(ss / max(df, 1)), n: n}
}

// report writes the dated section, and whether every form's values agree
// with Mesa's.
func report(c config, mesaVersion, load string, mesaT []timing, copsimT [][]timing, mesaVals map[string]float64, vals []map[string]stat) (string, bool) {
	var b strings.Builder
	date := time.Now().UTC().Format("2006-01-02")
	fmt.Fprintf(&b, "## %s — peers: one row of March's Figure 1, Mesa %s and copsim (`make bench-peers`)\n\n", date, mesaVersion)
	fmt.Fprintf(&b, "Machine: %s, %d cores, load average %s at the start (shared: read ratios, not seconds); %s; %s; copsim %s.\n",
		cpuModel(), runtime.NumCPU(), load, runtime.Version(), pythonVersion(c), gitDescribe())
	fmt.Fprintf(&b, "The row: p2 = %s, p1 = 0.1 … 0.9, %d replications each (%d runs), every run to equilibrium. "+
		"Mesa: `internal/tools/benchpeers/mesa_march.py` on a Mesa %s source tree, one Python process. "+
		"Timed in turn, Mesa then each copsim form (A B A B), pairs: %d; whole processes, wall time; ratios of medians "+
		"(CPU time, user + system, beside them: steadier on a shared machine).\n\n",
		c.p2, c.reps, 9*c.reps, mesaVersion, c.pairs)
	mw, mc := median(walls(mesaT)), median(cpus(mesaT))
	fmt.Fprintf(&b, "| copsim form | Mesa | copsim | ratio (wall) | ratio (CPU) | ratio per pair (wall) | target | met |\n|---|---|---|---|---|---|---|---|\n")
	for k, f := range forms {
		cw, cc := median(walls(copsimT[k])), median(cpus(copsimT[k]))
		ratio := mw.Seconds() / cw.Seconds()
		var per []string
		for i := range copsimT[k] {
			per = append(per, fmt.Sprintf("%.0f×", mesaT[i].wall.Seconds()/copsimT[k][i].wall.Seconds()))
		}
		met := "no"
		if ratio >= f.target {
			met = "yes"
		}
		fmt.Fprintf(&b, "| %s | %.2f s (CPU %.2f s) | %.3f s (CPU %.3f s) | **%.1f×** | %.1f× | %s | ≥ %.0f× | %s |\n",
			f.label, mw.Seconds(), mc.Seconds(), cw.Seconds(), cc.Seconds(), ratio, mc.Seconds()/cc.Seconds(), strings.Join(per, ", "), f.target, met)
	}
	ok := true
	fmt.Fprintf(&b, "\nMarch's score/m at equilibrium, mean over the replications (copsim: `repertoire_score`); "+
		"the sides agree when they differ by at most three standard errors of the difference (the spread of "+
		"copsim's runs standing for both) plus Mesa's rounding:\n\n| p1 | Mesa | copsim sweep | copsim run | allowed difference | agree |\n|---|---|---|---|---|---|\n")
	for _, p := range p1s {
		sw, rn := vals[0][p], vals[1][p]
		// The runs with and without figures are the same runs.
		tol := tolerance(pooled([]stat{sw, rn}, c.reps))
		agree := true
		for k := range forms {
			if math.Abs(vals[k][p].mean-mesaVals[p]) > tol {
				agree = false
			}
		}
		ok = ok && agree
		fmt.Fprintf(&b, "| %s | %.3f | %.3f | %.3f | %.3f | %s |\n", p, mesaVals[p], sw.mean, rn.mean, tol, yesNo(agree))
	}
	fmt.Fprintf(&b, "\n(The nine `copsim run` processes with and without figures give the same values: "+
		"the same scenario and seeds. The sweep's runs have seeds of their own, common across p1.)\n\n")
	return b.String(), ok
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "**no**"
}

func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

func cpuModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return runtime.GOARCH
	}
	for _, line := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.Join(strings.Fields(v), " ")
		}
	}
	return runtime.GOARCH
}

func pythonVersion(c config) string {
	out, err := exec.Command(c.python, "--version").CombinedOutput()
	if err != nil {
		return "Python"
	}
	return strings.TrimSpace(string(out))
}

func gitDescribe() string {
	out, err := exec.Command("git", "describe", "--always", "--dirty").Output()
	if err != nil {
		return "(not in git)"
	}
	return "`" + strings.TrimSpace(string(out)) + "`"
}

// writeSection puts section into the file doc: in the place of a section
// with the same heading, or at the end.
func writeSection(doc, section string) error {
	b, err := os.ReadFile(doc)
	if err != nil {
		return err
	}
	out := replaceSection(string(b), section)
	return os.WriteFile(doc, []byte(out), 0o644)
}

// replaceSection replaces the "## " section of text whose heading is
// section's first line, or appends section.
func replaceSection(text, section string) string {
	heading, _, _ := strings.Cut(section, "\n")
	start := strings.Index(text, heading+"\n")
	if start < 0 {
		if !strings.HasSuffix(text, "\n\n") {
			text = strings.TrimRight(text, "\n") + "\n\n"
		}
		return text + section
	}
	end := len(text)
	if next := strings.Index(text[start+len(heading):], "\n## "); next >= 0 {
		end = start + len(heading) + next + 1
	}
	return text[:start] + section + text[end:]
}
