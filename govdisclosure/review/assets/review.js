// The review page's behaviour: select a cell, show where it was read, decide it.
// Decisions stay in this page until downloaded as a file; nothing is sent anywhere.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("data").textContent);
  var decisions = {};
  var selected = null;
  var VALUE = /^[0-9]+(\.[0-9]+)?$/;
  var DECIDED = { ok: 1, inferred: 1, blank: 1 };

  function $(id) { return document.getElementById(id); }
  function all(selector) { return Array.prototype.slice.call(document.querySelectorAll(selector)); }
  function marks(key) {
    return all("#source .m").filter(function (m) { return m.dataset.k.split(" ").indexOf(key) >= 0; });
  }
  function shown(v) { return v === null ? "empty" : v; }
  function row(dl, name, value) {
    if (value === null || value === undefined || value === "") return;
    var dt = document.createElement("dt"); dt.textContent = name;
    var dd = document.createElement("dd"); dd.textContent = value;
    dl.appendChild(dt); dl.appendChild(dd);
  }

  function detail(key, cell) {
    var box = $("detail");
    box.textContent = "";
    var h = document.createElement("h3");
    h.textContent = cell.row + " × " + cell.column;
    box.appendChild(h);
    var dl = document.createElement("dl");
    row(dl, "key", key);
    row(dl, "status", cell.status);
    row(dl, "value", cell.value === null ? "—" : cell.value);
    row(dl, "raw", cell.raw === null ? "—" : cell.raw);
    row(dl, "unit", cell.unit);
    row(dl, "note", cell.note);
    if (cell.candidates.length) row(dl, "candidates", cell.candidates.map(shown).join(", "));
    row(dl, "reason", cell.reason);
    if (cell.decision) row(dl, "decided", cell.decision.by + ", " + cell.decision.at + ": " + cell.decision.why);
    row(dl, "source", cell.places.length ? (cell.own ? "its span is marked in the source"
      : "its row's printed text is marked: the value is among it") : "not in the text");
    box.appendChild(dl);
    if (cell.findings.length) {
      var ul = document.createElement("ul");
      cell.findings.forEach(function (i) {
        var li = document.querySelector('#findings li[data-f="' + i + '"]');
        var item = document.createElement("li");
        item.textContent = li ? li.textContent : "finding " + i;
        ul.appendChild(item);
      });
      var p = document.createElement("p"); p.textContent = "Findings naming it:";
      box.appendChild(p); box.appendChild(ul);
    }
  }

  function select(key) {
    var cell = data.cells[key];
    if (!cell) return;
    selected = key;
    all("td.sel, li.sel").forEach(function (e) { e.classList.remove("sel"); });
    all("#source .hl, #source .hl-row").forEach(function (e) { e.classList.remove("hl", "hl-row"); });
    var td = document.querySelector('td[data-k="' + key + '"]');
    if (td) td.classList.add("sel");
    var found = marks(key);
    found.forEach(function (m) { m.classList.add(cell.own ? "hl" : "hl-row"); });
    if (found.length) found[0].scrollIntoView({ block: "center" });
    detail(key, cell);
    form(key, cell);
  }

  function form(key, cell) {
    $("decide").hidden = false;
    $("decide-key").textContent = key;
    $("form-error").textContent = "";
    var box = $("candidates");
    box.textContent = "";
    cell.candidates.forEach(function (v) {
      var b = document.createElement("button");
      b.type = "button";
      b.className = "candidate";
      b.textContent = shown(v);
      b.addEventListener("click", function () {
        $("empty").checked = v === null;
        $("value").value = v === null ? "" : v;
      });
      box.appendChild(b);
    });
    var earlier = decisions[key];
    $("value").value = earlier ? (earlier.value || "") : "";
    $("empty").checked = earlier ? earlier.value === null : false;
    $("why").value = earlier ? earlier.why : "";
    $("override-box").hidden = !DECIDED[cell.status];
    $("override").checked = false;
  }

  function record(event) {
    event.preventDefault();
    var cell = data.cells[selected];
    var empty = $("empty").checked;
    var value = $("value").value.trim();
    var who = $("who").value.trim();
    var why = $("why").value.trim();
    var error = "";
    if (!empty && !VALUE.test(value)) error = "value: a count (12) or an amount (3.5), or tick 'the cell is empty'";
    else if (!who) error = "who: your name";
    else if (!why) error = "why: what you saw";
    else if (DECIDED[cell.status] && !$("override").checked) error = "the text decides this cell: tick override to replace it";
    $("form-error").textContent = error;
    if (error) return;
    decisions[selected] = {
      cell: selected, value: empty ? null : value, by: who, at: new Date().toISOString(),
      why: why, raw: cell.raw, span: cell.span, override: $("override").checked
    };
    list();
  }

  function list() {
    var ul = $("decisions");
    ul.textContent = "";
    var keys = Object.keys(decisions);
    keys.forEach(function (key) {
      var d = decisions[key];
      var li = document.createElement("li");
      li.textContent = key + " = " + shown(d.value) + " (" + d.by + ": " + d.why + ") ";
      var x = document.createElement("button");
      x.type = "button"; x.textContent = "remove";
      x.addEventListener("click", function () { delete decisions[key]; list(); });
      li.appendChild(x);
      ul.appendChild(li);
    });
    $("count").textContent = String(keys.length);
    $("download").disabled = keys.length === 0;
  }

  function download() {
    var body = {
      govdisclosure: "decisions", version: 1, report: data.report, sha256: data.sha256,
      decisions: Object.keys(decisions).map(function (k) { return decisions[k]; })
    };
    var blob = new Blob([JSON.stringify(body, null, 1)], { type: "application/json" });
    var a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = data.report.replace(/\.[^.]*$/, "") + ".decisions.json";
    document.body.appendChild(a);
    a.click();
    a.remove();
  }

  function step(by) {
    var cells = all("td.flagged").filter(function (td) { return td.offsetParent !== null; });
    if (!cells.length) return;
    var at = cells.map(function (td) { return td.dataset.k; }).indexOf(selected);
    var next = cells[(at + by + cells.length) % cells.length];
    next.focus();
    select(next.dataset.k);
  }

  function severity() {
    var level = $("severity").value;
    all("#findings li.f").forEach(function (li) {
      var hide = (level === "error" && !li.classList.contains("sev-error")) ||
        (level === "warning" && li.classList.contains("sev-info"));
      li.classList.toggle("hidden", hide);
    });
  }

  all("td.c").forEach(function (td) {
    td.addEventListener("click", function () { select(td.dataset.k); });
    td.addEventListener("keydown", function (e) {
      if (e.key === "Enter" || e.key === " ") { e.preventDefault(); select(td.dataset.k); }
    });
  });
  all("#source .m").forEach(function (m) {
    m.addEventListener("click", function () { select(m.dataset.k.split(" ")[0]); });
  });
  all("#findings li.f").forEach(function (li) {
    function go() { var k = li.dataset.k.split(" ")[0]; if (k) select(k); }
    li.addEventListener("click", go);
    li.addEventListener("keydown", function (e) { if (e.key === "Enter") go(); });
  });
  $("decide").addEventListener("submit", record);
  $("download").addEventListener("click", download);
  $("only-flagged").addEventListener("change", function () {
    document.body.classList.toggle("only-flagged", $("only-flagged").checked);
  });
  $("severity").addEventListener("change", severity);
  document.addEventListener("keydown", function (e) {
    var typing = /^(INPUT|TEXTAREA|SELECT)$/.test(e.target.tagName);
    if (typing || e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.key === "n") step(1);
    else if (e.key === "p") step(-1);
    else if (e.key === "f") { $("only-flagged").click(); }
    else if (e.key === "Escape") {
      selected = null;
      all(".sel, .hl, .hl-row").forEach(function (x) { x.classList.remove("sel", "hl", "hl-row"); });
      $("decide").hidden = true;
    }
  });
})();
