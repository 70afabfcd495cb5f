// A form sent back with errors brings its first marked field into view and focus (a long form on a
// phone would otherwise leave the user at the top, far from what to fix). A field that asked for
// focus itself (autofocus) wins.
(function () {
  "use strict";
  function focusFirstError(root) {
    if (document.querySelector("[autofocus]")) return;
    var field = root.querySelector("form [aria-invalid=true]");
    if (field) field.focus();
  }
  document.addEventListener("DOMContentLoaded", function () { focusFirstError(document); });
  document.addEventListener("htmx:afterSwap", function (event) { focusFirstError(event.detail.target); });
})();
