(function () {
  "use strict";
  var form = document.getElementById("filters");
  if (!form) { return; }
  var fields = {
    cm: document.getElementById("f-cm"),
    team: document.getElementById("f-team"),
    area: document.getElementById("f-area"),
    sev: document.getElementById("f-sev"),
    q: document.getElementById("f-q")
  };
  var shown = document.getElementById("shown");
  var none = document.getElementById("no-match");
  var cases = Array.prototype.map.call(
    document.querySelectorAll("#case-list article.case"),
    function (el) {
      return {
        el: el,
        cm: el.getAttribute("data-cm"),
        team: el.getAttribute("data-team"),
        key: el.getAttribute("data-search"),
        id: el.getAttribute("data-case"),
        items: Array.prototype.map.call(el.querySelectorAll("li.finding"), function (li) {
          return { el: li, area: li.getAttribute("data-area"), sev: li.getAttribute("data-sev") };
        })
      };
    }
  );
  var total = Object.keys(cases.reduce(function (all, c) {
    all[c.id] = true;
    return all;
  }, {})).length;
  function apply() {
    var cm = fields.cm.value, team = fields.team.value, area = fields.area.value;
    var sev = fields.sev.value, q = fields.q.value.trim().toLowerCase();
    var seen = {}, nCases = 0, nFindings = 0;
    cases.forEach(function (c) {
      var ok = (!cm || c.cm === cm) && (!team || c.team === team) &&
        (!q || c.key.indexOf(q) !== -1);
      var n = 0;
      c.items.forEach(function (f) {
        var fok = ok && (!area || f.area === area) && (!sev || f.sev === sev);
        f.el.hidden = !fok;
        if (fok) { n += 1; }
      });
      c.el.hidden = n === 0;
      if (n > 0) {
        nFindings += n;
        if (!seen[c.id]) { seen[c.id] = true; nCases += 1; }
      }
    });
    shown.textContent = "Showing " + nCases + " of " + total + " flagged cases (" +
      nFindings + (nFindings === 1 ? " finding)." : " findings).");
    none.hidden = nCases > 0;
  }
  form.addEventListener("input", apply);
  form.addEventListener("change", apply);
  form.addEventListener("submit", function (e) { e.preventDefault(); apply(); });
  form.addEventListener("reset", function () { window.setTimeout(apply, 0); });
  form.hidden = false;
  apply();
})();
