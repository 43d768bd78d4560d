
(function () {
  "use strict";
  // Document text only ever reaches the page as markup written by the (autoescaping) template
  // engine; this script never builds markup from text itself.
  var table = document.getElementById("document-table");
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var shownCount = document.getElementById("shown-count");
  var reader = document.getElementById("reader-body");
  var shortcuts = document.getElementById("shortcuts");
  var state = document.getElementById("filter-state");
  var category = document.getElementById("filter-category");
  var severity = document.getElementById("filter-severity");
  var path = document.getElementById("filter-path");
  var openDoc = null;
  var current = -1;

  function matches(row, wanted, cat, sev, text) {
    if (text && row.getAttribute("data-path").toLowerCase().indexOf(text) < 0) { return false; }
    var tokens = row.getAttribute("data-findings");
    if (wanted === "none") { return tokens === ""; }
    if (wanted === "all" && !cat && !sev) { return true; }
    return tokens.split(" ").some(function (token) {
      var parts = token.split(":");
      return parts.length === 3 && (wanted === "all" || parts[0] === wanted) &&
        (!cat || parts[1] === cat) && (!sev || parts[2] === sev);
    });
  }

  function applyFilters() {
    var wanted = state.value, cat = category.value, sev = severity.value;
    var text = path.value.trim().toLowerCase();
    var shown = 0;
    rows.forEach(function (row) {
      var keep = matches(row, wanted, cat, sev, text);
      row.hidden = !keep;
      if (keep) { shown += 1; }
    });
    shownCount.textContent = "Showing " + shown + " of " + rows.length + " documents.";
  }

  function sortBy(button) {
    var key = button.getAttribute("data-sort");
    var header = button.parentNode;
    var ascending = header.getAttribute("aria-sort") !== "ascending";
    var numeric = key === "open" || key === "waived" || key === "severity";
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (cell) { cell.removeAttribute("aria-sort"); });
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var keyed = rows.map(function (row, position) {
      var value = row.getAttribute("data-" + key);
      return { row: row, value: numeric ? Number(value) : value.toLowerCase(), position: position };
    });
    keyed.sort(function (a, b) {
      var order = a.value < b.value ? -1 : a.value > b.value ? 1 : 0;
      return (ascending ? order : -order) || a.position - b.position;
    });
    rows = keyed.map(function (item) { return item.row; });
    var fragment = document.createDocumentFragment();
    rows.forEach(function (row) { fragment.appendChild(row); });
    body.appendChild(fragment);
  }

  function show(index) {
    if (openDoc === index) { return true; }
    var block = document.getElementById("doc-" + index);
    if (!block || block.className !== "document-data") { return false; }
    // The block holds markup the report's template engine wrote with every piece of document text
    // escaped; parsing it in an inert document builds only that one document, when it is asked for.
    var parsed = new DOMParser().parseFromString(block.textContent, "text/html");
    var content = document.createDocumentFragment();
    while (parsed.body.firstChild) { content.appendChild(document.adoptNode(parsed.body.firstChild)); }
    // Category, window, guidance, sign-off and waivers are shared by many findings: each is written once.
    Array.prototype.forEach.call(content.querySelectorAll(".rule-info"), function (slot) {
      var info = document.getElementById("info-" + slot.getAttribute("data-info"));
      if (info) { slot.appendChild(info.content.cloneNode(true)); }
    });
    reader.replaceChildren(content);
    openDoc = index;
    current = -1;
    return true;
  }

  function whenLoaded(action) {
    // Documents and their shared guidance arrive after the table; act once they are all there.
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", action, { once: true });
    } else {
      action();
    }
  }

  function cards() { return reader.querySelectorAll(".finding"); }

  function goTo(position) {
    var list = cards();
    if (!list.length) { return; }
    current = Math.max(0, Math.min(position, list.length - 1));
    var flag = document.getElementById("at-" + list[current].id);
    Array.prototype.forEach.call(reader.querySelectorAll("a.flag.current"), function (a) { a.classList.remove("current"); });
    var target = flag || list[current];
    if (flag) { flag.classList.add("current"); }
    target.focus();
    target.scrollIntoView({ block: "center" });
  }

  function firstFinding() {
    if (openDoc === null) {
      var row = rows.filter(function (r) { return !r.hidden && r.getAttribute("data-findings") !== ""; })[0];
      if (!row) { return; }
      show(row.querySelector("a").getAttribute("href").slice(5));
      history.replaceState(null, "", "#doc-" + openDoc);
    }
    goTo(0);
  }

  function step(by) {
    if (openDoc === null) { firstFinding(); return; }
    var list = cards();
    var focused = document.activeElement;
    for (var i = 0; i < list.length; i += 1) {
      if (list[i] === focused || (focused && focused.id === "at-" + list[i].id) || list[i].contains(focused)) { current = i; }
    }
    goTo(current < 0 ? 0 : current + by);
  }

  function followHash() {
    var hash = decodeURIComponent(location.hash.slice(1));
    var found = /^(?:at-)?d(\d+)f(\d+)$/.exec(hash) || /^doc-(\d+)$/.exec(hash);
    if (!found || !show(found[1])) { return; }
    var target = document.getElementById(hash) || document.getElementById("doc-" + found[1] + "-title");
    if (hash.indexOf("doc-") === 0) { target = document.getElementById("doc-" + found[1] + "-title"); }
    if (target) { target.focus(); target.scrollIntoView({ block: hash.indexOf("doc-") === 0 ? "start" : "center" }); }
  }

  function copy(button) {
    var node = button.previousElementSibling;
    var done = function () { shownCount.textContent = "Waiver copied to the clipboard."; button.textContent = "Copied"; };
    var fallback = function () {
      var range = document.createRange();
      range.selectNodeContents(node);
      var selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      var copied = false;
      try { copied = document.execCommand("copy"); } catch (e) { copied = false; }
      if (copied) { done(); } else { shownCount.textContent = "Waiver selected: press Ctrl+C to copy it."; }
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(node.textContent).then(done, fallback);
    } else {
      fallback();
    }
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[href^='#']");
    if (link && link.getAttribute("href") === location.hash) { whenLoaded(followHash); }
    var target = event.target.closest("[data-sort], [data-action], [data-copy]");
    if (!target) { return; }
    if (target.hasAttribute("data-sort")) { sortBy(target); return; }
    if (target.hasAttribute("data-copy")) { copy(target); return; }
    event.preventDefault();
    var action = target.getAttribute("data-action");
    if (action === "first") { whenLoaded(firstFinding); }
    if (action === "next") { step(1); }
    if (action === "previous") { step(-1); }
  });

  document.addEventListener("keydown", function (event) {
    if (!shortcuts.checked || event.ctrlKey || event.metaKey || event.altKey) { return; }
    if (event.target.closest("input, select, textarea, [contenteditable]")) { return; }
    var actions = { f: function () { whenLoaded(firstFinding); }, n: function () { step(1); }, p: function () { step(-1); } };
    if (Object.prototype.hasOwnProperty.call(actions, event.key)) {
      event.preventDefault();
      actions[event.key]();
    }
  });

  [state, category, severity].forEach(function (control) { control.addEventListener("change", applyFilters); });
  path.addEventListener("input", applyFilters);
  document.getElementById("filters").addEventListener("reset", function () { window.setTimeout(applyFilters, 0); });
  document.getElementById("filters").addEventListener("submit", function (event) { event.preventDefault(); });
  window.addEventListener("hashchange", function () { whenLoaded(followHash); });
  document.documentElement.classList.add("scripted");
  // The script runs before the documents' data has arrived, so the overview and table work at once.
  whenLoaded(followHash);
}());
