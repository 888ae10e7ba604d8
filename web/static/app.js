// copsim serve: the classroom page. Plain JavaScript, no libraries; the
// server streams one frame per simulated week as server-sent events.
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  // The palette is the reports' (package plots), from /api/meta.
  let C = {};

  const app = Object.assign(window.copsim || {}, { id: null, meta: null, st: null, history: [], frames: 0, es: null, notice: "",
    ghost: null, picture: null, follow: null, followLog: [], trails: new Map() });
  window.copsim = app; // for tests and the curious

  function status(msg) { $("status").textContent = msg || ""; }

  async function call(method, url) {
    const r = await fetch(url, { method: method, cache: "no-store" });
    const text = await r.text();
    if (!r.ok) { const e = new Error(text.trim()); e.status = r.status; throw e; }
    return JSON.parse(text);
  }

  async function control(action, params) {
    const q = new URLSearchParams(params || {}).toString();
    try {
      const st = await call("POST", "/api/sessions/" + app.id + "/" + action + (q ? "?" + q : ""));
      status("");
      applyState(st);
    } catch (e) {
      if (e.status === 404) { await start(); return; }
      status(e.message);
    }
  }

  // ---------- controls ----------
  function buildControls(meta) {
    const sel = $("scenario");
    for (const s of meta.scenarios) {
      const o = document.createElement("option");
      o.value = s.name; o.textContent = s.name.replace(/_/g, " "); o.title = s.description;
      sel.appendChild(o);
    }
    $("people").min = meta.limits.minPeople; $("people").max = meta.limits.maxPeople;
    $("speed").min = meta.limits.minSpeed; $("speed").max = meta.limits.maxSpeed;
    const box = $("switches");
    for (const iv of meta.interventions) {
      const d = document.createElement("div");
      d.className = "switch"; d.id = "switch-" + iv.kind;
      const head = document.createElement("div"); head.className = "head";
      const cb = document.createElement("input"); cb.type = "checkbox"; cb.id = "sw-" + iv.kind;
      const lab = document.createElement("label"); lab.htmlFor = cb.id; lab.textContent = iv.label;
      head.append(cb, lab);
      let rew = null;
      if (iv.rewards && iv.rewards.length) { // a kind with reward systems: a menu, one required
        rew = document.createElement("select"); rew.id = "reward-" + iv.kind; rew.setAttribute("aria-label", "what is rewarded");
        for (const r of iv.rewards) {
          const o = document.createElement("option"); o.value = r.kind; o.textContent = r.label; o.title = r.caption;
          rew.appendChild(o);
        }
      }
      const rng = document.createElement("input"); rng.type = "range"; rng.min = 0; rng.max = 1; rng.step = 0.05; rng.value = 0.8;
      rng.id = "str-" + iv.kind; rng.setAttribute("aria-label", iv.label + " strength");
      const out = document.createElement("output"); out.id = "out-" + iv.kind; out.textContent = "80%";
      head.append(rng, out);
      const cap = document.createElement("div"); cap.className = "caption"; cap.id = "cap-" + iv.kind;
      cap.textContent = iv.caption;
      d.append(head);
      if (rew) { const rr = document.createElement("div"); rr.className = "rewardrow"; rr.appendChild(rew); d.appendChild(rr); }
      d.appendChild(cap);
      box.appendChild(d);
      const send = () => {
        const p = { kind: iv.kind, on: cb.checked, strength: rng.value };
        if (rew) p.reward = rew.value;
        control("switch", p);
      };
      cb.addEventListener("change", send);
      rng.addEventListener("input", () => { out.textContent = Math.round(rng.value * 100) + "%"; });
      rng.addEventListener("change", () => { if (cb.checked) send(); });
      if (rew) rew.addEventListener("change", () => {
        cap.textContent = captionOf(iv.kind, rew.value);
        if (cb.checked) send();
      });
      if (rew) cap.textContent = captionOf(iv.kind, rew.value);
    }
    const sbox = $("sliders");
    for (const sl of meta.sliders) {
      const d = document.createElement("div"); d.className = "slider"; d.id = "slider-" + sl.key;
      const head = document.createElement("div"); head.className = "head";
      const lab = document.createElement("label"); lab.textContent = sl.label;
      const rng = document.createElement("input"); rng.type = "range"; rng.min = sl.min; rng.max = sl.max; rng.step = sl.step;
      rng.id = "param-" + sl.key; lab.htmlFor = rng.id;
      const out = document.createElement("output"); out.id = "pout-" + sl.key;
      head.append(lab, rng, out);
      const cap = document.createElement("div"); cap.className = "caption"; cap.textContent = sl.caption;
      d.append(head, cap);
      sbox.appendChild(d);
      rng.addEventListener("input", () => { out.textContent = fmtParam(sl, +rng.value); });
      rng.addEventListener("change", () => control("param", { key: sl.key, value: rng.value }));
    }
    for (const b of document.querySelectorAll("#chart-chooser button")) b.onclick = () => choose(b.dataset.chart);
    $("projector").onclick = () => setProjector(!document.body.classList.contains("projector"));
    $("play").onclick = () => control("play");
    $("pause").onclick = () => control("pause");
    $("step").onclick = () => control("step");
    $("reset").onclick = () => control("reset", setupParams());
    $("scenario").onchange = () => { const p = setupParams(); delete p.people; control("reset", p); };
    $("speed").oninput = () => { $("speed-out").textContent = $("speed").value + " weeks/s"; };
    $("speed").onchange = () => control("speed", { value: $("speed").value });
    $("classrun").onclick = startClass;
  }

  // startClass starts a class run of the scenario and seed shown and opens
  // its teacher's page (the server has set the teacher's cookie).
  async function startClass() {
    const p = setupParams();
    try {
      const st = await call("POST", "/api/classes?" + new URLSearchParams(p).toString());
      location.href = "/class/" + st.id;
    } catch (e) { status(e.message); }
  }

  function fmtParam(sl, v) { return sl.max <= 0.1 ? (v * 100).toFixed(1) + "%" : Math.round(v * 100) + "%"; }
  function sliderOf(key) { return app.meta.sliders.find((s) => s.key === key); }

  function setProjector(on) {
    document.body.classList.toggle("projector", on);
    $("projector").setAttribute("aria-pressed", String(on));
    relayout();
  }

  // infoOf finds the label and caption of a kind, or of one of its reward
  // systems, as /api/meta serves them from the intervention registry.
  function infoOf(kind, reward) {
    const k = app.meta.interventions.find((x) => x.kind === kind);
    if (!k || !reward) return k;
    return (k.rewards || []).find((x) => x.kind === reward);
  }
  function captionOf(kind, reward) {
    const f = infoOf(kind, reward);
    return f ? f.caption : "";
  }
  function labelOf(kind, reward) {
    const f = infoOf(kind, reward);
    return f ? f.label : reward || kind;
  }

  function setupParams() {
    return { scenario: $("scenario").value, seed: $("seed").value, people: $("people").value };
  }

  // ---------- state ----------
  function applyState(st) {
    const fresh = !app.st || app.st.scenario !== st.scenario || app.st.seed !== st.seed ||
      app.st.people !== st.people || !!(st.history && st.history.length === 1);
    // Reset keeps the run it ends as the charts' ghost: "what if we had not".
    if (app.st && st.history && st.history.length === 1 && app.history.length > 1) {
      app.ghost = { history: app.history, label: "before Reset" + describeRun(app.st) };
    }
    app.st = st;
    if (fresh) app.trails.clear();
    if (st.history) app.history = st.history;
    else if (fresh) app.history = app.history.filter((f) => f.tick <= st.tick);
    $("scenario").value = st.scenario;
    $("scenario-name").textContent = st.scenario.replace(/_/g, " ") + ":";
    const m = /^[^?]*\?/.exec(st.description);
    $("question").textContent = m ? m[0] : st.description.split(". ")[0];
    for (const sl of app.meta.sliders) {
      const v = st.params[sl.key];
      $("param-" + sl.key).value = v;
      $("pout-" + sl.key).textContent = fmtParam(sl, v);
    }
    $("save-csv").href = "/api/sessions/" + st.id + "/timeseries.csv";
    $("save-yaml").href = "/api/sessions/" + st.id + "/scenario.yaml";
    $("seed").value = st.seed;
    $("people").value = st.people;
    $("speed").value = st.speed;
    $("speed-out").textContent = st.speed + " weeks/s";
    $("ticks").textContent = st.ticks;
    $("tick").textContent = st.tick;
    $("runstate").textContent = st.finished ? "ended" : st.playing ? "playing" : "paused";
    $("runstate").className = "runstate" + (st.playing ? " playing" : "");
    $("play").className = st.playing ? "on" : "";
    // switches: on when an intervention of that kind is in force next week
    for (const iv of app.meta.interventions) {
      const f = st.inForce.find((x) => x.kind === iv.kind);
      const cb = $("sw-" + iv.kind);
      cb.checked = !!f;
      $("switch-" + iv.kind).classList.toggle("on", !!f);
      if (f) {
        $("str-" + iv.kind).value = f.strength;
        $("out-" + iv.kind).textContent = Math.round(f.strength * 100) + "%";
        if (f.reward) { $("reward-" + iv.kind).value = f.reward; $("cap-" + iv.kind).textContent = captionOf(iv.kind, f.reward); }
      }
    }
    renderInForce();
    relayout();
  }

  function renderInForce() {
    const st = app.st, box = $("inforce");
    box.textContent = "";
    const shown = new Set();
    for (const iv of st.inForce) {
      if (shown.has(iv.kind)) continue;
      shown.add(iv.kind);
      const d = document.createElement("div"); d.className = "iv"; d.id = "inforce-" + iv.kind;
      const b = document.createElement("b");
      b.textContent = labelOf(iv.kind) + (iv.reward ? " (" + labelOf(iv.kind, iv.reward) + ")" : "") + " " +
        Math.round(iv.strength * 100) + "%" + (iv.start > 0 ? " from week " + iv.start : "") + ": ";
      d.append(b, document.createTextNode(captionOf(iv.kind, iv.reward)));
      box.appendChild(d);
    }
    const soon = st.schedule.filter((iv) => iv.start > st.tick + 1);
    for (const iv of soon) {
      const d = document.createElement("div"); d.className = "iv";
      d.textContent = labelOf(iv.kind) + " " + Math.round(iv.strength * 100) + "% is scheduled from week " + iv.start + ".";
      box.appendChild(d);
    }
  }

  function onFrame(f) {
    app.frames++;
    app.last = f;
    while (app.history.length && app.history[app.history.length - 1].tick >= f.tick) app.history.pop();
    app.history.push({ tick: f.tick, rows: f.rows });
    $("tick").textContent = f.tick;
    if (app.st) {
      app.st.tick = f.tick;
      if (f.finished !== app.st.finished || f.playing !== app.st.playing) {
        app.st.finished = f.finished;
        $("runstate").textContent = f.finished ? "ended" : f.playing ? "playing" : "paused";
      }
    }
    app.picture.draw(f);
    showMet(f);
    recordTrails(f);
    trackFollowed(f);
    drawCharts();
  }

  // showMet says what the lines are: this week's meetings, counted.
  function showMet(f) {
    if (!f || f.tick === 0) { $("met").textContent = ""; return; }
    const n = (f.lines || []).length;
    $("met").textContent = "This week " + f.encounters + " meetings, " + f.boundaryEncounters + " across a boundary" +
      (n < f.encounters ? " (lines: " + n + " of them, drawn at random)" : "") + ".";
  }

  function describeRun(st) {
    const kinds = [...new Set(st.schedule.map((iv) => labelOf(iv.kind)))];
    return kinds.length ? " (" + kinds.join(", ") + ")" : " (no switches)";
  }

  // relayout fits the picture to its box and redraws everything.
  function relayout() {
    if (!app.st || !app.picture) return;
    app.picture.lay(app.st.communities, app.st.roles);
    if (app.last) { app.picture.draw(app.last); showMet(app.last); }
    drawCharts();
  }

  // ---------- following a person ----------
  // trails keep, for every person drawn, their legitimacy and knowledge in
  // each week this page has seen, so that a person clicked late in a run is
  // shown from the start. A person who leaves is replaced in the same place,
  // so a trail is a position's; it is bounded to the last maxTrail weeks.
  const maxTrail = 2000;
  function recordTrails(f) {
    for (const n of f.nodes || []) {
      let t = app.trails.get(n[0]);
      if (!t) { t = []; app.trails.set(n[0], t); }
      while (t.length && t[t.length - 1].tick >= f.tick) t.pop();
      t.push({ tick: f.tick, L: n[2], K: n[3] });
      if (t.length > maxTrail) t.splice(0, t.length - maxTrail);
    }
  }

  function follow(id) {
    app.follow = id; app.followLog = (app.trails.get(id) || []).slice();
    app.picture.followed = id;
    $("follow").hidden = false;
    if (app.last) { trackFollowed(app.last); app.picture.draw(app.last); }
    relayout();
  }
  app.followPerson = follow;

  function roleOf(L, roles, c) {
    if (c < 0) return "outsider";
    return L >= roles.core ? "core" : L >= roles.active ? "active" : L >= roles.peripheral ? "periphery" : "outsider";
  }

  function trackFollowed(f) {
    if (app.follow == null) return;
    const n = (f.nodes || []).find((x) => x[0] === app.follow);
    if (!n) { $("follow-head").textContent = "Person " + app.follow + " is not drawn now."; return; }
    while (app.followLog.length && app.followLog[app.followLog.length - 1].tick >= f.tick) app.followLog.pop();
    app.followLog.push({ tick: f.tick, L: n[2], K: n[3] });
    const c = n[1], role = roleOf(n[2], app.st.roles, c);
    $("follow-head").textContent = "Person " + n[0] + ": " + role + (c >= 0 ? " of " + app.st.communities[c] : "") +
      (n[4] & 2 ? ", coordinator" : "") + (n[4] & 1 ? ", in several communities" : "") +
      "; legitimacy " + Math.round(n[2] * 100) + "%, knowledge " + Math.round(n[3] * 100) + "%";
  }

  // ---------- charts ----------
  function allRow(f) { return f.rows[f.rows.length - 1]; }

  // outsideTies is the share of members' ties that go outside their
  // community, over the communities: each community's share weighted by its
  // members. The "all" row's own share counts only ties to people who share
  // no community at all, near zero by construction, so it is not the one
  // shown (as the run's summary pools the communities too).
  function outsideTies(f) {
    let sum = 0, w = 0;
    for (const r of f.rows.slice(0, -1)) {
      if (r.outsideTies == null || !r.members) continue;
      sum += r.outsideTies * r.members; w += r.members;
    }
    return w ? sum / w : null;
  }
  app.outsideTies = outsideTies; // for tests

  // shareTop is the top of a chart of shares: half when every value drawn
  // fits under it, so that the usual tens of per cent are readable, else all.
  function shareTop(...series) {
    for (const v of series) for (const x of v) if (x > 0.5) return 1;
    return 0.5;
  }

  // markers are the weeks a switch was pressed or a slider moved: one
  // number per week, drawn on the charts, and the key of what each number
  // means, written under them.
  function markers() {
    const by = new Map();
    const add = (t, label) => { if (!by.has(t)) by.set(t, []); by.get(t).push(label); };
    for (const iv of app.st.schedule) if (iv.start > 0) add(iv.start, labelOf(iv.kind) + " " + Math.round(iv.strength * 100) + "%");
    for (const iv of app.st.schedule) if (iv.end > 0 && iv.kind !== "seeding") add(iv.end + 1, labelOf(iv.kind) + " off");
    for (const p of app.st.paramLog) if (p.tick > 1) { const sl = sliderOf(p.key); add(p.tick, (sl ? sl.label : p.key) + " " + fmtParam(sl, p.value)); }
    const weeks = [...by.keys()].sort((x, y) => x - y);
    return { marks: weeks.map((t, i) => ({ t, n: i + 1 })), key: weeks.map((t, i) => ({ n: i + 1, t, labels: by.get(t) })) };
  }

  function renderMarkerKey(key) {
    const text = key.map((k) => k.n + " week " + k.t + ": " + k.labels.join(", ")).join("; ");
    const box = $("markers-key");
    if (box.dataset.text === text) return;
    box.dataset.text = text;
    box.textContent = "";
    if (!key.length) return;
    const b = document.createElement("b"); b.textContent = "Marks on the charts: ";
    box.appendChild(b);
    key.forEach((k, i) => {
      const n = document.createElement("span"); n.className = "mk-n"; n.textContent = k.n;
      box.append(n, document.createTextNode(" week " + k.t + ": " + k.labels.join(", ") + (i < key.length - 1 ? "; " : ".")));
    });
  }

  // The charts shown: all four when the side column has room for four
  // legible ones (or on a phone, where the page scrolls), else as many as
  // fit in one column, at least one: the ones last chosen with the buttons
  // above them (a new choice replaces the oldest).
  const CHARTS = ["roles", "knowledge", "participation", "openness"];
  app.chosen = ["roles", "participation"];
  function choose(name) {
    app.chosen = app.chosen.filter((c) => c !== name).concat(name).slice(-2);
    drawCharts();
  }
  function fitCharts() {
    const side = $("side"), phone = matchMedia("(max-width: 700px)").matches;
    const fs = parseFloat(getComputedStyle(document.body).fontSize);
    $("chart-chooser").hidden = false;
    // what the charts leave: the followed person, the chooser, the marks' key
    let room = side.clientHeight;
    for (const e of [$("follow"), $("chart-chooser"), $("markers-key")]) if (!e.hidden) room -= e.offsetHeight + 4;
    // a chart needs about 22 letters' width and 12 lines' height to be read
    const four = phone || (side.clientWidth >= 2 * 22 * fs && room >= 2 * 12 * fs);
    const n = four ? 4 : Math.max(1, Math.min(2, Math.floor(room / (12 * fs))));
    const shown = four ? CHARTS : CHARTS.filter((c) => app.chosen.slice(-n).includes(c));
    $("charts").className = four ? "" : n === 2 ? "two" : "one";
    $("chart-chooser").hidden = four;
    for (const c of CHARTS) {
      $("fig-" + c).hidden = !shown.includes(c);
      document.querySelector('#chart-chooser [data-chart="' + c + '"]').setAttribute("aria-pressed", String(shown.includes(c)));
    }
    return shown;
  }

  // seriesOf builds the charts' series from a history of frames.
  function seriesOf(H) {
    const get = (k, n) => H.map((f) => { const r = allRow(f); return n && !r[n] ? null : r[k]; });
    return {
      roles: [
        { label: "core", color: C.core, v: get("core"), w: 3 },
        { label: "active", color: C.active, v: get("active"), w: 3 },
        { label: "periphery", color: C.periphery, v: get("peripheral"), w: 3 },
        { label: "outsiders", color: C.outsiders, v: get("outsiders"), w: 3, dash: [6, 4] },
      ],
      knowledge: [
        { label: "all members", color: C.all, v: get("knowledge"), w: 3 },
        { label: "core", color: C.core, v: get("knowledgeCore", "core"), w: 2.5 },
        { label: "periphery", color: C.periphery, v: get("knowledgePeripheral", "peripheral"), w: 2.5 },
        { label: "community's view", color: C.repertoire, v: get("repertoire"), w: 3, dash: [8, 4] },
      ],
      participation: [
        { label: "all", color: C.all, v: get("participation", "members"), w: 2 },
        { label: "by choice", color: C.taking, v: get("voluntary", "members"), w: 3 },
        { label: "as mandated", color: C.taking, v: get("mandated", "members"), w: 3, dash: [8, 4] },
      ],
      openness: [
        { label: "meetings across", color: C.boundary, v: get("boundaryShare", "encounters"), w: 3 },
        { label: "members active across", color: C.boundary, v: get("boundaryActive", "members"), w: 3, dash: [8, 4] },
        { label: "ties outside", color: C.boundary, v: H.map(outsideTies), w: 2.5, dash: [2, 3] },
      ],
    };
  }

  app.drawCharts = () => drawCharts(); // for tests
  function drawCharts() {
    if (!app.st || !app.history.length) return;
    const H = app.history, T = Math.max(app.st.ticks, 1), xs = H.map((f) => f.tick), mk = markers();
    renderMarkerKey(mk.key);
    const shown = fitCharts();
    const S = seriesOf(H);
    const G = app.ghost ? seriesOf(app.ghost.history) : null, gx = app.ghost ? app.ghost.history.map((f) => f.tick) : null;
    const ghost = (k) => G ? { xs: gx, series: G[k], label: app.ghost.label } : null;
    const top = (...ss) => { for (const s of ss) for (const x of s.v) if (x > 0.5) return 1; return 0.5; };
    const total = H.map((f) => { const r = allRow(f); return r.members + r.outsiders; });
    const opts = {
      roles: { lo: 0, hi: Math.max(10, ...total), ytitle: "people" },
      knowledge: { lo: 0, hi: 1, pct: true, ytitle: "of reality" },
      participation: { lo: 0, hi: top(...S.participation, ...(G ? G.participation : [])), pct: true, ytitle: "of members" },
      openness: { lo: 0, hi: top(...S.openness, ...(G ? G.openness : [])), pct: true, ytitle: "share" },
    };
    const fonts = [];
    for (const c of shown) {
      copsim.legend($("legend-" + c), S[c], ghost(c));
      fonts.push(copsim.chart($("chart-" + c), Object.assign({ xs, T, series: S[c], ghost: ghost(c), markers: mk.marks }, opts[c])));
    }
    if (app.follow != null && app.followLog.length) {
      const F = app.followLog;
      const series = [{ label: "legitimacy", color: C.core, v: F.map((p) => p.L), w: 3 }, { label: "knowledge", color: C.all, v: F.map((p) => p.K), w: 3, dash: [8, 4] }];
      copsim.legend($("legend-follow"), series);
      fonts.push(copsim.chart($("chart-follow"), { xs: F.map((p) => p.tick), T, lo: 0, hi: 1, pct: true, markers: mk.marks, ytitle: "share", series }));
    }
    app.chartFontPx = Math.min(...fonts.map((f) => f.fontPx));
  }

  // ---------- session and stream ----------
  async function start() {
    if (app.es) { app.es.close(); app.es = null; }
    const p = app.st ? { scenario: app.st.scenario, seed: app.st.seed, people: app.st.people } : {};
    try {
      const st = await call("POST", "/api/sessions?" + new URLSearchParams(p).toString());
      app.id = st.id;
      sessionStorage.setItem("copsim-session", st.id);
      applyState(st);
      connect();
    } catch (e) {
      status(e.message);
      setTimeout(start, 5000);
    }
  }

  function connect() {
    const es = new EventSource("/api/sessions/" + app.id + "/events");
    app.es = es;
    es.addEventListener("state", (e) => applyState(JSON.parse(e.data)));
    es.addEventListener("frame", (e) => onFrame(JSON.parse(e.data)));
    // The simulation failed on the server: say so and start a new one.
    es.addEventListener("ended", (e) => {
      if (es !== app.es) return;
      es.close(); app.es = null;
      // Shown when the new session's stream opens, which would otherwise
      // clear it at once.
      app.notice = JSON.parse(e.data).message;
      start();
    });
    es.onopen = () => { status(app.notice); app.notice = ""; };
    es.onerror = async () => {
      if (es !== app.es) return;
      try { await call("GET", "/api/sessions/" + app.id); }
      catch (err) { if (err.status === 404) { status("The session had ended; a new one was started."); start(); } }
    };
  }

  // An open page asks for its state now and then: the server ends a session
  // after its idle time without a request, however long a stream is open.
  function keepAlive(idleSeconds) {
    const every = Math.max(5, Math.min(60, Math.floor(idleSeconds / 3))) * 1000;
    setInterval(() => {
      if (app.id) call("GET", "/api/sessions/" + app.id).catch(() => {});
    }, every);
  }

  async function init() {
    app.meta = await call("GET", "/api/meta");
    C = app.meta.palette;
    for (const k of ["core", "active", "periphery", "outsiders", "boundary"]) document.documentElement.style.setProperty("--" + k, C[k]);
    app.picture = new copsim.Picture($("rings"), follow);
    if (new URLSearchParams(location.search).getAll("projector").includes("1")) setProjector(true);
    let pending = 0;
    window.addEventListener("resize", () => { clearTimeout(pending); pending = setTimeout(relayout, 150); });
    keepAlive(app.meta.limits.idleSeconds);
    buildControls(app.meta);
    const id = sessionStorage.getItem("copsim-session");
    if (id) {
      try {
        const st = await call("GET", "/api/sessions/" + id);
        app.id = id; applyState(st); connect(); return;
      } catch (e) { /* gone: start a new one */ }
    }
    await start();
  }
  init().catch((e) => status(String(e.message || e)));
})();
