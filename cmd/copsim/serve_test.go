package main

import (
	"bytes"
	"strings"
	"testing"
)

// Out-of-range serve flags are refused with exit code 2 and a sentence
// naming the flag, before anything listens.
func TestServeRefusesBadFlags(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--max-sessions", "0"}, "--max-sessions must be at least 1"},
		{[]string{"--max-students", "0"}, "--max-students must be from 1 to 500"},
		{[]string{"--max-students", "501"}, "--max-students must be from 1 to 500"},
		{[]string{"--max-class-runs", "0"}, "--max-class-runs must be at least 1"},
		{[]string{"--warm-up", "-1"}, "--warm-up must be from 0 to 1000 weeks"},
		{[]string{"--warm-up", "1001"}, "--warm-up must be from 0 to 1000 weeks"},
		{[]string{"--idle-timeout", "10ms"}, "--idle-timeout must be at least 1s"},
	}
	for _, tt := range tests {
		var stdout, stderr bytes.Buffer
		args := append([]string{"serve", "--addr", "127.0.0.1:0"}, tt.args...)
		if code := runMain(args, &stdout, &stderr); code != 2 {
			t.Errorf("%v: exit %d, want 2 (stderr %q)", tt.args, code, stderr.String())
		}
		if !strings.Contains(stderr.String(), tt.want) {
			t.Errorf("%v: stderr %q, want it to say %q", tt.args, stderr.String(), tt.want)
		}
	}
}
