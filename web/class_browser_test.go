package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/copsim/copsim/class"
)

// catchErrors makes every page of ctx's tab record its uncaught errors
// and rejected promises in window.__errors, from before its scripts run.
func catchErrors(ctx context.Context) error {
	_, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{
		Source: `window.__errors = [];
addEventListener("error", (e) => window.__errors.push(String(e.message || e)));
addEventListener("unhandledrejection", (e) => window.__errors.push("rejected: " + String(e.reason && e.reason.message || e.reason)));`})
	return err
}

// decideAtRandom is the script a phone runs in the test: a student who
// chooses at random moments (0.3 to 2.8 s apart), a random choice each
// time, from a generator seeded per student, until the run ends. It waits
// for each answer before the next choice, as a person would.
const decideAtRandom = `(() => {
  let s = %d >>> 0;
  const rnd = () => { s = (s + 0x6D2B79F5) | 0; let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t; return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
  const pick = (a) => a[Math.floor(rnd() * a.length)];
  const go = async () => {
    if (!copsim.view || copsim.view.ended) return;
    await copsim.decide({ takePart: pick(["yes", "no", "auto"]), approach: pick(["core", "peer", "other", "auto"]), share: pick(["yes", "no", "auto"]) });
    setTimeout(go, 300 + rnd() * 2500);
  };
  setTimeout(go, rnd() * 2000);
  return true;
})()`

