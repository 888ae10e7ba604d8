package sweep

import (
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"

	"github.com/copsim/copsim/results"
)

// manifestFile is written last into an assembled sweep folder: a folder
// without it is incomplete (an assembly was interrupted, or it is a shard's
// folder, which merge assembles).
const manifestFile = "manifest.json"

// manifest lists the data files of an assembled sweep folder.
type manifest struct {
	Copsim   string         `json:"copsim_version"`
	Name     string         `json:"name"`
	Runs     int            `json:"runs"`
	Complete bool           `json:"complete"`
	Files    []manifestItem `json:"files"`
}

// manifestItem is one data file of a sweep folder.
type manifestItem struct {
	Name   string `json:"name"`
	Bytes  int64  `json:"bytes"`
	SHA256 string `json:"sha256"`
}

// Assemble writes a finished sweep's dataset into dir from dir/runs, in
// run order: results.csv (a row per run), design.csv (a row per point),
// timeseries.csv (when the plan asks for it), with plots plots/, and last
// manifest.json, which marks the folder complete. The data files depend
// only on the plan and the runs, so a merged sweep's are byte-identical to
// an unsharded one's.
func Assemble(dir string, p *Plan, withPlots bool) error {
	ix, err := readRuns(dir, p)
	if err != nil {
		return err
	}
	if miss := ix.missing(); len(miss) > 0 {
		return fmt.Errorf("%s: %d of %d runs are not done (first: %v)", dir, len(miss), p.Runs(), ix.problem(miss[0]))
	}
	// Until the new manifest is written, the folder is not complete.
	if err := os.Remove(filepath.Join(dir, manifestFile)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if err := results.SyncDir(dir); err != nil {
		return err
	}
	results.RemoveTemps(dir, everyFile)
	results.RemoveTemps(filepath.Join(dir, "plots"), everyFile)
	err = results.WriteAtomic(filepath.Join(dir, "results.csv"), func(w io.Writer) error {
		cw := csv.NewWriter(w)
		if err := cw.Write(p.resultsHeader()); err != nil {
			return err
		}
		cw.Flush()
		if err := cw.Error(); err != nil {
			return err
		}
		return ix.copyTo(w, false)
	})
	if err != nil {
		return err
	}
	err = results.WriteAtomic(filepath.Join(dir, "design.csv"), func(w io.Writer) error {
		cw := csv.NewWriter(w)
		cw.Write(append([]string{"point"}, p.Params...))
		for k, pt := range p.Points {
			cw.Write(append([]string{strconv.Itoa(k)}, pt.Values...))
		}
		cw.Flush()
		return cw.Error()
	})
	if err != nil {
		return err
	}
	if sensitivityDesign(p.Design) {
		if err := writeIndices(dir, p); err != nil {
			return err
		}
	}
	if p.Timeseries {
		err = results.WriteAtomic(filepath.Join(dir, "timeseries.csv"), func(w io.Writer) error {
			cw := csv.NewWriter(w)
			cw.Write(append([]string{"run", "point"}, results.TimeseriesHeader...))
			cw.Flush()
			if err := cw.Error(); err != nil {
				return err
			}
			return ix.copyTo(w, true)
		})
		if err != nil {
			return err
		}
	}
	if withPlots {
		pdir := filepath.Join(dir, "plots")
		if err := os.MkdirAll(pdir, 0o755); err != nil {
			return err
		}
		if _, err := writePlots(pdir, p, filepath.Join(dir, "results.csv")); err != nil {
			return err
		}
		if sensitivityDesign(p.Design) {
			if _, err := writeIndexPlots(pdir, p, filepath.Join(dir, "indices.csv")); err != nil {
				return err
			}
		}
	}
	if sensitivityDesign(p.Design) {
		if err := writeReport(dir, p); err != nil {
			return err
		}
	}
	return writeManifest(dir, p)
}

// writeManifest records the data files of dir, durably, as the last step.
func writeManifest(dir string, p *Plan) error {
	m := manifest{Copsim: results.Version, Name: p.Name, Runs: p.Runs(), Complete: true}
	names := []string{planFile, "results.csv", "design.csv"}
	if sensitivityDesign(p.Design) {
		names = append(names, "indices.csv")
	}
	if p.Timeseries {
		names = append(names, "timeseries.csv")
	}
	for _, n := range names {
		f, err := os.Open(filepath.Join(dir, n))
		if err != nil {
			return err
		}
		h := sha256.New()
		size, err := io.Copy(h, f)
		f.Close()
		if err != nil {
			return err
		}
		m.Files = append(m.Files, manifestItem{Name: n, Bytes: size, SHA256: hex.EncodeToString(h.Sum(nil))})
	}
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	return results.WriteFileAtomic(filepath.Join(dir, manifestFile), append(b, '\n'))
}

// Merge joins the folders of a sweep's shards into a new folder out
// (written atomically): the plan, every run, and the assembled dataset.
// The shards must hold the same plan and together every run; what is wrong
// with the folders given is an InputError.
func Merge(out string, dirs []string, withPlots bool) (*Plan, error) {
	if len(dirs) == 0 {
		return nil, inputError(nil, "merge needs at least one sweep folder")
	}
	p, ref, err := readPlan(dirs[0])
	if err != nil {
		return nil, err
	}
	for _, d := range dirs[1:] {
		_, b, err := readPlan(d)
		if err != nil {
			return nil, err
		}
		if !bytes.Equal(b, ref) {
			return nil, inputError(ErrDifferentSweep, "%s and %s hold different sweeps (their %s differ)", dirs[0], d, planFile)
		}
	}
	// Each run from the first folder that holds it whole; a run that no
	// folder holds whole is refused with what is wrong with it.
	idx := make([]*runIndex, len(dirs))
	for k, d := range dirs {
		if idx[k], err = readRuns(d, p); err != nil {
			return nil, inputError(nil, "%s: its runs cannot be read: %v", d, unwrapPath(err))
		}
	}
	all := &runIndex{at: make([]recordLoc, p.Runs()), bad: map[int]error{}}
	var miss []int
	for i := range all.at {
		all.at[i].file = -1
		for _, ix := range idx {
			if ix.done(i) {
				l := ix.at[i]
				all.at[i] = recordLoc{file: int32(len(all.files)), rowLen: l.rowLen, seriesLen: l.seriesLen, off: l.off}
				all.files = append(all.files, ix.files[l.file])
				break
			}
		}
		if !all.done(i) {
			miss = append(miss, i)
		}
	}
	if len(miss) > 0 {
		for _, ix := range idx {
			if err := ix.problem(miss[0]); !errors.Is(err, fs.ErrNotExist) {
				return nil, inputError(nil, "%d of %d runs are in none of the folders as a whole record (first: run %d); %v; run that shard again (copsim sweep resumes it), then merge", len(miss), p.Runs(), miss[0], err)
			}
		}
		return nil, inputError(nil, "%d of %d runs are in none of the folders (first: run %d); finish every shard, then merge", len(miss), p.Runs(), miss[0])
	}
	err = results.Atomic(out, func(tmp string) error {
		if err := os.WriteFile(filepath.Join(tmp, planFile), ref, 0o644); err != nil {
			return err
		}
		if err := os.Mkdir(filepath.Join(tmp, "runs"), 0o755); err != nil {
			return err
		}
		if err := all.writeTo(filepath.Join(tmp, "runs")); err != nil {
			return err
		}
		return Assemble(tmp, p, withPlots)
	})
	return p, err
}
