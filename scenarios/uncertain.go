package scenarios

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
)

// Uncertain is a calibration parameter whose value no published effect
// pins down to one number: a finding of copsim counts only if it holds
// over the parameter's plausible range, Low to High, and not just at its
// default. docs/calibration.md ("Plausible ranges") lists them.
type Uncertain struct {
	Key       string  // the scenario key, as in a file or --set
	Low, High float64 // the ends of the plausible range, Low < High
	Why       string  // one sentence: the source or argument for the range
}

// UncertainParams is the registry of uncertain parameters that a
// comparison's robustness check (compare.Robustness) varies, in a fixed
// order: the order of the dimensions of its Latin hypercube, so appending
// a parameter changes no earlier one's column but does change the design.
// Keep it in this one list; its test checks each key and range.
var UncertainParams = []Uncertain{
	{"model.engagement.forced_weight", 0.2, 0.8,
		"No published rate of compliance with compulsory community membership; the range spans a mandate that brings a fifth of those who would stay away to one that brings four in five (docs/calibration.md, terms argued)."},
	{"model.motivate.autonomy_loss", 0.019, 0.04,
		"Calibrated by analogy (no meta-analytic estimate for over-management itself): the values whose free-choice persistence after over-management stays within ±0.1 of d = −0.40, Deci, Koestner & Ryan's (1999) engagement-contingent effect."},
	{"model.motivate.crowding_out", 0.011, 0.027,
		"The values whose free-choice persistence after individual bonuses stays within ±0.1 of Deci, Koestner & Ryan's (1999) d = −0.28 for performance-contingent rewards (docs/calibration.md)."},
	{"model.motivate.review_crowding_out", 0.027, 0.057,
		"The values whose free-choice persistence after reviews that count community work stays within ±0.1 of Deci, Koestner & Ryan's (1999) d = −0.40 for engagement-contingent rewards (docs/calibration.md)."},
	{"model.motivate.recognition", 0.016, 0.032,
		"The values whose free-choice persistence after peer recognition stays within ±0.1 of Deci, Koestner & Ryan's (1999) d = +0.33 for positive verbal feedback (docs/calibration.md)."},
	{"model.engagement.extrinsic_weight", 0.1, 0.5,
		"No published estimate of what pay and reviews weigh against interest in the choice to take part; the range spans a third of the default 0.3 to 0.5, below motivation's weight 0.8, since voluntary interest is held to be the main driver (Wenger, McDermott & Snyder 2002)."},
	{"model.management.overhead", 0.1, 0.5,
		"No published measure of the share of community time that reporting duties take; the range spans a light burden (a tenth) to half of the time."},
	{"model.management.knowledge", 0.5, 0.8,
		"No study measures how well management knows a community's domain; the range spans a view no better than chance (0.5) to one right on four dimensions in five."},
	{"model.management.agenda_rate", 0.01, 0.1,
		"No published estimate of how fast a mandated agenda rewrites a community's repertoire; the range spans a fifth of the default 0.05 to twice it."},
	{"model.management.penalty", 0.2, 0.8,
		"No published estimate of what a pay penalty on non-billable time weighs in the choice to take part; the range spans 0.2 to 0.8 around the default 0.5."},
	{"model.management.time_given", 0.5, 1,
		"No published estimate of how much project load officially granted time really lifts; the range spans half of it to all of it."},
	{"model.management.support_access", 0.2, 0.8,
		"No published estimate of the access a support team opens to those below the core; the range spans 0.2 to 0.8 around the default 0.5."},
	{"model.legitimacy.closure", 0.2, 0.9,
		"Wenger, McDermott & Snyder (2002) describe cores that close themselves off but give no size for it; the range spans mild closure (0.2) to insular_strategic's 0.9."},
	{"model.encounter.boundary", 0.02, 0.1,
		"No published rate of brokers' encounters across communities; the range spans one every 50 weeks to one every 10, around the default 0.05."},
	{"model.engagement.identity_weight", 0.3, 0.9,
		"Identification sustains participation (Wenger 1998) but no study weighs it against motivation; the range spans half to one and a half times the default 0.6."},
	{"model.learning.from_central", 0.1, 0.4,
		"No study measures the chance, per encounter and belief, of adopting an old-timer's view; the range spans half to twice the default 0.2."},
	{"model.management.view_learning", 0, 0.1,
		"No published rate at which management's view learns from community reports; the range spans a management that never learns (0) to one that takes a differing point in about ten weeks (docs/calibration.md, terms argued)."},
}

// At returns the value at position q (0 to 1) of the range: Low at 0,
// High at 1, rounded to six significant digits so that the value written
// in a design file is the value run.
func (u Uncertain) At(q float64) float64 {
	v := u.Low + q*(u.High-u.Low)
	r, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 6, 64), 64)
	return r
}

// Set returns the override that gives the parameter the value v
// ("model.legitimacy.closure=0.35"), for ApplySets.
func (u Uncertain) Set(v float64) string {
	return u.Key + "=" + strconv.FormatFloat(v, 'g', -1, 64)
}

// Value returns the parameter's value in s. It fails when the key names no
// number of the schema.
func (u Uncertain) Value(s Scenario) (float64, error) {
	v := reflect.ValueOf(s)
	for _, part := range strings.Split(u.Key, ".") {
		if v.Kind() != reflect.Struct {
			return 0, fmt.Errorf("%s: %s is not a group of settings", u.Key, part)
		}
		_, index := YAMLKeys(v.Type())
		i, ok := index[part]
		if !ok {
			return 0, fmt.Errorf("%s: unknown field %q", u.Key, part)
		}
		v = v.Field(i)
	}
	if v.Kind() != reflect.Float64 {
		return 0, fmt.Errorf("%s is not a number that can vary continuously", u.Key)
	}
	return v.Float(), nil
}
