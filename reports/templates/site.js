// Sorting, filters and search for the firms table. It only moves and hides rows already in the page:
// nothing here builds HTML from data.
(function () {
  "use strict";
  var table = document.getElementById("firms-table");
  if (!table) { return; }
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var names = rows.map(function (r) { return r.cells[0].textContent.toLowerCase(); });
  var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
  var controls = document.getElementById("controls");
  var search = document.getElementById("q");
  var tier = document.getElementById("f-tier");
  var standing = document.getElementById("f-standing");
  var reach = document.getElementById("f-reach");
  var demotion = document.getElementById("f-demotion");
  var shown = document.getElementById("shown");

  function key(row, i) {
    if (row.cells.length !== heads.length && i > 1) { return null; }
    var cell = row.cells[i];
    var sort = cell.getAttribute("data-sort");
    var text = sort === null ? cell.textContent.trim().toLowerCase() : sort;
    return text === "" ? null : text;
  }

  function sortBy(i) {
    var th = heads[i];
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    var numeric = th.getAttribute("data-type") === "num";
    heads.forEach(function (h) { h.setAttribute("aria-sort", "none"); });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var keyed = rows.map(function (r, n) { return [key(r, i), n, r]; });
    keyed.sort(function (a, b) {
      if (a[0] === null || b[0] === null) {
        return (a[0] === null) - (b[0] === null) || a[1] - b[1];
      }
      var c = numeric ? parseFloat(a[0]) - parseFloat(b[0]) : a[0].localeCompare(b[0]);
      return (ascending ? c : -c) || a[1] - b[1];
    });
    var frag = document.createDocumentFragment();
    keyed.forEach(function (k) { frag.appendChild(k[2]); });
    body.appendChild(frag);
  }

  heads.forEach(function (th, i) {
    var button = document.createElement("button");
    button.type = "button";
    while (th.firstChild) { button.appendChild(th.firstChild); }
    th.appendChild(button);
    th.setAttribute("aria-sort", "none");
    button.addEventListener("click", function () { sortBy(i); });
  });

  function apply() {
    var q = search.value.trim().toLowerCase();
    var count = 0;
    rows.forEach(function (r, n) {
      var ok = (!tier.value || r.getAttribute("data-tier") === tier.value) &&
        (!standing.value || r.getAttribute("data-standing") === standing.value) &&
        (!reach.checked || r.hasAttribute("data-reach")) &&
        (!demotion.checked || r.hasAttribute("data-demotion")) &&
        (!q || names[n].indexOf(q) !== -1);
      r.hidden = !ok;
      count += ok ? 1 : 0;
    });
    shown.textContent = count + " of " + rows.length + " shown";
  }

  [search, tier, standing, reach, demotion].forEach(function (el) {
    el.addEventListener("input", apply);
    el.addEventListener("change", apply);
  });
  controls.hidden = false;
  apply();
}());
