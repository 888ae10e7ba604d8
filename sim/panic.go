package sim

import (
	"fmt"
	"runtime/debug"
)

// PanicError is a panic inside the engine (a bug), caught and returned as
// an error so that it ends one run with a report rather than the whole
// process without one: the command line gives it its own exit code and
// writes Stack to a file; the classroom server ends one session.
type PanicError struct {
	Value any    // what was passed to panic
	Stack []byte // the stack of the goroutine that panicked
}

func (e *PanicError) Error() string { return fmt.Sprintf("sim: internal error: %v", e.Value) }

// newPanicError wraps the value v recovered on the current goroutine,
// keeping the stack of the first panic when v is already a PanicError.
func newPanicError(v any) *PanicError {
	if pe, ok := v.(*PanicError); ok {
		return pe
	}
	return &PanicError{Value: v, Stack: debug.Stack()}
}
