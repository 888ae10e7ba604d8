package plots

import (
	"bytes"
	"fmt"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"

	"github.com/copsim/copsim/measure"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
)

var nan = math.NaN()

// same reports whether a and b are equal within tol, NaN matching NaN.
func same(a, b []float64, tol float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.IsNaN(a[i]) != math.IsNaN(b[i]) {
			return false
		}
		if !math.IsNaN(a[i]) && math.Abs(a[i]-b[i]) > tol {
			return false
		}
	}
	return true
}

func TestBand(t *testing.T) {
	// t quantiles (0.975) for 1 and 2 degrees of freedom
	const t1, t2 = 12.706204736174698, 4.302652729749464
	tests := []struct {
		name         string
		values       [][]float64
		mean, lo, hi []float64
	}{
		{"empty", nil, nil, nil, nil},
		{"one rep: no band", [][]float64{{1, 2, 3}}, []float64{1, 2, 3}, []float64{1, 2, 3}, []float64{1, 2, 3}},
		{"three reps", [][]float64{{1, 0}, {3, 0}, {5, 0}},
			[]float64{3, 0}, []float64{3 - t2*2/math.Sqrt(3), 0}, []float64{3 + t2*2/math.Sqrt(3), 0}},
		{"NaN left out", [][]float64{{1, nan}, {3, 7}, {nan, nan}},
			[]float64{2, 7}, []float64{2 - t1, 7}, []float64{2 + t1, 7}},
		{"all NaN", [][]float64{{nan}, {nan}}, []float64{nan}, []float64{nan}, []float64{nan}},
		{"unequal lengths", [][]float64{{1, 2, 4}, {3}},
			[]float64{2, 2, 4}, []float64{2 - t1, 2, 4}, []float64{2 + t1, 2, 4}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, lo, hi := Band(tt.values)
			if !same(m, tt.mean, 1e-9) || !same(lo, tt.lo, 1e-6) || !same(hi, tt.hi, 1e-6) {
				t.Errorf("Band(%v) = %v, %v, %v; want %v, %v, %v", tt.values, m, lo, hi, tt.mean, tt.lo, tt.hi)
			}
		})
	}
}

func ExampleBand() {
	// Knowledge of three replications at two ticks.
	values := [][]float64{
		{0.50, 0.60},
		{0.52, 0.64},
		{0.54, 0.68},
	}
	mean, lo, hi := Band(values)
	for i := range mean {
		fmt.Printf("tick %d: %.3f [%.3f, %.3f]\n", i, mean[i], lo[i], hi[i])
	}
	// A single replication has no band.
	mean, lo, hi = Band([][]float64{{0.5}})
	fmt.Println(mean, lo, hi)
	// Output:
	// tick 0: 0.520 [0.470, 0.570]
	// tick 1: 0.640 [0.541, 0.739]
	// [0.5] [0.5] [0.5]
}

func TestSeriesUnequalReps(t *testing.T) {
	var rows []measure.Row
	add := func(rep, tick int, v float64) {
		rows = append(rows, measure.Row{Rep: rep, Tick: tick, Community: "c0", KnowledgeMean: v},
			measure.Row{Rep: rep, Tick: tick, Community: "other", KnowledgeMean: -1})
	}
	// rep 1 stops at equilibrium at tick 2; rep 2 starts at tick 1 and
	// misses tick 3; rep 0 runs to tick 4. Rows in no particular order.
	add(1, 2, 12)
	for tick := 4; tick >= 0; tick-- {
		add(0, tick, float64(tick))
	}
	add(1, 0, 10)
	add(1, 1, 11)
	add(2, 1, 21)
	add(2, 2, 22)
	add(2, 4, 24)
	ticks, values := Series(rows, "c0", func(r measure.Row) float64 { return r.KnowledgeMean })
	if want := []float64{0, 1, 2, 3, 4}; !slices.Equal(ticks, want) {
		t.Fatalf("ticks = %v, want %v", ticks, want)
	}
	want := [][]float64{
		{0, 1, 2, 3, 4},
		{10, 11, 12, 12, 12},  // carried forward after equilibrium
		{nan, 21, 22, 22, 24}, // NaN before its first row, gap carried
	}
	if len(values) != len(want) {
		t.Fatalf("%d reps, want %d", len(values), len(want))
	}
	for r := range want {
		if !same(values[r], want[r], 0) {
			t.Errorf("rep %d: %v, want %v", r, values[r], want[r])
		}
	}
	mean, _, _ := Band(values)
	if !same(mean, []float64{5, 11, 12, 37.0 / 3, 40.0 / 3}, 1e-12) {
		t.Errorf("mean = %v", mean)
	}
	if ticks, values := Series(rows, "nobody", func(r measure.Row) float64 { return 0 }); len(ticks) != 0 || len(values) != 0 {
		t.Errorf("unknown community: %v %v", ticks, values)
	}
}

