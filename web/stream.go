package web

import (
	"net/http"
	"time"
)

// heartbeat keeps proxies and the browser from closing a quiet stream.
const heartbeat = 15 * time.Second

// writeTimeout drops a stream whose reader has stopped reading.
const writeTimeout = 10 * time.Second

// handleEvents streams a session as server-sent events: first "state" (the
// session with its history) and the last "frame", then one "frame" per tick
// and a "state" after every control.
func (s *Server) handleEvents(w http.ResponseWriter, r *http.Request) {
	se := s.lookup(w, r)
	if se == nil {
		return
	}
	ch, first, ok := se.subscribe()
	if !ok {
		plain(w, http.StatusTooManyRequests, "This session already has as many open streams as it may; close another tab showing it.")
		return
	}
	defer se.unsubscribe(ch, s.cfg.Now())
	rc := http.NewResponseController(w)
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	write := func(b []byte) bool {
		rc.SetWriteDeadline(time.Now().Add(writeTimeout))
		if _, err := w.Write(b); err != nil {
			return false
		}
		return rc.Flush() == nil
	}
	if !write(append([]byte("retry: 1000\n\n"), first...)) {
		return
	}
	beat := time.NewTicker(heartbeat)
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
