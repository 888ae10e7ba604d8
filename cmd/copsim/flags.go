package main

import (
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	flag "github.com/spf13/pflag"

	"github.com/copsim/copsim/internal/echo"
	"github.com/copsim/copsim/internal/spell"
)

// parseFlags parses args into fs, whose name is the command's. It returns
// false, with the exit code, when the command should stop: after --help
// (0), or on a bad flag (2), which it has reported in words a user can act
// on. pflag with ContinueOnError prints nothing itself.
func parseFlags(fs *flag.FlagSet, args []string, stderr io.Writer) (int, bool) {
	err := fs.Parse(args)
	switch {
	case err == nil:
		return exitOK, true
	case errors.Is(err, flag.ErrHelp):
		return exitOK, false
	}
	fmt.Fprintf(stderr, "copsim %s: %s\n", fs.Name(), flagProblem(fs, err))
	fmt.Fprintf(stderr, "Run `copsim %s --help` for its flags.\n", fs.Name())
	return exitBadInput, false
}

// flagProblem says what is wrong with a flag, from pflag's typed errors.
func flagProblem(fs *flag.FlagSet, err error) string {
	var (
		notExist *flag.NotExistError
		invalid  *flag.InvalidValueError
		noValue  *flag.ValueRequiredError
		syntax   *flag.InvalidSyntaxError
	)
	switch {
	case errors.As(err, &notExist):
		return unknownFlag(fs, notExist)
	case errors.As(err, &invalid):
		f := invalid.GetFlag()
		problem := "not a valid value"
		var num *strconv.NumError
		if errors.As(err, &num) && errors.Is(num.Err, strconv.ErrRange) {
			problem = "out of range"
		}
		return fmt.Sprintf("--%s %s: %s; want %s", f.Name, echo.Quote(invalid.GetValue()), problem, valueKind(f.Value.Type()))
	case errors.As(err, &noValue):
		f := noValue.GetFlag()
		return fmt.Sprintf("--%s needs a value (%s), as in --%s=VALUE", f.Name, valueKind(f.Value.Type()), f.Name)
	case errors.As(err, &syntax):
		return fmt.Sprintf("bad flag syntax %s: flags are --name or --name=value", echo.Quote(syntax.GetSpecifiedFlag()))
	}
	return err.Error()
}

// unknownFlag explains a flag fs does not have, with the nearest one.
func unknownFlag(fs *flag.FlagSet, e *flag.NotExistError) string {
	var names []string
	fs.VisitAll(func(f *flag.Flag) { names = append(names, f.Name) })
	if group := e.GetSpecifiedShortnames(); group != "" {
		// -seed is read as the shorthands -s -e -e -d: say what was meant.
		if fs.Lookup(group) != nil {
			return fmt.Sprintf("unknown flag -%s: long flags take two dashes: --%s", echo.Clip(group), group)
		}
		msg := fmt.Sprintf("unknown shorthand flag -%s in -%s", echo.Clip(e.GetSpecifiedName()[:1]), echo.Clip(group))
		if near := spell.Nearest(group, names); near != "" {
			msg += fmt.Sprintf("; did you mean --%s?", near)
		}
		return msg
	}
	name := e.GetSpecifiedName()
	msg := "unknown flag --" + echo.Clip(name)
	if near := spell.Nearest(name, names); near != "" {
		msg += fmt.Sprintf("; did you mean --%s?", near)
	}
	return msg
}

// valueKind describes the values a flag of pflag type typ takes.
func valueKind(typ string) string {
	switch typ {
	case "int", "int64":
		return "a whole number"
	case "uint64", "uint":
		return fmt.Sprintf("a whole number from 0 to %d", uint64(math.MaxUint64))
	case "float64":
		return "a number"
	case "bool":
		return "true or false"
	case "duration":
		return "a duration such as 90s, 10m or 1h"
	case "bytes":
		return "an amount of memory such as 4GB, 512MiB or 0 (no limit)"
	case "string", "stringArray":
		return "text"
	}
	return "a " + typ
}

// arity is the number of positional arguments a command takes: at least
// min, at most max (-1: no limit); what names them for the message.
type arity struct {
	min, max int
	what     string
}

func exactly(n int, what string) arity { return arity{n, n, what} }
func atLeast(n int, what string) arity { return arity{n, -1, what} }

// checkArgs reports, in command cmd, a wrong number of arguments.
func checkArgs(cmd string, args []string, a arity, stderr io.Writer) (int, bool) {
	n := len(args)
	if n >= a.min && (a.max < 0 || n <= a.max) {
		return exitOK, true
	}
	want := a.what
	if a.max == 0 {
		want = "no arguments"
	}
	got := "none"
	if n > 0 {
		shown := make([]string, 0, min(n, 3))
		for _, s := range args[:min(n, 3)] {
			shown = append(shown, echo.Quote(s))
		}
		got = fmt.Sprintf("%d (%s", n, strings.Join(shown, ", "))
		if n > 3 {
			got += ", …"
		}
		got += ")"
	}
	fmt.Fprintf(stderr, "copsim %s: expected %s, got %s\n", cmd, want, got)
	fmt.Fprintf(stderr, "Run `copsim %s --help` for its usage.\n", cmd)
	return exitBadInput, false
}
