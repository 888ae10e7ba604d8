package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/copsim/copsim/agents"
	"github.com/copsim/copsim/measure"
	"github.com/copsim/copsim/scenarios"
	"github.com/copsim/copsim/sim"
)

const chromiumPath = "/usr/bin/chromium"

// browser starts Debian's headless chromium with a fresh profile. Outside
// CI a missing chromium skips the test; in CI (CI=true) it fails.
func browser(t *testing.T) context.Context {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is missing in CI: .ci/install.d/20-chromium.sh should have installed it", chromiumPath)
		}
		t.Skipf("skipping the real-browser test: %s is not installed (apt-get install chromium)", chromiumPath)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 720),
	}
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelC := chromedp.NewContext(actx)
	ctx, cancelT := context.WithTimeout(ctx, 8*time.Minute)
	t.Cleanup(func() { cancelT(); cancelC(); cancelA() })
	return ctx
}

// TestBrowser drives the page in a real browser: play, the tick counter and
// the charts move, over-management switched on shows its caption and
// changes the numbers on the stream; a screenshot is saved.
func TestBrowser(t *testing.T) {
	ctx := browser(t)
	srv, ts := newTestServer(t, Config{})
	run := func(steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, steps...); err != nil {
			t.Fatal(err)
		}
	}
	eval := func(expr string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Evaluate[string](expr))
		if err != nil {
			t.Fatalf("%s: %v", expr, err)
		}
		return s
	}
	run(chromedp.EmulateViewport(1280, 720),
		chromedp.Navigate(ts.URL+"/"),
		chromedp.WaitVisible(chromedp.ID("sw-over_management")),
		void(chromedp.Poll[bool](`window.copsim && copsim.frames > 0 && document.querySelectorAll('circle.dot').length > 100`, chromedp.WithPollingTimeout(browserPatience))))
	if got := eval(`document.getElementById('tick').textContent`); got != "0" {
		t.Fatalf("tick counter before play: %q", got)
	}
	id := eval(`copsim.id`)
	if srv.Sessions() != 1 || srv.sessions[id] == nil {
		t.Fatalf("the page did not start one session (%d)", srv.Sessions())
	}
	charts := []string{"chart-roles", "chart-knowledge", "chart-participation", "chart-openness"}
	drawn := func() []string {
		t.Helper()
		var d []string
		for _, c := range charts {
			d = append(d, eval(fmt.Sprintf(`document.getElementById(%q).toDataURL()`, c)))
		}
		return d
	}
	chartsBefore := drawn()
	if got := eval(`[...document.querySelectorAll('#charts figcaption')].map((c) => c.textContent).join('|')`); !strings.Contains(got, "Openness to other communities") || strings.Contains(got, "E-I") {
		t.Errorf("chart captions %q: want openness, not the E-I index", got)
	}

	// Every kind of the registry has a switch; a kind with reward systems a
	// menu of them, whose choice sets the caption (switched off: no press).
	for _, k := range scenarios.Kinds() {
		if got := eval(fmt.Sprintf(`document.getElementById('switch-%s').textContent`, k.Name)); !strings.Contains(got, k.Label) || !strings.Contains(got, k.Caption) && len(k.Rewards) == 0 {
			t.Errorf("switch %s reads %q", k.Name, got)
		}
		for _, r := range k.Rewards {
			got := eval(fmt.Sprintf(`(() => { const m = document.getElementById('reward-%s'); m.value = %q; m.dispatchEvent(new Event('change'));
				return m.selectedOptions[0].textContent + '|' + document.getElementById('cap-%[1]s').textContent; })()`, k.Name, r.Name))
			if got != r.Label+"|"+r.Caption {
				t.Errorf("menu of %s at %s reads %q, want %q", k.Name, r.Name, got, r.Label+"|"+r.Caption)
			}
		}
	}

	// Play at the fastest speed, from the page.
	run(void(chromedp.Evaluate[bool](`(() => { const s = document.getElementById('speed'); s.value = 10; s.dispatchEvent(new Event('change')); return true; })()`)),
		chromedp.Click(chromedp.ID("play")),
		void(chromedp.Poll[bool](`+document.getElementById('tick').textContent >= 10`, chromedp.WithPollingTimeout(browserPatience))))
	t1 := eval(`document.getElementById('tick').textContent`)
	run(void(chromedp.Poll[bool](fmt.Sprintf(`+document.getElementById("tick").textContent > %s`, t1), chromedp.WithPollingTimeout(browserPatience))))
	if eval(`document.getElementById('runstate').textContent`) != "playing" {
		t.Errorf("run state does not say playing")
	}
	// The charts the side column has no room for are shown by the chooser.
	for _, c := range charts {
		name := strings.TrimPrefix(c, "chart-")
		if eval(fmt.Sprintf(`String(document.getElementById('fig-%s').hidden)`, name)) == "true" {
			eval(fmt.Sprintf(`(document.querySelector('#chart-chooser [data-chart=%s]').click(), '')`, name))
			if eval(fmt.Sprintf(`String(document.getElementById('fig-%s').hidden)`, name)) != "false" {
				t.Errorf("the chooser does not show %s", c)
			}
		}
	}
	for i, after := range drawn() {
		if after == chartsBefore[i] {
			t.Errorf("%s did not change while playing", charts[i])
		}
	}

	// Watch the same session's stream from here, then switch over-management on in the page.
	ch, stop := openStream(t, ts.URL+"/api/sessions/"+id+"/events")
	defer stop()
	next(t, ch, "state")
	run(chromedp.Click(chromedp.ID("sw-over_management")),
		chromedp.WaitVisible(chromedp.ID("inforce-over_management")))
	om, _ := scenarios.KindNamed(scenarios.OverManagement)
	caption := om.Caption
	if got := eval(`document.getElementById('inforce-over_management').textContent`); !strings.Contains(got, caption) {
		t.Errorf("in-force banner %q lacks the caption %q", got, caption)
	}
	if got := eval(`document.getElementById('cap-over_management').textContent`); got != caption {
		t.Errorf("switch caption %q, want %q", got, caption)
	}
	if eval(`String(document.getElementById('switch-over_management').classList.contains('on'))`) != "true" {
		t.Errorf("the switch does not show as on")
	}
	// The stream reports the switch, from the next tick.
	var st state
	for {
		json.Unmarshal([]byte(next(t, ch, "state").data), &st)
		if len(st.InForce) > 0 {
			break
		}
	}
	if st.InForce[0].Kind != scenarios.OverManagement || st.InForce[0].Strength != 0.8 {
		t.Fatalf("stream in force: %+v", st.InForce)
	}
	start := st.InForce[0].Start
	// ...and its numbers leave the path of the run without it.
	sc, err := scenarios.Load("baseline", []string{"seed=1", "replications=1"})
	if err != nil {
		t.Fatal(err)
	}
	res, err := agents.Run(context.Background(), sc, sim.Options{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	without := func(tick int) measure.Row { return res.Rows[tick*4+3] } // "all"
	// The openness chart's share of ties outside: the communities' shares
	// weighted by their members, as the page computes it.
	var sum, members float64
	for _, r := range res.Rows[10*4 : 10*4+3] {
		sum += r.OutsideTieShare * float64(r.Members)
		members += float64(r.Members)
	}
	if got, want := eval(`String(copsim.outsideTies(copsim.history.find((f) => f.tick === 10)))`), fmt.Sprint(sum/members); got != want || members == 0 {
		t.Errorf("the page's share of ties outside at week 10: %s, want %s", got, want)
	}
	diverged := false
	for !diverged {
		var f wireFrame
		json.Unmarshal([]byte(next(t, ch, "frame").data), &f)
		all := f.Rows[3]
		w := without(f.Tick)
		same := wireNum(all["knowledge"]) == w.KnowledgeMean && wireNum(all["participation"]) == w.ParticipationRate &&
			wireNum(all["voluntary"]) == w.VoluntaryParticipation && wireNum(all["mandated"]) == w.MandatedParticipation &&
			wireNum(all["motivation"]) == w.Motivation && wireNum(all["core"]) == float64(w.Core)
		if f.Tick < start && !same {
			t.Fatalf("tick %d differs before the switch (start %d)", f.Tick, start)
		}
		if f.Tick >= start && !same {
			diverged = true
			t.Logf("over-management from week %d: at week %d participation %.3f (voluntary %.3f, mandated %.3f) vs %.3f (%.3f, %.3f) without, motivation %.3f vs %.3f",
				start, f.Tick, wireNum(all["participation"]), wireNum(all["voluntary"]), wireNum(all["mandated"]),
				w.ParticipationRate, w.VoluntaryParticipation, w.MandatedParticipation, wireNum(all["motivation"]), w.Motivation)
		}
		if f.Tick > start+20 || f.Finished {
			t.Fatalf("the stream shows no effect of over-management by week %d", f.Tick)
		}
	}

	// The participation chart draws the mandated apart: they appear on the page.
	run(void(chromedp.Poll[bool](`(() => { const h = copsim.history, r = h[h.length - 1].rows; return r[r.length - 1].mandated > 0; })()`,
		chromedp.WithPollingTimeout(browserPatience))))

	// Boundary activity too, for the picture, then a screenshot.
	now := eval(`document.getElementById('tick').textContent`)
	run(chromedp.Click(chromedp.ID("sw-boundary_activity")),
		void(chromedp.Poll[bool](fmt.Sprintf(`+document.getElementById('tick').textContent >= Math.min(%s + 25, 199)`, now), chromedp.WithPollingTimeout(browserPatience))),
		chromedp.Click(chromedp.ID("pause")),
		chromedp.Sleep(600*time.Millisecond))
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "serve.png")
	if p := os.Getenv("COPSIM_SCREENSHOT"); p != "" {
		out = p
	}
	if err := os.WriteFile(out, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s (%d bytes)", out, len(png))
	if len(png) < 10000 {
		t.Errorf("screenshot is suspiciously small")
	}
}

// void drops an action's value, for chromedp.Do.
func void[T any](a chromedp.Action[T]) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		_, err := a(ctx, t)
		return chromedp.Void{}, err
	}
}

