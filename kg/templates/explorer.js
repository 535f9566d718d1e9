/* kg explorer: search, filter, follow the evidence, see the network. Everything it shows comes from the JSON in
   #kg-data and reaches the page as text (textContent, createTextNode), never as HTML. */
(function () {
  "use strict";
  const dataElement = document.getElementById("kg-data");
  const D = JSON.parse(dataElement.textContent);
  dataElement.textContent = "";   // the text is parsed: let it go (tens of MB for a big graph)
  const N = D.nodes, n = N.id.length, E = D.edges;
  const $ = (id) => document.getElementById(id);
  const INTERACTING = new Set(["Person", "Company", "GovernmentAgency", "Association", "ResearchInstitute",
    "Legislature", "PoliticalParty", "MediaOutlet", "University", "Organization", "Meeting", "Policy"]);
  const LINKS = new Set(D.interactions.map((p) => D.predicates.indexOf(p)));
  const cls = (k) => D.classes[N.cls[k]];
  const named = (c) => (D.classLabels && D.classLabels[c] ? `${D.classLabels[c]} ${c}` : c);   // 인물 Person
  const iri = (k) => (N.id[k].includes(":") ? N.id[k] : D.base + N.id[k]);

  function el(tag, attrs, ...kids) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "text") e.textContent = v;
      else if (k === "class") e.className = v;
      else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v);
    }
    for (const c of kids) if (c !== null && c !== undefined) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
    return e;
  }

  // ---------- adjacency
  const adj = Array.from({ length: n }, () => []);
  E.forEach((e, i) => { adj[e[0]].push(i); adj[e[1]].push(i); });
  const other = (i, k) => (E[i][0] === k ? E[i][1] : E[i][0]);
  // an edge's evidence: numbers E[i][3] .. E[i][3] + E[i][4] - 1 of D.evidence
  const evidenceNumbers = (i) => Array.from({ length: E[i][4] }, (_, j) => E[i][3] + j);

  // ---------- search: names and aliases, partial Korean input, abbreviations (과기정통부 → 과학기술정보통신부)
  const norm = (s) => s.normalize("NFC").replace(/\s+/g, "").toLowerCase();
  const names = N.label.map((l, k) => [norm(l), ...(N.alias[k] || []).map(norm)]);
  const CHO = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ";
  function extendsSyllable(q, c) {   // is c what q becomes when the user finishes typing it?
    if (q === c) return true;
    const cc = c.charCodeAt(0) - 0xac00;
    if (cc < 0 || cc > 11171) return false;
    const ci = CHO.indexOf(q);
    if (ci >= 0) return Math.floor(cc / 588) === ci;
    const qc = q.charCodeAt(0) - 0xac00;
    if (qc < 0 || qc > 11171 || qc % 28 !== 0) return false;
    return Math.floor(cc / 28) === qc / 28;
  }
  function partial(name, q) {
    const head = q.slice(0, -1), last = q.slice(-1);
    for (let i = name.indexOf(head); i >= 0 && i + head.length < name.length; i = name.indexOf(head, i + 1)) {
      if (extendsSyllable(last, name[i + head.length])) return true;
    }
    return false;
  }
  function abbreviates(q, name) {
    if (q.length < 2 || q.length >= name.length || q[0] !== name[0]) return false;
    let at = 0;
    for (const ch of q) { at = name.indexOf(ch, at) + 1; if (at === 0) return false; }
    return q[q.length - 1] === name[name.length - 1] || q.length >= 3;
  }
  const byImportance = Array.from({ length: n }, (_, k) => k)
    .sort((a, b) => N.deg[b] - N.deg[a] || N.label[a].length - N.label[b].length || a - b);
  function search(text, limit) {
    const q = norm(text), cap = limit || 30;
    if (!q) return [];
    const kinds = [[], [], [], [], []];   // exact, prefix, part, abbreviation, unfinished syllable
    for (const k of byImportance) {
      let best = 9;
      for (const name of names[k]) {
        let s = 9;
        if (name === q) s = 0;
        else if (name.startsWith(q)) s = 1;
        else if (name.includes(q)) s = 2;
        else if (abbreviates(q, name)) s = 3;
        else if (partial(name, q)) s = 4;
        if (s < best) best = s;
        if (best === 0) break;
      }
      if (best < 9 && kinds[best].length < cap) kinds[best].push(k);
    }
    return kinds.flat().slice(0, cap);
  }

  // ---------- filters
  const state = { hidden: new Set(), from: "", to: "", outlet: "", mindeg: 0, colour: "class", size: "deg",
                  selected: -1, depth: 1, hood: null, path: null, pathEdges: null };
  const visible = new Uint8Array(n).fill(1);
  let labelled = new Set();   // the nodes whose labels a selection forces on
  const artDate = D.articles.map((a) => a[1]);
  function inRange(d) { return (!state.from || d >= state.from) && (!state.to || d <= state.to); }
  function applyFilters() {
    const dated = state.from || state.to, outlet = state.outlet === "" ? -1 : Number(state.outlet);
    let shown = 0;
    for (let k = 0; k < n; k++) {
      let ok = !state.hidden.has(N.cls[k]) && N.deg[k] >= state.mindeg;
      if (ok && dated) {
        const dates = N.date[k] ? [N.date[k]] : N.arts[k].map((a) => artDate[a]).filter(Boolean);
        ok = dates.length === 0 || dates.some(inRange);
      }
      if (ok && outlet >= 0 && N.arts[k].length) ok = N.arts[k].some((a) => D.articles[a][2] === outlet);
      visible[k] = ok ? 1 : 0;
      shown += visible[k];
    }
    if (state.selected >= 0) computeHood();
    $("counts").textContent = `${shown.toLocaleString()} of ${n.toLocaleString()} entities shown · ` +
      `${E.length.toLocaleString()} relations · ${D.articles.length.toLocaleString()} articles · ${D.communities} communities`;
    drawTimeline();
    if (renderer) renderer.refresh();
  }

  // ---------- the graph
  const graph = new graphology.Graph({ type: "undirected", allowSelfLoops: false });
  const maxBtw = N.btw.reduce((a, b) => (b > a ? b : a), 1e-9);
  const scale = n > 20000 ? 0.5 : 1;   // a crowded picture draws smaller dots
  function sizeOf(k) {
    return scale * (state.size === "btw" ? 2 + 16 * Math.sqrt(N.btw[k] / maxBtw) : Math.min(18, 2 + 1.5 * Math.sqrt(N.deg[k])));
  }
  function colourOf(k) {
    if (state.colour === "community") return N.com[k] >= 0 ? D.palette[N.com[k] % D.palette.length] : "#bbbbbb";
    return D.colors[cls(k)] || "#999999";
  }
  for (let k = 0; k < n; k++) {
    graph.addNode(String(k), { x: N.x[k], y: N.y[k], size: sizeOf(k), label: N.label[k], color: colourOf(k) });
  }
  // A big graph's edges are drawn only around a selection or along a path (all at once is a grey fog and costs
  // the first draw seconds); a small graph's are all there.
  const big = E.length > 60000;
  function showEdges(indices) {
    graph.clearEdges();
    for (const i of indices) if (E[i][0] !== E[i][1]) graph.mergeEdge(String(E[i][0]), String(E[i][1]));
  }
  if (!big) showEdges(E.keys());
  let renderer = null;
  const t0 = performance.now();
  renderer = new Sigma(graph, $("graph"), {
    labelFont: '"NanumGothic", "Noto Sans CJK KR", "Malgun Gothic", sans-serif', labelSize: 13, labelWeight: "600",
    labelDensity: 0.6, labelGridCellSize: 110, labelRenderedSizeThreshold: 6, defaultEdgeColor: "#d0d0d0",
    zIndex: true, minCameraRatio: 0.002, maxCameraRatio: 4,
    // points and lines: one vertex per node, two per edge — what a machine without a GPU draws fast
    defaultNodeType: "point", nodeProgramClasses: { point: Sigma.rendering.NodePointProgram },
    defaultEdgeType: "line", edgeProgramClasses: { line: Sigma.rendering.EdgeLineProgram },
    nodeReducer: (node, data) => {
      const k = Number(node), res = { ...data, size: sizeOf(k), color: colourOf(k) };
      if (!visible[k]) { res.hidden = true; return res; }
      const focus = state.path || state.hood;
      if (focus) {
        if (focus.has(k)) { res.forceLabel = labelled.has(k); res.zIndex = 2; if (k === state.selected) res.highlighted = true; }
        else { res.color = "#ececec"; res.label = ""; res.zIndex = 0; }
      }
      return res;
    },
    edgeReducer: (edge, data) => {
      const [s, t] = graph.extremities(edge).map(Number);
      if (!visible[s] || !visible[t]) return { ...data, hidden: true };
      if (state.path) {
        return state.pathEdges.has(s + "-" + t) || state.pathEdges.has(t + "-" + s)
          ? { ...data, color: "#d62728", size: 3, zIndex: 2 } : { ...data, color: "#f3f3f3" };
      }
      if (state.hood) {
        return state.hood.has(s) && state.hood.has(t) ? { ...data, color: "#888", size: 1.5, zIndex: 1 }
          : { ...data, hidden: true };
      }
      return data;
    },
  });
  renderer.on("clickNode", ({ node }) => select(Number(node)));
  renderer.on("clickStage", () => { if (state.selected >= 0 || state.path) clearSelection(); });

  // ---------- neighbourhood
  function computeHood() {
    const hood = new Map([[state.selected, 0]]);
    let frontier = [state.selected];
    for (let d = 1; d <= state.depth && frontier.length; d++) {
      const next = [];
      for (const k of frontier) for (const i of adj[k]) {
        const o = other(i, k);
        if (visible[o] && !hood.has(o)) { hood.set(o, d); next.push(o); }
      }
      frontier = next;
    }
    state.hood = hood;
    focusOn(hood.keys());
  }
  function focusOn(nodes) {   // the labels forced on (the 40 best connected), and a big graph's edges among them
    const list = [...nodes], inside = new Set(list);
    labelled = new Set([state.selected, ...list.sort((a, b) => N.deg[b] - N.deg[a]).slice(0, 40)]);
    if (big) {
      const keep = [];
      for (const k of list) for (const i of adj[k]) if (E[i][0] === k && inside.has(E[i][1])) keep.push(i);
      showEdges(keep.slice(0, 200000));
    }
  }
  function focusCamera(nodes) {
    const pts = [...nodes].map((k) => renderer.getNodeDisplayData(String(k))).filter(Boolean);
    if (!pts.length) return;
    let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
    for (const p of pts) { x0 = Math.min(x0, p.x); x1 = Math.max(x1, p.x); y0 = Math.min(y0, p.y); y1 = Math.max(y1, p.y); }
    const x = (x0 + x1) / 2, y = (y0 + y1) / 2, span = Math.max(x1 - x0, y1 - y0);
    renderer.getCamera().animate({ x, y, ratio: Math.min(1, Math.max(0.02, span * 1.4)) }, { duration: 300 });
  }
  function select(k) {
    state.selected = k; state.depth = 1; state.path = null; state.pathEdges = null;
    computeHood(); renderer.refresh(); focusCamera(state.hood.keys()); showEntity(k);
  }
  function expand() {
    if (state.selected < 0) return;
    state.depth += 1; computeHood(); renderer.refresh(); focusCamera(state.hood.keys()); showEntity(state.selected);
  }
  function clearSelection() {
    state.selected = -1; state.hood = null; state.path = null; state.pathEdges = null;
    if (big) graph.clearEdges();
    renderer.refresh(); renderer.getCamera().animate({ x: 0.5, y: 0.5, ratio: 1 }, { duration: 300 });
    $("panel").replaceChildren(el("p", { class: "muted", text: "Search or click an entity to see its facts and the sentences they come from." }));
  }

  // ---------- evidence
  function marked(sentence, words) {
    const spans = [];
    for (const w of words) {
      if (!w || w.length < 2) continue;
      for (let i = sentence.indexOf(w); i >= 0; i = sentence.indexOf(w, i + w.length)) spans.push([i, i + w.length]);
    }
    spans.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
    const out = el("blockquote");
    let at = 0;
    for (const [s, e] of spans) {
      if (s < at) continue;
      out.append(document.createTextNode(sentence.slice(at, s)), el("mark", { text: sentence.slice(s, e) }));
      at = e;
    }
    out.append(document.createTextNode(sentence.slice(at)));
    return out;
  }
  function source(a) {
    const art = D.articles[a];
    if (!art) return el("span", { text: "article unknown" });
    const outlet = art[2] >= 0 ? D.outlets[art[2]] : "";
    const what = [outlet, art[1]].filter(Boolean).join(" · ");
    const link = /^https?:\/\//i.test(art[0])
      ? el("a", { href: art[0], target: "_blank", rel: "noopener noreferrer", text: art[3] || art[0] })
      : el("span", { text: art[3] || art[0] });
    return el("span", null, what ? what + " · " : "", link);
  }
  function evidenceOf(i, only) {
    const e = E[i], words = [e[0], e[1]].flatMap((k) => [N.label[k], ...(N.alias[k] || [])]);
    const box = el("div");
    const items = evidenceNumbers(i).filter((v) => !only || only.has(D.evidence[v][1]));
    items.slice(0, 3).forEach((v) => {
      const [sent, art, , , ex, conf, act] = D.evidence[v];
      box.append(marked(D.sentences[sent], words),
        el("div", { class: "src" }, source(art), ` · ${D.extractors[ex]} ${conf}${D.acts[act] ? " · " + D.acts[act] : ""}`));
    });
    if (items.length > 3) box.append(el("div", { class: "src", text: `and ${items.length - 3} more sentences` }));
    return box;
  }
  function entityButton(k) {
    return el("button", { type: "button", class: "link", onclick: () => select(k) },
      el("span", { class: "sw", style: `background:${D.colors[cls(k)]}` }), " ", N.label[k]);
  }
  function fact(i, k, extra, only) {
    const o = other(i, k);
    return el("li", null, entityButton(o), extra ? el("span", { class: "muted", text: " " + extra }) : null, evidenceOf(i, only));
  }

  // ---------- the panel
  const TITLES = { "attended:in": "Attendees", "attended:out": "Meetings attended", "organizer:in": "Hosts",
    "organizer:out": "Meetings hosted", "demanded:out": "Demanded", "demanded:in": "Asked for by",
    "affiliation:out": "Affiliations", "affiliation:in": "Members", "location:out": "Held at",
    "location:in": "Meetings held here", "stated:out": "Quotes", "stated:in": "Said by" };
  const ORDER = { Meeting: ["location:out", "organizer:in", "attended:in"], Person: ["affiliation:out", "attended:out",
    "organizer:out", "demanded:out", "stated:out"], Policy: ["demanded:in"], Place: ["location:in"] };
  function groups(k) {
    const g = {};
    for (const i of adj[k]) {
      if (!visible[other(i, k)]) continue;
      const key = D.predicates[E[i][2]] + (E[i][0] === k ? ":out" : ":in");
      (g[key] = g[key] || []).push(i);
    }
    return g;
  }
  function dateOf(i, k) {   // a meeting's date, else the earliest article of the fact
    const o = other(i, k);
    if (N.date[o]) return N.date[o];
    const ds = evidenceNumbers(i).map((v) => artDate[D.evidence[v][1]]).filter(Boolean).sort();
    return ds[0] || "";
  }
  function showEntity(k) {
    const c = cls(k), panel = $("panel");
    const head = [el("h2", null, el("span", { class: "sw", style: `background:${D.colors[c]}` }), " ", N.label[k]),
      el("div", { class: "muted", text: `${named(c)} · degree ${N.deg[k]} · betweenness ${N.btw[k]}` +
        (N.com[k] >= 0 ? ` · community ${N.com[k] + 1}` : "") }),
      el("div", { class: "muted", text: iri(k) })];
    if (N.alias[k]) head.push(el("div", null, "also: " + N.alias[k].join(", ")));
    const props = N.props[k] || {};
    if (N.date[k] || props.startDay) head.push(el("div", null, "date: " + (N.date[k] || props.startDay.join(", ").replace("---", "day "))));
    if (props.jobTitle) head.push(el("div", null, "titles: " + props.jobTitle.join(", ")));
    if (props.text) head.push(marked(props.text.join(" "), []));
    head.push(el("div", { class: "row", style: "margin: 6px 0" },
      el("button", { type: "button", id: "expand", onclick: expand, text: `Expand (${state.depth} → ${state.depth + 1} steps)` }),
      el("button", { type: "button", onclick: () => { $("pathFrom").value = N.label[k]; pathEnds[0] = k; }, text: "Path from here" }),
      el("button", { type: "button", onclick: () => { $("pathTo").value = N.label[k]; pathEnds[1] = k; }, text: "Path to here" })));
    head.push(el("div", { class: "muted", text: `${state.hood.size - 1} entities within ${state.depth} step${state.depth > 1 ? "s" : ""}` }));
    panel.replaceChildren(...head);
    if (N.posts[k]) {
      const t = el("table", { class: "posts" });
      for (const [o, title, first, last] of N.posts[k]) {
        t.append(el("tr", null, el("td", { text: first === last || !last ? first || "—" : `${first} – ${last}` }),
          el("td", null, entityButton(o)), el("td", { text: title })));
      }
      panel.append(el("h3", { text: "Posts over time" }), t);
    }
    const g = groups(k), keys = [...(ORDER[c] || []), ...Object.keys(TITLES)].filter((v, i, a) => a.indexOf(v) === i);
    for (const key of keys) {
      if (!g[key]) continue;
      const items = g[key].map((i) => [dateOf(i, k), i]).sort((a, b) => (a[0] || "~").localeCompare(b[0] || "~") || a[1] - b[1]);
      const list = el("ul", { class: "facts", id: "facts-" + key.replace(":", "-") });
      panel.append(el("h3", { text: `${TITLES[key]} (${items.length})` }), list);
      paged(list, items.map(([d, i]) => () => fact(i, k, d)));
    }
    if (c === "Meeting") meetingDemands(k, g, panel);
  }
  function paged(list, makers, from) {   // 50 items, then a button for the next 50
    const start = from || 0;
    makers.slice(start, start + 50).forEach((make) => list.append(make()));
    if (makers.length > start + 50) {
      const more = el("li", null, el("button", { type: "button", class: "link", text: `show ${Math.min(50, makers.length - start - 50)} more of ${makers.length - start - 50}` }));
      more.firstChild.addEventListener("click", () => { more.remove(); paged(list, makers, start + 50); });
      list.append(more);
    }
  }
  function meetingDemands(k, g, panel) {   // demands its participants made in the articles that report it
    const arts = new Set(N.arts[k]), list = el("ul", { class: "facts", id: "facts-meeting-demands" });
    const makers = [];
    for (const i of [...(g["attended:in"] || []), ...(g["organizer:in"] || [])]) {
      const who = other(i, k);
      for (const j of adj[who]) {
        if (D.predicates[E[j][2]] !== "demanded" || E[j][0] !== who || !visible[E[j][1]]) continue;
        if (!evidenceNumbers(j).some((v) => arts.has(D.evidence[v][1]))) continue;
        makers.push(() => el("li", null, entityButton(who), " → ", fact(j, who, "", arts)));
      }
    }
    if (makers.length) {
      panel.append(el("h3", { text: `Demands made there (${makers.length})` }), list);
      paged(list, makers);
    }
  }

  // ---------- path
  const pathEnds = [-1, -1];
  function shortest(a, b, interactionsOnly) {
    const prev = new Map([[a, -1]]);
    let frontier = [a];
    while (frontier.length && !prev.has(b)) {
      const next = [];
      for (const k of frontier) for (const i of adj[k]) {
        const o = other(i, k);
        if (prev.has(o) || !visible[o]) continue;
        if (interactionsOnly && (!LINKS.has(E[i][2]) || !INTERACTING.has(cls(o)))) continue;
        prev.set(o, i); next.push(o);
      }
      frontier = next;
    }
    if (!prev.has(b)) return null;
    const hops = [];
    for (let k = b; k !== a; ) { const i = prev.get(k); hops.unshift(i); k = other(i, k); }
    return hops;
  }
  function findPath() {
    const ends = ["pathFrom", "pathTo"].map((id, j) => {
      const text = $(id).value.trim();
      if (pathEnds[j] >= 0 && N.label[pathEnds[j]] === text) return pathEnds[j];
      const hit = search(text, 1)[0];
      return hit === undefined ? -1 : hit;
    });
    const panel = $("panel");
    if (ends.includes(-1)) { panel.replaceChildren(el("p", { text: "Name two entities: no entity matches " + (ends[0] < 0 ? $("pathFrom").value : $("pathTo").value) })); return; }
    const [a, b] = ends;
    const hops = (INTERACTING.has(cls(a)) && INTERACTING.has(cls(b)) && shortest(a, b, true)) || shortest(a, b, false);
    panel.replaceChildren(el("h2", { text: `Path: ${N.label[a]} → ${N.label[b]}` }));
    if (!hops) { panel.append(el("p", { id: "path-none", text: "No connection between them among the entities shown." })); return; }
    state.selected = -1; state.hood = null;
    state.path = new Set([a]); state.pathEdges = new Set();
    const list = el("ol", { class: "facts", id: "path-steps" });
    let k = a;
    for (const i of hops) {
      const o = other(i, k), dir = E[i][0] === k ? `${D.predicates[E[i][2]]} →` : `← ${D.predicates[E[i][2]]}`;
      state.path.add(o); state.pathEdges.add(k + "-" + o);
      list.append(el("li", null, entityButton(k), el("span", { class: "muted", text: ` ${dir} ` }), entityButton(o),
        N.date[o] ? el("span", { class: "muted", text: " " + N.date[o] }) : null, evidenceOf(i)));
      k = o;
    }
    panel.append(el("div", { class: "muted", text: `${hops.length} step${hops.length > 1 ? "s" : ""}` }), list);
    focusOn(state.path);
    renderer.refresh(); focusCamera(state.path);
  }

  // ---------- timeline of meetings (per month)
  const meetingClass = D.classes.indexOf("Meeting");
  function drawTimeline() {
    const box = $("timeline"), months = new Map();
    for (let k = 0; k < n; k++) {
      if (N.cls[k] !== meetingClass || !N.date[k] || state.hidden.has(meetingClass)) continue;
      const m = N.date[k].slice(0, 7);
      const c = months.get(m) || [0, 0];
      c[inRange(N.date[k]) && visible[k] ? 0 : 1] += 1;
      months.set(m, c);
    }
    if (!months.size) { box.replaceChildren(el("div", { class: "muted", text: "No dated meetings." })); return; }
    const keys = [...months.keys()].sort(), all = [];
    let [y, m] = keys[0].split("-").map(Number);
    const [ly, lm] = keys[keys.length - 1].split("-").map(Number);
    while (y < ly || (y === ly && m <= lm)) { all.push(`${y}-${String(m).padStart(2, "0")}`); m++; if (m > 12) { m = 1; y++; } }
    const ns = "http://www.w3.org/2000/svg", svg = document.createElementNS(ns, "svg"), w = 1000 / all.length;
    svg.setAttribute("viewBox", "0 0 1000 62"); svg.setAttribute("preserveAspectRatio", "none");
    const top = [...months.values()].reduce((a, c) => Math.max(a, c[0] + c[1]), 1);
    all.forEach((key, i) => {
      const [inside, outside] = months.get(key) || [0, 0];
      for (const [count, base, cl] of [[inside, 0, ""], [outside, inside, "out"]]) {
        if (!count) continue;
        const h = (48 * count) / top, r = document.createElementNS(ns, "rect");
        r.setAttribute("x", String(i * w + 0.5)); r.setAttribute("width", String(Math.max(1, w - 1)));
        r.setAttribute("y", String(50 - h - (48 * base) / top)); r.setAttribute("height", String(h));
        if (cl) r.setAttribute("class", cl);
        const t = document.createElementNS(ns, "title"); t.textContent = `${key}: ${inside + outside} meetings`;
        r.append(t);
        r.addEventListener("click", () => {
          const [yy, mm] = key.split("-").map(Number);
          state.from = $("from").value = `${key}-01`;
          state.to = $("to").value = `${key}-${String(new Date(yy, mm, 0).getDate()).padStart(2, "0")}`;
          applyFilters();
        });
        svg.append(r);
      }
      if (key.endsWith("-01") || i === 0) {
        const t = document.createElementNS(ns, "text");
        t.setAttribute("x", String(i * w)); t.setAttribute("y", "61"); t.setAttribute("class", "axis");
        t.textContent = key.slice(0, 4); svg.append(t);
      }
    });
    box.replaceChildren(svg);
  }

  // ---------- controls
  const results = $("results");
  let active = -1, hits = [];
  function showResults() {
    hits = search($("search").value, 30);
    active = hits.length ? 0 : -1;
    results.replaceChildren(...hits.map((k, j) => el("li", { role: "option", id: "hit-" + j, "aria-selected": String(j === active),
      onclick: () => choose(j) }, el("span", { class: "sw", style: `background:${D.colors[cls(k)]}` }), N.label[k],
      el("span", { class: "k", text: cls(k) }))));
    $("search").setAttribute("aria-expanded", String(hits.length > 0));
  }
  function choose(j) { if (hits[j] !== undefined) select(hits[j]); }
  let timer = 0;
  $("search").addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(showResults, n > 20000 ? 120 : 30); });
  $("search").addEventListener("keydown", (ev) => {
    if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
      ev.preventDefault();
      if (!hits.length) return;
      active = (active + (ev.key === "ArrowDown" ? 1 : hits.length - 1)) % hits.length;
      [...results.children].forEach((li, j) => li.setAttribute("aria-selected", String(j === active)));
      results.children[active].scrollIntoView({ block: "nearest" });
    } else if (ev.key === "Enter") { clearTimeout(timer); showResults(); choose(Math.max(0, active)); }
  });
  const classBox = $("classes"), counts = new Array(D.classes.length).fill(0);
  N.cls.forEach((c) => counts[c]++);
  D.classes.forEach((name, c) => {
    if (!counts[c]) return;
    const box = el("input", { type: "checkbox", id: "cls-" + name, checked: "" });
    box.addEventListener("change", () => { if (box.checked) state.hidden.delete(c); else state.hidden.add(c); applyFilters(); });
    classBox.append(el("label", null, box, el("span", { class: "sw", style: `background:${D.colors[name]}` }), named(name),
      el("span", { class: "n", text: counts[c].toLocaleString() })));
  });
  D.outlets.forEach((o, j) => $("outlet").append(el("option", { value: String(j), text: o })));
  $("from").addEventListener("change", () => { state.from = $("from").value; applyFilters(); });
  $("to").addEventListener("change", () => { state.to = $("to").value; applyFilters(); });
  $("outlet").addEventListener("change", () => { state.outlet = $("outlet").value; applyFilters(); });
  $("mindeg").addEventListener("change", () => { state.mindeg = Number($("mindeg").value) || 0; applyFilters(); });
  $("colour").addEventListener("change", () => { state.colour = $("colour").value; renderer.refresh(); });
  $("size").addEventListener("change", () => { state.size = $("size").value; renderer.refresh(); });
  $("findPath").addEventListener("click", findPath);
  for (const id of ["pathFrom", "pathTo"]) $(id).addEventListener("keydown", (ev) => { if (ev.key === "Enter") findPath(); });
  function reset() {
    state.hidden.clear(); state.from = state.to = state.outlet = ""; state.mindeg = 0;
    for (const id of ["from", "to", "outlet", "search"]) $(id).value = "";
    $("mindeg").value = "0";
    classBox.querySelectorAll("input").forEach((b) => { b.checked = true; });
    results.replaceChildren(); clearSelection(); applyFilters();
  }
  $("reset").addEventListener("click", reset);
  document.addEventListener("keydown", (ev) => {
    const typing = /^(INPUT|SELECT|TEXTAREA)$/.test(document.activeElement.tagName);
    if (ev.key === "Escape") { if (typing) document.activeElement.blur(); clearSelection(); return; }
    if (typing || ev.ctrlKey || ev.metaKey || ev.altKey) return;
    const cam = renderer.getCamera();
    if (ev.key === "/") { ev.preventDefault(); $("search").focus(); }
    else if (ev.key === "+" || ev.key === "=") cam.animatedZoom({ duration: 200 });
    else if (ev.key === "-") cam.animatedUnzoom({ duration: 200 });
    else if (ev.key === "0") cam.animatedReset({ duration: 200 });
    else if (ev.key === "e") expand();
  });

  applyFilters();
  // ready when the first frame has been drawn: the frame after the first has begun
  requestAnimationFrame(() => requestAnimationFrame(() => {
    $("status").textContent = "";
    window.kgFirstDraw = performance.now();
    window.kgDrawMs = performance.now() - t0;
    window.kgExplorer = { graph, renderer, search, order: () => graph.order,
      timeSearch: (q) => { const t = performance.now(); $("search").value = q; showResults(); return performance.now() - t; } };
    document.body.dataset.ready = "1";
  }));
})();
