package validation

import (
	_ "embed"
	"fmt"
	"io"
	"math"
	"strings"
	"text/template"
)

// pageTemplate is docs/validation.md with the numbers left out: the prose
// lives here, the tables and figures come from the Report.
//
//go:embed page.md.tmpl
var pageTemplate string

// WriteMarkdown writes the validation page (docs/validation.md) for r: the
// prose of the embedded template with each result's table and figure
// (img/validation/ID.png, relative to the page; see WriteFigures).
func (r *Report) WriteMarkdown(w io.Writer) error {
	byID := map[string]*Result{}
	for i := range r.Results {
		byID[r.Results[i].ID] = &r.Results[i]
	}
	get := func(id string) (*Result, error) {
		if res, ok := byID[id]; ok {
			return res, nil
		}
		return nil, fmt.Errorf("no result %q", id)
	}
	rowOf := func(id, label string) (*Row, error) {
		res, err := get(id)
		if err != nil {
			return nil, err
		}
		for i := range res.Rows {
			if res.Rows[i].Label == label {
				return &res.Rows[i], nil
			}
		}
		return nil, fmt.Errorf("result %q has no row %q", id, label)
	}
	t, err := template.New("page").Funcs(template.FuncMap{
		"result": get,
		"table":  table,
		// mean is a row's copsim value, for numbers in the prose.
		"mean": func(id, label string) (string, error) {
			rw, err := rowOf(id, label)
			if err != nil {
				return "", err
			}
			return fmt.Sprintf("%.3f", rw.Mean), nil
		},
		"summary": r.summary,
		// levels lists the levels a result varies, for its Setup.
		"levels": func(id string) (string, error) {
			xs, ok := resultLevels[id]
			if !ok {
				return "", fmt.Errorf("no levels for result %q", id)
			}
			return strings.Join(levelLabels(xs), ", "), nil
		},
	}).Parse(pageTemplate)
	if err != nil {
		return err
	}
	return t.Execute(w, r)
}

// resultLevels are the levels each result that varies one setting runs
// at, as the page lists them.
var resultLevels = map[string][]float64{
	"march-fig2-spread":  fig2Spreads,
	"fang2010":           fangLevels,
	"fang2010-structure": fangStructureLevels,
}

// summary is the page's opening table: one line per result.
func (r *Report) summary() string {
	var b strings.Builder
	b.WriteString("| result | kind | unit | replications per cell | rows passing |\n|---|---|---|---|---|\n")
	for _, res := range r.Results {
		n := 0
		for _, rw := range res.Rows {
			if rw.Pass {
				n++
			}
		}
		kind := map[Kind]string{Validation: "validation", Calibration: "calibration target", Extension: "copsim's extension"}[res.Kind]
		fmt.Fprintf(&b, "| [%s](#%s) | %s | %s | %d | %d of %d%s |\n", res.Name, res.ID, kind, res.UnitName,
			res.Replications, n, len(res.Rows), map[bool]string{true: "", false: " **(fails)**"}[res.Pass()])
	}
	return b.String()
}

// table is a result's Markdown table: published value, copsim's with its
// 95 % interval, the difference, the tolerance and whether it passes.
func table(res *Result) string {
	var b strings.Builder
	alt := res.AltUnit != ""
	b.WriteString("| | published | copsim [95 % interval] |")
	if alt {
		fmt.Fprintf(&b, " %s (copsim) |", res.AltUnit)
	}
	b.WriteString(" difference | tolerance | pass |\n|---|---|---|")
	if alt {
		b.WriteString("---|")
	}
	b.WriteString("---|---|---|\n")
	for _, rw := range res.Rows {
		fmt.Fprintf(&b, "| %s | %s | %s |", rw.Label, rw.Published, interval(rw))
		if alt {
			fmt.Fprintf(&b, " %s |", num(rw.Alt))
		}
		d := "—"
		if rw.Claim == Value || rw.Claim == Range {
			d = fmt.Sprintf("%+.3f", rw.Diff)
		}
		pass := "yes"
		switch {
		case rw.Claim == Reported:
			pass = "(reported)"
		case !rw.Pass:
			pass = "**no**"
		}
		fmt.Fprintf(&b, " %s | %s | %s |\n", d, tolerance(rw), pass)
	}
	return b.String()
}

func interval(rw Row) string {
	if math.IsNaN(rw.Lo) {
		return num(rw.Mean)
	}
	return fmt.Sprintf("%s [%s, %s]", num(rw.Mean), num(rw.Lo), num(rw.Hi))
}

func num(x float64) string {
	if math.IsNaN(x) {
		return "—"
	}
	return fmt.Sprintf("%.3f", x)
}

// tolerance says what a row must meet to pass.
func tolerance(rw Row) string {
	switch rw.Claim {
	case Value:
		return fmt.Sprintf("±%.3g", rw.Tolerance)
	case Range:
		return fmt.Sprintf("±%.3g outside the range", rw.Tolerance)
	case Above:
		return fmt.Sprintf("interval above %g", rw.Target)
	}
	return "—"
}
