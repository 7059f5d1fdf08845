// Small ego network on entity pages: the explorer's data for this node, depth 1.
(function () {
  "use strict";
  const box = document.querySelector(".ego-network[data-focus]");
  if (!box || typeof vis === "undefined") return;
  const url = "/explorer.json?depth=1&focus=" + encodeURIComponent(box.dataset.focus);
  fetch(url, { headers: { Accept: "application/json" } })
    .then((r) => (r.ok ? r.json() : null))
    .then((view) => {
      if (!view || !view.nodes.length) { box.hidden = true; return; }
      const nodes = new vis.DataSet(view.nodes.map((n) => Object.assign({}, n, {
        title: String(n.title || ""), label: String(n.label || "") })));
      const edges = new vis.DataSet(view.edges.map((e, i) => Object.assign({ id: i }, e, {
        title: String(e.title || "") })));
      const options = Object.assign({}, view.options, { physics: { enabled: false } });
      const net = new vis.Network(box, { nodes, edges }, options);
      net.on("doubleClick", (p) => {
        const n = p.nodes.length ? nodes.get(p.nodes[0]) : null;
        if (n && n.link && n.link.startsWith("/id/")) window.location.assign(n.link);
      });
      box.dataset.ready = "true";
    })
    .catch(() => { box.hidden = true; });
})();
