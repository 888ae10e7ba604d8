package compare

import (
	"encoding/base64"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/copsim/copsim/agents"
	"github.com/copsim/copsim/plots"
	"github.com/copsim/copsim/results"
)

// figure is an image embedded in a report.
type figure struct {
	Title string
	Src   template.URL // data: URL
}

type scenarioInfo struct {
	Name, Display, Description string
	Reps, Ticks                int
	Seed                       uint64
	Verdict                    []string
}

type tableRow struct {
	Scenario, Outcome, Mean, CI, Diff, DiffCI, G, P string
	Reference                                       bool
}

type reportData struct {
	Title     string
	Intro     string
	Generated string
	Scenarios []scenarioInfo
	Figures   []figure
	Key       []tableRow
	All       []tableRow
	Manifest  string
	Compare   bool
	Files     []string
	Robust    *robustSection
	Notes     []string // warnings about the comparison itself
	Summary   *Summary // the executive summary of a comparison
}

// robustSection is the report's account of a robustness check.
type robustSection struct {
	Points, Params, Reps int
	Seed                 uint64
	Scenarios            []robustScenario
}

type robustScenario struct {
	Display, Kept string
	Verdict       []string
}

var reportTmpl = template.Must(template.New("report").Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",Arial,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222;line-height:1.5}
h1{font-size:1.7rem}h2{font-size:1.3rem;margin-top:2rem;border-bottom:1px solid #ddd}
table{border-collapse:collapse;font-size:.9rem;margin:1rem 0}th,td{padding:.25rem .6rem;border-bottom:1px solid #eee;text-align:right}
th:first-child,td:first-child,th:nth-child(2),td:nth-child(2){text-align:left}tr.ref td{color:#555}
img{max-width:100%;border:1px solid #eee;margin:.5rem 0}.verdict li{margin:.3rem 0}
pre{background:#f6f6f6;padding:.8rem;overflow-x:auto;font-size:.8rem}.note{color:#555;font-size:.9rem}
</style></head><body>
<h1>{{.Title}}</h1>
<p class="note">{{.Intro}} Generated {{.Generated}} by copsim.</p>
{{with .Summary}}<h2>In short</h2>
<ul class="verdict">{{range .Sentences}}<li>{{.}}</li>{{end}}</ul>
<table><tr><th>scenario</th>{{range .Goals}}<th>{{.}}</th>{{end}}</tr>
{{range .Rows}}<tr><td>{{.Scenario}}</td>{{range .Marks}}<td>{{.Symbol}} {{.Size}}</td>{{end}}</tr>
{{range .Focus}}<tr class="ref"><td>&nbsp;&nbsp;where and when it acts: {{.Where}}</td>{{range .Marks}}<td>{{.Symbol}} {{.Size}}</td>{{end}}</tr>
{{end}}{{end}}</table>{{end}}
{{if .Notes}}<h2>Before you read</h2><ul class="verdict">{{range .Notes}}<li>{{.}}</li>{{end}}</ul>{{end}}
<h2>What each scenario asks</h2>
{{range .Scenarios}}<h3>{{.Display}} <small>({{.Name}})</small></h3>
<p>{{.Description}}</p>
<p class="note">{{.Reps}} replications of {{.Ticks}} weeks, root seed {{.Seed}}.</p>
{{if .Verdict}}<ul class="verdict">{{range .Verdict}}<li>{{.}}</li>{{end}}</ul>{{end}}
{{end}}
<p class="note">Insularity is read on three outcomes: "the share of ties outside the community" (column outside_tie_share: the share of members' tie weight going to people outside their community, pooled over communities), "knowledge imported across boundaries" (imported_knowledge: belief dimensions members changed through encounters across community boundaries, per member-week over the run) and "members active across boundaries" (boundary_active_share: the share of members who met someone across a boundary in the last weeks). The tie E-I index beside its value under random mixing, the share of imports that were right, newcomers' access and the divergence between repertoires are in the full table. The E-I index of encounters (ei_index) is about −1 by construction, since partners are met inside a community, and does not measure insularity. A warning follows a scenario's results when its core or its active group is far outside the 10-15 % core and 15-20 % active pattern that Wenger, McDermott &amp; Snyder (2002) describe (below half the band's lower end or above one and a half times its upper end).</p>
{{if .Compare}}<p class="note">Every scenario ran with the same random seeds for each replication (common random numbers), so differences come from the scenarios, not from luck of the draw. "95 % CI" is the range that contains the true difference in 95 of 100 such experiments (Welch's interval, which does not lean on the pairing; comparison.csv also gives the tighter paired interval and test); where it includes zero we say there is no clear difference. Percentages are relative to the first scenario's mean.</p>{{end}}
{{with .Robust}}<h2>Robustness over the plausible ranges</h2>
<p class="note">The comparison was run again at {{.Points}} points of a Latin hypercube over the plausible ranges of {{.Params}} uncertain parameters (docs/calibration.md, "Plausible ranges"; the design is in <code>robustness_points.csv</code>), {{.Reps}} replications per scenario and point, all from root seed {{.Seed}}. At each point the paired difference from the reference counts up or down; "clearly" where its paired 95 % interval excludes zero. A direction found at the default parameters that holds in fewer than 80 % of the points is not a robust finding. All outcomes are in <code>robustness.csv</code>.</p>
{{range .Scenarios}}<h3>{{.Display}}</h3>
{{if .Kept}}<p class="note">{{.Kept}}</p>{{end}}
<ul class="verdict">{{range .Verdict}}<li>{{.}}</li>{{end}}</ul>
{{end}}{{end}}
<h2>Figures</h2>
{{range .Figures}}<figure><img alt="{{.Title}}" src="{{.Src}}"><figcaption class="note">{{.Title}}</figcaption></figure>
{{end}}
{{if .Compare}}<h2>Words used</h2>
<dl class="note">
<dt>core, active group, periphery, outsiders</dt><dd>members by how central they are to a community's practice (legitimacy): the few who carry it, those who take part regularly, the many at its edge, and those not yet in (Wenger, McDermott &amp; Snyder 2002).</dd>
<dt>voluntary and mandated participation</dt><dd>the share of members who take part in a week of their own accord, and the share who take part only because membership is compulsory (over-management).</dd>
<dt>repertoire</dt><dd>what a community holds as its shared way of doing things; its knowledge is the share of the domain it gets right.</dd>
<dt>members active across boundaries, knowledge imported</dt><dd>the share of members who met someone of another community in recent weeks, and what they learned there per member-week: the opposite of insularity.</dd>
<dt>95 % CI</dt><dd>the range in which the true difference lies in 95 of 100 such experiments; a difference whose range includes zero is not clear.</dd>
<dt>Hedges' g</dt><dd>the difference in units of the outcome's spread across replications: about 0.2 is small, 0.5 medium, 0.8 large.</dd>
<dt>p (Welch)</dt><dd>how often a difference at least this large would arise by chance alone if the scenarios did not differ.</dd>
<dt>common random numbers</dt><dd>replication r of every scenario draws the same random numbers, so the scenarios differ by their settings, not by luck.</dd>
</dl>
<h2>Caveats</h2>
<ul class="note">
<li>copsim is a stylised model of communities of practice, not a model of your organization: read directions and rough sizes, not exact numbers.</li>
<li>Each intervention acts through named mechanisms whose strength is calibrated to published effects where they exist and argued where they do not (docs/calibration.md, docs/model.md); a robustness check (compare --robustness) tells whether a direction holds over the plausible range of the uncertain parameters.</li>
<li>Outcomes are read at the end of the run and over the whole organization; for an intervention that acts on some communities only, or stops before the run ends, they are also read where and when it acts (the mean over its weeks in its communities, against the reference's over the same weeks and communities; "where and when it acts" above). Its traces elsewhere and later are in timeseries.csv and the figures.</li>
</ul>{{end}}
<h2>Key outcomes at the end of the run</h2>
<table><tr><th>scenario</th><th>outcome</th><th>mean</th><th>95 % CI</th>{{if .Compare}}<th>difference</th><th>95 % CI</th><th>Hedges' g</th><th>p (Welch)</th>{{end}}</tr>
{{range .Key}}<tr{{if .Reference}} class="ref"{{end}}><td>{{.Scenario}}</td><td>{{.Outcome}}</td><td>{{.Mean}}</td><td>{{.CI}}</td>{{if $.Compare}}<td>{{.Diff}}</td><td>{{.DiffCI}}</td><td>{{.G}}</td><td>{{.P}}</td>{{end}}</tr>
{{end}}</table>
<details><summary>All outcomes</summary>
<table><tr><th>scenario</th><th>outcome</th><th>mean</th><th>95 % CI</th>{{if .Compare}}<th>difference</th><th>95 % CI</th><th>Hedges' g</th><th>p (Welch)</th>{{end}}</tr>
{{range .All}}<tr{{if .Reference}} class="ref"{{end}}><td>{{.Scenario}}</td><td>{{.Outcome}}</td><td>{{.Mean}}</td><td>{{.CI}}</td>{{if $.Compare}}<td>{{.Diff}}</td><td>{{.DiffCI}}</td><td>{{.G}}</td><td>{{.P}}</td>{{end}}</tr>
{{end}}</table></details>
<h2>Reproducibility</h2>
<p class="note">The data files beside this report: {{range $i, $f := .Files}}{{if $i}}, {{end}}<code>{{$f}}</code>{{end}}. The manifest below records the program version, the seeds and the full resolved scenarios; each can be run again with <code>copsim run</code>.</p>
<details><summary>Manifest</summary><pre>{{.Manifest}}</pre></details>
</body></html>
`))

func fmtNum(x float64) string {
	if math.IsNaN(x) {
		return "–"
	}
	return fmt.Sprintf("%.4g", x)
}

func fmtCI(lo, hi float64) string {
	if math.IsNaN(lo) || math.IsNaN(hi) {
		return "–"
	}
	return fmtNum(lo) + " to " + fmtNum(hi)
}

func fmtP(p float64) string {
	switch {
	case math.IsNaN(p):
		return "–"
	case p < 0.001:
		return "< 0.001"
	default:
		return fmt.Sprintf("%.3f", p)
	}
}

func tableRows(rows []Row, keys []string) []tableRow {
	var out []tableRow
	for _, k := range keys {
		for _, r := range rows {
			if r.Outcome != k {
				continue
			}
			tr := tableRow{Scenario: r.Scenario, Outcome: outcomeByKey(k).label, Mean: fmtNum(r.Mean), CI: fmtCI(r.Lo, r.Hi), Reference: r.Reference}
			if r.Reference {
				tr.Diff, tr.DiffCI, tr.G, tr.P = "reference", "", "", ""
			} else {
				tr.Diff, tr.DiffCI, tr.G, tr.P = fmtNum(r.Welch.Diff), fmtCI(r.Welch.Lo, r.Welch.Hi), fmtNum(r.G), fmtP(r.Welch.P)
			}
			out = append(out, tr)
		}
	}
	return out
}

// runCaptions are the report's sentence captions of a run's figures
// (plots.WriteRun), by file stem.
var runCaptions = map[string]string{
	"roles":              "Members by role over time, whole organization: core, active and peripheral members stacked, the mean over replications.",
	"roles_by_community": "Members by role over time in each community, on a shared scale, the mean over replications.",
	"knowledge":          "Knowledge over time, whole organization: the share of the reality's dimensions that members, the core, the periphery and the repertoires get right; lines are means over replications, bands their 95 % intervals.",
	"insularity":         "Insularity over time: the share of each community's members' ties that reach outside it; lines are means over replications, bands their 95 % intervals.",
	"stage":              "Each community's development stage over time (Wenger, McDermott & Snyder 2002), the most frequent over replications.",
	"network":            "The network of the first replication at the last week: people as dots (colour: role; size: knowledge) in rings by community, ties grey, ties across community boundaries blue.",
}

// embed reads the PNG files at paths into the report, each captioned by
// caps[its stem] (the stem in words when caps has none).
func embed(paths []string, caps map[string]string) ([]figure, error) {
	var figs []figure
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		stem := strings.TrimSuffix(filepath.Base(p), ".png")
		title, ok := caps[stem]
		if !ok {
			title = strings.ReplaceAll(stem, "_", " ")
		}
		figs = append(figs, figure{Title: title,
			Src: template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(b))})
	}
	return figs, nil
}

func manifestText(v any) string {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err.Error()
	}
	return string(b)
}

func allKeys() []string {
	keys := make([]string, len(outcomes))
	for i, o := range outcomes {
		keys[i] = o.key
	}
	return keys
}

func writeReport(path string, d reportData) error {
	var b strings.Builder
	if err := reportTmpl.Execute(&b, d); err != nil {
		return err
	}
	return results.WriteFileNoSync(path, []byte(b.String())) // rebuilt, not resumed
}

// writeCompareReport writes report.html: what each scenario asks, the
// plain-language verdicts, the figures (embedded), the tables and the
// manifests. The file needs no network.
func writeCompareReport(path string, res []*agents.Result, rows []Row, mans []results.Manifest, pngs []string, files []string, rob *RobustResult, notes []string) error {
	names := Names(res)
	foci := Foci(res)
	verdicts := Verdicts(rows)
	for n, vs := range FocusVerdicts(foci) {
		verdicts[n] = append(verdicts[n], vs...)
	}
	// The reference has no verdict, but its pattern of roles may still be
	// far from the typical one.
	verdicts[names[0]] = Warnings(rows)[names[0]]
	d := reportData{Compare: true, Generated: time.Now().UTC().Format("2006-01-02 15:04 UTC"), Files: files, Notes: notes}
	sum := ExecutiveSummary(rows, names, foci...)
	d.Summary = &sum
	d.Title = "What if? " + strings.Join(names, " vs ")
	d.Intro = fmt.Sprintf("A comparison of %d scenarios against %s.", len(res), names[0])
	for i, r := range res {
		d.Scenarios = append(d.Scenarios, scenarioInfo{Name: names[i], Display: displayName(r.Scenario.Name),
			Description: r.Scenario.Description, Reps: len(r.Summaries), Ticks: r.Scenario.Ticks, Seed: r.Scenario.Seed,
			Verdict: verdicts[names[i]]})
	}
	var err error
	if d.Figures, err = embed(pngs, captions); err != nil {
		return err
	}
	d.Key = tableRows(rows, keyOutcomes)
	d.All = tableRows(rows, allKeys())
	d.Manifest = manifestText(mans)
	if rob != nil {
		d.Robust = &robustSection{Points: len(rob.Design), Params: len(rob.Params), Reps: rob.Reps, Seed: rob.Seed}
		v := RobustVerdicts(rob, rows)
		for _, n := range rob.Scenarios[1:] {
			d.Robust.Scenarios = append(d.Robust.Scenarios, robustScenario{Display: displayName(n) + " (" + n + ")",
				Kept: keptSentence(n, rob.Kept[n]), Verdict: v[n]})
		}
	}
	return writeReport(path, d)
}

// WriteRunReport writes dir/report.html for one run of one scenario: what
// the scenario asks, its end-of-run outcomes with 95 % confidence
// intervals over replications, the PNG figures already in dir/plots
// (embedded; none when the run was made without plots) and the manifest.
func WriteRunReport(dir string, res *agents.Result, man results.Manifest) error {
	rows := Table([]*agents.Result{res})
	pngs, _ := filepath.Glob(filepath.Join(dir, "plots", "*.png"))
	sort.Strings(pngs)
	d := reportData{Generated: time.Now().UTC().Format("2006-01-02 15:04 UTC"),
		Files: []string{"timeseries.csv", "summary.csv", "manifest.json"}}
	d.Title = displayName(res.Scenario.Name)
	d.Intro = fmt.Sprintf("One scenario, %d replications; intervals are 95 %% confidence intervals over replications.", len(res.Summaries))
	d.Scenarios = []scenarioInfo{{Name: res.Scenario.Name, Display: displayName(res.Scenario.Name),
		Description: res.Scenario.Description, Reps: len(res.Summaries), Ticks: res.Scenario.Ticks, Seed: res.Scenario.Seed,
		Verdict: Warnings(rows)[res.Scenario.Name]}}
	var err error
	if d.Figures, err = embed(pngs, runCaptions); err != nil {
		return err
	}
	d.Key = tableRows(rows, keyOutcomes)
	d.All = tableRows(rows, allKeys())
	d.Manifest = manifestText(man)
	return writeReport(filepath.Join(dir, "report.html"), d)
}

// WriteOptions say what a comparison's folder holds besides its tables.
type WriteOptions struct {
	Plots  bool          // draw plots/ and embed them in the report
	Robust *RobustResult // a robustness check of the same scenarios, or nil
	// Notes are warnings about the comparison itself (see Notes), shown
	// first in the report.
	Notes []string
	// Figures are the figures' resolution, titles and how many are drawn
	// at once.
	Figures plots.Options
}

// Write fills dir (which must exist) with a comparison's outputs:
// comparison.csv, summary.csv and timeseries.csv (the run tables with a
// leading scenario column), manifest.json (one manifest per scenario),
// plots/ and report.html. With a robustness check (rob not nil, from
// Robustness on the same scenarios) it also writes robustness.csv and
// robustness_points.csv (see WriteRobustness), and the report says how
// robust each difference is.
func Write(dir string, res []*agents.Result, mans []results.Manifest, opt WriteOptions) error {
	withPlots, rob := opt.Plots, opt.Robust
	rows := Table(res)
	names := Names(res)
	if err := results.WriteFile(filepath.Join(dir, "comparison.csv"), func(w io.Writer) error {
		return writeTable(w, rows)
	}); err != nil {
		return err
	}
	if err := results.WriteFile(filepath.Join(dir, "summary.csv"), func(w io.Writer) error {
		cw := csv.NewWriter(w)
		cw.Write(append([]string{"scenario"}, results.SummaryHeader...))
		for i, r := range res {
			for _, s := range r.Summaries {
				cw.Write(append([]string{names[i]}, results.SummaryRecord(s)...))
			}
		}
		cw.Flush()
		return cw.Error()
	}); err != nil {
		return err
	}
	if err := results.WriteFile(filepath.Join(dir, "timeseries.csv"), func(w io.Writer) error {
		cw := csv.NewWriter(w)
		cw.Write(append([]string{"scenario"}, results.TimeseriesHeader...))
		for i, r := range res {
			for _, row := range r.Rows {
				cw.Write(append([]string{names[i]}, results.TimeseriesRecord(row)...))
			}
		}
		cw.Flush()
		return cw.Error()
	}); err != nil {
		return err
	}
	now := time.Now().UTC()
	for i := range mans {
		mans[i].Finished = now
	}
	if err := results.WriteJSON(filepath.Join(dir, "manifest.json"), mans); err != nil {
		return err
	}
	var pngs []string
	if withPlots {
		pdir := filepath.Join(dir, "plots")
		if err := os.Mkdir(pdir, 0o755); err != nil {
			return err
		}
		var err error
		if pngs, err = writePlots(pdir, res, rows, opt.Figures); err != nil {
			return err
		}
	}
	files := []string{"comparison.csv", "summary.csv", "timeseries.csv", "manifest.json"}
	if rob != nil {
		if err := WriteRobustness(dir, rob); err != nil {
			return err
		}
		files = append(files, "robustness.csv", "robustness_points.csv")
	}
	return writeCompareReport(filepath.Join(dir, "report.html"), res, rows, mans, pngs, files, rob, opt.Notes)
}
