package sweep

import (
	"encoding/base64"
	"fmt"
	"html/template"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/copsim/copsim/compare"
	"github.com/copsim/copsim/results"
)

// A parameter "drives" an outcome when its index is at least driveShare
// of the largest one's, and "hardly matters" below slightShare of it;
// noise above noisyShare earns a caveat.
const (
	driveShare  = 0.25
	slightShare = 0.05
	noisyShare  = 0.2
)

// IndexSentences says in plain words, for each outcome of a sensitivity
// design, which parameters drive it and which hardly matter, ranked by
// the total index (Sobol) or μ* (Morris), from the rows of indices.csv.
func IndexSentences(p *Plan, dir string) ([]string, error) {
	rows, err := readIndices(filepath.Join(dir, "indices.csv"))
	if err != nil {
		return nil, err
	}
	noise, err := readNoise(filepath.Join(dir, "indices.csv"))
	if err != nil {
		return nil, err
	}
	rank := "ST"
	if p.Design == morris {
		rank = "mu_star"
	}
	var out []string
	for _, o := range p.Outcomes {
		type pv struct {
			name string
			v    float64
		}
		var ps []pv
		for _, r := range rows {
			if r.outcome == o && r.index == rank {
				ps = append(ps, pv{strings.TrimPrefix(strings.TrimPrefix(r.param, "model."), "population."), r.v})
			}
		}
		label := compare.Label(o)
		if len(ps) == 0 {
			out = append(out, fmt.Sprintf("No indices for %s: it was not measured at some point (NA).", label))
			continue
		}
		sort.SliceStable(ps, func(a, b int) bool { return ps[a].v > ps[b].v })
		top := ps[0].v
		var drive, slight []string
		for _, x := range ps {
			switch {
			case top > 0 && x.v >= driveShare*top:
				drive = append(drive, x.name)
			case x.v <= slightShare*top:
				slight = append(slight, x.name)
			}
		}
		s := upperFirst(label) + ": no parameter moves it."
		if top > 0 {
			s = fmt.Sprintf("%s: driven mostly by %s", upperFirst(label), list(drive))
			if len(slight) > 0 {
				verb := "hardly matter"
				if len(slight) == 1 {
					verb = "hardly matters"
				}
				s += fmt.Sprintf("; %s %s", list(slight), verb)
			}
			s += "."
		}
		if n, ok := noise[o]; ok && n > noisyShare {
			s += fmt.Sprintf(" Replication noise is %.0f %% of the variation between points: more replications per point would sharpen this.", 100*n)
		}
		out = append(out, s)
	}
	return out, nil
}

// readNoise reads each outcome's noise share from indices.csv.
func readNoise(path string) (map[string]float64, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	out := map[string]float64{}
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Split(line, ",")
		if len(f) == len(indicesHeader) && f[3] == "noise_share" {
			var v float64
			if _, err := fmt.Sscan(f[4], &v); err == nil && !math.IsNaN(v) {
				out[f[1]] = v
			}
		}
	}
	return out, nil
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// list joins names as a sentence does: "a", "a and b", "a, b and c".
func list(names []string) string {
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// reportTemplate is parsed on first use, not at every copsim start-up.
var reportTemplate = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("report").Parse(reportHTML))
})

const reportHTML = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{{.Title}}</title>
<style>body{font-family:sans-serif;max-width:60em;margin:2em auto;line-height:1.45;color:#222}
table{border-collapse:collapse}td,th{border-bottom:1px solid #ddd;padding:.2em .6em;text-align:right}
td:first-child,th:first-child{text-align:left}img{max-width:100%}</style></head><body>
<h1>{{.Title}}</h1>
{{if .Description}}<p>{{.Description}}</p>{{end}}
<p>{{.Design}}</p>
<h2>What drives each outcome</h2>
<ul>{{range .Sentences}}<li>{{.}}</li>{{end}}</ul>
<h2>Parameters and ranges</h2>
<table><tr><th>parameter</th><th>from</th><th>to</th><th>sampled</th></tr>
{{range .Params}}<tr><td>{{.Name}}</td><td>{{.From}}</td><td>{{.To}}</td><td>{{.How}}</td></tr>{{end}}</table>
{{range .Figures}}<h3>{{.Title}}</h3><img alt="{{.Title}}" src="{{.Src}}">{{end}}
<p>The indices with their 95 % bootstrap intervals are in indices.csv; every run is in results.csv, with a command that repeats it alone.</p>
</body></html>
`

// writeReport writes report.html for a sensitivity design: what drives
// each outcome in words, the parameters' ranges and the figures.
func writeReport(dir string, p *Plan) error {
	sentences, err := IndexSentences(p, dir)
	if err != nil {
		return err
	}
	method := map[string]string{sobol: "Sobol indices (Saltelli's design; first-order by Saltelli et al. 2010, total by Jansen 1999)",
		morris: fmt.Sprintf("Morris screening (%d levels; μ*, the mean absolute elementary effect, ranks the parameters)", p.Levels)}[p.Design]
	type param struct{ Name, From, To, How string }
	type figure struct {
		Title string
		Src   template.URL
	}
	data := struct {
		Title, Description, Design string
		Sentences                  []string
		Params                     []param
		Figures                    []figure
	}{Title: "Sensitivity analysis: " + p.Name, Description: p.Description, Sentences: sentences,
		Design: fmt.Sprintf("%s of %s, %d samples, %d points × %d replications = %d runs; each outcome averaged over a point's replications.",
			method, p.Base, p.Samples, len(p.Points), p.Replications, p.Runs())}
	for j, name := range p.Params {
		how := "uniformly"
		if len(p.Log) > j && p.Log[j] {
			how = "log-uniformly"
		}
		data.Params = append(data.Params, param{name, results.F(p.Lower[j]), results.F(p.Upper[j]), how})
	}
	for _, o := range p.Outcomes {
		b, err := os.ReadFile(filepath.Join(dir, "plots", "indices_"+o+".png"))
		if err != nil {
			continue // figures off
		}
		data.Figures = append(data.Figures, figure{compare.Label(o), template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(b))})
	}
	return results.WriteAtomic(filepath.Join(dir, "report.html"), func(w io.Writer) error {
		return reportTemplate().Execute(w, data)
	})
}
