package sweep

import (
	"errors"
	"fmt"
)

// InputError is a sweep's input at fault rather than the machine: a bad
// --shard, a folder that is not a sweep's or holds another sweep, a damaged
// plan, shards that do not make a whole sweep. The command line exits with
// status 2 for it, and with 1 for a failure to read or write. A sweep
// file's problems are reported as scenarios.ErrorList instead, with their
// lines.
type InputError struct {
	Msg string
	// Err is the kind of problem, for errors.Is: ErrNotSweepFolder,
	// ErrDifferentSweep, or nil.
	Err error
}

func (e *InputError) Error() string { return e.Msg }
func (e *InputError) Unwrap() error { return e.Err }

// The kinds of InputError that a caller may tell apart.
var (
	// ErrNotSweepFolder: a folder holds no sweep (it does not exist, has
	// no plan, or holds something else).
	ErrNotSweepFolder = errors.New("not a sweep folder")
	// ErrDifferentSweep: a folder holds another sweep than the one given.
	ErrDifferentSweep = errors.New("holds a different sweep")
)

// inputError makes an InputError of kind (which may be nil).
func inputError(kind error, format string, args ...any) error {
	return &InputError{Msg: fmt.Sprintf(format, args...), Err: kind}
}
