package main

import (
	"bytes"
	"io"
	"os"
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
