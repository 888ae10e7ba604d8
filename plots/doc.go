// Package plots turns copsim's tidy results into figures.
//
// The simulator writes a tidy time series ([measure.Row], one line per
// replication, tick and community) and, optionally, a picture of the last
// tick's network ([measure.Network]). Researchers need those as publication
// figures with confidence bands across replications; managers and teachers
// need the same figures readable at a glance and on a projector. This package
// draws them with gonum.org/v1/plot, in one consistent, colour-blind-safe
// style ([Palette], Okabe & Ito 2008), and writes each figure as PNG and SVG.
//
// [WriteRun] writes the figures of one run. [Series], [Band] and [AddBand]
// are exported so that other figures (comparisons of scenarios, sweeps) can
// group replications, compute 95 % confidence bands and draw them the same
// way, and [Save], [SaveGrid] and [SaveWithBar] write them as PNG and SVG
// with the same [Options]: the PNGs' resolution (DPI, 150 by default, 300
// for a journal), titles on or off (NoTitles: a paper sets its own
// captions), and how many figures are drawn at once (Workers).
//
// Figures are written for speed: a run's figures are drawn concurrently,
// each one's PNG and SVG together, and PNGs are compressed unfiltered at
// zlib's best speed, which a figure's flat colours allow at about the
// size of image/png's default.
//
// Replications of unequal length: runs that stop at March's equilibrium end
// at different ticks. [Series] carries a finished replication's last value
// forward to later ticks, so that every replication contributes to every
// tick after its start: a run at equilibrium no longer changes, and dropping
// it would bias the mean towards the slower (or never converging) runs and
// make the band jump where replications drop out.
//
// The style is exported for figures drawn elsewhere: [NewPlot] (fonts of
// 14 pt titles, 12 pt labels, 11 pt ticks and legends in [Font], axis
// "tick (weeks)", light grid), [NiceTicks], [RoleColor] and [Palette].
// Legends are drawn beside the data area, never over it.
//
// Everything is deterministic: the same input gives byte-identical PNG and
// SVG files, across calls and processes (tested). Node positions in the
// network picture come from node order, not from a random or iterative
// layout; gonum/plot's renderers hold no clock, random or map-order state
// (vgsvg's font map is only a set). SVG files name the font with
// metric-compatible fallbacks (Arial, Helvetica) unless Options.EmbedFonts
// is set.
package plots
