package class

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/copsim/copsim/agents"
	"github.com/copsim/copsim/internal/echo"
	"github.com/copsim/copsim/scenarios"
)

// The event log is text: a header line naming the format and its
// version, the scenario the run began with as the YAML that
// scenarios.Marshal writes (its changes included), then one event a line
// as a JSON object:
//
//	# copsim class log 1
//	# scenario:
//	name: baseline
//	...
//	# events:
//	{"week":0,"event":"join","student":0,"name":"Ana","community":"c1","person":17}
//	{"week":0,"event":"decide","student":0,"take_part":"yes","approach":"core","share":"no"}
//	{"week":0,"event":"step"}
//	{"week":1,"event":"interventions","interventions":[{"kind":"over_management","strength":1,"start":2,"end":0}]}
//	{"week":1,"event":"parameter","key":"model.turnover","value":0.01}
//
// An event's week is the run's week when it happened: a step at week w
// runs week w+1. A decide event is a decision applied to the week that
// the next step runs.
const (
	logHeader     = "# copsim class log 1"
	logHeaderStem = "# copsim class log "
	logScenario   = "# scenario:"
	logEvents     = "# events:"
	// maxLogLine bounds a line of the log (a long schedule of
	// interventions is the longest event).
	maxLogLine = 1 << 20
)

// The kinds of event.
const (
	EventJoin          = "join"
	EventDecide        = "decide"
	EventStep          = "step"
	EventInterventions = "interventions"
	EventParameter     = "parameter"
)

// Event is one line of the event log.
type Event struct {
	Line int    `json:"-"` // the line of the log it was read from; 0 if none
	Week int    `json:"week"`
	Kind string `json:"event"`
	// join and decide
	Student int `json:"student"`
	// join: the student's name, community and person
	Name      string `json:"name,omitempty"`
	Community string `json:"community,omitempty"`
	Person    int    `json:"person"`
	// decide: the choice, as agents.ParseDecision and ParseApproach read it
	TakePart string `json:"take_part,omitempty"`
	Approach string `json:"approach,omitempty"`
	Share    string `json:"share,omitempty"`
	// interventions: the new schedule
	Interventions []scenarios.Intervention `json:"interventions,omitempty"`
	// parameter: a scenarios.Change's key and value
	Key   string  `json:"key,omitempty"`
	Value float64 `json:"value"`
}

