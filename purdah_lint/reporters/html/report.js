
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
  // Audits add selects that keep rows whose data-<attribute> equals the chosen value (owner, content).
  var attributeFilters = Array.prototype.slice.call(document.querySelectorAll("select.attribute-filter"));
  var openDoc = null;
  var current = -1;

  function matches(row, wanted, cat, sev, text) {
    if (text && row.getAttribute("data-path").toLowerCase().indexOf(text) < 0) { return false; }
    var attributesMatch = attributeFilters.every(function (select) {
      return !select.value || row.getAttribute("data-" + select.getAttribute("data-attribute")) === select.value;
    });
    if (!attributesMatch) { return false; }
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
    // An audit lists pages, a check documents: the template names them.
    shownCount.textContent = "Showing " + shown + " of " + rows.length + " " + shownCount.getAttribute("data-noun") + ".";
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

  function unpack(block) {
    // Each document's markup is stored deflated and base64-encoded, a third of its size to load.
    var bytes = Uint8Array.from(atob(block.textContent.trim()), function (c) { return c.charCodeAt(0); });
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate-raw"));
    return new Response(stream).text();
  }

  var building = {};

  function show(index) {
    // Resolves true once document ``index`` is in the reader (built now, or already there).
    if (openDoc === index) { return Promise.resolve(true); }
    var block = document.getElementById("doc-" + index);
    if (!block || block.className !== "document-data") { return Promise.resolve(false); }
    if (!building[index]) {
      building[index] = unpack(block).then(function (markup) {
        delete building[index];
        // The template engine wrote this markup with every piece of document text escaped; parsing
        // it in an inert document builds only this one document, when it is asked for.
        var parsed = new DOMParser().parseFromString(markup, "text/html");
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
      });
    }
    return building[index];
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
    if (openDoc !== null) { goTo(0); return; }
    var row = rows.filter(function (r) { return !r.hidden && r.getAttribute("data-findings") !== ""; })[0];
    if (!row) { return; }
    var index = row.querySelector("a").getAttribute("href").slice(5);
    show(index).then(function (shown) {
      if (!shown) { return; }
      history.replaceState(null, "", "#doc-" + index);
      goTo(0);
    });
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
    if (!found) { return; }
    show(found[1]).then(function (shown) {
      if (!shown || decodeURIComponent(location.hash.slice(1)) !== hash) { return; }  // moved on meanwhile
      var whole = hash.indexOf("doc-") === 0;
      var target = document.getElementById(whole ? "doc-" + found[1] + "-title" : hash);
      if (target) { target.focus(); target.scrollIntoView({ block: whole ? "start" : "center" }); }
    });
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

  [state, category, severity].concat(attributeFilters).forEach(function (control) {
    control.addEventListener("change", applyFilters);
  });
  path.addEventListener("input", applyFilters);
  document.getElementById("filters").addEventListener("reset", function () { window.setTimeout(applyFilters, 0); });
  document.getElementById("filters").addEventListener("submit", function (event) { event.preventDefault(); });
  window.addEventListener("hashchange", function () { whenLoaded(followHash); });
  document.documentElement.classList.add("scripted");
  // The script runs before the documents' data has arrived, so the overview and table work at once.
  whenLoaded(followHash);
}());
