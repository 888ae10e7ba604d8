package web

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestLoad: 50 browser-like clients on loopback, each with its own session
// playing at 10 weeks per second (and starting again when its run ends),
// streaming for 30 seconds. It is too long for `make test`: run it with
//
//	COPSIM_LOAD=1 go test -run TestLoad -v ./web/
//
// (COPSIM_LOAD_CLIENTS and COPSIM_LOAD_SECONDS change the size).
func TestLoad(t *testing.T) {
	if os.Getenv("COPSIM_LOAD") != "1" {
		t.Skip("load test: set COPSIM_LOAD=1 to run it")
	}
	clients, secs := 50, 30
	if v, err := strconv.Atoi(os.Getenv("COPSIM_LOAD_CLIENTS")); err == nil {
		clients = v
	}
	if v, err := strconv.Atoi(os.Getenv("COPSIM_LOAD_SECONDS")); err == nil {
		secs = v
	}
	s := New(Config{MaxSessions: clients})
	ts := httptest.NewServer(s)
	defer ts.Close()
	defer s.Close()
	tr := &http.Transport{MaxIdleConnsPerHost: 2 * clients}
	hc := &http.Client{Transport: tr}
	var frames, bytesIn, errs atomic.Int64
	var errMu sync.Mutex
	var firstErr []string
	fail := func(format string, args ...any) {
		errs.Add(1)
		errMu.Lock()
		if len(firstErr) < 5 {
			firstErr = append(firstErr, fmt.Sprintf(format, args...))
		}
		errMu.Unlock()
	}
	post := func(url string) bool {
		resp, err := hc.Post(url, "", nil)
		if err != nil {
			fail("POST %s: %v", url, err)
			return false
		}
		resp.Body.Close()
		if resp.StatusCode != 200 && resp.StatusCode != 201 {
			fail("POST %s: %d", url, resp.StatusCode)
			return false
		}
		return true
	}
	var mem runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&mem)
	baseHeap := mem.HeapAlloc
	var peakHeap, peakSys uint64
	peakG := 0
	stop := make(chan struct{})
	var sampler sync.WaitGroup
	sampler.Add(1)
	go func() {
		defer sampler.Done()
		tk := time.NewTicker(500 * time.Millisecond)
		defer tk.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tk.C:
				var m runtime.MemStats
				runtime.ReadMemStats(&m)
				peakHeap = max(peakHeap, m.HeapAlloc)
				peakSys = max(peakSys, m.Sys)
				peakG = max(peakG, runtime.NumGoroutine())
			}
		}
	}()
	deadline := time.Now().Add(time.Duration(secs) * time.Second)
	var wg sync.WaitGroup
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := hc.Post(ts.URL+fmt.Sprintf("/api/sessions?seed=%d", c+1), "", nil)
			if err != nil || resp.StatusCode != 201 {
				fail("create: %v %v", err, resp)
				return
			}
			var st state
			json.NewDecoder(resp.Body).Decode(&st)
			resp.Body.Close()
			base := ts.URL + "/api/sessions/" + st.ID
			ev, err := hc.Get(base + "/events")
			if err != nil || ev.StatusCode != 200 {
				fail("events: %v", err)
				return
			}
			defer ev.Body.Close()
			go func() { time.Sleep(time.Until(deadline)); ev.Body.Close() }()
			post(base + "/speed?value=10")
			post(base + "/play")
			sc := bufio.NewScanner(ev.Body)
			sc.Buffer(make([]byte, 1<<20), 8<<20)
			isFrame := false
			for sc.Scan() {
				line := sc.Text()
				bytesIn.Add(int64(len(line) + 1))
				switch {
				case line == "event: frame":
					isFrame = true
				case strings.HasPrefix(line, "data: ") && isFrame:
					frames.Add(1)
					isFrame = false
					if strings.Contains(line, `"finished":true`) {
						// a student pressing reset and play again
						go func() {
							if post(base+"/reset") && time.Now().Before(deadline) {
								post(base + "/play")
							}
						}()
					}
				case strings.HasPrefix(line, "data: "):
				}
			}
			if time.Now().Before(deadline.Add(-time.Second)) {
				fail("stream ended early: %v", sc.Err())
			}
		}()
	}
	wg.Wait()
	close(stop)
	sampler.Wait()
	n := frames.Load()
	t.Logf("%d clients for %ds on loopback, %d CPUs: %d frames (%.0f events/s), %.1f MB streamed, %d errors",
		clients, secs, runtime.NumCPU(), n, float64(n)/float64(secs), float64(bytesIn.Load())/1e6, errs.Load())
	t.Logf("memory: heap before %.1f MiB, peak heap %.1f MiB, peak Sys %.1f MiB, peak goroutines %d",
		float64(baseHeap)/(1<<20), float64(peakHeap)/(1<<20), float64(peakSys)/(1<<20), peakG)
	if errs.Load() > 0 {
		t.Errorf("%d errors, first: %v", errs.Load(), firstErr)
	}
	if want := int64(clients * secs * 10 * 8 / 10); n < want {
		t.Errorf("only %d frames, want at least %d (80%% of 10 per second per client)", n, want)
	}
	if peakHeap > 512<<20 {
		t.Errorf("peak heap %d MiB is not bounded", peakHeap>>20)
	}
}
