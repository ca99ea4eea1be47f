// Tables on a phone (issue 15): below 576 px each row of a list reads as a card, every cell
// under its column's name, copied here from the table's header. Without JavaScript a table
// scrolls inside its own box instead (himaya.css), never the whole page.
(function () {
  function reflow(table) {
    var head = table.tHead;
    if (table.hasAttribute("data-no-reflow") || !head || head.rows.length !== 1) { return; }
    var names = [];
    Array.from(head.rows[0].cells).forEach(function (th) {
      for (var i = 0; i < th.colSpan; i++) { names.push(th.textContent.trim()); }
    });
    var rows = [];
    Array.from(table.tBodies).forEach(function (body) { rows = rows.concat(Array.from(body.rows)); });
    // A cell spanning rows cannot be read as part of one card: such a table keeps its columns.
    if (rows.some(function (tr) {
      return Array.from(tr.cells).some(function (cell) { return cell.rowSpan > 1; });
    })) { return; }
    rows.forEach(function (tr) {
      var column = 0;
      Array.from(tr.cells).forEach(function (cell) {
        if (cell.colSpan === 1 && names[column] && !cell.hasAttribute("data-label")) {
          cell.setAttribute("data-label", names[column]);
        }
        column += cell.colSpan;
      });
    });
    table.classList.add("table-reflow");
  }
  function reflowAll(root) {
    (root || document).querySelectorAll("main table.table:not(.table-reflow)").forEach(reflow);
  }
  document.addEventListener("DOMContentLoaded", function () {
    reflowAll(document);
    // Lists that htmx redraws (filters, pages) get their labels again.
    document.body.addEventListener("htmx:afterSettle", function () { reflowAll(document); });
  });
})();
