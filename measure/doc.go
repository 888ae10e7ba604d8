// Package measure declares what copsim reports: the tidy time-series row,
// the end-of-run summary, the network picture, and each output column once
// (name, meaning, unit, how replications are aggregated).
//
// It exists apart from the model (package agents), which fills these
// values, and from their readers (results, compare, sweep, plots, web),
// which would otherwise each keep their own list of columns in step by
// hand. It imports nothing of copsim.
//
// RowColumns and SummaryColumns are those lists. A reader names the
// columns it wants (Lookup) or walks them in order, and gets each value
// from its Column: as a number (Float), with no round trip through text,
// or as the tables write it (Append, Format). Adding a field to Row or
// Summary means adding its Column here and its line to docs/model.md; the
// package's tests fail until both are there.
package measure
