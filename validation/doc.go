// Package validation is copsim's validation suite: it reruns the published
// results copsim claims to reproduce (March 1991, Figures 1-5) and the
// patterns its parameters were calibrated on (participation structure;
// Deci, Koestner & Ryan 1999), and sets each beside the published value
// with a 95 % interval, the difference and a pass or fail against a stated
// tolerance.
//
// It exists so that docs/validation.md is not written by hand: Run
// produces a Report, Report.WriteMarkdown writes the page and
// Report.WriteFigures one figure per result, laid out like the paper's
// (`make validation` does all three). The same suite in Quick mode, with
// fewer replications and looser tolerances that still catch a broken
// mechanism, runs as a test inside `make test`.
package validation
