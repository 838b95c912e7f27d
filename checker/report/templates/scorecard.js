(function () {
  "use strict";
  var d = document;

  // Printing: browsers will not print the content of a closed <details>, whatever the CSS
  // says, so open them all for the print and close the ones we opened afterwards.
  var opened = [];
  addEventListener("beforeprint", function () {
    d.querySelectorAll("details:not([open])").forEach(function (x) { x.open = true; opened.push(x); });
  });
  addEventListener("afterprint", function () {
    opened.forEach(function (x) { x.open = false; });
    opened = [];
  });

  // Filters. The status switches are radio buttons that CSS alone already honours (so they
  // work with scripts off); unit, category and search need this script, so their controls
  // stay hidden until it runs.
  var extra = d.getElementById("f-extra");
  if (!extra) { return; }
  var unit = d.getElementById("f-unit");
  var group = d.getElementById("f-group");
  var query = d.getElementById("f-q");
  var count = d.getElementById("f-count");
  var none = d.getElementById("f-none");
  var items = Array.prototype.slice.call(d.querySelectorAll("main .items .item"));
  var text = items.map(function (it) { return it.textContent.toLowerCase(); });
  extra.hidden = false;

  function apply() {
    var picked = d.querySelector("input.flt:checked");
    var st = picked ? picked.value : "";
    var u = unit.value, g = group.value, q = query.value.trim().toLowerCase(), shown = 0;
    items.forEach(function (it, n) {
      var ok = (!st || it.classList.contains(st)) &&
        (!u || it.getAttribute("data-unit") === u) &&
        (!g || it.getAttribute("data-group") === g) &&
        (!q || text[n].indexOf(q) >= 0);
      it.classList.toggle("off", !ok);
      if (ok) { shown += 1; }
    });
    d.querySelectorAll("main .items .group").forEach(function (sec) {
      sec.classList.toggle("off", !sec.querySelector(".item:not(.off)"));
    });
    count.textContent = "显示 " + shown + " / " + items.length + " 项";
    none.hidden = shown > 0;
  }

  d.querySelectorAll("input.flt").forEach(function (r) { r.addEventListener("change", apply); });
  unit.addEventListener("change", apply);
  group.addEventListener("change", apply);
  query.addEventListener("input", apply);
  d.getElementById("f-reset").addEventListener("click", function () {
    d.getElementById("f-all").checked = true;
    unit.value = "";
    group.value = "";
    query.value = "";
    apply();
  });
  apply();
})();
