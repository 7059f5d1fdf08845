/* Sortable tables: a click (or Enter/Space) on a column header of table.sortable sorts its rows.
 * Numbers sort as numbers (cells with class "num"), everything else by locale-aware text
 * (data-sort when present). aria-sort tells assistive technology the current order. */
(function () {
  "use strict";

  function key(cell) {
    if (!cell) {
      return "";
    }
    var raw = cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent;
    return raw.trim();
  }

  function compare(numeric) {
    var collator = new Intl.Collator(document.documentElement.lang || "fi", { numeric: true });
    return function (a, b) {
      if (numeric) {
        var x = parseFloat(a), y = parseFloat(b);
        if (isNaN(x) && isNaN(y)) { return 0; }
        if (isNaN(x)) { return 1; }
        if (isNaN(y)) { return -1; }
        return x - y;
      }
      return collator.compare(a, b);
    };
  }

  function sortBy(table, index, th) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    var numeric = rows.every(function (r) {
      var c = r.cells[index];
      return !c || !key(c) || c.classList.contains("num");
    });
    var cmp = compare(numeric);
    rows.sort(function (r1, r2) {
      var result = cmp(key(r1.cells[index]), key(r2.cells[index]));
      return ascending ? result : -result;
    });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (other) {
      other.removeAttribute("aria-sort");
    });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    rows.forEach(function (r) { body.appendChild(r); });
  }

  Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), function (table) {
    if (!table.tHead || !table.tBodies.length) {
      return;
    }
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = th.textContent;
      button.title = table.getAttribute("data-sort-label") || "";
      th.textContent = "";
      th.appendChild(button);
      button.addEventListener("click", function () { sortBy(table, index, th); });
    });
  });
})();
