package scenarios

import (
	"fmt"
	"strings"
	"unicode"
)

// MaxNameBytes bounds a scenario's or a sweep's name, which becomes part of
// a folder name.
const MaxNameBytes = 100

// CheckName reports why name cannot name an output folder, or nil. A name is
// joined to a path (results/NAME-TIME), so it must not reach outside that
// folder or hide itself: no path separators, no leading dot or dash, no
// control characters, at most MaxNameBytes bytes.
func CheckName(name string) error {
	switch {
	case strings.TrimSpace(name) == "":
		return fmt.Errorf("must not be empty")
	case len(name) > MaxNameBytes:
		return fmt.Errorf("must be at most %d bytes, got %d", MaxNameBytes, len(name))
	case strings.ContainsAny(name, `/\`):
		return fmt.Errorf("must not contain / or \\ (it names a folder)")
	case name[0] == '.' || name[0] == '-':
		return fmt.Errorf("must not begin with %q (it names a folder)", name[0])
	case strings.IndexFunc(name, unicode.IsControl) >= 0:
		return fmt.Errorf("must not contain control characters or line breaks")
	}
	return nil
}
