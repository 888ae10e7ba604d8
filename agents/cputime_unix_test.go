//go:build unix

package agents

import "syscall"

// cpuTime is the process's user and system CPU time so far, in
// nanoseconds: on a machine shared with other work it says what a
// benchmark cost better than the wall clock does.
func cpuTime() (int64, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	return ru.Utime.Nano() + ru.Stime.Nano(), true
}