// MarshalJSON writes only the fields of the event's kind.
func (e Event) MarshalJSON() ([]byte, error) {
	m := []kv{{"week", e.Week}, {"event", e.Kind}}
	switch e.Kind {
	case EventJoin:
		m = append(m, kv{"student", e.Student}, kv{"name", e.Name}, kv{"community", e.Community}, kv{"person", e.Person})
	case EventDecide:
		m = append(m, kv{"student", e.Student}, kv{"take_part", e.TakePart}, kv{"approach", e.Approach}, kv{"share", e.Share})
	case EventInterventions:
		ivs := e.Interventions
		if ivs == nil {
			ivs = []scenarios.Intervention{}
		}
		m = append(m, kv{"interventions", ivs})
	case EventParameter:
		m = append(m, kv{"key", e.Key}, kv{"value", e.Value})
	}
	var b bytes.Buffer
	b.WriteByte('{')
	for k, f := range m {
		if k > 0 {
			b.WriteByte(',')
		}
		key, _ := json.Marshal(f.k)
		val, err := json.Marshal(f.v)
		if err != nil {
			return nil, err
		}
		b.Write(key)
		b.WriteByte(':')
		b.Write(val)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

type kv struct {
	k string
	v any
}

// Log is an event log read back: the scenario the run began with and its
// events.
type Log struct {
	Name     string // the file it was read from, for messages
	Scenario scenarios.Scenario
	Events   []Event
}

// WriteLog writes the run's event log.
func (r *Run) WriteLog(w io.Writer) error {
	y, err := scenarios.Marshal(r.initial)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "%s\n%s\n", logHeader, logScenario)
	bw.Write(y)
	if len(y) > 0 && y[len(y)-1] != '\n' {
		bw.WriteByte('\n')
	}
	fmt.Fprintln(bw, logEvents)
	for _, e := range r.events {
		if err := writeEvent(bw, e); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// writeEvent writes one event and its line's end.
func writeEvent(w io.Writer, e Event) error {
	b, err := e.MarshalJSON()
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// logError is an error at a line of a log.
func logError(name string, line int, format string, args ...any) error {
	return fmt.Errorf("%s:%d: %s", echo.ClipTo(name, 200), line, fmt.Sprintf(format, args...))
}

// ReadLog reads an event log strictly: the header, a valid scenario, and
// events each of a known kind with exactly its fields, in an order a run
// can have made them (weeks that follow the steps, students that have
// joined, at most one decision per student and week, no more weeks than
// the scenario has). An error names the file and line: "NAME:LINE: what".
// name is used in messages only.
func ReadLog(name string, rd io.Reader) (*Log, error) {
	sc := bufio.NewScanner(rd)
	sc.Buffer(make([]byte, 0, 64<<10), maxLogLine)
	line := 0
	next := func() (string, bool) {
		if !sc.Scan() {
			return "", false
		}
		line++
		return sc.Text(), true
	}
	fail := func(format string, args ...any) (*Log, error) {
		return nil, logError(name, line, format, args...)
	}
	text, ok := next()
	if !ok {
		if err := sc.Err(); err != nil {
			return nil, readError(name, line+1, err)
		}
		line = 1
		return fail("empty file: an event log begins with %q", logHeader)
	}
	if text != logHeader {
		if strings.HasPrefix(text, logHeaderStem) {
			return fail("format %s is not one this copsim reads (it reads %q)", echo.Clip(strings.TrimPrefix(text, logHeaderStem)), logHeader)
		}
		return fail("not a class event log: the first line must be %q", logHeader)
	}
	if text, ok = next(); !ok || text != logScenario {
		if !ok {
			line++
		}
		return fail("the second line must be %q", logScenario)
	}
	first := line + 1
	var y bytes.Buffer
	for {
		text, ok = next()
		if !ok {
			if err := sc.Err(); err != nil {
				return nil, readError(name, line+1, err)
			}
			line++
			return fail("the log ends before its %q line", logEvents)
		}
		if text == logEvents {
			break
		}
		y.WriteString(text)
		y.WriteByte('\n')
	}
	s, err := scenarios.Parse(name, y.Bytes())
	if err != nil {
		return nil, shiftLines(err, first-1)
	}
	lg := &Log{Name: name, Scenario: s}
	var ck logChecker
	ck.ticks = s.Ticks
	for {
		text, ok = next()
		if !ok {
			break
		}
		e, msg := parseEvent(text)
		if msg == "" {
			msg = ck.check(&e)
		}
		if msg != "" {
			return fail("%s", msg)
		}
		e.Line = line
		lg.Events = append(lg.Events, e)
	}
	if err := sc.Err(); err != nil {
		return nil, readError(name, line+1, err)
	}
	return lg, nil
}

func readError(name string, line int, err error) error {
	if errors.Is(err, bufio.ErrTooLong) {
		return logError(name, line, "line longer than %d bytes", maxLogLine)
	}
	return logError(name, line, "%v", err)
}

// shiftLines moves the lines of a scenario's errors by off, the line of
// the log before the scenario's first.
func shiftLines(err error, off int) error {
	list := scenarios.Errors(err)
	if len(list) == 0 {
		return err
	}
	for _, e := range list {
		if e.Line > 0 {
			e.Line += off
		}
	}
	return scenarios.ErrorList(list)
}

// rawEvent is an event as decoded, with presence kept, so that a field of
// another kind of event is refused.
type rawEvent struct {
	Week          *int                      `json:"week"`
	Kind          *string                   `json:"event"`
	Student       *int                      `json:"student"`
	Name          *string                   `json:"name"`
	Community     *string                   `json:"community"`
	Person        *int                      `json:"person"`
	TakePart      *string                   `json:"take_part"`
	Approach      *string                   `json:"approach"`
	Share         *string                   `json:"share"`
	Interventions *[]scenarios.Intervention `json:"interventions"`
	Key           *string                   `json:"key"`
	Value         *float64                  `json:"value"`
}

// parseEvent decodes one line; the message says what is wrong.
func parseEvent(text string) (Event, string) {
	if strings.TrimSpace(text) == "" {
		return Event{}, "empty line: each line after " + logEvents + " is one event"
	}
	dec := json.NewDecoder(strings.NewReader(text))
	dec.DisallowUnknownFields()
	var raw rawEvent
	if err := dec.Decode(&raw); err != nil {
		return Event{}, "not an event: " + echo.Clip(err.Error())
	}
	if dec.More() {
		return Event{}, "more than one JSON value on the line"
	}
	if _, err := dec.Token(); err != io.EOF {
		return Event{}, "more than one JSON value on the line"
	}
	if raw.Week == nil || raw.Kind == nil {
		return Event{}, `an event needs "week" and "event"`
	}
	e := Event{Week: *raw.Week, Kind: *raw.Kind}
	type field struct {
		name    string
		present bool
	}
	fields := []field{{"student", raw.Student != nil}, {"name", raw.Name != nil}, {"community", raw.Community != nil},
		{"person", raw.Person != nil}, {"take_part", raw.TakePart != nil}, {"approach", raw.Approach != nil},
		{"share", raw.Share != nil}, {"interventions", raw.Interventions != nil}, {"key", raw.Key != nil},
		{"value", raw.Value != nil}}
	var want []string
	switch e.Kind {
	case EventJoin:
		want = []string{"student", "name", "community", "person"}
	case EventDecide:
		want = []string{"student", "take_part", "approach", "share"}
	case EventStep:
	case EventInterventions:
		want = []string{"interventions"}
	case EventParameter:
		want = []string{"key", "value"}
	default:
		return e, fmt.Sprintf("unknown event %s; the events are join, decide, step, interventions and parameter", echo.Quote(e.Kind))
	}
	for _, f := range fields {
		wanted := false
		for _, w := range want {
			wanted = wanted || w == f.name
		}
		switch {
		case wanted && !f.present:
			return e, fmt.Sprintf("a %s event needs %q", e.Kind, f.name)
		case !wanted && f.present:
			return e, fmt.Sprintf("a %s event has no %q", e.Kind, f.name)
		}
	}
	switch e.Kind {
	case EventJoin:
		e.Student, e.Name, e.Community, e.Person = *raw.Student, *raw.Name, *raw.Community, *raw.Person
	case EventDecide:
		e.Student, e.TakePart, e.Approach, e.Share = *raw.Student, *raw.TakePart, *raw.Approach, *raw.Share
	case EventInterventions:
		e.Interventions = *raw.Interventions
	case EventParameter:
		e.Key, e.Value = *raw.Key, *raw.Value
	}
	return e, ""
}

// logChecker checks that events come in an order a run makes them.
type logChecker struct {
	ticks, week, students int
	decided               map[int]bool // this week's
}

func (ck *logChecker) check(e *Event) string {
	if e.Week != ck.week {
		return fmt.Sprintf("week %d, but the steps before it bring the run to week %d", e.Week, ck.week)
	}
	switch e.Kind {
	case EventJoin:
		if e.Student != ck.students {
			return fmt.Sprintf("student %d joins, but %d students have joined before: the next is %d", e.Student, ck.students, ck.students)
		}
		if err := CheckName(e.Name); err != nil || strings.TrimSpace(e.Name) != e.Name {
			return fmt.Sprintf("name %s: not a name a student can have", echo.Quote(e.Name))
		}
		if e.Person < 0 {
			return fmt.Sprintf("person %d: a person is a number from 0", e.Person)
		}
		ck.students++
	case EventDecide:
		if e.Student < 0 || e.Student >= ck.students {
			return fmt.Sprintf("student %d decides, but only students 0 to %d have joined", e.Student, ck.students-1)
		}
		if ck.decided[e.Student] {
			return fmt.Sprintf("student %d decides twice for week %d", e.Student, e.Week+1)
		}
		var ch agents.Choice
		var err error
		if ch.TakePart, err = agents.ParseDecision(e.TakePart); err != nil {
			return "take_part: " + err.Error()
		}
		if ch.Approach, err = agents.ParseApproach(e.Approach); err != nil {
			return "approach: " + err.Error()
		}
		if ch.Share, err = agents.ParseDecision(e.Share); err != nil {
			return "share: " + err.Error()
		}
		if ch == (agents.Choice{}) {
			return "a decide event decides something: a run logs no decision left to the model"
		}
		if ck.decided == nil {
			ck.decided = map[int]bool{}
		}
		ck.decided[e.Student] = true
	case EventStep:
		if ck.week >= ck.ticks {
			return fmt.Sprintf("a step beyond the scenario's %d weeks", ck.ticks)
		}
		ck.week++
		clear(ck.decided)
	case EventParameter:
		if math.IsNaN(e.Value) || math.IsInf(e.Value, 0) {
			return "value: not a number"
		}
		known := false
		for _, k := range scenarios.ChangeableKeys() {
			known = known || k == e.Key
		}
		if !known {
			return fmt.Sprintf("key %s: not a parameter a class run can change (%s)", echo.Quote(e.Key), strings.Join(scenarios.ChangeableKeys(), ", "))
		}
	}
	return ""
}

// Replay rebuilds a run from its log on one worker (ReplayWith).
func Replay(ctx context.Context, lg *Log) (*Run, error) {
	return ReplayWith(ctx, lg, Options{})
}

// ReplayWith rebuilds a run from its log by making its events again, in
// order: the run is the logged one, byte for byte, for any number of
// workers. opt.MaxStudents is raised to the students the log has. An
// event the run refuses, or a join that gives another person than the log
// says, is an error at the event's line (a log of another copsim, or
// edited). ctx is checked between events.
func ReplayWith(ctx context.Context, lg *Log, opt Options) (*Run, error) {
	joins := 0
	for _, e := range lg.Events {
		if e.Kind == EventJoin {
			joins++
		}
	}
	opt.MaxStudents = max(opt.MaxStudents, joins, DefaultMaxStudents)
	opt.WarmUp = 0 // the log's own steps include any warm-up
	r, err := New(lg.Scenario, opt)
	if err != nil {
		return nil, logError(lg.Name, 2, "the scenario: %v", err)
	}
	for _, e := range lg.Events {
		if err := ctx.Err(); err != nil {
			r.Close()
			return nil, err
		}
		if err := r.apply(e); err != nil {
			r.Close()
			return nil, logError(lg.Name, e.Line, "%s event: %v", e.Kind, err)
		}
	}
	return r, nil
}

// apply makes event e again.
func (r *Run) apply(e Event) error {
	if e.Week != r.Week() {
		return fmt.Errorf("the event is at week %d, but the run is at week %d", e.Week, r.Week())
	}
	switch e.Kind {
	case EventJoin:
		s, err := r.Join(e.Name)
		if err != nil {
			return err
		}
		if s.ID != e.Student || s.Person != e.Person || s.Community != e.Community {
			return fmt.Errorf("the replay made student %d person %d of %s, where the log has student %d, person %d of %s: the log was made by another copsim or edited",
				s.ID, s.Person, s.Community, e.Student, e.Person, echo.Quote(e.Community))
		}
	case EventDecide:
		var ch agents.Choice
		var err error
		if ch.TakePart, err = agents.ParseDecision(e.TakePart); err != nil {
			return err
		}
		if ch.Approach, err = agents.ParseApproach(e.Approach); err != nil {
			return err
		}
		if ch.Share, err = agents.ParseDecision(e.Share); err != nil {
			return err
		}
		return r.Decide(e.Student, ch)
	case EventStep:
		return r.Step()
	case EventInterventions:
		return r.SetInterventions(e.Interventions)
	case EventParameter:
		return r.SetParameter(e.Key, e.Value)
	default:
		return fmt.Errorf("unknown event %s", echo.Quote(e.Kind))
	}
	return nil
}
