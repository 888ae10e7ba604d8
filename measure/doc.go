// Package measure declares what copsim reports: the tidy time-series row,
// the end-of-run summary, the network picture, and each output column once
// (name, meaning, unit, how replications are aggregated).
//
// It exists apart from the model (package agents), which fills these
// values, and from their readers (results, compare, sweep, plots, web),
// which would otherwise each keep their own list of columns in step by
// hand. It imports nothing of copsim.
package measure