// TestBrowserClass is a class in one browser: the teacher's page starts a
// class run from the main page's button, 40 phone-sized pages (390x844)
// join it with the code the projector shows and decide at random moments
// while the run plays several weeks; then the teacher ends it. Every page
// is free of script errors, every decision the phones were told was taken
// is in the event log exactly once (the last one of each week), the
// projector names every student, each phone shows its debrief, and the
// server's heap is bounded.
func TestBrowserClass(t *testing.T) {
	if testing.Short() {
		t.Skip("a real browser with 41 pages: not under -short")
	}
	ctx := browser(t)
	srv, ts := newTestServer(t, Config{})
	phones, weeks := 40, 8
	if n, err := strconv.Atoi(os.Getenv("COPSIM_CLASS_PHONES")); err == nil && n > 0 {
		phones = n // fewer, to look into a failure
	}
	heap := func() uint64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	poll := func(ctx context.Context, what, expr string) {
		t.Helper()
		// A poll across a navigation fails at once ("target navigated"):
		// poll again until the deadline.
		deadline := time.Now().Add(browserPatience)
		for {
			err := chromedp.Do(ctx, void(chromedp.Poll[bool](expr, chromedp.WithPollingTimeout(time.Until(deadline)))))
			if err == nil {
				return
			}
			if time.Now().After(deadline) || !strings.Contains(err.Error(), "navigated") && !strings.Contains(err.Error(), "context") {
				t.Fatalf("%s (%s): %v", what, expr, err)
			}
		}
	}
	eval := func(ctx context.Context, expr string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Evaluate[string](expr))
		if err != nil {
			t.Fatalf("%s: %v", expr, err)
		}
		return s
	}
	start := time.Now()
	// eachPhone runs f on every phone's tab, a few at a time, and fails on
	// the first error.
	eachPhone := func(tabs []context.Context, what string, f func(i int, tctx context.Context) error) {
		t.Helper()
		var wg sync.WaitGroup
		sem := make(chan struct{}, 8)
		errs := make(chan error, len(tabs))
		for i, tctx := range tabs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				sem <- struct{}{}
				defer func() { <-sem }()
				if err := f(i, tctx); err != nil {
					page, _ := chromedp.Run(tctx, chromedp.Evaluate[string](`JSON.stringify({week: copsim.view && copsim.view.week, ended: copsim.view && copsim.view.ended,
						stream: copsim.es && copsim.es.readyState, status: document.getElementById("status").textContent,
						debrief: document.getElementById("debrief").hidden, text: document.getElementById("debrief-text").textContent,
						errors: window.__errors.concat(copsim.errors || [])})`))
					errs <- fmt.Errorf("phone %d: %s: %w; the page: %s", i, what, err, page)
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
	}

	// The teacher starts a class run from the main page.
	if err := catchErrors(ctx); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 720), chromedp.Navigate(ts.URL+"/")); err != nil {
		t.Fatal(err)
	}
	poll(ctx, "the main page", `window.copsim && copsim.frames > 0`)
	before := heap()
	eval(ctx, `(document.getElementById("classrun").click(), "")`)
	poll(ctx, "the teacher's page", `location.pathname.startsWith("/class/") && window.copsim && copsim.st && copsim.frames > 0 && document.getElementById("join-code").textContent.length === 6`)
	code := eval(ctx, `document.getElementById("join-code").textContent`)
	if got := eval(ctx, `document.getElementById("qr").naturalWidth > 0 ? "drawn" : "missing"`); got != "drawn" {
		t.Errorf("QR code %s", got)
	}
	srv.cl.mu.Lock()
	cr := srv.cl.byCode[code]
	srv.cl.mu.Unlock()
	if cr == nil {
		t.Fatalf("no class run has the code the projector shows (%q)", code)
	}

	// 40 phones join, a few at a time, each in its own tab.
	tabs := make([]context.Context, phones)
	var wg sync.WaitGroup
	sem := make(chan struct{}, 6)
	errs := make(chan error, phones)
	for i := range tabs {
		// Each phone in a browser context of its own, as on a device of
		// its own: a browser opens at most six connections to one server,
		// and each page holds one for its event stream.
		tctx, cancel := chromedp.NewContext(ctx, chromedp.WithNewBrowserContext())
		t.Cleanup(cancel)
		tabs[i] = tctx
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			name := fmt.Sprintf("student %02d", i)
			err := catchErrors(tctx)
			if err == nil {
				err = chromedp.Do(tctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulatePortrait),
					chromedp.Navigate(ts.URL+"/j/"+code),
					void(chromedp.Poll[bool](`!document.getElementById("joinform").hidden`, chromedp.WithPollingTimeout(browserPatience))),
					void(chromedp.Evaluate[bool](fmt.Sprintf(`(document.getElementById("name").value = %q, document.getElementById("join").click(), true)`, name))),
					void(chromedp.Poll[bool](fmt.Sprintf(`copsim.view && copsim.view.name === %q && copsim.es && copsim.es.readyState === 1`, name), chromedp.WithPollingTimeout(browserPatience))))
			}
			if err != nil {
				page, _ := chromedp.Run(tctx, chromedp.Evaluate[string](`location.href + " | " + document.body.innerText.slice(0, 300) + " | " + JSON.stringify(window.__errors)`))
				errs <- fmt.Errorf("phone %d: %w; the page: %s", i, err, page)
			}
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	joinedAt := time.Since(start)
	poll(ctx, "every nickname on the projector", fmt.Sprintf(`document.querySelectorAll("#marks .mark-name").length === %d`, phones))

	// They decide at random moments while the run plays, a week every
	// second.
	eachPhone(tabs, "start deciding", func(i int, tctx context.Context) error {
		return chromedp.Do(tctx, void(chromedp.Evaluate[bool](fmt.Sprintf(decideAtRandom, 1000+i))))
	})
	eval(ctx, `(() => { const s = document.getElementById("seconds"); s.value = 1; s.dispatchEvent(new Event("change")); document.getElementById("play").click(); return ""; })()`)
	poll(ctx, "the weeks to run", fmt.Sprintf(`+document.getElementById("tick").textContent >= %d`, weeks))
	// Discuss: the run pauses, the phones go on choosing for next week.
	eval(ctx, `(document.getElementById("pause").click(), "")`)
	poll(ctx, "the pause", `document.getElementById("runstate").textContent.startsWith("paused")`)
	eachPhone(tabs, "follow the weeks and decide", func(i int, tctx context.Context) error {
		return chromedp.Do(tctx, void(chromedp.Poll[bool](fmt.Sprintf(`copsim.view.week >= %d && copsim.sent.length > 0`, weeks), chromedp.WithPollingTimeout(browserPatience))))
	})
	names := eval(ctx, `[...document.querySelectorAll("#marks .mark-name")].map((e) => e.textContent).sort().join("|")`)
	if !strings.Contains(names, "student 00") || !strings.Contains(names, fmt.Sprintf("student %02d", phones-1)) || strings.Count(names, "|") != phones-1 {
		t.Errorf("the projector names %q", names)
	}

	if dir := os.Getenv("COPSIM_CLASS_SCREENSHOTS"); dir != "" {
		classScreenshots(t, ctx, tabs[0], dir)
	}

	// The teacher ends the run: the debrief everywhere.
	eval(ctx, `(window.confirm = () => true, document.getElementById("end").click(), "")`)
	poll(ctx, "the class's debrief", fmt.Sprintf(`!document.getElementById("debrief").hidden && document.querySelectorAll("#debrief-table tbody tr").length === %d`, phones))
	eachPhone(tabs, "show the debrief", func(i int, tctx context.Context) error {
		return chromedp.Do(tctx, void(chromedp.Poll[bool](`copsim.view.ended && !document.getElementById("debrief").hidden && document.getElementById("debrief-text").textContent.includes("legitimacy")`, chromedp.WithPollingTimeout(browserPatience))))
	})

	// Every page without a script error.
	for i, tctx := range append([]context.Context{ctx}, tabs...) {
		if e := eval(tctx, `JSON.stringify(window.__errors.concat(copsim.errors || []))`); e != "[]" {
			t.Errorf("page %d (0: the teacher's) has script errors: %s", i, e)
		}
	}

	// Each decision exactly once in the log: the last each phone was told
	// was taken for a week, unless it handed the week back ("auto" all).
	var log bytes.Buffer
	var final int
	if msg := cr.do(func() string { final = cr.run.Week(); return errString(cr.run.WriteLog(&log)) }); msg != "" {
		t.Fatal(msg)
	}
	lg, err := class.ReadLog("events.log", &log)
	if err != nil {
		t.Fatal(err)
	}
	type key struct{ student, week int }
	inLog := map[key]string{}
	for _, e := range lg.Events {
		if e.Kind != class.EventDecide {
			continue
		}
		k := key{e.Student, e.Week}
		if _, dup := inLog[k]; dup {
			t.Errorf("student %d's decision of week %d is in the log twice", e.Student, e.Week)
		}
		inLog[k] = e.TakePart + "/" + e.Approach + "/" + e.Share
	}
	want := map[key]string{}
	sent := 0
	for i, tctx := range tabs {
		var got struct {
			ID   int `json:"id"`
			Sent []struct {
				Week   int           `json:"week"`
				Choice *decisionBody `json:"choice"`
			} `json:"sent"`
		}
		if err := json.Unmarshal([]byte(eval(tctx, `JSON.stringify({id: copsim.view.id, sent: copsim.sent})`)), &got); err != nil {
			t.Fatal(err)
		}
		sent += len(got.Sent)
		last := map[int]*decisionBody{}
		for _, s := range got.Sent {
			last[s.Week] = s.Choice
		}
		for w, c := range last {
			if w < final && c != nil {
				want[key{got.ID, w}] = c.TakePart + "/" + c.Approach + "/" + c.Share
			}
		}
		if i == 0 && len(got.Sent) == 0 {
			t.Errorf("phone 0 never decided")
		}
	}
	for k, v := range want {
		if inLog[k] != v {
			t.Errorf("student %d, week %d: the phone was told %s was taken, the log has %q", k.student, k.week, v, inLog[k])
		}
	}
	for k, v := range inLog {
		if _, ok := want[k]; !ok {
			t.Errorf("student %d, week %d: the log has %s, which no phone sent last", k.student, k.week, v)
		}
	}
	if len(want) < phones {
		t.Errorf("only %d decisions applied for %d phones over %d weeks", len(want), phones, final)
	}

	// The server's heap: the class run and 41 streams stay small.
	after := heap()
	growth := int64(after) - int64(before)
	t.Logf("class run: %d phones joined in %s; %d weeks; %d decisions sent, %d applied; server heap %.1f MiB before, %.1f MiB after (%+.1f MiB); %s in all",
		phones, joinedAt.Round(time.Millisecond), final, sent, len(want), mib(before), mib(after), float64(growth)/(1<<20), time.Since(start).Round(time.Millisecond))
	if growth > 64<<20 {
		t.Errorf("the server's heap grew by %.1f MiB for one class run", float64(growth)/(1<<20))
	}
}

func mib(b uint64) float64 { return float64(b) / (1 << 20) }

func errString(err error) string {
	if err != nil {
		return err.Error()
	}
	return ""
}

// classScreenshots saves the projector view and a phone's debrief as PNG
// files in dir (COPSIM_CLASS_SCREENSHOTS: README's pictures, taken by
// make class-screenshots).
func classScreenshots(t *testing.T, teacher, phone context.Context, dir string) {
	t.Helper()
	for _, s := range []struct {
		ctx  context.Context
		name string
	}{{teacher, "class-projector.png"}, {phone, "class-phone.png"}} {
		png, err := chromedp.Run(s.ctx, chromedp.CaptureScreenshot())
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, s.name), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