func TestCommunities(t *testing.T) {
	rows := []measure.Row{{Community: "b"}, {Community: "all"}, {Community: "a"}, {Community: "b"}}
	if got, want := Communities(rows), []string{"all", "b", "a"}; !slices.Equal(got, want) {
		t.Errorf("Communities = %v, want %v", got, want)
	}
}

func TestModalStage(t *testing.T) {
	rows := []measure.Row{
		{Rep: 0, Tick: 0, Community: "c", Stage: "potential"},
		{Rep: 1, Tick: 0, Community: "c", Stage: "coalescing"},
		{Rep: 2, Tick: 0, Community: "c", Stage: "coalescing"},
		// tick 1: a tie between maturing and coalescing goes to the earlier stage
		{Rep: 0, Tick: 1, Community: "c", Stage: "maturing"},
		{Rep: 1, Tick: 1, Community: "c", Stage: "coalescing"},
		{Rep: 2, Tick: 1, Community: "c", Stage: ""},
		// tick 2: rep 0 has ended (carried: maturing), an unknown stage appears
		{Rep: 1, Tick: 2, Community: "c", Stage: "mystery"},
		{Rep: 2, Tick: 2, Community: "c", Stage: "mystery"},
	}
	modes, cats := gridOf(rows, "c").modalStage(StageNames())
	if want := append(StageNames(), "mystery"); !slices.Equal(cats, want) {
		t.Errorf("categories = %v, want %v", cats, want)
	}
	if want := []int{1, 1, 6}; !slices.Equal(modes, want) {
		t.Errorf("modes = %v, want %v", modes, want)
	}
	modes, _ = gridOf([]measure.Row{{Community: "c"}}, "c").modalStage(StageNames())
	if !slices.Equal(modes, []int{-1}) {
		t.Errorf("no stage: modes = %v", modes)
	}
}

func TestAddBand(t *testing.T) {
	p := plot.New()
	xs := []float64{0, 1, 2, 3, 4}
	if err := AddBand(p, xs, []float64{1, 2}, xs, xs, Blue, "x"); err == nil {
		t.Error("lengths differ: no error")
	}
	mean := []float64{1, nan, 2, 3, 4}
	if err := AddBand(p, xs, mean, mean, []float64{2, 3, 4, nan, 5}, Blue, "x"); err != nil {
		t.Fatal(err)
	}
	if got := segments(5, func(i int) bool { return !math.IsNaN(mean[i]) }); len(got) != 2 || !slices.Equal(got[1], []int{2, 3, 4}) {
		t.Errorf("segments = %v", got)
	}
}

