package results

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestRemoveStale: folders of processes that no longer exist are removed;
// those of live processes, other names and files stay.
func TestRemoveStale(t *testing.T) {
	dir := t.TempDir()
	dead := deadPID(t)
	const prefix = ".out.tmp-"
	names := map[string]bool{ // name: should remain
		fmt.Sprintf("%s%d-123", prefix, dead):        false,
		fmt.Sprintf("%s%d-456", prefix, os.Getpid()): true,
		prefix + "notapid-1":                         true,
		prefix + "123":                               true, // the old naming, without a process id
		".other.tmp-1-1":                             true,
	}
	for n := range names {
		if err := os.Mkdir(filepath.Join(dir, n), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	RemoveStale(dir, prefix)
	for n, stay := range names {
		_, err := os.Stat(filepath.Join(dir, n))
		if (err == nil) != stay {
			t.Errorf("%s: exists = %v, want %v", n, err == nil, stay)
		}
	}
}

// TestAtomicRemovesStaleSibling: a temporary folder left by a killed
// process is gone after the next Atomic of the same folder.
func TestAtomicRemovesStaleSibling(t *testing.T) {
	parent := t.TempDir()
	stale := filepath.Join(parent, fmt.Sprintf(".out.tmp-%d-999", deadPID(t)))
	if err := os.MkdirAll(filepath.Join(stale, "plots"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := Atomic(filepath.Join(parent, "out"), func(dir string) error {
		if !strings.Contains(filepath.Base(dir), fmt.Sprint(os.Getpid())) {
			t.Errorf("temporary folder %s does not carry the process id", dir)
		}
		return os.WriteFile(filepath.Join(dir, "x"), []byte("x"), 0o644)
	}); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(parent)
	if len(entries) != 1 || entries[0].Name() != "out" {
		t.Errorf("parent holds %v, want only out", entries)
	}
}

// deadPID returns the id of a process that has exited.
func deadPID(t *testing.T) int {
	cmd := exec.Command("true")
	if err := cmd.Run(); err != nil {
		t.Skip("cannot start a process:", err)
	}
	return cmd.Process.Pid
}
