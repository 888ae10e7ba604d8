package scenarios

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/copsim/copsim/internal/echo"
)

// Error is one problem with a scenario, located as precisely as the input
// allows. File is the file name, or "--set KEY=VALUE" when the offending
// value came from an override; Line and Column are 1-based and 0 when
// unknown (an override, or a Scenario built in code); Field is the dotted
// path of the key, as used by --set (for example "interventions.0.start").
type Error struct {
	File   string
	Line   int
	Column int
	Field  string
	Msg    string

	// related lists other fields a cross-field check involves, so that
	// the error can be located at one of them when Field itself is absent
	// from the file (it kept its default).
	related []string
}

// Error formats the error as "FILE:LINE: FIELD: MESSAGE", leaving out the
// parts that are unknown.
func (e *Error) Error() string {
	var b strings.Builder
	switch {
	case e.File != "" && e.Line > 0:
		fmt.Fprintf(&b, "%s:%d: ", echo.ClipTo(e.File, maxPlace), e.Line)
	case e.File != "":
		b.WriteString(echo.ClipTo(e.File, maxPlace) + ": ")
	case e.Line > 0:
		fmt.Fprintf(&b, "line %d: ", e.Line)
	}
	if e.Field != "" {
		b.WriteString(echo.ClipTo(e.Field, maxPlace) + ": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// ErrorList is every problem found in one scenario. Parse, Load, ApplySets
// and Validate return either nil or a non-empty ErrorList, so callers can
// print all problems at once; errors.As with a *Error target finds the first.
type ErrorList []*Error

// Error joins the errors, one per line.
func (l ErrorList) Error() string {
	s := make([]string, len(l))
	for i, e := range l {
		s[i] = e.Error()
	}
	return strings.Join(s, "\n")
}

// Unwrap gives errors.Is and errors.As access to the individual errors.
func (l ErrorList) Unwrap() []error {
	errs := make([]error, len(l))
	for i, e := range l {
		errs[i] = e
	}
	return errs
}

// Errors returns the individual errors of err, which may be an ErrorList, a
// single *Error or any other error (returned as an Error with only Msg set).
func Errors(err error) []*Error {
	if err == nil {
		return nil
	}
	var l ErrorList
	if errors.As(err, &l) {
		return l
	}
	var e *Error
	if errors.As(err, &e) {
		return []*Error{e}
	}
	return []*Error{{Msg: err.Error()}}
}

// sortErrors orders errors by file position; errors without a line (from
// overrides) keep their relative order and come last.
func sortErrors(l ErrorList) {
	slices.SortStableFunc(l, func(a, b *Error) int {
		if (a.Line == 0) != (b.Line == 0) {
			if a.Line == 0 {
				return 1
			}
			return -1
		}
		return cmp.Compare(a.Line, b.Line)
	})
}

// maxErrors bounds the list, so that a pathological file (say, a large
// mapping repeated through aliases) cannot produce millions of errors.
const maxErrors = 50

// maxPlace bounds the file and field parts of an error line; a field path
// holds at most one key of the user's (clipped when unknown), but a file
// name or an override's label can be anything.
const maxPlace = 120
