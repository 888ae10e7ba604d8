// Command copsim simulates communities of practice: how people move from the
// periphery to the core, what the community learns, and how management
// interventions change both. See the README for the quick start and
// docs/model.md for the model.
//
// Exit codes: 0 success, 1 failure while running, 2 bad input (a scenario
// or a flag), 130 interrupted.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"

	"github.com/copsim/copsim/scenarios"
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
	exitInterrupted = 130
)

func main() {
	os.Exit(runMain(os.Args[1:], os.Stdout, os.Stderr))
}

func runMain(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(stdout)
		if len(args) == 0 {
			return exitBadInput
		}
		return exitOK
	}
	c, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "copsim: unknown command %q\n\n", args[0])
		usage(stderr)
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

// inputError reports whether err is the user's input at fault (exit 2).
func inputError(err error) bool {
	var se *scenarios.Error
	var ue usageError
	return errors.As(err, &se) || errors.As(err, &ue)
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
	fmt.Fprintf(stderr, "copsim: %v\n", err)
	if inputError(err) {
		return exitBadInput
	}
	return exitFailure
}
