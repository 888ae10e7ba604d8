package web

import (
	"net/http"
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
	s.stream(w, r, first, ch, func() {
		// Not a page that went away (that fails at once) but one that
		// stopped reading.
		s.logf("session %s ended: its stream stopped reading", se.id)
		s.forget(se)
		se.close()
	})
}

// fanOut queues msg on every stream of subs. A stream that has fallen too
// far behind to take it is closed and dropped: its page reconnects and
// starts again from the full state, which is cheaper than holding a tick
// for a slow reader.
func fanOut(subs map[chan []byte]struct{}, msg []byte) {
	for ch := range subs {
		select {
		case ch <- msg:
		default:
			close(ch)
			delete(subs, ch)
		}
	}
}

// drop ends stream ch of subs, if it is still there (fanOut or closeAll may
// have ended it first).
func drop(subs map[chan []byte]struct{}, ch chan []byte) {
	if _, ok := subs[ch]; ok {
		close(ch)
		delete(subs, ch)
	}
}

// closeAll ends every stream of subs, after msg where it fits (nil for
// none): a full stream is ending anyway.
func closeAll(subs map[chan []byte]struct{}, msg []byte) {
	for ch := range subs {
		if msg != nil {
			select {
			case ch <- msg:
			default:
			}
		}
		close(ch)
		delete(subs, ch)
	}
}
