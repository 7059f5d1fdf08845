// Network explorer: draws the view the server computed (nodes, edges, options from pyvis),
// with search, details panel, physics toggle and PNG download. All text goes in through
// textContent, never innerHTML; vis-network shows string tooltips as text.
(function () {
  "use strict";
  const dataEl = document.getElementById("explorer-data");
  const container = document.getElementById("network");
  if (!dataEl || !container || typeof vis === "undefined") return;
  const view = JSON.parse(dataEl.textContent);
  const text = JSON.parse(document.getElementById("explorer-text").textContent);

  const nodes = new vis.DataSet(view.nodes.map((n) => Object.assign({}, n, {
    // vis-network renders a string title as plain text; keep it a string
    title: String(n.title || ""),
    label: String(n.label || ""),
  })));
  const edges = new vis.DataSet(view.edges.map((e, i) => Object.assign({ id: i }, e, {
    title: String(e.title || ""),
  })));
  const network = new vis.Network(container, { nodes, edges }, view.options);
  window.pgExplorer = { network, nodes, edges, view };

  const physicsBtn = document.getElementById("physics-toggle");
  let physicsOn = Boolean(view.options.physics && view.options.physics.enabled);
  function showPhysics() { physicsBtn.setAttribute("aria-pressed", String(physicsOn)); }
  showPhysics();
  network.once("stabilizationIterationsDone", () => {
    // freeze after the first stabilisation, so the drawing stops moving
    network.setOptions({ physics: { enabled: false } });
    physicsOn = false;
    showPhysics();
    container.dataset.ready = "true";
  });
  if (!physicsOn) container.dataset.ready = "true";
  physicsBtn.addEventListener("click", () => {
    physicsOn = !physicsOn;
    network.setOptions({ physics: { enabled: physicsOn } });
    showPhysics();
    const url = new URL(window.location.href);
    url.searchParams.set("physics", physicsOn ? "on" : "off");
    window.history.replaceState(null, "", url);
  });
  document.getElementById("fit").addEventListener("click", () => network.fit());

  // years: the checkboxes fill the one 'years' parameter
  const form = document.querySelector("form.filters");
  if (form) {
    form.addEventListener("submit", () => {
      const boxes = Array.from(form.querySelectorAll("input[data-year]"));
      const checked = boxes.filter((b) => b.checked).map((b) => b.value);
      form.querySelector("input[name=years]").value =
        checked.length === boxes.length ? "" : checked.join(",");
      boxes.forEach((b) => { b.disabled = true; });
      Array.from(form.elements).forEach((el) => {
        if (el.name && !el.value && el.tagName !== "BUTTON") el.disabled = true;
      });
    });
  }

  // details panel
  const body = document.getElementById("details-body");
  const empty = document.getElementById("details-empty");
  const legend = Object.fromEntries(view.legend.map((l) => [l.group, l.label]));
  function egoHref(id, depth) {
    const url = new URL("/explorer", window.location.origin);
    url.searchParams.set("focus", id);
    url.searchParams.set("depth", String(depth));
    return url.pathname + url.search;
  }
  function showDetails(id) {
    const n = nodes.get(id);
    if (!n) { body.hidden = true; empty.hidden = false; return; }
    document.getElementById("details-label").textContent = n.label;
    document.getElementById("details-group").textContent = legend[n.group] || n.group || "";
    document.getElementById("details-measure").textContent = view.query.size
      ? `${view.query.size || "degree"}: ${Number(n.measure).toPrecision(3)}`
      : `degree: ${Number(n.measure).toPrecision(3)}`;
    document.getElementById("details-synthetic").hidden = !n.synthetic;
    const link = document.getElementById("details-link");
    if (n.link && n.link.startsWith("/id/")) { link.href = n.link; link.hidden = false; }
    else { link.hidden = true; }
    document.getElementById("ego-1").href = egoHref(n.id, 1);
    document.getElementById("ego-2").href = egoHref(n.id, 2);
    body.hidden = false;
    empty.hidden = true;
  }
  network.on("click", (params) => showDetails(params.nodes.length ? params.nodes[0] : null));

  // search by name
  const list = document.getElementById("node-names");
  const seen = new Set();
  nodes.get().map((n) => n.label).sort().forEach((label) => {
    if (seen.has(label)) return;
    seen.add(label);
    const opt = document.createElement("option");
    opt.value = label;
    list.appendChild(opt);
  });
  const search = document.getElementById("node-search");
  const status = document.getElementById("status");
  function find(term) {
    const t = term.trim().toLowerCase();
    if (!t) return null;
    const all = nodes.get();
    return all.find((n) => n.label.toLowerCase() === t) ||
      all.find((n) => n.label.toLowerCase().includes(t)) || null;
  }
  function go() {
    const hit = find(search.value);
    if (!hit) { search.setCustomValidity(text.notFound); search.reportValidity(); return; }
    search.setCustomValidity("");
    network.selectNodes([hit.id]);
    network.focus(hit.id, { scale: 1.2, animation: false });
    showDetails(hit.id);
  }
  search.addEventListener("change", go);
  search.addEventListener("keydown", (e) => { if (e.key === "Enter") { e.preventDefault(); go(); } });

  // PNG of the current view, on a white background
  document.getElementById("png").addEventListener("click", () => {
    const canvas = container.querySelector("canvas");
    const out = document.createElement("canvas");
    out.width = canvas.width;
    out.height = canvas.height;
    const ctx = out.getContext("2d");
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, out.width, out.height);
    ctx.drawImage(canvas, 0, 0);
    const a = document.createElement("a");
    a.href = out.toDataURL("image/png");
    a.download = "partnergraph-network.png";
    document.body.appendChild(a);
    a.click();
    a.remove();
  });
  status.dataset.nodes = String(view.nodes.length);
})();
