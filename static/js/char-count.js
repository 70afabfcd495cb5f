// Keeps each long text box's character count current (templates/macros/forms.html renders it).
// At the limit the count says that anything longer is cut off, and is read out once.
(function () {
  "use strict";
  function update(count, box) {
    var limit = parseInt(box.getAttribute("maxlength"), 10);
    var full = box.value.length >= limit;
    count.textContent = full ? count.dataset.full
      : count.dataset.text.replace("{count}", box.value.length.toLocaleString("en-US"));
    count.classList.toggle("at-limit", full);
    if (full) count.setAttribute("role", "status"); else count.removeAttribute("role");
  }
  document.querySelectorAll("[data-count-for]").forEach(function (count) {
    var box = document.getElementById(count.dataset.countFor);
    if (!box || !box.getAttribute("maxlength")) return;
    box.addEventListener("input", function () { update(count, box); });
    update(count, box);
  });
})();
