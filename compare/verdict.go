package compare

import (
	"fmt"
	"math"
	"strings"
)

// displayName turns a scenario name into words for a sentence:
// "over_management" becomes "Over-management", "rewards_individual"
// "Rewards individual".
func displayName(name string) string {
	s := strings.ReplaceAll(name, "over_management", "over-management")
	s = strings.ReplaceAll(s, "_", " ")
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func pct(x float64) string {
	a := math.Abs(x)
	if a >= 10 {
		return fmt.Sprintf("%.0f", a)
	}
	return fmt.Sprintf("%.1f", a)
}

func num(x float64) string {
	a := math.Abs(x)
	switch {
	case a >= 10:
		return fmt.Sprintf("%.1f", x)
	case a >= 0.1:
		return fmt.Sprintf("%.2f", x)
	default:
		return fmt.Sprintf("%.3f", x)
	}
}

func signed(s string, x float64) string {
	if x < 0 {
		return "−" + s
	}
	return "+" + s
}

// sentence says in plain language how scenario (with row r, compared with
// the reference whose mean is refMean) changed an outcome and how sure we
// are: the direction and size of the change with its 95 % confidence
// interval, or "no clear difference" when the interval includes zero.
func sentence(scenario string, o outcome, r Row, refMean float64) string {
	who := displayName(scenario)
	d := r.Welch
	rel := o.relative && !math.IsNaN(r.RelDiff)
	if math.IsNaN(d.Diff) {
		return fmt.Sprintf("%s: %s could not be measured in every run.", who, o.label)
	}
	if math.IsNaN(d.Lo) {
		return fmt.Sprintf("%s changed %s from %s to %s, but with fewer than two replications per scenario we cannot say how sure that is.", who, o.label, num(refMean), num(r.Mean))
	}
	if d.Lo <= 0 && d.Hi >= 0 {
		if d.Diff == 0 && d.Lo == 0 && d.Hi == 0 {
			return fmt.Sprintf("%s made no difference to %s (identical in every replication).", who, o.label)
		}
		if rel {
			return fmt.Sprintf("%s: no clear difference in %s (%s %%, 95 %% CI %s to %s %%).", who, o.label,
				signed(pct(r.RelDiff), r.RelDiff), signed(pct(r.RelLo), r.RelLo), signed(pct(r.RelHi), r.RelHi))
		}
		return fmt.Sprintf("%s: no clear difference in %s (%s, 95 %% CI %s to %s).", who, o.label, num(d.Diff), num(d.Lo), num(d.Hi))
	}
	verb := "raised"
	if d.Diff < 0 {
		verb = "lowered"
	}
	if !rel {
		lo, hi := math.Abs(d.Lo), math.Abs(d.Hi)
		if lo > hi {
			lo, hi = hi, lo
		}
		return fmt.Sprintf("%s %s %s by %s (95 %% CI %s–%s).", who, verb, o.label, num(math.Abs(d.Diff)), num(lo), num(hi))
	}
	lo, hi := math.Abs(r.RelLo), math.Abs(r.RelHi)
	if lo > hi {
		lo, hi = hi, lo
	}
	ci := fmt.Sprintf("(95 %% CI %s–%s %%)", pct(lo), pct(hi))
	ratio := r.Mean / refMean
	switch {
	case refMean > 0 && ratio >= 0.45 && ratio <= 0.55:
		return fmt.Sprintf("%s halved %s (−%s %% %s).", who, o.label, pct(r.RelDiff), ci)
	case refMean > 0 && ratio >= 1.9 && ratio <= 2.1:
		return fmt.Sprintf("%s doubled %s (+%s %% %s).", who, o.label, pct(r.RelDiff), ci)
	}
	return fmt.Sprintf("%s %s %s by %s %% %s.", who, verb, o.label, pct(r.RelDiff), ci)
}

// band is a range of a role's share of members that Wenger, McDermott &
// Snyder (2002) report as typical of a community of practice.
type band struct {
	key, role string
	lo, hi    float64
}

// typicalPattern is their 10-15 % core and 15-20 % active group. A share is
// far outside a band below half its lower end or above one and a half
// times its upper end (docs/model.md, Outcomes).
var typicalPattern = []band{
	{"core_share", "core", 0.10, 0.15},
	{"active_share", "active group", 0.15, 0.20},
}

// Warnings says in plain words, for each scenario's name, where its mean
// core share or active share lies far outside the typical pattern of a
// community of practice, so that a reader knows the scenario's communities
// do not look like those the literature describes. Scenarios without such
// a share have no entry.
func Warnings(rows []Row) map[string][]string {
	out := map[string][]string{}
	for _, b := range typicalPattern {
		for _, r := range rows {
			if r.Outcome != b.key || r.N == 0 || math.IsNaN(r.Mean) {
				continue
			}
			var how string
			switch {
			case r.Mean < b.lo/2:
				how = "far below"
			case r.Mean > 1.5*b.hi:
				how = "far above"
			default:
				continue
			}
			out[r.Scenario] = append(out[r.Scenario], fmt.Sprintf(
				"Warning: in %s the %s holds %s %% of members, %s the %.0f-%.0f %% typical of communities of practice (Wenger, McDermott & Snyder 2002); read its other results with that in mind.",
				displayName(r.Scenario), b.role, pct(100*r.Mean), how, 100*b.lo, 100*b.hi))
		}
	}
	return out
}

// Verdicts says in plain language how each scenario after the first
// changed the key outcomes and how sure that is: for each scenario's name
// (as in Names), a sentence per key outcome, in a fixed order, then the
// scenario's Warnings.
func Verdicts(rows []Row) map[string][]string {
	ref := map[string]float64{}
	for _, r := range rows {
		if r.Reference {
			ref[r.Outcome] = r.Mean
		}
	}
	out := map[string][]string{}
	for _, k := range keyOutcomes {
		for _, r := range rows {
			if r.Reference || r.Outcome != k {
				continue
			}
			out[r.Scenario] = append(out[r.Scenario], sentence(r.Scenario, outcomeByKey(k), r, ref[k]))
		}
	}
	for name, ws := range Warnings(rows) {
		if _, ok := out[name]; ok {
			out[name] = append(out[name], ws...)
		}
	}
	return out
}