// TestBrowserCrossOrigin: in a real browser, a page on another origin that
// fires no-cors POSTs at the server (the reproducer of the attack that
// filled every slot) starts no session.
func TestBrowserCrossOrigin(t *testing.T) {
	ctx := browser(t)
	s, ts := newTestServer(t, Config{})
	evil := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><script>
Promise.allSettled([...Array(10)].map(() => fetch(%q, {method: "POST", mode: "no-cors"})))
  .then(() => { document.title = "done"; });
</script>`, ts.URL+"/api/sessions?people=20")
	}))
	defer evil.Close()
	// localhost and 127.0.0.1: another origin, and another site too.
	if err := chromedp.Do(ctx, chromedp.Navigate(strings.Replace(evil.URL, "127.0.0.1", "localhost", 1))); err != nil {
		t.Fatal(err)
	}
	poll(t, "the page's requests", func() bool {
		title, err := chromedp.Run(ctx, chromedp.Evaluate[string]("document.title"))
		return err == nil && title == "done"
	})
	if n := s.Sessions(); n != 0 {
		t.Errorf("a page on another origin started %d sessions", n)
	}
}

// TestBrowserKeepAliveAndFailure: an open page asks for its state within
// its idle time, and when its simulation fails the page says so and starts
// a new session.
func TestBrowserKeepAliveAndFailure(t *testing.T) {
	ctx := browser(t)
	clock := &fakeClock{now: time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)}
	s := New(Config{IdleTimeout: 15 * time.Second, Now: clock.Now}) // the page asks every 5 s
	var bad sync.Map
	s.beforeStep = func(id string) {
		if _, ok := bad.Load(id); ok {
			panic("injected failure")
		}
	}
	ts := httptest.NewServer(s)
	t.Cleanup(func() { s.Close(); ts.Close() })
	if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/"),
		void(chromedp.Poll[bool](`window.copsim && copsim.frames > 0`, chromedp.WithPollingTimeout(browserPatience)))); err != nil {
		t.Fatal(err)
	}
	id, err := chromedp.Run(ctx, chromedp.Evaluate[string](`copsim.id`))
	if err != nil {
		t.Fatal(err)
	}
	s.mu.Lock()
	se := s.sessions[id]
	s.mu.Unlock()
	clock.Add(10 * time.Second) // within the idle time, or the sweeper ends it
	poll(t, "the page's periodic request", func() bool { return se.idleSince(clock.Now()) == 0 })

	bad.Store(id, true)
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("step")),
		void(chromedp.Poll[bool](`copsim.id !== `+strconvQuote(id)+` && document.getElementById("status").textContent.includes("failed")`,
			chromedp.WithPollingTimeout(browserPatience)))); err != nil {
		t.Fatal(err)
	}
	if n := s.Sessions(); n != 1 {
		t.Errorf("%d sessions after the failure, want the page's new one", n)
	}
}

func strconvQuote(s string) string { b, _ := json.Marshal(s); return string(b) }

// browserPatience is how long a browser test waits for the page: headless
// chromium draws in software, and under `make test` it shares two cores
// with race-enabled test binaries, where a minute was seen not to be
// enough. A passing test does not wait for it.
const browserPatience = 3 * time.Minute

// layoutCheck measures the page in the browser: the smallest font of any
// visible text (SVG text at its size on screen, the charts' canvas font),
// and the elements outside the picture that overlap the picture's box.
const layoutCheck = `(() => {
  const pic = document.getElementById('rings').getBoundingClientRect();
  let minFont = 1e9, where = '';
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (!n.textContent.trim()) continue;
    const e = n.parentElement, cs = getComputedStyle(e);
    if (cs.display === 'none' || cs.visibility === 'hidden' || e.closest('[hidden]')) continue;
    const r = e.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    let f = parseFloat(cs.fontSize);
    if (e instanceof SVGElement && e.getScreenCTM()) f *= e.getScreenCTM().a;
    if (f < minFont) { minFont = f; where = e.tagName + ' ' + (e.id || e.className.baseVal || e.className) + ' ' + n.textContent.trim().slice(0, 30); }
  }
  if (copsim.chartFontPx < minFont) { minFont = copsim.chartFontPx; where = 'chart text'; }
  const overlaps = [];
  for (const e of document.querySelectorAll('body *')) {
    const svg = document.getElementById('rings');
    if (e === svg || svg.contains(e) || e.contains(svg)) continue;
    const cs = getComputedStyle(e);
    if (cs.display === 'none' || cs.visibility === 'hidden') continue;
    const r = e.getBoundingClientRect();
    const w = Math.min(r.right, pic.right) - Math.max(r.left, pic.left), h = Math.min(r.bottom, pic.bottom) - Math.max(r.top, pic.top);
    if (r.width > 0 && r.height > 0 && w > 0.5 && h > 0.5) overlaps.push(e.tagName + '#' + e.id + '.' + e.className);
  }
  // the charts shown: their canvas, plot area and text boxes, and the
  // share of the side column the shown charts fill
  const seen = (e) => e.offsetParent !== null && !e.closest('[hidden]');
  const charts = [...document.querySelectorAll('#side canvas')].filter(seen).map((cv) => ({
    id: cv.id, size: [cv.clientWidth, cv.clientHeight], plot: JSON.parse(cv.dataset.plot || 'null'), boxes: JSON.parse(cv.dataset.boxes || '[]')}));
  const side = document.getElementById('side').getBoundingClientRect();
  let filled = 0;
  for (const f of document.querySelectorAll('#side figure, #follow')) if (seen(f)) { const r = f.getBoundingClientRect(); filled += r.width * r.height; }
  return JSON.stringify({minFont, where, overlaps: overlaps.slice(0, 5), pic: [pic.width, pic.height],
    scroll: document.scrollingElement.scrollHeight > innerHeight, charts, fill: filled / (side.width * side.height)});
})()`

// TestBrowserLayouts: in projector mode no text on the page is under
// 18 px; at every size nothing overlaps the picture, which keeps a usable
// size with every switch on, and no two texts of a chart overlap, each
// chart's plot area keeps a stated size, and the charts fill the side
// column (no empty half column at 1920x1080); the phone's page scrolls.
// The screenshots serve.png and serve-phone.png are written to
// COPSIM_SCREENSHOT_DIR when set (the others to a temporary folder).
func TestBrowserLayouts(t *testing.T) {
	ctx := browser(t)
	_, ts := newTestServer(t, Config{})
	cases := []struct {
		name       string
		w, h       int
		query      string
		minFont    float64
		minPicture float64    // the picture's smaller side, px
		minPlot    [2]float64 // each chart's plot area, px
		minFollow  [2]float64 // the followed person's chart's plot area, px
		minFill    float64    // share of the side column filled by the charts shown
		scrolls    bool
		keep       bool // written to COPSIM_SCREENSHOT_DIR
	}{
		{"serve.png", 1280, 720, "?projector=1", 18, 400, [2]float64{300, 120}, [2]float64{290, 100}, 0.75, false, true},
		{"serve-1920.png", 1920, 1080, "?projector=1", 18, 600, [2]float64{500, 180}, [2]float64{500, 90}, 0.75, false, false},
		{"serve-1024.png", 1024, 768, "", 13, 400, [2]float64{350, 90}, [2]float64{350, 70}, 0.75, true, false},
		{"serve-phone.png", 390, 844, "", 13, 330, [2]float64{250, 180}, [2]float64{250, 70}, 0, true, true},
	}
	for _, c := range cases {
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(int64(c.w), int64(c.h)),
			// a session of its own: the page resumes the tab's session otherwise
			chromedp.Navigate(ts.URL+"/static/style.css"),
			void(chromedp.Evaluate[bool](`sessionStorage.clear(), true`)),
			chromedp.Navigate(ts.URL+"/"+c.query),
			void(chromedp.Poll[bool](`window.copsim && copsim.frames > 0 && document.querySelectorAll('.dot').length > 100`, chromedp.WithPollingTimeout(browserPatience))),
			// every switch on, then some weeks
			void(chromedp.Evaluate[bool](`(() => { (async () => { for (const cb of document.querySelectorAll('#switches input[type=checkbox]')) { cb.checked = true; cb.dispatchEvent(new Event('change')); await new Promise((r) => setTimeout(r, 300)); } })(); return true; })()`)),
			void(chromedp.Poll[bool](`document.querySelectorAll('#inforce .iv').length >= 5`, chromedp.WithPollingTimeout(browserPatience))),
			void(chromedp.Evaluate[bool](`(() => { const s = document.getElementById('speed'); s.value = 30; s.dispatchEvent(new Event('change')); document.getElementById('play').click(); return true; })()`)),
			void(chromedp.Poll[bool](`+document.getElementById('tick').textContent >= 40`, chromedp.WithPollingTimeout(browserPatience))),
			chromedp.Click(chromedp.ID("pause")),
			void(chromedp.Evaluate[bool](`(() => { const d = document.querySelector('.dot'); d.dispatchEvent(new MouseEvent('click', {bubbles: true})); return true; })()`)),
			void(chromedp.Poll[bool](`!document.getElementById('follow').hidden`, chromedp.WithPollingTimeout(browserPatience))),
			// clicked at week 40 or later, followed from the start
			void(chromedp.Poll[bool](`copsim.followLog.length >= 40 && copsim.followLog[0].tick <= 1`, chromedp.WithPollingTimeout(browserPatience))),
		); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		chromedp.Do(ctx, chromedp.Sleep(1200*time.Millisecond)) // the lines' fade and the resize settle
		js, err := chromedp.Run(ctx, chromedp.Evaluate[string](layoutCheck))
		if err != nil {
			t.Fatal(err)
		}
		var got struct {
			MinFont  float64
			Where    string
			Overlaps []string
			Pic      [2]float64
			Scroll   bool
			Charts   []struct {
				ID    string
				Size  [2]float64
				Plot  [4]float64
				Boxes [][4]float64
			}
			Fill float64
		}
		json.Unmarshal([]byte(js), &got)
		t.Logf("%s at %dx%d: %s", c.name, c.w, c.h, js)
		if got.MinFont < c.minFont {
			t.Errorf("%s: the smallest text is %.1f px (%s), want at least %.0f", c.name, got.MinFont, got.Where, c.minFont)
		}
		if len(got.Overlaps) > 0 {
			t.Errorf("%s: %v overlap the picture", c.name, got.Overlaps)
		}
		if min(got.Pic[0], got.Pic[1]) < c.minPicture {
			t.Errorf("%s: the picture is %.0fx%.0f px, want at least %.0f on its smaller side", c.name, got.Pic[0], got.Pic[1], c.minPicture)
		}
		if got.Scroll != c.scrolls {
			t.Errorf("%s: the page scrolls: %v, want %v", c.name, got.Scroll, c.scrolls)
		}
		if len(got.Charts) < 2 { // the followed person's and at least one
			t.Errorf("%s: %d charts shown, want at least 2", c.name, len(got.Charts))
		}
		for _, ch := range got.Charts {
			want := c.minPlot
			if ch.ID == "chart-follow" {
				want = c.minFollow
			}
			if w, h := ch.Plot[2], ch.Plot[3]; w < want[0] || h < want[1] {
				t.Errorf("%s: %s's plot area is %.0fx%.0f px, want at least %.0fx%.0f", c.name, ch.ID, w, h, want[0], want[1])
			}
			if len(ch.Boxes) < 5 { // y title, 2+ y ticks, 2+ week ticks, week
				t.Errorf("%s: %s drew %d texts", c.name, ch.ID, len(ch.Boxes))
			}
			for i, a := range ch.Boxes {
				if a[0] < -0.5 || a[1] < -0.5 || a[0]+a[2] > ch.Size[0]+0.5 || a[1]+a[3] > ch.Size[1]+0.5 {
					t.Errorf("%s: %s draws text at %v, outside its %v canvas", c.name, ch.ID, a, ch.Size)
				}
				for _, b := range ch.Boxes[i+1:] {
					if boxesOverlap(a, b) {
						t.Errorf("%s: %s draws texts at %v and %v, which overlap", c.name, ch.ID, a, b)
					}
				}
			}
		}
		if got.Fill < c.minFill {
			t.Errorf("%s: the charts fill %.0f%% of the side column, want at least %.0f%%", c.name, 100*got.Fill, 100*c.minFill)
		}
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`scrollTo(0, 0), true`)); err != nil {
			t.Fatal(err)
		}
		png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
		if err != nil {
			t.Fatal(err)
		}
		out := filepath.Join(t.TempDir(), c.name)
		if d := os.Getenv("COPSIM_SCREENSHOT_DIR"); d != "" && c.keep {
			out = filepath.Join(d, c.name)
		}
		if err := os.WriteFile(out, png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// boxesOverlap says whether two boxes [x, y, w, h] share more than a
// hair (a pixel's rounding).
func boxesOverlap(a, b [4]float64) bool {
	w := min(a[0]+a[2], b[0]+b[2]) - max(a[0], b[0])
	h := min(a[1]+a[3], b[1]+b[3]) - max(a[1], b[1])
	return w > 0.5 && h > 0.5
}
