package measure

import (
	"math"
	"strconv"
)

// Kind is the type of a column's values; it fixes how they are written.
type Kind uint8

// The kinds of column.
const (
	Int   Kind = iota + 1 // a whole number, written in decimal
	Float                 // written in the shortest form that reads back exactly; NaN as NA
	Bool                  // written true or false
	Text                  // written as it is
)

func (k Kind) String() string {
	switch k {
	case Int:
		return "int"
	case Float:
		return "float"
	case Bool:
		return "bool"
	case Text:
		return "text"
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// Unit says what a column's numbers count or measure.
type Unit string

// The units of copsim's columns.
const (
	NoUnit Unit = ""            // identifiers, names, flags and stages
	Count  Unit = "count"       // people or memberships
	Ticks  Unit = "ticks"       // weeks of simulated time
	Share  Unit = "share 0-1"   // a proportion
	Index  Unit = "index 0-1"   // a bounded level or index with a true zero (Gini, diversity, motivation)
	Signed Unit = "index -1..1" // an index centred on 0 (the E-I index, March's score)
	// PerMemberTick is a rate: how many of something per member and tick
	// (one week), such as belief dimensions imported across boundaries.
	PerMemberTick Unit = "per member-week"
)

// Relative reports whether the unit has a true zero and no negative
// values, so that a difference is best told in per cent of a reference;
// otherwise it is told in the unit itself.
func (u Unit) Relative() bool {
	switch u {
	case Count, Ticks, Share, Index, PerMemberTick:
		return true
	}
	return false
}

// Aggregation says how a column is combined over replications.
type Aggregation uint8

const (
	// Unaggregated columns identify a row (rep, tick, community, seed) or
	// describe a run (final tick, equilibrium, stage); they are not
	// averaged.
	Unaggregated Aggregation = iota
	// MeanCI columns are outcomes, told over replications by their mean
	// with its 95 % t-interval.
	MeanCI
)

// A Column is one output column of a table whose rows are values of type T
// (Row for timeseries.csv, Summary for summary.csv): what it is called and
// means, and how to read its value from a row.
//
// Columns are declared in this package only (RowColumns, SummaryColumns);
// every reader of the outputs takes names, words and values from them.
type Column[T any] struct {
	Name      string // the CSV header, in snake_case
	Label     string // a few words for sentences and axes: "mean knowledge"
	Meaning   string // one line, for documentation and tooltips
	Unit      Unit
	Aggregate Aggregation

	// The accessor: exactly one is set, and it fixes the column's Kind.
	int   func(*T) int
	uint  func(*T) uint64
	float func(*T) float64
	bool  func(*T) bool
	text  func(*T) string
}

// Kind returns the type of the column's values.
func (c *Column[T]) Kind() Kind {
	switch {
	case c.float != nil:
		return Float
	case c.int != nil, c.uint != nil:
		return Int
	case c.bool != nil:
		return Bool
	case c.text != nil:
		return Text
	}
	return 0
}

// Float returns the column's value in x as a number: a true flag is 1, a
// text is NaN.
func (c *Column[T]) Float(x *T) float64 {
	switch {
	case c.float != nil:
		return c.float(x)
	case c.int != nil:
		return float64(c.int(x))
	case c.uint != nil:
		return float64(c.uint(x))
	case c.bool != nil:
		if c.bool(x) {
			return 1
		}
		return 0
	}
	return math.NaN()
}

// Append appends the column's value in x to dst as the CSV tables write
// it, and returns the extended buffer.
func (c *Column[T]) Append(dst []byte, x *T) []byte {
	switch {
	case c.float != nil:
		return AppendFloat(dst, c.float(x))
	case c.int != nil:
		return strconv.AppendInt(dst, int64(c.int(x)), 10)
	case c.uint != nil:
		return strconv.AppendUint(dst, c.uint(x), 10)
	case c.bool != nil:
		return strconv.AppendBool(dst, c.bool(x))
	case c.text != nil:
		return append(dst, c.text(x)...)
	}
	return dst
}

// Format returns the column's value in x as the CSV tables write it.
func (c *Column[T]) Format(x *T) string {
	if c.text != nil {
		return c.text(x)
	}
	var b [32]byte
	return string(c.Append(b[:0], x))
}

// AppendFloat appends x to dst as the tables write a float: the shortest
// form that reads back exactly, and NA (R's missing value, which pandas
// reads too) for NaN.
func AppendFloat(dst []byte, x float64) []byte {
	// A whole number under a million (counts, shares of 0 and 1: half of a
	// time series' fields) has the same shortest form as an integer, which
	// is several times quicker to write; -0 keeps its sign below.
	if i := int64(x); float64(i) == x && i > -1e6 && i < 1e6 && (i != 0 || !math.Signbit(x)) {
		return strconv.AppendInt(dst, i, 10)
	}
	if math.IsNaN(x) {
		return append(dst, "NA"...)
	}
	return strconv.AppendFloat(dst, x, 'g', -1, 64)
}

// FormatFloat returns x as the tables write a float (see AppendFloat).
func FormatFloat(x float64) string {
	if math.IsNaN(x) {
		return "NA"
	}
	return strconv.FormatFloat(x, 'g', -1, 64)
}

// Columns are a table's columns, in order.
type Columns[T any] []Column[T]

// Names returns the columns' names, in order: the table's header.
func (cs Columns[T]) Names() []string {
	names := make([]string, len(cs))
	for i := range cs {
		names[i] = cs[i].Name
	}
	return names
}

// Lookup returns the column called name, or nil if there is none.
func (cs Columns[T]) Lookup(name string) *Column[T] {
	for i := range cs {
		if cs[i].Name == name {
			return &cs[i]
		}
	}
	return nil
}

// Without returns the columns other than the named ones, in order.
func (cs Columns[T]) Without(names ...string) Columns[T] {
	out := make(Columns[T], 0, len(cs))
next:
	for _, c := range cs {
		for _, n := range names {
			if c.Name == n {
				continue next
			}
		}
		out = append(out, c)
	}
	return out
}
