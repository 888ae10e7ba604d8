// copsim serve: line charts on a canvas (copsim.chart), sized to the
// canvas's box and lettered in the page's own font size, so that a chart
// is as legible as the text around it. Legends are HTML (copsim.legend),
// not drawn on the canvas, so the canvas is axes and lines only; every
// text the canvas draws is placed so that it overlaps no other, and the
// boxes are left on the canvas (data-boxes, data-plot) for the tests.
"use strict";
(function () {
  function rgba(hex, a) {
    const n = parseInt(hex.slice(1), 16);
    return "rgba(" + (n >> 16 & 255) + "," + (n >> 8 & 255) + "," + (n & 255) + "," + a + ")";
  }

  // chart draws o.series over weeks 0..o.T between o.lo and o.hi.
  //   o.series: [{label, color, v (values at o.xs), w, dash}]
  //   o.ghost: the same series of the previous run, drawn faint: {xs, series, label}
  //   o.markers: [{t, n}] dotted lines at the weeks something changed,
  //     numbered n at the top (the key is HTML); numbers that would
  //     touch are merged ("1–3")
  //   o.pct: label the y axis in per cent; o.ytitle: the y axis title
  // It returns the font size, the plot area and the text boxes drawn.
  function chart(cv, o) {
    const css = getComputedStyle(cv), dpr = window.devicePixelRatio || 1;
    const W = Math.max(cv.clientWidth, 50), H = Math.max(cv.clientHeight, 50);
    if (cv.width !== Math.round(W * dpr) || cv.height !== Math.round(H * dpr)) {
      cv.width = Math.round(W * dpr); cv.height = Math.round(H * dpr);
    }
    const ctx = cv.getContext("2d");
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, W, H);
    const fs = parseFloat(css.fontSize) || 16;
    ctx.font = fs + "px " + css.fontFamily;
    const lo = o.lo, hi = o.hi, T = Math.max(o.T, 1), lh = fs * 1.2;
    const boxes = [];
    // text draws s with its box's left/top at (x, y) and records the box.
    const text = (s, x, y) => {
      const w = ctx.measureText(s).width;
      ctx.textAlign = "left"; ctx.textBaseline = "top";
      ctx.fillText(s, x, y);
      boxes.push([x, y, w, fs]);
      return w;
    };
    const width = (s) => ctx.measureText(s).width;
    const hasMarkers = (o.markers || []).some((m) => m.t > 0 && m.t <= T);
    // margins: the y title and tick labels at the left, the week ticks and
    // title under the plot, the markers' numbers above it
    const ticksY = [lo, (lo + hi) / 2, hi];
    const yl = Math.max(...ticksY.map((v) => width(fmt(v, o))));
    const L = Math.ceil(lh + yl + 8), Rm = Math.ceil(width(String(T)) / 2 + 2);
    // (the top tick label is centred on the plot's top, under the numbers)
    const B = Math.ceil(2 * lh + 4), Tm = Math.ceil(hasMarkers ? lh + fs / 2 + 4 : fs * 0.6);
    const pw = W - L - Rm, ph = H - Tm - B;
    const X = (t) => L + pw * t / T, Y = (v) => Tm + ph * (1 - (v - lo) / (hi - lo));
    // y ticks: three, or the ends alone when the plot is too low for three
    const ys = ph >= 3 * lh ? ticksY : [lo, hi];
    ctx.strokeStyle = "#ccc"; ctx.lineWidth = 1; ctx.fillStyle = "#111";
    for (const v of ys) {
      const y = Y(v), s = fmt(v, o);
      ctx.beginPath(); ctx.moveTo(L, y); ctx.lineTo(W - Rm, y); ctx.stroke();
      text(s, L - 4 - width(s), Math.max(0, Math.min(H - B - fs, y - fs / 2)));
    }
    // week ticks: 0, the middle and the end, or the ends alone when narrow
    const xt = pw >= 5 * width(String(T)) ? [0, Math.round(T / 2), T] : [0, T];
    for (const t of xt) text(String(t), X(t) - width(String(t)) / 2, H - B + 3);
    text("week", L + pw / 2 - width("week") / 2, H - B + 3 + lh);
    ctx.save(); ctx.translate(0, Tm + ph / 2 + width(o.ytitle) / 2); ctx.rotate(-Math.PI / 2);
    ctx.textAlign = "left"; ctx.textBaseline = "top"; ctx.fillText(o.ytitle, 0, 0); ctx.restore();
    boxes.push([0, Tm + ph / 2 - width(o.ytitle) / 2, fs, width(o.ytitle)]);
    // the weeks something was switched or moved: a line each, numbered
    ctx.strokeStyle = "#444"; ctx.lineWidth = 1.5; ctx.setLineDash([2, 4]);
    const ms = (o.markers || []).filter((m) => m.t > 0 && m.t <= T).sort((a, b) => a.t - b.t);
    for (const m of ms) {
      const x = X(m.t);
      ctx.beginPath(); ctx.moveTo(x, Tm); ctx.lineTo(x, H - B); ctx.stroke();
    }
    ctx.setLineDash([]);
    let groups = ms.map((m) => ({ a: m.n, b: m.n, x: X(m.t) }));
    const label = (g) => g.a === g.b ? String(g.a) : g.a + "–" + g.b;
    const place = (g) => { const w = width(label(g)); return Math.max(0, Math.min(W - w, g.x - w / 2)); };
    for (let merged = true; merged && groups.length > 1;) {
      merged = false;
      for (let i = 1; i < groups.length; i++) {
        const p = groups[i - 1], g = groups[i];
        if (place(p) + width(label(p)) + 6 > place(g)) {
          groups.splice(i - 1, 2, { a: Math.min(p.a, g.a), b: Math.max(p.b, g.b), x: p.x });
          merged = true;
          break;
        }
      }
    }
    ctx.fillStyle = "#333";
    for (const g of groups) text(label(g), place(g), 2);
    ctx.fillStyle = "#111";
    const line = (xs, v, color, w, dash) => {
      ctx.strokeStyle = color; ctx.lineWidth = w; ctx.setLineDash(dash || []);
      ctx.beginPath();
      let pen = false;
      for (let i = 0; i < xs.length; i++) {
        const y = v[i];
        if (y == null || isNaN(y)) { pen = false; continue; }
        const px = X(xs[i]), py = Y(Math.max(lo, Math.min(hi, y)));
        if (pen) ctx.lineTo(px, py); else ctx.moveTo(px, py);
        pen = true;
      }
      ctx.stroke();
    };
    if (o.ghost) for (const g of o.ghost.series) line(o.ghost.xs, g.v, rgba(g.color, 0.35), Math.max(2, g.w), g.dash);
    for (const s of o.series) line(o.xs, s.v, s.color, s.w, s.dash);
    ctx.setLineDash([]);
    const r1 = (b) => b.map((x) => Math.round(x * 10) / 10);
    const plot = r1([L, Tm, pw, ph]);
    cv.dataset.plot = JSON.stringify(plot);
    cv.dataset.boxes = JSON.stringify(boxes.map(r1));
    return { fontPx: fs, plot, boxes };
  }

  function fmt(v, o) {
    if (o.pct) return Math.round(v * 100) + "%";
    return Math.abs(o.hi - o.lo) <= 2 ? v.toFixed(1) : String(Math.round(v));
  }

  // legend fills el with a key of the series (and of the ghost, when
  // there is one): a short line in each series' colour and dash, and its
  // label. It rebuilds only when the key changes.
  function legend(el, series, ghost) {
    const key = JSON.stringify([series.map((s) => [s.label, s.color, s.dash]), ghost ? ghost.label : ""]);
    if (el.dataset.key === key) return;
    el.dataset.key = key;
    el.textContent = "";
    const SVGNS = "http://www.w3.org/2000/svg";
    const item = (label, color, w, dash) => {
      const span = document.createElement("span"); span.className = "lg-item";
      const svg = document.createElementNS(SVGNS, "svg");
      svg.setAttribute("width", "28"); svg.setAttribute("height", "12"); svg.setAttribute("aria-hidden", "true");
      const ln = document.createElementNS(SVGNS, "line");
      for (const [k, v] of Object.entries({ x1: 1, y1: 6, x2: 27, y2: 6, stroke: color, "stroke-width": w })) ln.setAttribute(k, v);
      if (dash) ln.setAttribute("stroke-dasharray", dash.join(" "));
      svg.appendChild(ln);
      span.append(svg, document.createTextNode(label));
      el.appendChild(span);
    };
    for (const s of series) item(s.label, s.color, s.w, s.dash);
    if (ghost) item(ghost.label, "rgba(0,0,0,0.35)", 3);
  }

  window.copsim = window.copsim || {};
  window.copsim.chart = chart;
  window.copsim.legend = legend;
})();
