// copsim serve: the teacher's page of a class run (the projector view).
// The teacher token is an HttpOnly cookie the server set when the run was
// started (or traded for the token in this page's fragment, which is then
// removed from the address bar): this script never sees it.
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  let C = {};
  const id = location.pathname.split("/")[2];
  const api = "/api/classes/" + id;
  const app = Object.assign(window.copsim || {}, { id, meta: null, st: null, history: [], frames: 0, last: null, es: null, debrief: null });
  window.copsim = app;

  function status(msg) { $("status").textContent = msg || ""; }

  async function call(method, url, headers) {
    const r = await fetch(url, { method, cache: "no-store", headers: headers || {} });
    const text = await r.text();
    if (!r.ok) { const e = new Error(text.trim()); e.status = r.status; throw e; }
    return text ? JSON.parse(text) : null;
  }

  async function control(action, params) {
    const q = new URLSearchParams(params || {}).toString();
    try { applyState(await call("POST", api + "/" + action + (q ? "?" + q : ""))); status(""); }
    catch (e) { status(e.message); }
  }

  function buildControls(meta) {
    const box = $("switches");
    for (const iv of meta.interventions) {
      const d = document.createElement("div"); d.className = "switch"; d.id = "switch-" + iv.kind;
      const head = document.createElement("div"); head.className = "head";
      const cb = document.createElement("input"); cb.type = "checkbox"; cb.id = "sw-" + iv.kind;
      const lab = document.createElement("label"); lab.htmlFor = cb.id; lab.textContent = iv.label;
      head.append(cb, lab);
      let rew = null;
      if (iv.rewards && iv.rewards.length) {
        rew = document.createElement("select"); rew.id = "reward-" + iv.kind; rew.setAttribute("aria-label", "what is rewarded");
        for (const r of iv.rewards) { const o = document.createElement("option"); o.value = r.kind; o.textContent = r.label; rew.appendChild(o); }
        head.appendChild(rew);
      }
      const cap = document.createElement("div"); cap.className = "caption"; cap.textContent = iv.caption;
      d.append(head, cap);
      box.appendChild(d);
      const send = () => { const p = { kind: iv.kind, on: cb.checked, strength: 0.8 }; if (rew) p.reward = rew.value; control("switch", p); };
      cb.addEventListener("change", send);
      if (rew) rew.addEventListener("change", () => { if (cb.checked) send(); });
    }
    const sbox = $("sliders");
    for (const sl of meta.sliders) {
      const d = document.createElement("div"); d.className = "slider";
      const head = document.createElement("div"); head.className = "head";
      const lab = document.createElement("label"); lab.textContent = sl.label;
      const rng = document.createElement("input"); rng.type = "range"; rng.min = sl.min; rng.max = sl.max; rng.step = sl.step; rng.id = "param-" + sl.key;
      lab.htmlFor = rng.id;
      const out = document.createElement("output"); out.id = "pout-" + sl.key;
      head.append(lab, rng, out);
      const cap = document.createElement("div"); cap.className = "caption"; cap.textContent = sl.caption;
      d.append(head, cap);
      sbox.appendChild(d);
      rng.addEventListener("input", () => { out.textContent = pct(+rng.value, sl); });
      rng.addEventListener("change", () => control("param", { key: sl.key, value: rng.value }));
    }
    $("play").onclick = () => control("play");
    $("pause").onclick = () => control("pause");
    $("step").onclick = () => control("step");
    $("end").onclick = () => { if (confirm("End the class run and show the debrief on every phone?")) control("end"); };
    $("seconds").oninput = () => { $("seconds-out").textContent = $("seconds").value + " s"; };
    $("seconds").onchange = () => control("speed", { value: $("seconds").value });
    $("save-traj").href = api + "/trajectories.csv";
    $("save-csv").href = api + "/timeseries.csv";
    $("save-log").href = api + "/events.log";
  }
  function pct(v, sl) { return sl.max <= 0.1 ? (v * 100).toFixed(1) + "%" : Math.round(v * 100) + "%"; }
  function labelOf(kind) { const k = app.meta.interventions.find((x) => x.kind === kind); return k ? k.label : kind; }

  function applyState(st) {
    if (!st) return;
    const wasEnded = app.st && app.st.ended;
    app.st = st;
    if (st.history) app.history = st.history;
    $("scenario-name").textContent = st.scenario.replace(/_/g, " ") + ":";
    $("tick").textContent = st.tick; $("ticks").textContent = st.ticks;
    $("runstate").textContent = st.ended ? "ended" : st.playing ? "playing" : "paused for discussion";
    $("runstate").className = "runstate" + (st.playing ? " playing" : "");
    $("play").className = st.playing ? "on" : "";
    $("seconds").value = st.seconds; $("seconds-out").textContent = st.seconds + " s";
    $("join-base").textContent = st.join.base.replace(/^https?:\/\//, "") + "/j";
    $("join-code").textContent = st.code;
    $("join-others").textContent = st.join.others && st.join.others.length ? "or " + st.join.others.map((u) => u.replace(/^https?:\/\//, "") + "/j").join(", ") : "";
    $("join-note").textContent = st.join.note || "";
    $("join-note").hidden = !st.join.note;
    showJoined(st.students, st.decided);
    for (const sl of app.meta.sliders) {
      const v = st.params[sl.key];
      $("param-" + sl.key).value = v; $("pout-" + sl.key).textContent = pct(v, sl);
    }
    for (const iv of app.meta.interventions) {
      const on = st.inForce.some((x) => x.kind === iv.kind);
      $("sw-" + iv.kind).checked = on; $("switch-" + iv.kind).classList.toggle("on", on);
    }
    const box = $("inforce"); box.textContent = "";
    for (const iv of st.inForce) {
      const d = document.createElement("div"); d.className = "iv";
      d.textContent = labelOf(iv.kind) + " " + Math.round(iv.strength * 100) + "%" + (iv.start > 0 ? " from week " + iv.start : "");
      box.appendChild(d);
    }
    for (const e of document.querySelectorAll("#controls button, #controls input")) if (e.id !== "end") e.disabled = st.ended;
    $("end").disabled = st.ended;
    app.marks = st.students;
    relayout();
    if (st.ended && !wasEnded) loadDebrief();
  }

  function showJoined(students, decided) {
    const here = students.filter((s) => !s.away).length;
    $("joined").textContent = students.length + (students.length === 1 ? " student has" : " students have") + " joined" +
      (here < students.length ? " (" + (students.length - here) + " away: the model plays them)" : "") +
      "; " + decided + " chose for next week.";
  }

  function onFrame(f) {
    app.frames++;
    app.last = f;
    while (app.history.length && app.history[app.history.length - 1].tick >= f.tick) app.history.pop();
    app.history.push({ tick: f.tick, rows: f.rows });
    $("tick").textContent = f.tick;
    app.marks = f.students;
    if (app.st) { app.st.tick = f.tick; app.st.students = f.students; showJoined(f.students, f.decided); }
    draw();
  }

  function draw() {
    if (!app.picture || !app.last) return;
    app.picture.draw(app.last);
    app.picture.mark(app.marks || []);
    const f = app.last, n = (f.lines || []).length;
    $("met").textContent = f.tick ? "This week " + f.encounters + " meetings" + (n < f.encounters ? " (lines: " + n + " of them)" : "") + "." : "";
    drawCharts();
  }

  function relayout() {
    if (!app.st || !app.picture) return;
    app.picture.lay(app.st.communities, app.st.roles);
    draw();
    if (app.debrief) drawDebrief();
  }

  function drawCharts() {
    const H = app.history;
    if (!H.length || !app.st) return;
    const xs = H.map((f) => f.tick), T = app.st.ticks, all = (f) => f.rows[f.rows.length - 1];
    const get = (k, n) => H.map((f) => { const r = all(f); return n && !r[n] ? null : r[k]; });
    const roles = [
      { label: "core", color: C.core, v: get("core"), w: 3 },
      { label: "active", color: C.active, v: get("active"), w: 3 },
      { label: "periphery", color: C.periphery, v: get("peripheral"), w: 3 },
      { label: "outsiders", color: C.outsiders, v: get("outsiders"), w: 3, dash: [6, 4] },
    ];
    const part = [
      { label: "all", color: C.all, v: get("participation", "members"), w: 2 },
      { label: "by choice", color: C.taking, v: get("voluntary", "members"), w: 3 },
      { label: "as mandated", color: C.taking, v: get("mandated", "members"), w: 3, dash: [8, 4] },
    ];
    const total = H.map((f) => { const r = all(f); return r.members + r.outsiders; });
    copsim.legend($("legend-roles"), roles);
    copsim.chart($("chart-roles"), { xs, T, series: roles, lo: 0, hi: Math.max(10, ...total), ytitle: "people" });
    copsim.legend($("legend-participation"), part);
    copsim.chart($("chart-participation"), { xs, T, series: part, lo: 0, hi: 1, pct: true, ytitle: "of members" });
  }

  // ---------- debrief ----------
  async function loadDebrief() {
    try { app.debrief = await call("GET", api + "/debrief"); } catch (e) { status(e.message); return; }
    $("debrief").hidden = false;
    $("charts").hidden = true;
    drawDebrief();
  }

  function drawDebrief() {
    const d = app.debrief;
    if (!d) return;
    const T = Math.max(1, ...d.students.map((s) => s.trajectory.length), d.average.length);
    const xs = [...Array(T).keys()];
    const pad = (v) => xs.map((i) => (i < v.length ? v[i] : null));
    const series = d.students.map((s, i) => ({ label: s.name, color: C.periphery, v: pad(s.trajectory.map((p) => p.legitimacy)), w: 1.5 }));
    series.push({ label: "the average newcomer", color: C.core, v: pad(d.average.map((p) => p.legitimacy)), w: 4 });
    copsim.legend($("legend-debrief"), [series[series.length - 1], { label: "each student", color: C.periphery, v: [], w: 1.5 }]);
    copsim.chart($("chart-debrief"), { xs, T: T - 1, series, lo: 0, hi: 1, pct: true, ytitle: "legitimacy, by weeks since joining" });
    const tb = document.querySelector("#debrief-table tbody");
    tb.textContent = "";
    for (const s of d.students) {
      const tr = document.createElement("tr");
      const t = s.trajectory, core = t.findIndex((p) => p.role === "core");
      const n = (f) => t.filter(f).length;
      const cells = [s.name, s.community, s.role, core >= 0 ? String(t[core].week) : "no",
        n((p) => p.tookPart) + " of " + t.length + " weeks",
        ["core", "peer", "other"].map((a) => n((p) => p.approach === a) + " " + a).join(", "),
        n((p) => p.share === "no") ? "kept to self " + n((p) => p.share === "no") + " weeks" : "always"];
      for (const c of cells) { const td = document.createElement("td"); td.textContent = c; tr.appendChild(td); }
      tb.appendChild(tr);
    }
  }

  // ---------- stream ----------
  function connect() {
    const es = new EventSource(api + "/events");
    app.es = es;
    es.addEventListener("state", (e) => applyState(JSON.parse(e.data)));
    es.addEventListener("frame", (e) => onFrame(JSON.parse(e.data)));
    es.addEventListener("ended", (e) => { es.close(); status(JSON.parse(e.data).message); });
    es.onerror = async () => {
      try { await call("GET", api); } catch (err) { if (err.status === 404 || err.status === 403) { es.close(); status(err.message); } }
    };
  }

  async function init() {
    app.meta = await call("GET", "/api/meta");
    C = app.meta.palette;
    for (const k of ["core", "active", "periphery", "outsiders", "boundary"]) document.documentElement.style.setProperty("--" + k, C[k]);
    // A teacher address printed by copsim serve --class carries the token
    // in its fragment: trade it for the cookie, then drop it from sight.
    const tok = location.hash.slice(1);
    if (tok) {
      history.replaceState(null, "", location.pathname);
      try { await call("POST", api + "/claim", { "X-Copsim-Teacher": tok }); } catch (e) { status(e.message); return; }
    }
    buildControls(app.meta);
    app.picture = new copsim.Picture($("rings"), null);
    $("qr").src = api + "/qr.svg";
    let pending = 0;
    window.addEventListener("resize", () => { clearTimeout(pending); pending = setTimeout(relayout, 150); });
    applyState(await call("GET", api));
    connect();
    setInterval(() => call("GET", api).then((st) => { if (st) showJoined(st.students, st.decided); }).catch(() => {}), 30000);
  }
  init().catch((e) => status(String(e.message || e)));
})();