// synthetic builds reps × ticks rows for "all", "c0" and "c1". Replication
// rep ends after ticks - 5*rep ticks when unequal is set.
func synthetic(reps, ticks int, unequal bool) []measure.Row {
	stages := StageNames()
	var rows []measure.Row
	for rep := range reps {
		n := ticks
		if unequal {
			n -= 5 * rep
		}
		for tick := range n {
			x := float64(tick) / float64(ticks)
			noise := 0.02 * math.Sin(float64(7*rep+3*tick))
			var sum measure.Row
			for c := range 2 {
				f := float64(c + 1)
				r := measure.Row{
					Rep: rep, Tick: tick, Community: fmt.Sprintf("c%d", c),
					Peripheral: int(20 - 8*x*f), Active: int(3 + 6*x + float64(rep)), Core: int(2 + 4*x*f),
					Outsiders:           40,
					KnowledgeMean:       0.5 + 0.3*x + noise,
					KnowledgeCore:       0.55 + 0.35*x + noise,
					KnowledgePeripheral: 0.5 + 0.2*x - noise,
					RepertoireKnowledge: 0.5 + 0.4*math.Sqrt(x) + noise,
					OutsideTieShare:     0.3 - 0.1*x*f + noise,
					Stage:               stages[min(len(stages)-1, (tick+10*c+rep)/(12+3*c))],
				}
				if tick < 3 {
					r.KnowledgeCore = math.NaN() // no core yet
				}
				r.Members = r.Peripheral + r.Active + r.Core
				rows = append(rows, r)
				sum.Peripheral += r.Peripheral
				sum.Active += r.Active
				sum.Core += r.Core
				sum.Outsiders = r.Outsiders
				sum.KnowledgeMean += r.KnowledgeMean / 2
				sum.KnowledgeCore += r.KnowledgeCore / 2
				sum.KnowledgePeripheral += r.KnowledgePeripheral / 2
				sum.RepertoireKnowledge += r.RepertoireKnowledge / 2
				sum.OutsideTieShare += r.OutsideTieShare / 20
			}
			sum.Rep, sum.Tick, sum.Community = rep, tick, "all"
			sum.Members = sum.Peripheral + sum.Active + sum.Core
			rows = append(rows, sum)
		}
	}
	return rows
}

// smallNetwork has two communities with every role, a few brokers and
// boundary ties.
func smallNetwork() *measure.Network {
	net := &measure.Network{Tick: 49, CommunityNames: []string{"c0", "c1"}}
	roles := []string{"core", "core", "core", "active", "active", "active", "active", "active"}
	for i := range 30 {
		roles = append(roles, "peripheral")
		if i < 8 {
			roles = append(roles, "outsider")
		}
	}
	id := 0
	for c := range 2 {
		for i, role := range roles[:len(roles)-10*c] {
			net.Nodes = append(net.Nodes, measure.Node{
				ID: id, Community: c, Role: role, Knowledge: float64(i%7) / 6,
				Legitimacy: 1 - float64(i)/float64(len(roles)), Broker: i%11 == 3,
			})
			id++
		}
	}
	// ties mostly inside communities, a few across from brokers
	for i, a := range net.Nodes {
		for _, d := range []int{1, 2, 7, 13} {
			j := i + d*(1+i%3)
			if j >= len(net.Nodes) || net.Nodes[j].Community != a.Community {
				continue
			}
			net.Edges = append(net.Edges, measure.Edge{A: i, B: j, Weight: float64((i+j)%10+1) / 10})
		}
		if a.Broker {
			for _, j := range []int{(i * 7) % len(net.Nodes), (i*13 + 5) % len(net.Nodes)} {
				net.Edges = append(net.Edges, measure.Edge{A: i, B: j, Weight: 0.5, Boundary: net.Nodes[j].Community != a.Community})
			}
		}
	}
	return net
}

