// Command copsim simulates communities of practice: how people move from the
// periphery to the core, what the community learns, and how management
// interventions change both. See the README for the quick start and
// docs/model.md for the model.
//
// Exit codes: 0 success, 1 failure while running, 2 bad input (a scenario,
// a flag or an argument), 70 internal error (a bug in copsim: the stack is
// written to a file), 130 interrupted.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"sort"
	"strings"
	"syscall"

	"github.com/copsim/copsim/internal/echo"
	"github.com/copsim/copsim/internal/spell"
	"github.com/copsim/copsim/results"
	"github.com/copsim/copsim/scenarios"
	"github.com/copsim/copsim/sim"
	"github.com/copsim/copsim/sweep"
)

// command is one subcommand; each lives in a file of its own and
// registers itself in init.
type command struct {
	name    string
	summary string
	run     func(args []string, stdout, stderr io.Writer) int
}

var commands = map[string]*command{}

func register(c *command) { commands[c.name] = c }

// Exit codes.
const (
	exitOK          = 0
	exitFailure     = 1
	exitBadInput    = 2
	exitInternal    = 70 // EX_SOFTWARE of sysexits.h
	exitInterrupted = 130
)

func main() {
	tuneGC(os.LookupEnv, availableMemory, addressSpaceLimited)
	os.Exit(runMain(os.Args[1:], os.Stdout, os.Stderr))
}

// gcPercent is the heap growth between collections that copsim asks for
// (Go's default is 100): most copsim processes are short, and most of what
// they allocate they keep (a world, its rows), so collecting at every
// doubling of a small heap costs a run of March's model a third of its CPU
// time for nothing. Higher still costs more in page faults on fresh memory
// than it saves.
const gcPercent = 400

// tuneGC sets the collector's pace to gcPercent, with a soft memory limit
// of the memory available (what --max-memory defaults to), so that a large
// run collects as often as it must to stay within it; GOGC and GOMEMLIMIT,
// when set, are left to rule. Under a limit on address space (ulimit -v)
// the pace stays Go's default: the runtime reserves address space beyond
// the heap, which the soft limit does not count, and a heap grown fivefold
// between collections can run out of it.
func tuneGC(getenv func(string) (string, bool), available func() int64, addressLimited func() bool) {
	if _, ok := getenv("GOGC"); !ok && !addressLimited() {
		debug.SetGCPercent(gcPercent)
	}
	if _, ok := getenv("GOMEMLIMIT"); !ok {
		if m := available(); m > 0 {
			debug.SetMemoryLimit(m)
		}
	}
}

// addressSpaceLimited reports whether the process's address space is
// limited (RLIMIT_AS).
func addressSpaceLimited() bool {
	var lim syscall.Rlimit
	return syscall.Getrlimit(syscall.RLIMIT_AS, &lim) == nil && lim.Cur < math.MaxInt64 // RLIM_INFINITY is all ones
}

func runMain(args []string, stdout, stderr io.Writer) (code int) {
	defer func() {
		if v := recover(); v != nil {
			code = internalError(stderr, v, debug.Stack())
		}
	}()
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(stdout)
		if len(args) == 0 {
			return exitBadInput
		}
		return exitOK
	}
	c, ok := commands[args[0]]
	if !ok {
		names := make([]string, 0, len(commands))
		for n := range commands {
			names = append(names, n)
		}
		sort.Strings(names)
		msg := fmt.Sprintf("copsim: unknown command %s", echo.Quote(args[0]))
		if near := spell.Nearest(args[0], names); near != "" {
			msg += fmt.Sprintf("; did you mean %s?", near)
		}
		fmt.Fprintf(stderr, "%s\nCommands: %s. Run `copsim help` for what they do.\n", msg, strings.Join(names, ", "))
		return exitBadInput
	}
	return c.run(args[1:], stdout, stderr)
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "copsim simulates communities of practice and management interventions.")
	fmt.Fprintln(w, "\nUsage: copsim COMMAND [flags] [arguments]\n\nCommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w, "\nRun `copsim COMMAND --help` for a command's flags.")
}

// internalError reports a bug (a panic): one line on the terminal that
// asks for a report, and the details in a file, since a stack trace on the
// terminal reads as the user's fault and scrolls their input away.
func internalError(stderr io.Writer, v any, stack []byte) int {
	where := "the command you ran"
	if f, err := os.CreateTemp("", "copsim-crash-*.txt"); err == nil {
		fmt.Fprintf(f, "copsim %s (%s, %s/%s)\nargs: %q\npanic: %v\n\n%s", results.Version,
			runtime.Version(), runtime.GOOS, runtime.GOARCH, os.Args, v, stack)
		if f.Close() == nil {
			where = f.Name()
		}
	}
	fmt.Fprintf(stderr, "copsim: internal error (a bug in copsim, not a problem with your input): %s\n"+
		"Please report it at %s with %s.\n", echo.Clip(fmt.Sprint(v)), reportURL, where)
	return exitInternal
}

// reportURL is where bugs are reported.
const reportURL = "https://github.com/copsim/copsim/issues"

// inputError reports whether err is the user's input at fault (exit 2).
func inputError(err error) bool {
	var se *scenarios.Error
	var ue usageError
	var we *sweep.InputError
	return errors.As(err, &se) || errors.As(err, &ue) || errors.As(err, &we) || errors.Is(err, results.ErrExists)
}

// usageError is a bad flag or argument.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// writeFail reports a failure to write outputs: an interruption (Ctrl-C
// while the figures are drawn) is reported as such, whatever wraps it.
func writeFail(stderr io.Writer, err error) int {
	if errors.Is(err, context.Canceled) {
		fmt.Fprintln(stderr, "copsim: interrupted; nothing written")
		return exitInterrupted
	}
	return fail(stderr, err)
}

// fail prints err and returns the exit code it deserves.
func fail(stderr io.Writer, err error) int {
	var pe *sim.PanicError
	if errors.As(err, &pe) {
		return internalError(stderr, pe.Value, pe.Stack)
	}
	fmt.Fprintf(stderr, "copsim: %v\n", err)
	if inputError(err) {
		return exitBadInput
	}
	return exitFailure
}
