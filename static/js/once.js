// A new-problem form is named once (a hidden "once" field) so that sending it again saves the same
// problem. Back fetches the form anew with a new name while the browser refills what was typed;
// on such a history visit this puts back the name the page had when it was sent.
(function () {
  "use strict";
  var field = document.querySelector("input[data-once]");
  if (!field) return;
  var key = "once:" + location.pathname;
  var visit = (performance.getEntriesByType("navigation")[0] || {}).type;
  var kept = null;
  try { kept = sessionStorage.getItem(key); } catch (e) { return; }
  if (visit === "back_forward" && kept) field.value = kept;
  field.form.addEventListener("submit", function () {
    try { sessionStorage.setItem(key, field.value); } catch (e) { /* storage off: no harm */ }
  });
})();
