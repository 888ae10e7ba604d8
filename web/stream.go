package web

import (
	"errors"
	"net/http"
	"os"
	"time"
)

// handleEvents streams a session as server-sent events: first "state" (the
// session with its history) and the last "frame", then one "frame" per tick
// and a "state" after every control; "ended" if the simulation fails.
//
// A stream lives longer than any request timeout, so it clears the read
// deadline and sets a write deadline per write: a page that stops reading
// makes a write miss its deadline, and that ends the session (its slot is
// freed at once rather than after the idle timeout).
func (s *Server) handleEvents(w http.ResponseWriter, r *http.Request) {
	se := s.lookup(w, r)
	if se == nil {
		return
	}
	if _, msg := query(r); msg != "" {
		badRequest(w, msg)
		return
	}
	ch, first, msg := se.subscribe()
	if msg != "" {
		plain(w, sessionCode(msg, http.StatusTooManyRequests), msg)
		return
	}
	defer se.unsubscribe(ch, s.cfg.Now())
	rc := http.NewResponseController(w)
	// No read deadline (net/http clears it too once a request without a
	// body is read) and a write deadline per write instead of the whole
	// response's.
	rc.SetReadDeadline(time.Time{})
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	write := func(b []byte) bool {
		rc.SetWriteDeadline(time.Now().Add(s.cfg.StreamWriteTimeout))
		_, err := w.Write(b)
		if err == nil {
			err = rc.Flush()
		}
		if errors.Is(err, os.ErrDeadlineExceeded) {
			// Not a page that went away (that fails at once) but one that
			// stopped reading.
			s.logf("session %s ended: its stream stopped reading (%v)", se.id, err)
			s.forget(se)
			se.close()
		}
		return err == nil
	}
	if !write(append([]byte("retry: 1000\n\n"), first...)) {
		return
	}
	beat := time.NewTicker(s.cfg.Heartbeat)
	defer beat.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case msg, open := <-ch:
			if !open || !write(msg) {
				return
			}
		case <-beat.C:
			if !write([]byte(": ping\n\n")) {
				return
			}
		}
	}
}
