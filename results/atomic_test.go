package results

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func names(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	return out
}

func TestWriteAtomic(t *testing.T) {
	broken := errors.New("broken")
	cases := []struct {
		name    string
		old     string // "" for no file before
		fill    func(w io.Writer) error
		want    string // the file afterwards
		wantErr error
	}{
		{"new file", "", func(w io.Writer) error { _, err := io.WriteString(w, "new\n"); return err }, "new\n", nil},
		{"replaces", "old\n", func(w io.Writer) error { _, err := io.WriteString(w, "new\n"); return err }, "new\n", nil},
		{"empty", "old\n", func(w io.Writer) error { return nil }, "", nil},
		{"fill fails half-way", "old\n", func(w io.Writer) error { io.WriteString(w, "ne"); return broken }, "old\n", broken},
		{"fill fails, no file", "", func(w io.Writer) error { return broken }, "", broken},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "out.csv")
			if c.old != "" {
				if err := os.WriteFile(path, []byte(c.old), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			err := WriteAtomic(path, c.fill)
			if !errors.Is(err, c.wantErr) {
				t.Fatalf("WriteAtomic: %v, want %v", err, c.wantErr)
			}
			b, rerr := os.ReadFile(path)
			switch {
			case c.old == "" && c.wantErr != nil:
				if !errors.Is(rerr, os.ErrNotExist) {
					t.Errorf("a failed write created the file: %v", rerr)
				}
			case string(b) != c.want:
				t.Errorf("file holds %q, want %q", b, c.want)
			}
			if got := names(t, dir); len(got) > 1 || len(got) == 1 && got[0] != "out.csv" {
				t.Errorf("folder holds %v; want only out.csv (no temporary)", got)
			}
			if fi, err := os.Stat(path); err == nil && c.wantErr == nil && fi.Mode().Perm() != 0o644 {
				t.Errorf("mode %v, want 0644", fi.Mode().Perm())
			}
		})
	}
}

func TestRemoveTemps(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []string{".a.csv.tmp-1", ".a.csv.tmp-2", ".b.csv.tmp-3", "a.csv", ".hidden", "c.tmp-4"} {
		if err := os.WriteFile(filepath.Join(dir, n), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	RemoveTemps(dir, func(file string) bool { return file == "a.csv" })
	want := []string{".b.csv.tmp-3", ".hidden", "a.csv", "c.tmp-4"}
	if got := names(t, dir); !slices.Equal(got, want) {
		t.Errorf("left %v, want %v", got, want)
	}
}

func TestWriteFileNoSync(t *testing.T) {
	for _, c := range []struct {
		name     string
		old      string // "" for no file before
		data     string
		readOnly bool // the folder refuses the temporary: path stays as it was
		want     string
	}{
		{"new file", "", "new\n", false, "new\n"},
		{"replaces", "old\n", "new\n", false, "new\n"},
		{"empty", "old\n", "", false, ""},
		{"folder not writable", "old\n", "new\n", true, "old\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "fig.png")
			if c.old != "" {
				if err := os.WriteFile(path, []byte(c.old), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			if c.readOnly {
				if os.Getuid() == 0 {
					t.Skip("root writes into read-only folders")
				}
				os.Chmod(dir, 0o555)
				defer os.Chmod(dir, 0o755)
			}
			err := WriteFileNoSync(path, []byte(c.data))
			if (err != nil) != c.readOnly {
				t.Fatalf("error %v, want one: %v", err, c.readOnly)
			}
			got, rerr := os.ReadFile(path)
			if rerr != nil || string(got) != c.want {
				t.Errorf("file holds %q (%v), want %q", got, rerr, c.want)
			}
			if fi, err := os.Stat(path); err == nil && !c.readOnly && fi.Mode().Perm() != 0o644 {
				t.Errorf("mode %v, want 0644", fi.Mode().Perm())
			}
			if n := names(t, dir); !slices.Equal(n, []string{"fig.png"}) {
				t.Errorf("folder holds %v, want only fig.png", n)
			}
		})
	}
}
