package class

import (
	"encoding/csv"
	"io"
	"strconv"

	"github.com/copsim/copsim/measure"
	"github.com/copsim/copsim/results"
)

// TrajectoryColumns are the columns of trajectories.csv, one row per
// student and week, from the week they joined.
var TrajectoryColumns = []string{"student", "name", "community", "week", "took_part", "approach", "share",
	"legitimacy", "role", "knowledge", "ties", "chosen"}

// WriteTrajectoriesCSV writes every student's trajectory as tidy CSV
// (TrajectoryColumns): took_part is what happened, approach and share the
// decision applied that week (auto when the model played the student,
// chosen false), legitimacy, role and knowledge in the student's
// community, ties their live ties. The first row of a student is the week
// they joined, before any decision.
func (r *Run) WriteTrajectoriesCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(TrajectoryColumns); err != nil {
		return err
	}
	for _, s := range r.students {
		for _, p := range s.traj {
			rec := []string{strconv.Itoa(s.id), s.name, r.names[s.community], strconv.Itoa(p.Week),
				strconv.FormatBool(p.TookPart == 1), p.Choice.Approach.String(), p.Choice.Share.String(),
				measure.FormatFloat(p.Legitimacy), p.Role, measure.FormatFloat(p.Knowledge),
				strconv.Itoa(int(p.Ties)), strconv.FormatBool(p.Chosen)}
			if err := cw.Write(rec); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteTimeseriesCSV writes the run's time series with the columns of
// `copsim run`'s timeseries.csv.
func (r *Run) WriteTimeseriesCSV(w io.Writer) error {
	return results.WriteTimeseries(w, r.rows)
}
