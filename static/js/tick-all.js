// Bulk forms: a box with data-tick-all="NAME" ticks every enabled box named NAME; an element with
// data-ticked="NAME" shows how many are ticked. Both are hidden until this script runs.
(function () {
  "use strict";
  function boxes(name) {
    return Array.prototype.filter.call(document.querySelectorAll('input[type="checkbox"]'), function (box) {
      return box.name === name && !box.disabled;
    });
  }
  function refresh() {
    document.querySelectorAll("[data-tick-all]").forEach(function (all) {
      var list = boxes(all.dataset.tickAll), ticked = list.filter(function (b) { return b.checked; }).length;
      all.checked = list.length > 0 && ticked === list.length;
      all.indeterminate = ticked > 0 && ticked < list.length;
      all.disabled = list.length === 0;
    });
    document.querySelectorAll("[data-ticked]").forEach(function (out) {
      out.textContent = String(boxes(out.dataset.ticked).filter(function (b) { return b.checked; }).length);
    });
    document.querySelectorAll("[data-needs-script]").forEach(function (el) { el.hidden = false; });
  }
  document.addEventListener("change", function (event) {
    var box = event.target;
    if (!(box instanceof HTMLInputElement) || box.type !== "checkbox") return;
    if (box.dataset.tickAll) {
      boxes(box.dataset.tickAll).forEach(function (b) { b.checked = box.checked; });
    }
    refresh();
  });
  document.addEventListener("DOMContentLoaded", refresh);
  document.addEventListener("htmx:afterSettle", refresh);
  window.addEventListener("pageshow", refresh);
})();
