package plots

import (
	"context"
	"fmt"
	"os"
	"sync"

	"github.com/copsim/copsim/measure"
)

// WriteRun writes the figures of one run into dir, which must exist, each
// as NAME.png and NAME.svg, and returns the paths written (dir joined with
// the file name), in this order:
//
//   - roles: members by role over time (stacked areas of core, active,
//     peripheral and, with Options.Outsiders, outsiders), mean across
//     replications, for the whole organization ("all"; the first community
//     when there are no "all" rows);
//   - roles_by_community: the same as small multiples, one panel per
//     community on a shared y axis (only with two or more communities);
//   - knowledge: knowledge of members, core, periphery and repertoire with
//     95 % confidence bands, for the whole organization;
//   - insularity: the share of members' tie weight going outside their
//     community, per community (the whole organization only when there are
//     no community rows) with 95 % bands, y axis fixed to [0, 1];
//   - stage: the modal development stage per community;
//   - network: the picture of net (skipped when net is nil or empty).
//
// With more than a dozen communities the per-community figures degrade
// rather than crowd: roles_by_community draws the 11 largest communities
// (by mean members) and sums the rest into one "others" panel; insularity and
// stage draw the 8 largest, and their legends say how many are left out.
// Community names longer than 30 characters are shortened in legends.
//
// A figure without data (no rows, no stages) is skipped. Replications of
// unequal length are handled as in [Series]. Output is deterministic:
// the same input gives byte-identical files. Each file is written to a
// temporary name and renamed, so an interrupted call leaves complete files.
func WriteRun(dir string, rows []measure.Row, net *measure.Network, opts Options) ([]string, error) {
	return WriteRunContext(context.Background(), dir, rows, net, opts)
}

// WriteRunContext is [WriteRun] that stops when ctx is done: it returns
// ctx's error at once, even in the middle of drawing a figure, and leaves
// in dir only the complete files written before.
func WriteRunContext(ctx context.Context, dir string, rows []measure.Row, net *measure.Network, opts Options) ([]string, error) {
	if fi, err := os.Stat(dir); err != nil {
		return nil, fmt.Errorf("plots: %w", err)
	} else if !fi.IsDir() {
		return nil, fmt.Errorf("plots: %s is not a directory", dir)
	}
	o := opts.withDefaults()
	communities := Communities(rows)
	var figs []figure
	if len(communities) > 0 {
		org := communities[0] // "all" when present
		if f, ok := rolesFigure(rows, org, o); ok {
			figs = append(figs, f)
		}
		if f, ok := rolesByCommunityFigure(rows, communities, o); ok {
			figs = append(figs, f)
		}
		if f, ok := knowledgeFigure(rows, org, o); ok {
			figs = append(figs, f)
		}
		if f, ok := insularityFigure(rows, communities, o); ok {
			figs = append(figs, f)
		}
		if f, ok := stageFigure(rows, communities, o); ok {
			figs = append(figs, f)
		}
	}
	if f, ok := networkFigure(net, o); ok {
		figs = append(figs, f)
	}
	// Figures are drawn o.Workers at a time; the files and the order of
	// the paths returned do not depend on it.
	type result struct {
		names []string
		err   error
	}
	out := make([]result, len(figs))
	sem := make(chan struct{}, o.Workers)
	var wg sync.WaitGroup
	for i, f := range figs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				out[i].err = ctx.Err()
				return
			}
			defer func() { <-sem }()
			if err := ctx.Err(); err != nil {
				out[i].err = err
				return
			}
			out[i].names, out[i].err = f.write(ctx, dir, o)
		}()
	}
	wg.Wait()
	var written []string
	var first error
	for _, r := range out {
		written = append(written, r.names...)
		if first == nil {
			first = r.err
		}
	}
	if err := ctx.Err(); err != nil {
		return written, err
	}
	return written, first
}
