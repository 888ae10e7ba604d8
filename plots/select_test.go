package plots

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/copsim/copsim/measure"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// manyCommunities returns rows of n communities (named by name) and "all",
// community c having about 5+c%17 members.
func manyCommunities(n, reps, ticks int, name func(int) string) []measure.Row {
	stages := StageNames()
	var rows []measure.Row
	for rep := range reps {
		for tick := range ticks {
			all := measure.Row{Rep: rep, Tick: tick, Community: All}
			for c := range n {
				r := measure.Row{Rep: rep, Tick: tick, Community: name(c),
					Peripheral: 3 + c%17, Active: 1 + tick%3, Core: 1,
					EIIndex: -0.5 + 0.01*float64(c%50), Stage: stages[(c+tick)%len(stages)]}
				r.Members = r.Peripheral + r.Active + r.Core
				all.Members += r.Members
				rows = append(rows, r)
			}
			rows = append(rows, all)
		}
	}
	return rows
}

func plainName(c int) string { return fmt.Sprintf("c%d", c) }

func TestLargest(t *testing.T) {
	rows := []measure.Row{
		{Community: "a", Members: 1}, {Community: "b", Members: 9}, {Community: "c", Members: 5},
		{Community: "d", Members: 5}, {Community: "a", Members: 1}, {Community: "e", Members: 0},
	}
	tests := []struct {
		k           int
		shown, rest []string
	}{
		{5, []string{"a", "b", "c", "d", "e"}, nil},
		{9, []string{"a", "b", "c", "d", "e"}, nil},
		{1, []string{"b"}, []string{"a", "c", "d", "e"}},
		{2, []string{"b", "c"}, []string{"a", "d", "e"}}, // c and d tie: the earlier wins
		{4, []string{"a", "b", "c", "d"}, []string{"e"}}, // shown keep their order
	}
	for _, tt := range tests {
		shown, rest := largest(rows, []string{"a", "b", "c", "d", "e"}, tt.k)
		if !slices.Equal(shown, tt.shown) || !slices.Equal(rest, tt.rest) {
			t.Errorf("largest(k=%d) = %v, %v; want %v, %v", tt.k, shown, rest, tt.shown, tt.rest)
		}
	}
}

func TestSummedRows(t *testing.T) {
	rows := manyCommunities(5, 2, 3, plainName)
	got := summedRows(rows, []string{"c1", "c3"}, "x")
	if len(got) != 2*3 {
		t.Fatalf("%d rows, want one per replication and tick (6)", len(got))
	}
	for _, s := range got {
		var want measure.Row
		for _, r := range rows {
			if r.Rep == s.Rep && r.Tick == s.Tick && (r.Community == "c1" || r.Community == "c3") {
				want.Members += r.Members
				want.Peripheral += r.Peripheral
				want.Active += r.Active
				want.Core += r.Core
			}
		}
		if s.Community != "x" || s.Members != want.Members || s.Peripheral != want.Peripheral ||
			s.Active != want.Active || s.Core != want.Core || s.Outsiders != 0 {
			t.Errorf("rep %d tick %d: %+v, want sums %+v", s.Rep, s.Tick, s, want)
		}
	}
}

func TestShortName(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"c0", "c0"},
		{strings.Repeat("x", 30), strings.Repeat("x", 30)},
		{strings.Repeat("é", 31), strings.Repeat("é", 29) + "…"},
	} {
		if got := shortName(tt.in); got != tt.want {
			t.Errorf("shortName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestWriteRunAnyCommunityCount draws every figure for community counts
// around the points where the layout changes, up to the largest a scenario
// may have, and with names far longer than a legend holds. Before the
// figures degraded, 10 to 20 communities sent the font rasterizer into an
// endless loop and 30 drew empty panels. The deadline only guards against
// such a hang; it is far above the time the figures take.
func TestWriteRunAnyCommunityCount(t *testing.T) {
	t.Parallel()
	long := func(c int) string { return fmt.Sprintf("%s-%d", strings.Repeat("community of practice ", 10), c) }
	tests := []struct {
		n    int
		name func(int) string
	}{
		{2, plainName}, {4, plainName}, {9, plainName}, {10, plainName}, {12, plainName},
		{13, plainName}, {17, plainName}, {20, plainName}, {30, plainName}, {1000, plainName},
		{3, long}, {40, long},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.n, tt.name(0)[:2]), func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
			defer cancel()
			dir := t.TempDir()
			files, err := WriteRunContext(ctx, dir, manyCommunities(tt.n, 2, 4, tt.name), nil, Options{Title: "many"})
			if err != nil {
				t.Fatal(err)
			}
			if len(files) != 10 {
				t.Errorf("%d files, want 10: %v", len(files), files)
			}
		})
	}
}

func TestDrawNoRoom(t *testing.T) {
	img := vgimg.New(10*vg.Centimeter, 10*vg.Centimeter)
	whole := draw.New(img)
	nan := whole
	nan.Max.X = vg.Length(math.NaN())
	tests := []struct {
		name string
		c    draw.Canvas
		ok   bool
	}{
		{"whole", whole, true},
		{"too narrow", draw.Crop(whole, 0, -9.5*vg.Centimeter, 0, 0), false},
		{"negative", draw.Crop(whole, 0, -12*vg.Centimeter, 0, 0), false},
		{"NaN", nan, false},
	}
	for _, tt := range tests {
		p := NewPlot("t", "y")
		err := Draw(p, tt.c)
		if tt.ok != (err == nil) || (err != nil && !errors.Is(err, ErrNoRoom)) {
			t.Errorf("%s: Draw = %v, want ok=%v", tt.name, err, tt.ok)
		}
	}
}

// TestWriteRunContextCancelled: a cancelled context stops before the first
// figure and leaves the folder empty.
func TestWriteRunContextCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	dir := t.TempDir()
	files, err := WriteRunContext(ctx, dir, synthetic(2, 10, false), smallNetwork(), Options{})
	if !errors.Is(err, context.Canceled) || len(files) != 0 {
		t.Errorf("WriteRunContext(cancelled) = %v, %v; want context.Canceled and no files", files, err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("%d entries left in the folder", len(entries))
	}
}
