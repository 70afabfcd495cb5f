// A form sent back with errors brings its first marked field into focus, centred with its label
// and message (a long form on a phone would otherwise leave the user at the top, far from what to
// fix). A field that asked for focus itself (autofocus) wins.
(function () {
  "use strict";
  function focusFirstError(root) {
    if (document.querySelector("[autofocus]")) return;
    var field = root.querySelector("form [aria-invalid=true]");
    if (!field) return;
    field.focus({ preventScroll: true });
    (field.closest(".field") || field).scrollIntoView({ block: "center" });
  }
  document.addEventListener("DOMContentLoaded", function () { focusFirstError(document); });
  document.addEventListener("htmx:afterSwap", function (event) { focusFirstError(event.detail.target); });
})();
