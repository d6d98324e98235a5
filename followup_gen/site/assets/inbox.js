// The due inbox: copy buttons (on every page that has them) and, on the due
// list, sorting and filtering by status, rule, channel and opportunity. No
// library: a few functions on the rows' data attributes. Runs on every page
// load, including Material's instant navigation.
(function () {
  "use strict";
  var STATUS = { overdue: "Overdue", due: "Due now", upcoming: "Coming up" };
  var NONE = "-"; // the filter value of a row without one (no opportunity)
  var FILTERS = [
    ["status", "Status"],
    ["rule", "Rule"],
    ["channel", "Channel"],
    ["opportunity", "Opportunity", "No opportunity"],
  ];
  var SORTS = [
    ["", "Due date, overdue first"],
    ["who", "Contact"],
    ["what", "Rule"],
    ["channel", "Channel"],
    ["job", "Opportunity"],
  ];
  // What a row is sorted by: a data attribute, or the text of a cell (names
  // the user typed stay out of attributes).
  var CELLS = { who: ".fg-who", job: ".fg-job" };

  function valueOf(row, key) {
    if (CELLS[key]) {
      var cell = row.querySelector(CELLS[key]);
      return cell ? cell.textContent.trim() : "";
    }
    return row.dataset[key] || "";
  }

  function fallbackCopy(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    var copied = false;
    try {
      copied = document.execCommand("copy");
    } catch (e) {
      copied = false;
    }
    document.body.removeChild(area);
    return copied;
  }

  function copy(button) {
    var text = button.getAttribute("data-copy");
    var label = button.getAttribute("data-label") || button.textContent;
    button.setAttribute("data-label", label);
    function said(copied) {
      button.textContent = copied ? "Copied" : "Copy failed: select the text";
      button.classList.toggle("fg-copied", copied);
      window.setTimeout(function () {
        button.textContent = label;
        button.classList.remove("fg-copied");
      }, 1600);
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(
        function () { said(true); },
        function () { said(fallbackCopy(text)); }
      );
    } else {
      said(fallbackCopy(text));
    }
  }

  function copyButtons() {
    document.querySelectorAll("button.fg-copy[data-copy]").forEach(function (button) {
      if (button.dataset.ready) return;
      button.dataset.ready = "yes";
      button.hidden = false;
      button.addEventListener("click", function () { copy(button); });
    });
  }

  function option(select, value, text) {
    var o = document.createElement("option");
    o.value = value;
    o.textContent = text;
    select.appendChild(o);
  }

  function labelled(text, control) {
    var label = document.createElement("label");
    var span = document.createElement("span");
    span.textContent = text;
    label.appendChild(span);
    label.appendChild(control);
    return label;
  }

  function tools(inbox) {
    if (inbox.dataset.ready) return;
    inbox.dataset.ready = "yes";
    var original = Array.prototype.slice.call(inbox.children);
    var rows = original.filter(function (e) { return e.classList.contains("fg-item"); });
    if (rows.length < 2) return;
    var bar = document.createElement("div");
    bar.className = "fg-tools";
    var selects = {};
    FILTERS.forEach(function (filter) {
      var key = filter[0];
      var counts = {};
      var names = {};
      rows.forEach(function (row) {
        var value = row.dataset[key] || NONE;
        counts[value] = (counts[value] || 0) + 1;
        names[value] = value === NONE ? filter[2] || "None"
          : key === "status" ? STATUS[value] || value
          : key === "rule" ? row.dataset.what || value
          : key === "opportunity" ? valueOf(row, "job") || value : value;
      });
      var values = Object.keys(counts);
      if (values.length < 2) return;
      if (key !== "status") {
        values.sort(function (a, b) {  // by name, the rows without one last
          return (a === NONE) - (b === NONE) || names[a].localeCompare(names[b]);
        });
      }
      var select = document.createElement("select");
      select.name = "fg-" + key;
      option(select, "", "All");
      values.forEach(function (v) { option(select, v, names[v] + " (" + counts[v] + ")"); });
      select.addEventListener("change", apply);
      selects[key] = select;
      bar.appendChild(labelled(filter[1], select));
    });
    var sort = document.createElement("select");
    sort.name = "fg-sort";
    SORTS.forEach(function (s) { option(sort, s[0], s[1]); });
    sort.addEventListener("change", apply);
    bar.appendChild(labelled("Sort by", sort));
    var shown = document.createElement("span");
    shown.className = "fg-shown";
    shown.setAttribute("aria-live", "polite");
    bar.appendChild(shown);
    inbox.parentNode.insertBefore(bar, inbox);

    function apply() {
      var visible = 0;
      rows.forEach(function (row) {
        var keep = Object.keys(selects).every(function (key) {
          var wanted = selects[key].value;
          return !wanted || (row.dataset[key] || NONE) === wanted;
        });
        row.hidden = !keep;
        if (keep) visible += 1;
      });
      var by = sort.value;
      var order = original.slice();
      if (by) {
        order = rows.slice().sort(function (a, b) {
          var x = (valueOf(a, by) || "\uffff").localeCompare(valueOf(b, by) || "\uffff");
          return x || rows.indexOf(a) - rows.indexOf(b);
        });
      }
      original.forEach(function (e) {
        if (!e.classList.contains("fg-group")) return;
        var status = e.getAttribute("data-status");
        e.hidden = !!by || !rows.some(function (r) {
          return !r.hidden && r.dataset.status === status;
        });
      });
      order.forEach(function (e) { inbox.appendChild(e); });
      shown.textContent = visible === rows.length
        ? rows.length + " items"
        : visible + " of " + rows.length + " items";
    }
    apply();
  }

  function init() {
    copyButtons();
    document.querySelectorAll(".fg-inbox[data-tools]").forEach(tools);
  }

  if (typeof document$ !== "undefined") {
    document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
