// copsim serve: the classroom page. Plain JavaScript, no libraries; the
// server streams one frame per simulated week as server-sent events.
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  const SVGNS = "http://www.w3.org/2000/svg";
  // Okabe-Ito colours for lines, viridis for knowledge: both colour-blind safe.
  const C = { core: "#d55e00", active: "#e69f00", periphery: "#0072b2", outsiders: "#999999",
    repertoire: "#009e73", members: "#111111", ties: "#0072b2", boundary: "#cc79a7",
    voluntary: "#009e73", mandated: "#d55e00", taking: "#555555" };
  const VIRIDIS = [[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]];

  const app = { id: null, meta: null, st: null, history: [], frames: 0, es: null, notice: "", dots: new Map(), layout: null };
  window.copsim = app; // for tests and the curious

  function viridis(x) {
    if (x == null || isNaN(x)) x = 0;
    x = Math.max(0, Math.min(1, x)) * (VIRIDIS.length - 1);
    const i = Math.min(Math.floor(x), VIRIDIS.length - 2), t = x - i;
    const a = VIRIDIS[i], b = VIRIDIS[i + 1];
    return "rgb(" + [0, 1, 2].map((k) => Math.round(a[k] + (b[k] - a[k]) * t)).join(",") + ")";
  }

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
    $("play").onclick = () => control("play");
    $("pause").onclick = () => control("pause");
    $("step").onclick = () => control("step");
    $("reset").onclick = () => control("reset", setupParams());
    $("scenario").onchange = () => { const p = setupParams(); delete p.people; control("reset", p); };
    $("speed").oninput = () => { $("speed-out").textContent = $("speed").value + " weeks/s"; };
    $("speed").onchange = () => control("speed", { value: $("speed").value });
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
      app.st.people !== st.people || st.tick < (app.st ? app.st.tick : 0);
    app.st = st;
    if (st.history) app.history = st.history;
    else if (fresh) app.history = app.history.filter((f) => f.tick <= st.tick);
    $("scenario").value = st.scenario;
    $("scenario").title = st.description;
    $("scenario-name").textContent = st.scenario.replace(/_/g, " ");
    $("scenario-name").title = st.description;
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
    if (!app.layout || app.layout.key !== st.communities.join("|")) layoutRings();
    drawCharts();
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
    drawPicture(f);
    drawCharts();
  }

  // ---------- the rings ----------
  const CELL = 320, R = [0, 44, 84, 120, 146]; // core | active | periphery | outsiders

  function layoutRings() {
    const names = app.st.communities, n = names.length;
    const cols = Math.ceil(Math.sqrt(n)), rows = Math.ceil(n / cols);
    const svg = $("rings");
    svg.textContent = "";
    svg.setAttribute("viewBox", "0 0 " + cols * CELL + " " + rows * CELL);
    svg.setAttribute("preserveAspectRatio", "xMidYMid meet");
    const centres = [];
    const gR = el("g", { id: "ringbg" }), gL = el("g", { id: "lines" }), gD = el("g", { id: "dots" });
    for (let c = 0; c < n; c++) {
      const row = Math.floor(c / cols);
      const inRow = row === rows - 1 ? n - row * cols : cols;
      const x = (c % cols + 0.5) * CELL + (cols - inRow) * CELL / 2, y = (row + 0.5) * CELL + 14;
      centres.push([x, y]);
      gR.appendChild(el("circle", { cx: x, cy: y, r: R[4], class: "ring outside" }));
      gR.appendChild(el("circle", { cx: x, cy: y, r: R[3], class: "ring periphery" }));
      gR.appendChild(el("circle", { cx: x, cy: y, r: R[2], class: "ring active" }));
      gR.appendChild(el("circle", { cx: x, cy: y, r: R[1], class: "ring core" }));
      if (c === 0) {
        const gT = el("g", { id: "ringlabels" });
        gT.appendChild(el("text", { x: x, y: y - R[1] + 14, class: "rlabel", "text-anchor": "middle" }, "core"));
        gT.appendChild(el("text", { x: x, y: y - R[2] + 14, class: "rlabel", "text-anchor": "middle" }, "active"));
        gT.appendChild(el("text", { x: x, y: y - R[3] + 14, class: "rlabel", "text-anchor": "middle" }, "periphery"));
        gT.appendChild(el("text", { x: x, y: y - R[4] + 14, class: "rlabel", "text-anchor": "middle" }, "outsiders"));
        app.ringLabels = gT;
      }
      const t = el("text", { x: x - CELL / 2 + 6, y: y - CELL / 2 + 8, class: "cname" }, names[c]);
      t.id = "cname-" + c;
      gR.appendChild(t);
      const s = el("text", { x: x - CELL / 2 + 6, y: y - CELL / 2 + 30, class: "cstage" }, "");
      s.id = "stage-" + c;
      gR.appendChild(s);
      const k = el("text", { x: x + CELL / 2 - 6, y: y - CELL / 2 + 8, class: "cnum", "text-anchor": "end" }, "");
      k.id = "cnum-" + c;
      gR.appendChild(k);
    }
    svg.append(gR, gL, gD, app.ringLabels);
    app.dots = new Map();
    app.layout = { key: names.join("|"), centres: centres };
    if (app.last) drawPicture(app.last);
  }

  function el(name, attrs, text) {
    const e = document.createElementNS(SVGNS, name);
    for (const k in attrs) e.setAttribute(k, attrs[k]);
    if (text != null) e.textContent = text;
    return e;
  }

  function radius(L, roles) {
    const seg = (v, lo, hi, r0, r1) => r0 + (r1 - r0) * Math.max(0, Math.min(1, (v - lo) / (hi - lo)));
    if (L >= roles.core) return seg(L, 1, roles.core, R[0] + 4, R[1]);
    if (L >= roles.active) return seg(L, roles.core, roles.active, R[1], R[2]);
    if (L >= roles.peripheral) return seg(L, roles.active, roles.peripheral, R[2], R[3]);
    return seg(L, roles.peripheral, 0, R[3] + 4, R[4] - 4);
  }

  function position(node) {
    const [id, c0, L] = node;
    const n = app.layout.centres.length;
    const c = c0 >= 0 && c0 < n ? c0 : id % n;
    const [x, y] = app.layout.centres[c];
    const r = c0 >= 0 ? radius(L, app.st.roles) : R[4] - 6;
    const a = id * 2.399963 + (id % 7) * 0.05; // golden angle spreads people evenly
    return [x + r * Math.cos(a), y + r * Math.sin(a)];
  }

  function drawPicture(f) {
    if (!app.layout || !app.st) return;
    const gD = $("dots"), gL = $("lines");
    const seen = new Set(), pos = new Map();
    for (const node of f.nodes || []) {
      const id = node[0];
      seen.add(id);
      const [x, y] = position(node);
      pos.set(id, [x, y]);
      let d = app.dots.get(id);
      if (!d) { d = el("circle", { class: "dot", r: 4.5, cx: x, cy: y }); gD.appendChild(d); app.dots.set(id, d); }
      d.setAttribute("cx", x.toFixed(1)); d.setAttribute("cy", y.toFixed(1));
      d.setAttribute("fill", viridis(node[3]));
      const fl = node[4];
      d.setAttribute("class", "dot" + (fl & 1 ? " broker" : "") + (fl & 2 ? " coord" : ""));
      d.setAttribute("r", fl & 2 ? 7 : 4.5);
    }
    for (const [id, d] of app.dots) if (!seen.has(id)) { d.remove(); app.dots.delete(id); }
    gL.textContent = "";
    for (const [a, b, bd] of f.lines || []) {
      const p = pos.get(a), q = pos.get(b);
      if (!p || !q) continue;
      gL.appendChild(el("line", { x1: p[0], y1: p[1], x2: q[0], y2: q[1], class: "line" + (bd ? " boundary" : "") }));
    }
    (f.rows || []).forEach((r, c) => {
      const s = $("stage-" + c), k = $("cnum-" + c);
      if (s) s.textContent = r.stage;
      if (k) k.textContent = r.members + " members";
    });
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

  function drawCharts() {
    if (!app.st || !app.history.length) return;
    const H = app.history, T = Math.max(app.st.ticks, 1);
    const x = H.map((f) => f.tick);
    const get = (k, n) => H.map((f) => { const r = allRow(f); return n && !r[n] ? null : r[k]; });
    const total = H.map((f) => { const r = allRow(f); return r.members + r.outsiders; });
    chart($("chart-roles"), x, T, 0, Math.max(10, ...total), [
      { label: "core", color: C.core, v: get("core"), w: 3 },
      { label: "active", color: C.active, v: get("active"), w: 3, dash: [8, 4] },
      { label: "periphery", color: C.periphery, v: get("peripheral"), w: 3, dash: [2, 3] },
      { label: "outsiders", color: C.outsiders, v: get("outsiders"), w: 2 },
    ], false);
    chart($("chart-knowledge"), x, T, 0, 1, [
      { label: "members", color: C.members, v: get("knowledge"), w: 3 },
      { label: "core", color: C.core, v: get("knowledgeCore", "core"), w: 2.5, dash: [8, 4] },
      { label: "periphery", color: C.periphery, v: get("knowledgePeripheral", "peripheral"), w: 2.5, dash: [2, 3] },
      { label: "repertoire", color: C.repertoire, v: get("repertoire"), w: 3 },
    ], true);
    // Over-management's withering: those taking part by choice fall while
    // the mandated make up the total.
    const part = get("participation", "members"), vol = get("voluntary", "members"), man = get("mandated", "members");
    const pTop = shareTop(part, vol, man);
    chart($("chart-participation"), x, T, 0, pTop, [
      { label: "taking part", color: C.taking, v: part, w: 2 },
      { label: "by choice", color: C.voluntary, v: vol, w: 3 },
      { label: "as mandated", color: C.mandated, v: man, w: 3, dash: [8, 4] },
    ], true, pTop < 1 ? 5 : 4);
    const ties = H.map(outsideTies), across = get("boundaryActive", "members"), met = get("boundaryShare", "encounters");
    const oTop = shareTop(ties, across, met);
    chart($("chart-openness"), x, T, 0, oTop, [
      { label: "ties outside", color: C.ties, v: ties, w: 3 },
      { label: "members across boundaries", color: C.boundary, v: across, w: 3, dash: [8, 4] },
      { label: "meetings across", color: C.boundary, v: met, w: 2, dash: [2, 3] },
    ], true, oTop < 1 ? 5 : 4);
  }

  // chart draws series over weeks 0..T between lo and hi, with steps
  // gridlines (4 unless told), labelled in per cent when pct.
  function chart(cv, xs, T, lo, hi, series, pct, steps) {
    steps = steps || 4;
    const ctx = cv.getContext("2d"), W = cv.width, H = cv.height;
    const L = 42, Rm = 16, Tm = 24, B = 18;
    ctx.clearRect(0, 0, W, H);
    ctx.font = "13px DejaVu Sans, Arial, sans-serif";
    const X = (t) => L + (W - L - Rm) * t / T, Y = (v) => Tm + (H - Tm - B) * (1 - (v - lo) / (hi - lo));
    ctx.strokeStyle = "#bbb"; ctx.lineWidth = 1; ctx.fillStyle = "#333";
    ctx.textAlign = "right"; ctx.textBaseline = "middle";
    for (let k = 0; k <= steps; k++) {
      const v = lo + (hi - lo) * k / steps, y = Y(v);
      ctx.beginPath(); ctx.moveTo(L, y); ctx.lineTo(W - Rm, y); ctx.stroke();
      ctx.fillText(pct ? Math.round(v * 100) + "%" : (Math.abs(hi - lo) <= 2 ? v.toFixed(1) : Math.round(v)), L - 4, y);
    }
    ctx.textAlign = "center"; ctx.textBaseline = "top";
    for (let k = 0; k <= 4; k++) { const t = Math.round(T * k / 4); ctx.fillText(t, X(t), H - B + 4); }
    // the moments switches were pressed
    ctx.strokeStyle = "#d55e00"; ctx.setLineDash([3, 3]); ctx.lineWidth = 1.5;
    for (const iv of app.st.schedule) {
      if (iv.start <= 0 || iv.start > T) continue;
      ctx.beginPath(); ctx.moveTo(X(iv.start), Tm); ctx.lineTo(X(iv.start), H - B); ctx.stroke();
    }
    ctx.setLineDash([]);
    for (const s of series) {
      ctx.strokeStyle = s.color; ctx.lineWidth = s.w; ctx.setLineDash(s.dash || []);
      ctx.beginPath();
      let pen = false;
      for (let i = 0; i < xs.length; i++) {
        const v = s.v[i];
        if (v == null || isNaN(v)) { pen = false; continue; }
        const px = X(xs[i]), py = Y(Math.max(lo, Math.min(hi, v)));
        if (pen) ctx.lineTo(px, py); else ctx.moveTo(px, py);
        pen = true;
      }
      ctx.stroke();
    }
    ctx.setLineDash([]);
    // legend along the top
    let lx = 6;
    ctx.textAlign = "left"; ctx.textBaseline = "middle"; ctx.font = "bold 12.5px DejaVu Sans, Arial, sans-serif";
    for (const s of series) {
      ctx.strokeStyle = s.color; ctx.lineWidth = s.w; ctx.setLineDash(s.dash || []);
      ctx.beginPath(); ctx.moveTo(lx, 10); ctx.lineTo(lx + 16, 10); ctx.stroke();
      ctx.setLineDash([]);
      ctx.fillStyle = "#111"; ctx.fillText(s.label, lx + 19, 10);
      lx += 26 + ctx.measureText(s.label).width;
    }
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
