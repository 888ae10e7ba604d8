package results

import (
	"bufio"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// tempMark separates a file's name from the random suffix of its
// temporary: the temporary of results.csv is .results.csv.tmp-123456.
const tempMark = ".tmp-"

// WriteAtomic fills the file path through a temporary file beside it,
// which is synced, made readable (0644) and renamed to path; the folder is
// synced after the rename. A file that exists under its name is therefore
// whole, even after a crash or a power cut, which is what lets a sweep
// count a run file as done. When fill or a step fails, the temporary is
// removed and path is left as it was; the temporary of a killed process is
// left for [RemoveTemps].
func WriteAtomic(path string, fill func(w io.Writer) error) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+tempMark)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(f)
	err = fill(bw)
	if err == nil {
		err = bw.Flush()
	}
	if err == nil {
		err = f.Sync()
	}
	if err := install(f, path, err); err != nil {
		return err
	}
	return SyncDir(filepath.Dir(path))
}

// WriteFileAtomic writes data to path with [WriteAtomic].
func WriteFileAtomic(path string, data []byte) error {
	return WriteAtomic(path, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// WriteFileNoSync writes data to path through a temporary file beside it,
// made readable (0644) and renamed to path, as [WriteAtomic] does but
// without syncing the file or the folder: an interrupted process leaves
// path whole or as it was, while a crash of the machine may not. It is
// for files that are rebuilt rather than resumed, such as figures in an
// output folder that [Atomic] renames into place only when complete:
// two syncs per figure made most of the time a run's figures took on a
// busy disk.
func WriteFileNoSync(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+tempMark)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	return install(f, path, err)
}

// install closes the temporary f, makes it readable (0644) and renames it
// to path, unless err (of writing it) or a step fails; then it removes it.
func install(f *os.File, path string, err error) error {
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(f.Name(), 0o644)
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		os.Remove(f.Name())
	}
	return err
}

// RemoveTemps removes the temporaries that [WriteAtomic] left in dir when
// its process was killed, those of the files whose name mine accepts.
// Errors are ignored: what cannot be removed stays.
func RemoveTemps(dir string, mine func(file string) bool) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		n := e.Name()
		file, _, ok := strings.Cut(strings.TrimPrefix(n, "."), tempMark)
		if strings.HasPrefix(n, ".") && ok && mine(file) {
			os.RemoveAll(filepath.Join(dir, n))
		}
	}
}

// SyncDir makes the renames and removals in dir durable.
func SyncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}
