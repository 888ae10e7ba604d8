// Package sensitivity estimates which inputs of a model drive each of its
// outputs: Morris's elementary effects, to screen many parameters cheaply,
// and Sobol's first-order and total indices, with bootstrap confidence
// intervals.
//
// It holds the designs (where to run the model) and the estimators (what
// the runs say), apart from the machinery that runs copsim's points, so
// that both can be checked against functions whose indices are known
// exactly (Ishigami; Sobol's g-function: see Check). Inputs are given in
// the unit cube; Param maps them onto a parameter's range.
//
// Sources: Morris (1991) for elementary effects and μ*, as revised by
// Campolongo, Cariboni & Saltelli (2007); Saltelli et al. (2010) for the
// design and the first-order estimator; Jansen (1999) for the total-effect
// estimator.
package sensitivity
