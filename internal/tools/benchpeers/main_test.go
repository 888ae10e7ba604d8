package main

import (
	"strings"
	"testing"
)

func TestParseMesa(t *testing.T) {
	var out strings.Builder
	for i, p := range p1s {
		out.WriteString("p1=" + p + " p2=0.5 score/m=0.9" + string(rune('0'+i)) + "1\n")
	}
	vals, err := parseMesa([]byte("noise\n" + out.String()))
	if err != nil {
		t.Fatal(err)
	}
	if vals["0.1"] != 0.901 || vals["0.9"] != 0.981 {
		t.Errorf("parsed %v", vals)
	}
	if _, err := parseMesa([]byte("p1=0.1 p2=0.5 score/m=0.953\n")); err == nil || !strings.Contains(err.Error(), "p1=0.2") {
		t.Errorf("a missing p1: %v", err)
	}
}

func TestReplaceSection(t *testing.T) {
	doc := "# B\n\nintro\n\n## 2026-11-22 — a\n\nold a\n\n## 2026-11-23 — peers\n\nold peers\n\n## 2026-11-24 — c\n\nc\n"
	for _, tc := range []struct{ name, section, want string }{
		{"same heading replaced", "## 2026-11-23 — peers\n\nnew\n\n",
			"# B\n\nintro\n\n## 2026-11-22 — a\n\nold a\n\n## 2026-11-23 — peers\n\nnew\n\n## 2026-11-24 — c\n\nc\n"},
		{"new heading appended", "## 2026-11-25 — peers\n\nnew\n\n", doc + "\n## 2026-11-25 — peers\n\nnew\n\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := replaceSection(doc, tc.section); got != tc.want {
				t.Errorf("got\n%s\nwant\n%s", got, tc.want)
			}
		})
	}
	last := "# B\n\n## 2026-11-23 — peers\n\nold\n"
	if got := replaceSection(last, "## 2026-11-23 — peers\n\nnew\n"); got != "# B\n\n## 2026-11-23 — peers\n\nnew\n" {
		t.Errorf("last section: got %q", got)
	}
}

func TestTolerance(t *testing.T) {
	s := statOf([]float64{0.9, 1, 0.8, 1})
	if s.mean != 0.925 || s.n != 4 {
		t.Fatalf("stat %+v", s)
	}
	// sd = 0.0957; 3·sd·√(2/4) + 0.0005
	if tol := tolerance(s); tol < 0.203 || tol > 0.2040 {
		t.Errorf("tolerance %v", tol)
	}
}

func TestPooled(t *testing.T) {
	a, b := stat{sd: 0.1, n: 11}, stat{sd: 0.3, n: 11}
	// (0.01·10 + 0.09·10) / 20 = 0.05
	if p := pooled([]stat{a, b}, 80); p.n != 80 || p.sd < 0.2236 || p.sd > 0.2237 {
		t.Errorf("pooled %+v", p)
	}
}
