package results

import (
	"io"
	"math"
	"testing"

	"github.com/copsim/copsim/measure"
)

// benchRows are rows with the values a run writes: counts, shares with
// full precision, an NA and a stage.
func benchRows(n int) []measure.Row {
	rows := make([]measure.Row, n)
	for i := range rows {
		x := float64(i+1) / 7
		rows[i] = measure.Row{Rep: i % 3, Tick: i, Community: "c1", Members: 120 + i%9, Outsiders: 7,
			Peripheral: 60, Active: 40, Core: 20 + i%5,
			ParticipationRate: x / (x + 1), ParticipationGini: 0.31, KnowledgeMean: 1 / (x + 2),
			KnowledgeCore: 0.8123456789, KnowledgeActive: 0.61, KnowledgePeripheral: math.NaN(),
			RepertoireKnowledge: 0.5, RepertoireScore: -0.125, MajorityKnowledge: 0.55, Diversity: 0.4 / (x + 1),
			Divergence: 0, EIIndex: -0.33, BoundaryShare: 0.1, Encounters: 900 + i, Newcomers: i % 4,
			Motivation: 0.7, Identity: 0.45, Stage: "maturing"}
	}
	return rows
}

func BenchmarkWriteTimeseries(b *testing.B) {
	rows := benchRows(1000)
	b.ReportAllocs()
	for b.Loop() {
		if err := WriteTimeseries(io.Discard, rows); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkTimeseriesRecord(b *testing.B) {
	rows := benchRows(1000)
	b.ReportAllocs()
	for b.Loop() {
		for _, r := range rows {
			_ = TimeseriesRecord(r)
		}
	}
}
