// copsim serve: line charts on a canvas (copsim.chart), sized to the
// canvas's box and lettered in the page's own font size, so that a chart
// is as legible as the text around it.
"use strict";
(function () {
  function rgba(hex, a) {
    const n = parseInt(hex.slice(1), 16);
    return "rgba(" + (n >> 16 & 255) + "," + (n >> 8 & 255) + "," + (n & 255) + "," + a + ")";
  }

  // chart draws o.series over weeks 0..o.T between o.lo and o.hi.
  //   o.series: [{label, color, v (values at o.xs), w, dash}]
  //   o.ghost: the same series of the previous run, drawn faint: {xs, series, label}
  //   o.markers: [{t, label}] vertical lines at the weeks something changed
  //   o.pct: label the y axis in per cent; o.ytitle: the y axis title
  function chart(cv, o) {
    const css = getComputedStyle(cv), dpr = window.devicePixelRatio || 1;
    const W = Math.max(cv.clientWidth, 50), H = Math.max(cv.clientHeight, 50);
    if (cv.width !== Math.round(W * dpr) || cv.height !== Math.round(H * dpr)) {
      cv.width = Math.round(W * dpr); cv.height = Math.round(H * dpr);
    }
    const ctx = cv.getContext("2d");
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, W, H);
    const fs = parseFloat(css.fontSize) || 16, font = fs + "px " + css.fontFamily;
    ctx.font = font;
    const steps = 2, lo = o.lo, hi = o.hi, T = Math.max(o.T, 1);
    // the legend, wrapped over as many lines as it needs
    const items = o.series.map((s) => ({ s, w: 30 + ctx.measureText(s.label).width }));
    if (o.ghost) items.push({ ghost: true, w: 30 + ctx.measureText(o.ghost.label).width });
    const legendRows = [];
    let row = [], rowW = 0;
    for (const it of items) {
      if (row.length && rowW + it.w > W - 8) { legendRows.push(row); row = []; rowW = 0; }
      row.push(it); rowW += it.w + 12;
    }
    if (row.length) legendRows.push(row);
    const lh = fs * 1.25, top = legendRows.length * lh + 6;
    const yl = Math.max(...[lo, hi, (lo + hi) / 2].map((v) => ctx.measureText(fmt(v, o)).width));
    const L = fs * 1.3 + yl + 10, Rm = 10, B = fs * 2.6 + 4, Tm = top + fs * 0.6;
    const X = (t) => L + (W - L - Rm) * t / T, Y = (v) => Tm + (H - Tm - B) * (1 - (v - lo) / (hi - lo));
    // grid and axes
    ctx.strokeStyle = "#ccc"; ctx.lineWidth = 1; ctx.fillStyle = "#111";
    ctx.textAlign = "right"; ctx.textBaseline = "middle";
    for (let k = 0; k <= steps; k++) {
      const v = lo + (hi - lo) * k / steps, y = Y(v);
      ctx.beginPath(); ctx.moveTo(L, y); ctx.lineTo(W - Rm, y); ctx.stroke();
      ctx.fillText(fmt(v, o), L - 4, y);
    }
    ctx.textAlign = "center"; ctx.textBaseline = "top";
    for (let k = 0; k <= 2; k++) { const t = Math.round(T * k / 2); ctx.fillText(t, X(t), H - B + 3); }
    ctx.fillText("week", (L + W - Rm) / 2, H - fs * 1.25);
    ctx.save(); ctx.translate(fs * 0.1, (Tm + H - B) / 2); ctx.rotate(-Math.PI / 2);
    ctx.textAlign = "center"; ctx.textBaseline = "top"; ctx.fillText(o.ytitle, 0, 0); ctx.restore();
    // the weeks something was switched or moved, labelled at their line
    ctx.strokeStyle = "#444"; ctx.lineWidth = 1.5; ctx.setLineDash([2, 4]);
    for (const m of o.markers || []) {
      if (m.t <= 0 || m.t > T) continue;
      const x = X(m.t);
      ctx.beginPath(); ctx.moveTo(x, Tm); ctx.lineTo(x, H - B); ctx.stroke();
      ctx.save(); ctx.translate(x + 3, Tm + 2); ctx.rotate(Math.PI / 2);
      ctx.textAlign = "left"; ctx.textBaseline = "bottom"; ctx.fillStyle = "#333";
      ctx.fillText(m.label, 0, 0); ctx.restore();
    }
    ctx.setLineDash([]);
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
    // legend
    ctx.textAlign = "left"; ctx.textBaseline = "middle"; ctx.fillStyle = "#111";
    legendRows.forEach((r, i) => {
      let lx = 4;
      const y = lh * (i + 0.5) + 2;
      for (const it of r) {
        if (it.ghost) { ctx.strokeStyle = "rgba(0,0,0,0.35)"; ctx.lineWidth = 3; ctx.setLineDash([]); }
        else { ctx.strokeStyle = it.s.color; ctx.lineWidth = it.s.w; ctx.setLineDash(it.s.dash || []); }
        ctx.beginPath(); ctx.moveTo(lx, y); ctx.lineTo(lx + 24, y); ctx.stroke();
        ctx.setLineDash([]);
        ctx.fillText(it.ghost ? o.ghost.label : it.s.label, lx + 28, y);
        lx += it.w + 12;
      }
    });
    return { fontPx: fs };
  }

  function fmt(v, o) {
    if (o.pct) return Math.round(v * 100) + "%";
    return Math.abs(o.hi - o.lo) <= 2 ? v.toFixed(1) : String(Math.round(v));
  }

  window.copsim = window.copsim || {};
  window.copsim.chart = chart;
})();
