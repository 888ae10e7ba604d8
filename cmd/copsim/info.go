package main

import (
	"fmt"
	"io"
	"runtime"

	flag "github.com/spf13/pflag"

	"github.com/copsim/copsim/results"
	"github.com/copsim/copsim/scenarios"
)

func init() {
	register(&command{name: "version", summary: "print copsim's version", run: runVersion})
	register(&command{name: "scenarios", summary: "list the built-in scenarios and the questions they ask", run: runScenarios})
	register(&command{name: "validate", summary: "check scenario files without running them", run: runValidate})
}

func runVersion(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("version", flag.ContinueOnError)
	fs.SetOutput(stderr)
	if code, ok := parseFlags(fs, args, stderr); !ok {
		return code
	}
	if code, ok := checkArgs("version", fs.Args(), exactly(0, ""), stderr); !ok {
		return code
	}
	fmt.Fprintf(stdout, "copsim %s (%s, %s/%s)\n", results.Version, runtime.Version(), runtime.GOOS, runtime.GOARCH)
	return exitOK
}

func runScenarios(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("scenarios", flag.ContinueOnError)
	fs.SetOutput(stderr)
	show := fs.String("show", "", "print the YAML source of one built-in scenario")
	if code, ok := parseFlags(fs, args, stderr); !ok {
		return code
	}
	if code, ok := checkArgs("scenarios", fs.Args(), exactly(0, ""), stderr); !ok {
		return code
	}
	if *show != "" {
		src, ok := scenarios.BuiltinSource(*show)
		if !ok {
			fmt.Fprintf(stderr, "copsim: no built-in scenario named %q; run `copsim scenarios` to list them\n", *show)
			return exitBadInput
		}
		stdout.Write(src)
		return exitOK
	}
	for _, info := range scenarios.Builtins() {
		fmt.Fprintf(stdout, "%s\n%s\n\n", info.Name, indent(info.Description, "    "))
	}
	return exitOK
}

func runValidate(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("validate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	sets := fs.StringArray("set", nil, "override a parameter, KEY=VALUE (repeatable)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: copsim validate [--set KEY=VALUE]... SCENARIO...\n\nChecks each scenario (a file or a built-in name) and writes nothing.")
		fs.PrintDefaults()
	}
	if code, ok := parseFlags(fs, args, stderr); !ok {
		return code
	}
	if code, ok := checkArgs("validate", fs.Args(), atLeast(1, "one or more SCENARIOs (YAML files or built-in names)"), stderr); !ok {
		return code
	}
	code := exitOK
	for _, name := range fs.Args() {
		if _, err := scenarios.Load(name, *sets); err != nil {
			fmt.Fprintf(stderr, "%v\n", err)
			code = exitBadInput
			continue
		}
		fmt.Fprintf(stdout, "%s: ok\n", name)
	}
	return code
}

func indent(s, prefix string) string {
	out := prefix
	for _, r := range s {
		out += string(r)
		if r == '\n' {
			out += prefix
		}
	}
	return out
}