func TestWriteRun(t *testing.T) {
	t.Parallel()
	rows := synthetic(3, 50, false)
	for _, tc := range []struct {
		name string
		rows []measure.Row
		net  *measure.Network
		opts Options
		want []string
	}{
		{"nil network", rows, nil, Options{},
			[]string{"roles", "roles_by_community", "knowledge", "insularity", "stage"}},
		{"small network", rows, smallNetwork(), Options{Title: "test scenario", Outsiders: true},
			[]string{"roles", "roles_by_community", "knowledge", "insularity", "stage", "network"}},
		{"unequal reps", synthetic(3, 50, true), smallNetwork(), Options{Width: 12 * vg.Centimeter, Height: 8 * vg.Centimeter},
			[]string{"roles", "roles_by_community", "knowledge", "insularity", "stage", "network"}},
		{"one rep, all only", onlyAll(synthetic(1, 10, false)), nil, Options{},
			[]string{"roles", "knowledge", "insularity"}}, // no stages for "all"
		{"no rows, network", nil, smallNetwork(), Options{}, []string{"network"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			if out := os.Getenv("PLOTS_OUT"); out != "" && tc.name == "small network" {
				dir = out
			}
			files, err := WriteRun(dir, tc.rows, tc.net, tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			var want []string
			for _, n := range tc.want {
				want = append(want, filepath.Join(dir, n+".png"), filepath.Join(dir, n+".svg"))
			}
			if !slices.Equal(files, want) {
				t.Errorf("files = %v\nwant %v", files, want)
			}
			for _, f := range files {
				fi, err := os.Stat(f)
				if err != nil {
					t.Error(err)
				} else if fi.Size() < 1000 {
					t.Errorf("%s: only %d bytes", f, fi.Size())
				}
			}
			entries, _ := os.ReadDir(dir)
			if len(entries) != len(files) {
				t.Errorf("%d entries in dir for %d files (temporary files left?)", len(entries), len(files))
			}
		})
	}
}

// TestWriteRunFormat checks the options a journal needs: the PNG's
// resolution and figures without titles.
func TestWriteRunFormat(t *testing.T) {
	t.Parallel()
	rows := synthetic(3, 20, false)
	for _, tc := range []struct {
		name      string
		opts      Options
		width     int  // of knowledge.png, in pixels
		withTitle bool // knowledge.svg holds the title
	}{
		{"defaults", Options{Title: "sc"}, 945, true}, // 16 cm at 150 dpi
		{"300 dpi", Options{Title: "sc", DPI: 300}, 1890, true},
		{"no titles", Options{Title: "sc", NoTitles: true, DPI: 72}, 454, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			if _, err := WriteRun(dir, rows, nil, tc.opts); err != nil {
				t.Fatal(err)
			}
			f, err := os.Open(filepath.Join(dir, "knowledge.png"))
			if err != nil {
				t.Fatal(err)
			}
			cfg, err := png.DecodeConfig(f)
			f.Close()
			if err != nil {
				t.Fatal(err)
			}
			if cfg.Width != tc.width {
				t.Errorf("knowledge.png is %d pixels wide, want %d", cfg.Width, tc.width)
			}
			svg, err := os.ReadFile(filepath.Join(dir, "knowledge.svg"))
			if err != nil {
				t.Fatal(err)
			}
			// The SVG writes each glyph run as text: the title's words are
			// in it when the title is drawn.
			if got := bytes.Contains(svg, []byte("Knowledge, whole")); got != tc.withTitle {
				t.Errorf("title in knowledge.svg: %v, want %v", got, tc.withTitle)
			}
		})
	}
}

func onlyAll(rows []measure.Row) []measure.Row {
	var out []measure.Row
	for _, r := range rows {
		if r.Community == "all" {
			out = append(out, r)
		}
	}
	return out
}

// TestWriteRunDeterministic writes the same figures four times, two pairs
// of concurrent calls drawing 1, 4, 2 and 3 figures at a time, and
// compares the bytes.
func TestWriteRunDeterministic(t *testing.T) {
	t.Parallel()
	rows := synthetic(3, 50, true)
	net := smallNetwork()
	dirs := make([]string, 4)
	files := make([][]string, 4)
	errs := make([]error, 4)
	for pair := range 2 {
		var wg sync.WaitGroup
		for k := 2 * pair; k < 2*pair+2; k++ {
			dirs[k] = t.TempDir()
			wg.Go(func() {
				files[k], errs[k] = WriteRun(dirs[k], rows, net, Options{Title: "determinism", Workers: []int{1, 4, 2, 3}[k]})
			})
		}
		wg.Wait()
	}
	for k := range files {
		if errs[k] != nil {
			t.Fatal(errs[k])
		}
		if len(files[k]) != len(files[0]) {
			t.Fatalf("call %d wrote %d files, call 0 %d", k, len(files[k]), len(files[0]))
		}
		for i, f := range files[k] {
			want, err := os.ReadFile(files[0][i])
			if err != nil {
				t.Fatal(err)
			}
			got, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("call %d: %s differs from call 0", k, filepath.Base(f))
			}
		}
	}
}

