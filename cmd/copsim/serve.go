package main

import (
	"context"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"os/signal"
	"syscall"
	"time"

	flag "github.com/spf13/pflag"

	"github.com/copsim/copsim/scenarios"
	"github.com/copsim/copsim/web"
)

func init() {
	register(&command{name: "serve", summary: "the classroom demo: a live community in the browser", run: runServe})
}

func runServe(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on; the default is this computer only (use 0.0.0.0:8080 to let a class connect)")
	maxSessions := fs.Int("max-sessions", web.DefaultMaxSessions, "simulations run at once (one per browser tab)")
	maxPerClient := fs.Int("max-per-client", web.DefaultMaxPerClient, "simulations one computer (one IP address) may run at once")
	maxPeople := fs.Int("max-people", web.DefaultMaxPeople, fmt.Sprintf("largest population a session may ask for (at most %d)", scenarios.MaxPeople))
	allowHosts := fs.StringSlice("allow-host", nil, "host name under which students reach this computer, besides its IP address and its own name (repeatable)")
	idle := fs.Duration("idle-timeout", web.DefaultIdleTimeout, "end a session after this long with no page open and no request")
	quiet := fs.BoolP("quiet", "q", false, "no log of sessions started and ended")
	classRun := fs.Bool("class", false, "start a class run at once and print its teacher's address: students join from their phones (use with --addr 0.0.0.0:8080)")
	classScenario := fs.String("scenario", "baseline", "the built-in scenario of the class run started by --class")
	classSeed := fs.Uint64("seed", 1, "the seed of the class run started by --class")
	maxClassRuns := fs.Int("max-class-runs", web.DefaultMaxClassRuns, "class runs at once (each a shared run students join from their phones)")
	maxStudents := fs.Int("max-students", web.DefaultMaxStudents, "students who may join one class run")
	warmUp := fs.Int("warm-up", web.DefaultClassWarmUp, "weeks a class run's organization runs before the class arrives, so that its communities have a core")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: copsim serve [flags]\n\nServes the classroom demo: open the address it prints in a browser.\nEverything is inside the binary; nothing is fetched from the network.\n\nFlags:")
		fs.PrintDefaults()
	}
	if code, ok := parseFlags(fs, args, stderr); !ok {
		return code
	}
	if code, ok := checkArgs("serve", fs.Args(), exactly(0, ""), stderr); !ok {
		return code
	}
	switch {
	case *maxSessions < 1:
		return fail(stderr, usageError{fmt.Sprintf("--max-sessions must be at least 1, got %d", *maxSessions)})
	case *maxPerClient < 1:
		return fail(stderr, usageError{fmt.Sprintf("--max-per-client must be at least 1, got %d", *maxPerClient)})
	case *maxPeople < web.MinPeople || *maxPeople > scenarios.MaxPeople:
		return fail(stderr, usageError{fmt.Sprintf("--max-people must be from %d to %d, got %d", web.MinPeople, scenarios.MaxPeople, *maxPeople)})
	case *maxClassRuns < 1:
		return fail(stderr, usageError{fmt.Sprintf("--max-class-runs must be at least 1, got %d", *maxClassRuns)})
	case *maxStudents < 1 || *maxStudents > 500:
		return fail(stderr, usageError{fmt.Sprintf("--max-students must be from 1 to 500, got %d", *maxStudents)})
	case *warmUp < 0 || *warmUp > 1000:
		return fail(stderr, usageError{fmt.Sprintf("--warm-up must be from 0 to 1000 weeks, got %d", *warmUp)})
	case *idle < time.Second:
		return fail(stderr, usageError{fmt.Sprintf("--idle-timeout must be at least 1s, got %s", *idle)})
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fail(stderr, usageError{fmt.Sprintf("cannot listen on %s: %v", *addr, err)})
	}
	cfg := web.Config{MaxSessions: *maxSessions, MaxPerClient: *maxPerClient, MaxPeople: *maxPeople,
		IdleTimeout: *idle, AllowedHosts: *allowHosts, MaxClassRuns: *maxClassRuns, MaxStudents: *maxStudents,
		ClassWarmUp: *warmUp,
		Listen:      ln.Addr()}
	logger := log.New(stderr, "copsim serve: ", log.LstdFlags)
	if !*quiet {
		cfg.Logf = logger.Printf
	}
	srv := web.New(cfg)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if *classRun {
		info, err := srv.StartClass(*classScenario, *classSeed)
		if err != nil {
			ln.Close()
			srv.Close()
			return fail(stderr, usageError{"--class: " + err.Error()})
		}
		fmt.Fprintf(stdout, "copsim serve: class run started (%s, seed %d)\n", *classScenario, *classSeed)
		fmt.Fprintf(stdout, "  teacher (the projector; keep this address to yourself): http://%s%s\n", displayAddr(ln.Addr()), info.TeacherPath)
		fmt.Fprintf(stdout, "  students join at %s with the code %s\n", info.JoinBase, info.Code)
		if info.Note != "" {
			fmt.Fprintf(stdout, "  %s\n", info.Note)
		}
	}
	fmt.Fprintf(stdout, "copsim serve: open http://%s/ in a browser (Ctrl-C to stop)\n", displayAddr(ln.Addr()))
	if err := srv.Serve(ctx, ln); err != nil {
		return fail(stderr, err)
	}
	return exitOK
}

// displayAddr is the address to type in a browser.
func displayAddr(a net.Addr) string {
	ta, ok := a.(*net.TCPAddr)
	if !ok || !ta.IP.IsUnspecified() {
		return a.String()
	}
	return net.JoinHostPort("localhost", fmt.Sprint(ta.Port))
}
