package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestInternalErrorExit70: a panic anywhere in a command is a bug: exit
// 70, two lines on the terminal that ask for a report and name a file, and
// the stack in that file rather than on the terminal.
func TestInternalErrorExit70(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	register(&command{name: "test-panic", run: func([]string, io.Writer, io.Writer) int {
		var m map[string]int
		m["x"] = 1 // a nil-map write, as a real bug would be
		return exitOK
	}})
	defer delete(commands, "test-panic")
	var stdout, stderr bytes.Buffer
	code := runMain([]string{"test-panic"}, &stdout, &stderr)
	if code != exitInternal {
		t.Fatalf("exit %d, want %d", code, exitInternal)
	}
	msg := stderr.String()
	if strings.Count(msg, "\n") != 2 || !strings.Contains(msg, "internal error (a bug in copsim") ||
		strings.Contains(msg, "goroutine") {
		t.Errorf("stderr is not a short report:\n%s", msg)
	}
	file := regexp.MustCompile(`\S*copsim-crash-\S*\.txt`).FindString(msg)
	if file == "" || filepath.Dir(file) != tmp {
		t.Fatalf("no crash file in %s named in:\n%s", tmp, msg)
	}
	stack, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(stack), "assignment to entry in nil map") || !strings.Contains(string(stack), "main_test.go") {
		t.Errorf("crash file lacks the panic or the stack:\n%s", stack)
	}
}

// TestRemoveStaleSpools: spool folders of processes that no longer exist
// are removed; those of live processes and other names stay.
func TestRemoveStaleSpools(t *testing.T) {
	tmp := t.TempDir()
	dead := deadPID(t)
	names := map[string]bool{ // name: should remain
		fmt.Sprintf("%s%d-123", spoolPrefix, dead):        false,
		fmt.Sprintf("%s%d-456", spoolPrefix, os.Getpid()): true,
		spoolPrefix + "notapid-1":                         true,
		"other-folder":                                    true,
	}
	for n := range names {
		if err := os.Mkdir(filepath.Join(tmp, n), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	removeStaleSpools(tmp)
	for n, stay := range names {
		_, err := os.Stat(filepath.Join(tmp, n))
		if (err == nil) != stay {
			t.Errorf("%s: exists = %v, want %v", n, err == nil, stay)
		}
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
