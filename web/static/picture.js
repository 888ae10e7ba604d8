// copsim serve: the picture of the communities as rings, drawn in SVG.
// A module of its own (copsim.Picture) so that other views of a session
// (a projector view, a student's phone) can draw the same picture.
"use strict";
(function () {
  const SVGNS = "http://www.w3.org/2000/svg";
  // Ring radii as shares of a community's radius: core | active | periphery | outsiders.
  const RING = [0, 0.3, 0.57, 0.82, 1];

  function el(name, attrs, text) {
    const e = document.createElementNS(SVGNS, name);
    for (const k in attrs) e.setAttribute(k, attrs[k]);
    if (text != null) e.textContent = text;
    return e;
  }

  // knowledgeFill is the dot's fill: a grey ramp from white (knows nothing
  // of reality) to black (knows all of it), so that no hue of the palette
  // is spent on it.
  function knowledgeFill(x) {
    if (x == null || isNaN(x)) x = 0;
    const v = Math.round(255 * (1 - Math.max(0, Math.min(1, x))));
    return "rgb(" + v + "," + v + "," + v + ")";
  }

  // Picture draws frames into svg. onPick(id) is called when a person is
  // clicked.
  function Picture(svg, onPick) {
    this.svg = svg;
    this.onPick = onPick;
    this.layout = null;
    this.dots = new Map();
    this.followed = null;
    svg.addEventListener("click", (e) => {
      const t = e.target.closest("[data-id]");
      if (t && this.onPick) this.onPick(+t.getAttribute("data-id"));
    });
  }

  // lay out n communities in the svg's current size: the grid of columns
  // that gives each the largest circle. Text is in screen pixels, since
  // the viewBox is the svg's own size.
  Picture.prototype.lay = function (names, roles) {
    const svg = this.svg, box = svg.getBoundingClientRect(), W = Math.max(box.width, 100), H = Math.max(box.height, 100);
    const n = names.length;
    let best = null;
    for (let cols = 1; cols <= n; cols++) {
      const rows = Math.ceil(n / cols), cw = W / cols, ch = H / rows;
      const r = Math.min(cw, ch - 58) / 2 - 6; // room for the name and stage above
      if (!best || r > best.r) best = { cols, rows, cw, ch, r };
    }
    const { cols, rows, cw, ch } = best, Rad = Math.max(best.r, 20);
    svg.textContent = "";
    svg.setAttribute("viewBox", "0 0 " + W + " " + H);
    const gR = el("g", { id: "ringbg" }), gL = el("g", { id: "lines" }), gD = el("g", { id: "dots" });
    const centres = [];
    for (let c = 0; c < n; c++) {
      const row = Math.floor(c / cols), inRow = row === rows - 1 ? n - row * cols : cols;
      const x = (c % cols + 0.5) * cw + (cols - inRow) * cw / 2, y = row * ch + 52 + (ch - 52) / 2;
      centres.push([x, y]);
      gR.appendChild(el("circle", { cx: x, cy: y, r: Rad * RING[4], class: "ring outside" }));
      gR.appendChild(el("circle", { cx: x, cy: y, r: Rad * RING[3], class: "ring periphery" }));
      gR.appendChild(el("circle", { cx: x, cy: y, r: Rad * RING[2], class: "ring active" }));
      gR.appendChild(el("circle", { cx: x, cy: y, r: Rad * RING[1], class: "ring core" }));
      const t = el("text", { x: x, y: y - Rad - 30, class: "cname", "text-anchor": "middle" }, names[c]);
      t.id = "cname-" + c;
      gR.appendChild(t);
      const s = el("text", { x: x, y: y - Rad - 8, class: "cstage", "text-anchor": "middle" }, "");
      s.id = "stage-" + c;
      gR.appendChild(s);
    }
    svg.append(gR, gL, gD);
    this.dots = new Map();
    this.layout = { key: names.join("|") + "@" + W + "x" + H, centres, Rad, roles };
  };

  Picture.prototype.radius = function (L, roles) {
    const R = RING.map((k) => k * this.layout.Rad);
    const seg = (v, lo, hi, r0, r1) => r0 + (r1 - r0) * Math.max(0, Math.min(1, (v - lo) / (hi - lo)));
    if (L >= roles.core) return seg(L, 1, roles.core, R[0] + 4, R[1]);
    if (L >= roles.active) return seg(L, roles.core, roles.active, R[1], R[2]);
    if (L >= roles.peripheral) return seg(L, roles.active, roles.peripheral, R[2], R[3]);
    return seg(L, roles.peripheral, 0, R[3] + 4, R[4] - 4);
  };

  Picture.prototype.position = function (node) {
    const [id, c0, L] = node, lay = this.layout, n = lay.centres.length;
    const c = c0 >= 0 && c0 < n ? c0 : id % n;
    const [x, y] = lay.centres[c];
    const r = c0 >= 0 ? this.radius(L, lay.roles) : lay.Rad - 6;
    const a = id * 2.399963 + (id % 7) * 0.05; // golden angle spreads people evenly
    return [x + r * Math.cos(a), y + r * Math.sin(a)];
  };

  // draw shows frame f: people as dots, this week's encounters as lines.
  Picture.prototype.draw = function (f) {
    if (!this.layout || !f) return;
    const svg = this.svg, gD = svg.querySelector("#dots"), gL = svg.querySelector("#lines");
    const seen = new Set(), pos = new Map();
    const big = Math.max(4, this.layout.Rad / 28);
    for (const node of f.nodes || []) {
      const id = node[0];
      seen.add(id);
      const [x, y] = this.position(node);
      pos.set(id, [x, y]);
      const fl = node[4], coord = !!(fl & 2);
      let d = this.dots.get(id);
      if (!d || (d.tagName === "rect") !== coord) {
        if (d) d.remove();
        d = coord ? el("rect", { width: 2.6 * big, height: 2.6 * big }) : el("circle", { r: big });
        d.setAttribute("data-id", id);
        gD.appendChild(d); this.dots.set(id, d);
      }
      if (coord) { d.setAttribute("x", (x - 1.3 * big).toFixed(1)); d.setAttribute("y", (y - 1.3 * big).toFixed(1)); }
      else { d.setAttribute("cx", x.toFixed(1)); d.setAttribute("cy", y.toFixed(1)); }
      d.setAttribute("fill", knowledgeFill(node[3]));
      d.setAttribute("class", "dot" + (fl & 1 ? " broker" : "") + (coord ? " coord" : "") + (id === this.followed ? " followed" : ""));
    }
    for (const [id, d] of this.dots) if (!seen.has(id)) { d.remove(); this.dots.delete(id); }
    gL.textContent = "";
    for (const [a, b, bd] of f.lines || []) {
      const p = pos.get(a), q = pos.get(b);
      if (!p || !q) continue;
      gL.appendChild(el("line", { x1: p[0], y1: p[1], x2: q[0], y2: q[1], class: "line" + (bd ? " boundary" : "") }));
    }
    (f.rows || []).forEach((r, c) => {
      const s = svg.querySelector("#stage-" + c);
      if (s) s.textContent = r.community === "all" ? "" : r.stage;
    });
  };

  // mark highlights the students' persons of a class run: a ring around
  // each one's place (by their legitimacy in their own community) and
  // their nickname beside it; students who left are drawn dashed.
  //   students: [{id, name, person, community, legitimacy, knowledge, away, mine}]
  Picture.prototype.mark = function (students) {
    if (!this.layout) return;
    const svg = this.svg;
    let g = svg.querySelector("#marks");
    if (!g) { g = el("g", { id: "marks" }); svg.appendChild(g); }
    g.textContent = "";
    const big = Math.max(4, this.layout.Rad / 28);
    for (const s of students || []) {
      const [x, y] = this.position([s.person, s.community, s.legitimacy]);
      const m = el("g", { class: "mark" + (s.away ? " away" : "") + (s.mine ? " mine" : ""), "data-student": s.id });
      m.appendChild(el("circle", { cx: x.toFixed(1), cy: y.toFixed(1), r: big, class: "dot", fill: knowledgeFill(s.knowledge) }));
      m.appendChild(el("circle", { cx: x.toFixed(1), cy: y.toFixed(1), r: (big * 1.9).toFixed(1), class: "mark-ring" }));
      if (s.name) {
        const t = el("text", { x: (x + big * 2.3).toFixed(1), y: (y + big * 0.8).toFixed(1), class: "mark-name" }, s.name);
        m.appendChild(t);
      }
      g.appendChild(m);
    }
  };

  window.copsim = window.copsim || {};
  window.copsim.Picture = Picture;
  window.copsim.knowledgeFill = knowledgeFill;
})();
