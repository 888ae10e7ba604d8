package web

import (
	"context"
	"errors"
	"log"
	"net"
	"net/http"
	"sync"
	"time"
)

// HTTPServer returns the http.Server that serves s with s's timeouts. It
// has no WriteTimeout, which would cut every event stream: ServeHTTP sets a
// write deadline per response instead, and a stream one per write.
func (s *Server) HTTPServer() *http.Server {
	hs := &http.Server{
		Handler:           s,
		ReadHeaderTimeout: s.cfg.ReadHeaderTimeout,
		ReadTimeout:       s.cfg.ReadTimeout,
		IdleTimeout:       s.cfg.ConnIdleTimeout,
		MaxHeaderBytes:    maxHeaderBytes,
	}
	if s.cfg.Logf != nil {
		hs.ErrorLog = log.New(logWriter{s.cfg.Logf}, "", 0)
	}
	return hs
}

type logWriter struct{ logf func(string, ...any) }

func (w logWriter) Write(p []byte) (int, error) {
	w.logf("%s", string(p))
	return len(p), nil
}

// Listener wraps ln with the connection caps: at most MaxConns open at once
// (a further connection waits to be accepted) and at most MaxConnsPerClient
// from one client, as clientOf counts them (a further one is closed at
// once).
func (s *Server) Listener(ln net.Listener) net.Listener {
	return &limitListener{Listener: ln, sem: make(chan struct{}, s.cfg.MaxConns),
		perClient: s.cfg.MaxConnsPerClient, open: map[string]int{}, done: make(chan struct{})}
}

// Serve serves s on ln, with the timeouts and the connection caps, until
// ctx is done; then it ends the sessions (which ends their streams) and
// shuts down, waiting at most five seconds for requests in flight.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	if s.cfg.Listen == nil {
		s.cfg.Listen = ln.Addr()
	}
	hs := s.HTTPServer()
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		select {
		case <-ctx.Done():
		case <-s.stop:
		}
		s.Close()
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		hs.Shutdown(sctx)
	}()
	err := hs.Serve(s.Listener(ln))
	if errors.Is(err, http.ErrServerClosed) {
		<-stopped
		return nil
	}
	s.Close()
	<-stopped
	return err
}

// limitListener is netutil.LimitListener with a cap per client added.
type limitListener struct {
	net.Listener
	sem       chan struct{}
	perClient int

	mu   sync.Mutex
	open map[string]int

	closeOnce sync.Once
	done      chan struct{}
}

func (l *limitListener) Accept() (net.Conn, error) {
	for {
		select {
		case l.sem <- struct{}{}:
		case <-l.done:
			return nil, net.ErrClosed
		}
		c, err := l.Listener.Accept()
		if err != nil {
			<-l.sem
			return nil, err
		}
		client := clientKey(c.RemoteAddr().String())
		l.mu.Lock()
		if l.open[client] >= l.perClient {
			l.mu.Unlock()
			c.Close()
			<-l.sem
			continue
		}
		l.open[client]++
		l.mu.Unlock()
		return &limitConn{Conn: c, l: l, client: client}, nil
	}
}

func (l *limitListener) Close() error {
	err := l.Listener.Close()
	l.closeOnce.Do(func() { close(l.done) })
	return err
}

func (l *limitListener) release(client string) {
	l.mu.Lock()
	if l.open[client]--; l.open[client] <= 0 {
		delete(l.open, client)
	}
	l.mu.Unlock()
	<-l.sem
}

type limitConn struct {
	net.Conn
	l         *limitListener
	client    string
	closeOnce sync.Once
}

func (c *limitConn) Close() error {
	err := c.Conn.Close()
	c.closeOnce.Do(func() { c.l.release(c.client) })
	return err
}
