package results

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// Temporary folders carry the id of the process that made them, so that a
// later command can remove those of processes killed before they could
// clean up (kill -9, a lost node), and only those: a live process's
// folder is never touched.

// MkdirTemp makes a temporary folder in dir whose name starts with prefix
// and this process's id; [RemoveStale] recognizes it once the process is
// gone.
func MkdirTemp(dir, prefix string) (string, error) {
	return os.MkdirTemp(dir, fmt.Sprintf("%s%d-", prefix, os.Getpid()))
}

// RemoveStale removes the folders in dir made by [MkdirTemp] with prefix
// whose process no longer exists. Errors are ignored: a folder that
// cannot be read or removed is left as it was.
func RemoveStale(dir, prefix string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		rest, ok := strings.CutPrefix(e.Name(), prefix)
		if !ok || !e.IsDir() {
			continue
		}
		pidText, _, ok := strings.Cut(rest, "-")
		pid, err := strconv.Atoi(pidText)
		if !ok || err != nil || pid <= 0 || processAlive(pid) {
			continue
		}
		os.RemoveAll(filepath.Join(dir, e.Name()))
	}
}

// processAlive reports whether a process with this id exists (signal 0
// checks without sending; EPERM means it exists but is not ours).
func processAlive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
