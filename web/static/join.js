// copsim serve: a student's phone in a class run. The student token the
// join answers is kept in this tab only (sessionStorage) and names this
// student alone: every request carries it in its path.
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  const KEY = "copsim-student";
  const app = Object.assign(window.copsim || {}, { token: null, view: null, views: 0, es: null, sent: [], errors: [] });
  window.copsim = app;
  const COLORS = { core: "#d55e00", active: "#009e73", periphery: "#56b4e9", outsiders: "#bbbbbb", all: "#000000" };

  function status(msg) { $("status").textContent = msg || ""; }

  async function call(method, url, body) {
    const opt = { method, cache: "no-store" };
    if (body) { opt.body = JSON.stringify(body); opt.headers = { "Content-Type": "application/json" }; }
    const r = await fetch(url, opt);
    const text = await r.text();
    if (!r.ok) { const e = new Error(text.trim()); e.status = r.status; throw e; }
    return JSON.parse(text);
  }

  // ---------- joining ----------
  function showJoin(msg) {
    $("me").hidden = true;
    $("joinform").hidden = false;
    const m = /^\/j\/([^/]+)$/.exec(location.pathname);
    if (m && !$("code").value) $("code").value = decodeURIComponent(m[1]);
    status(msg || "");
  }

  async function join(e) {
    e.preventDefault();
    $("join").disabled = true;
    try {
      const v = await call("POST", "/api/join", { code: $("code").value, name: $("name").value });
      app.token = v.token;
      sessionStorage.setItem(KEY, v.token);
      status("");
      start(v);
    } catch (err) {
      status(err.message);
    } finally {
      $("join").disabled = false;
    }
  }

  function start(v) {
    $("joinform").hidden = true;
    $("me").hidden = false;
    show(v);
    connect();
  }

  function forget(msg) {
    if (app.es) { app.es.close(); app.es = null; }
    sessionStorage.removeItem(KEY);
    app.token = null;
    showJoin(msg);
  }

  // ---------- the view ----------
  const pct = (x) => (x == null ? "–" : Math.round(x * 100) + "%");
  const roleWords = { outsider: "outside the community", peripheral: "at its periphery", active: "an active member", core: "in its core" };

  function show(v) {
    // An answer to a decision can arrive after the stream's next week or
    // the debrief: an older view never replaces a newer one.
    const cur = app.view;
    if (cur && cur.name === v.name && (cur.ended && !v.ended || v.week < cur.week)) return;
    app.view = v;
    app.views++;
    $("clock").textContent = "Week " + v.week + " of " + v.ticks + (v.ended ? " · ended" : v.playing ? "" : " · paused");
    $("hello").textContent = v.name + ", you are new in " + v.community + (v.joined < v.week ? " (since week " + v.joined + ")" : "");
    drawWhere(v);
    const facts = [
      ["Where", roleWords[v.role] || v.role],
      ["Legitimacy", pct(v.legitimacy) + " (how far the others see you as one of them)"],
      ["Knowledge", pct(v.knowledge) + " of what " + v.community + " works on, right"],
      ["Ties", v.ties + ": " + v.tiesCore + " to the core, " + v.tiesPeers + " to other members, " + v.tiesOther + " outside"],
      ["Project load", pct(v.load) + " of your week"],
      ["Last week", v.tookPart ? "you took part" : "you did not take part"],
    ];
    const dl = $("facts"); dl.textContent = "";
    for (const [k, x] of facts) {
      const dt = document.createElement("dt"); dt.textContent = k;
      const dd = document.createElement("dd"); dd.textContent = x;
      dl.append(dt, dd);
    }
    const ul = $("outcome"); ul.textContent = "";
    for (const s of v.outcome.length ? v.outcome : ["You have just arrived: nothing has happened yet."]) {
      const li = document.createElement("li"); li.textContent = s; ul.appendChild(li);
    }
    $("decide").hidden = v.ended;
    $("debrief").hidden = !v.ended;
    if (!v.ended) drawOptions(v);
    else drawDebrief(v);
  }

  // drawWhere draws the student's community as rings with their dot:
  // nearer the centre is nearer the core.
  function drawWhere(v) {
    const svg = $("where"), NS = "http://www.w3.org/2000/svg";
    svg.textContent = "";
    const R = [45, 37, 26, 14];
    const cls = ["outsiders", "periphery", "active", "core"];
    R.forEach((r, k) => {
      const c = document.createElementNS(NS, "circle");
      c.setAttribute("cx", 50); c.setAttribute("cy", 50); c.setAttribute("r", r);
      c.setAttribute("class", "ring " + cls[k]);
      svg.appendChild(c);
    });
    const ro = v.roles, L = v.legitimacy || 0;
    const seg = (x, lo, hi, r0, r1) => r0 + (r1 - r0) * Math.max(0, Math.min(1, (x - lo) / (hi - lo)));
    const r = L >= ro.core ? seg(L, 1, ro.core, 2, 14) : L >= ro.active ? seg(L, ro.core, ro.active, 14, 26) :
      L >= ro.peripheral ? seg(L, ro.active, ro.peripheral, 26, 37) : seg(L, ro.peripheral, 0, 37, 44);
    const a = v.id * 2.4 + 0.6;
    const me = document.createElementNS(NS, "circle");
    me.setAttribute("cx", (50 + r * Math.cos(a)).toFixed(1)); me.setAttribute("cy", (50 + r * Math.sin(a)).toFixed(1));
    me.setAttribute("r", 4.5); me.setAttribute("class", "me");
    svg.appendChild(me);
  }

  function drawOptions(v) {
    const box = $("options");
    const current = v.choice || { takePart: "auto", approach: "auto", share: "auto" };
    const field = { take_part: "takePart", approach: "approach", share: "share" };
    $("decide-head").textContent = "Your decisions for week " + (v.week + 1);
    // Rebuild only for a new week, so that a choice being made is kept.
    if (box.dataset.week === String(v.week) && box.childElementCount) { sentLine(v); return; }
    box.dataset.week = String(v.week);
    box.textContent = "";
    for (const o of v.options) {
      const fs = document.createElement("fieldset"); fs.id = "opt-" + o.name;
      const lg = document.createElement("legend"); lg.textContent = o.question;
      fs.appendChild(lg);
      for (const c of o.choices) {
        const id = "c-" + o.name + "-" + c.value;
        const lab = document.createElement("label"); lab.className = "choice"; lab.htmlFor = id;
        const in_ = document.createElement("input"); in_.type = "radio"; in_.name = o.name; in_.value = c.value; in_.id = id;
        in_.checked = current[field[o.name]] === c.value;
        const b = document.createElement("b"); b.textContent = c.label;
        const sp = document.createElement("span"); sp.className = "consequence"; sp.textContent = c.consequence;
        lab.append(in_, b, sp);
        fs.appendChild(lab);
        in_.addEventListener("change", send);
      }
      box.appendChild(fs);
    }
    sentLine(v);
  }

  function sentLine(v) {
    $("sent").textContent = v.choice ? "Your choice for week " + (v.week + 1) + " is in; you can change it until the week runs." :
      "If you choose nothing, the model plays your person this week.";
  }

  function chosen(name) {
    const r = document.querySelector('input[name="' + name + '"]:checked');
    return r ? r.value : "auto";
  }

  async function send() {
    const body = { takePart: chosen("take_part"), approach: chosen("approach"), share: chosen("share") };
    try {
      const v = await call("POST", "/api/s/" + app.token + "/decide", body);
      app.sent.push({ week: v.week, choice: v.choice });
      status("");
      show(v);
    } catch (e) {
      if (e.status === 404) { forget(e.message); return; }
      status(e.message);
    }
  }
  app.decide = async (body) => { // for tests: choose as a student would, then send
    for (const [name, key] of [["take_part", "takePart"], ["approach", "approach"], ["share", "share"]]) {
      const r = document.getElementById("c-" + name + "-" + body[key]);
      if (r) r.checked = true;
    }
    await send();
  };

  function drawDebrief(v) {
    const mine = v.trajectory, avg = v.average || [];
    const T = Math.max(mine.length, 2) - 1;
    const xs = mine.map((p) => p.since);
    const avgAt = new Map(avg.map((p) => [p.since, p.legitimacy]));
    const series = [
      { label: "you", color: COLORS.core, v: mine.map((p) => p.legitimacy), w: 4 },
      { label: "the average newcomer", color: COLORS.all, v: xs.map((t) => (avgAt.has(t) ? avgAt.get(t) : null)), w: 2.5, dash: [8, 4] },
    ];
    copsim.legend($("legend-debrief"), series);
    copsim.chart($("chart-debrief"), { xs, T, series, lo: 0, hi: 1, pct: true, ytitle: "legitimacy" });
    const last = mine[mine.length - 1], a = avgAt.get(last.since);
    const core = mine.find((p) => p.role === "core");
    const chose = mine.filter((p) => p.chosen).length;
    $("debrief-text").textContent = (core ? "You reached the core in week " + core.week + ". " : "You ended " + (roleWords[last.role] || last.role) + ". ") +
      "After " + last.since + " weeks your legitimacy was " + pct(last.legitimacy) +
      (a != null ? "; the average newcomer's after as many weeks, " + pct(a) + "." : ".") +
      " You chose yourself in " + chose + " of " + Math.max(0, mine.length - 1) + " weeks.";
  }

  // ---------- stream ----------
  function connect() {
    const es = new EventSource("/api/s/" + app.token + "/events");
    app.es = es;
    const on = (e) => { try { show(JSON.parse(e.data)); } catch (err) { app.errors.push(String(err)); } };
    es.addEventListener("view", on);
    es.addEventListener("debrief", on);
    es.addEventListener("released", (e) => forget(JSON.parse(e.data).message));
    es.addEventListener("ended", (e) => { es.close(); status(JSON.parse(e.data).message); });
    es.onerror = async () => {
      if (es !== app.es) return;
      try { await call("GET", "/api/s/" + app.token); } catch (err) { if (err.status === 404) forget(err.message); }
    };
  }

  async function init() {
    $("joinform").addEventListener("submit", join);
    let pending = 0;
    window.addEventListener("resize", () => { clearTimeout(pending); pending = setTimeout(() => app.view && show(app.view), 150); });
    // An open phone asks now and then, so that the server knows it is
    // still there (a phone put away is released after a few minutes).
    setInterval(() => { if (app.token) call("GET", "/api/s/" + app.token).catch((e) => { if (e.status === 404) forget(e.message); }); }, 30000);
    const tok = sessionStorage.getItem(KEY);
    if (tok) {
      try { app.token = tok; start(await call("GET", "/api/s/" + tok)); return; }
      catch (e) { forget(e.status === 404 ? e.message : ""); return; }
    }
    showJoin();
  }
  init().catch((e) => status(String(e.message || e)));
})();
