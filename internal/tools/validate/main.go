// Command validate runs copsim's validation suite (package validation) and
// writes docs/validation.md and its figures; `make validation` runs it.
//
//	go run ./internal/tools/validate [-quick] [-o docs/validation.md] [-img docs/img/validation]
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/copsim/copsim/results"
	"github.com/copsim/copsim/validation"
)

func main() {
	out := flag.String("o", "docs/validation.md", "the page to write")
	img := flag.String("img", "docs/img/validation", "the directory of the figures (the page links img/validation/ relative to itself)")
	quick := flag.Bool("quick", false, "few replications and loose tolerances (a check, not the published page)")
	workers := flag.Int("workers", 0, "workers (0: the number of CPUs); results do not depend on it")
	flag.Parse()
	start := time.Now()
	rep, err := validation.Run(context.Background(), validation.Options{Quick: *quick, Workers: *workers,
		Progress: func(name string) { fmt.Fprintf(os.Stderr, "%6.1fs %s\n", time.Since(start).Seconds(), name) }})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	var buf bytes.Buffer
	if err := rep.WriteMarkdown(&buf); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if err := rep.WriteFigures(*img); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if err := results.WriteFileAtomic(*out, buf.Bytes()); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Fprintf(os.Stderr, "%6.1fs wrote %s and %s\n", time.Since(start).Seconds(), *out, *img)
	for _, f := range rep.Failures() {
		fmt.Fprintln(os.Stderr, "FAIL", f)
	}
	if !rep.Pass() {
		os.Exit(1)
	}
}