// TestWriteRunManyCommunities draws seven communities of one replication
// (no bands), a big network in five communities with long names and a long
// title. Set PLOTS_OUT2=DIR to look at the figures (PLOTS_OUT=DIR for those
// of TestWriteRun's "small network" case).
func TestWriteRunManyCommunities(t *testing.T) {
	t.Parallel()
	net := &measure.Network{Tick: 99}
	roles := []string{"core", "active", "peripheral", "peripheral", "peripheral", "outsider"}
	for c := range 5 {
		net.CommunityNames = append(net.CommunityNames, fmt.Sprintf("community-%d", c))
		for i := range 20 + 15*c {
			net.Nodes = append(net.Nodes, measure.Node{ID: len(net.Nodes), Community: c,
				Role: roles[(i*7+c)%len(roles)], Knowledge: float64(i%5) / 4, Broker: i%13 == 0})
		}
	}
	for i := range net.Nodes {
		for _, d := range []int{1, 5, 11} {
			j := (i + d) % len(net.Nodes)
			net.Edges = append(net.Edges, measure.Edge{A: i, B: j, Weight: 0.5,
				Boundary: net.Nodes[i].Community != net.Nodes[j].Community})
		}
	}
	var rows []measure.Row
	for _, r := range synthetic(1, 60, false) {
		rows = append(rows, r)
		if r.Community == "c1" {
			for k := 2; k < 7; k++ {
				r2 := r
				r2.Community = fmt.Sprintf("c%d", k)
				r2.OutsideTieShare += 0.05 * float64(k)
				r2.Stage = StageNames()[(r.Tick/10+k)%6]
				rows = append(rows, r2)
			}
		}
	}
	dir := os.Getenv("PLOTS_OUT2")
	if dir == "" {
		dir = t.TempDir()
	}
	files, err := WriteRun(dir, rows, net, Options{Title: "a rather long scenario name for over-management"})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 12 {
		t.Errorf("%d files: %v", len(files), files)
	}
}

func TestWriteRunBadDir(t *testing.T) {
	if _, err := WriteRun(filepath.Join(t.TempDir(), "missing"), synthetic(1, 3, false), nil, Options{}); err == nil {
		t.Error("missing dir: no error")
	}
}

func TestLayoutNoOverlap(t *testing.T) {
	net := smallNetwork()
	// a big community: many peripheral nodes spill onto several rings
	for i := range 300 {
		net.Nodes = append(net.Nodes, measure.Node{ID: 1000 + i, Community: 2, Role: "peripheral"})
	}
	net.Nodes = append(net.Nodes, measure.Node{ID: 2000, Community: 2, Role: "core"})
	pos, clusters, _, _ := layoutNetwork(net, 1.6, 1.8)
	if len(clusters) != 3 || clusters[2].name != "community 2" {
		t.Fatalf("clusters = %+v", clusters)
	}
	for i := range pos {
		for j := range i {
			if d := math.Hypot(pos[i].x-pos[j].x, pos[i].y-pos[j].y); d < 0.75 {
				t.Fatalf("nodes %d and %d only %.2f apart", i, j, d)
			}
		}
	}
}

func TestNiceTicks(t *testing.T) {
	labels := func(ts []plot.Tick) []string {
		var l []string
		for _, t := range ts {
			if t.Label != "" {
				l = append(l, t.Label)
			}
		}
		return l
	}
	for _, tc := range []struct {
		lo, hi float64
		n      int
		want   []string
	}{
		{0, 59, 0, []string{"0", "10", "20", "30", "40", "50"}},
		{0, 1, 0, []string{"0.0", "0.2", "0.4", "0.6", "0.8", "1.0"}},
		{-1, 1, 4, []string{"-1.0", "-0.5", "0.0", "0.5", "1.0"}},
		{0, 92, 3, []string{"0", "20", "40", "60", "80"}},
		{3, 3, 0, nil},
	} {
		if got := labels(NiceTicks{N: tc.n}.Ticks(tc.lo, tc.hi)); !slices.Equal(got, tc.want) {
			t.Errorf("NiceTicks{%d}.Ticks(%g, %g) = %v, want %v", tc.n, tc.lo, tc.hi, got, tc.want)
		}
	}
}

// TestSeriesStyle checks that the first 16 series differ in colour or
// dashes.
func TestSeriesStyle(t *testing.T) {
	seen := map[string]int{}
	for i := range 2 * len(Palette) {
		ls := SeriesStyle(i)
		key := fmt.Sprint(ls.Color, len(ls.Dashes) > 0)
		if j, ok := seen[key]; ok {
			t.Errorf("series %d and %d look alike: %s", j, i, key)
		}
		seen[key] = i
	}
}
