// Click a column title to sort a long table (five rows or more; again to
// reverse). Dates (YYYY-MM-DD) and words sort as text, numbers as numbers.
// Runs on every page load, including Material's instant navigation.
(function () {
  function cellText(row, index) {
    var cell = row.cells[index];
    return cell ? cell.textContent.trim() : "";
  }
  function compare(a, b) {
    var x = parseFloat(a), y = parseFloat(b);
    if (!isNaN(x) && !isNaN(y) && String(x) === a && String(y) === b) return x - y;
    return a.localeCompare(b, undefined, { numeric: true, sensitivity: "base" });
  }
  function sortable(table) {
    var head = table.tHead;
    var body = table.tBodies[0];
    if (!head || !body || body.rows.length < 5 || table.dataset.sortable) return;
    table.dataset.sortable = "yes";
    Array.prototype.forEach.call(head.rows[0].cells, function (th, index) {
      th.setAttribute("data-sort", "none");
      th.setAttribute("title", "Sort by this column");
      th.addEventListener("click", function () {
        var order = th.getAttribute("data-sort") === "asc" ? "desc" : "asc";
        Array.prototype.forEach.call(head.rows[0].cells, function (other) {
          other.setAttribute("data-sort", "none");
        });
        th.setAttribute("data-sort", order);
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (r1, r2) {
          var result = compare(cellText(r1, index), cellText(r2, index));
          return order === "asc" ? result : -result;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  }
  function init() {
    document.querySelectorAll("article table").forEach(sortable);
  }
  if (typeof document$ !== "undefined") {
    document$.subscribe(init);
  } else {
    document.addEventListener("DOMContentLoaded", init);
  }
})();
