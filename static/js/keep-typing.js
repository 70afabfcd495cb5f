// Switching language reloads the page in the other language. What was typed into the page's forms
// (not passwords, not hidden fields) is kept in this tab's sessionStorage for that one reload and
// put back into the same fields, so a half-written problem or bid survives the switch.
(function () {
  "use strict";
  var KEY = "typed-before-language-switch";
  var SKIP = { password: 1, hidden: 1, file: 1, submit: 1, button: 1 };

  function fields() {
    return Array.prototype.filter.call(document.querySelectorAll("main form [name]"), function (el) {
      return el.name !== "csrf_token" && !SKIP[el.type] && !el.disabled;
    });
  }

  function where(el) {
    var forms = Array.prototype.slice.call(document.querySelectorAll("main form"));
    return forms.indexOf(el.form) + ":" + el.name + ":" + (el.type === "checkbox" || el.type === "radio" ? el.value : "");
  }

  var switcher = document.querySelector("form.lang-switch");
  if (switcher) {
    switcher.addEventListener("submit", function () {
      var typed = {};
      fields().forEach(function (el) {
        if (el.type === "checkbox" || el.type === "radio") typed[where(el)] = el.checked;
        else if (el.tagName === "SELECT" && el.multiple) {
          typed[where(el)] = Array.prototype.map.call(el.selectedOptions, function (o) { return o.value; });
        } else typed[where(el)] = el.value;
      });
      // The switch returns to the page the form is on (after a form error, not the URL it answered).
      var back = new URL(switcher.action, location.href).searchParams.get("next") || location.pathname;
      var path = new URL(back, location.href).pathname;
      try { sessionStorage.setItem(KEY, JSON.stringify({ path: path, typed: typed })); } catch (e) { /* off */ }
    });
  }

  var saved = null;
  try { saved = JSON.parse(sessionStorage.getItem(KEY) || "null"); sessionStorage.removeItem(KEY); } catch (e) { return; }
  if (!saved || saved.path !== location.pathname) return;
  fields().forEach(function (el) {
    var value = saved.typed[where(el)];
    if (value === undefined || value === "") return;
    // Never over what was typed since this page loaded (the script may run after a quick hand).
    if (el.type === "checkbox" || el.type === "radio") {
      if (el.checked === el.defaultChecked) el.checked = value;
      return;
    }
    if (el.tagName !== "SELECT" && el.value !== el.defaultValue) return;
    if (el.tagName === "SELECT" && el.multiple) {
      Array.prototype.forEach.call(el.options, function (o) { o.selected = value.indexOf(o.value) >= 0; });
    } else el.value = value;
  });
})();
