// Search-as-you-type boxes (data-live-search) wait for a word typed with an input method (注音,
// 倉頡, 拼音...) to be committed before searching; leaving the box or pressing Enter does not send
// the same search again (nor add it to the history twice), and empty fields stay out of the URL.
(function () {
  "use strict";
  function live(event) {
    return event.target instanceof Element && event.target.matches("[data-live-search]");
  }
  // Capture on the document runs before htmx's listeners on the box and its form.
  document.addEventListener("input", function (event) {
    if (live(event) && event.isComposing) event.stopImmediatePropagation();
  }, true);
  document.addEventListener("compositionend", function (event) {
    if (live(event)) event.target.dispatchEvent(new Event("input", { bubbles: true }));
  }, true);
  document.addEventListener("change", function (event) {
    if (live(event)) event.stopPropagation();   // typing already searched
  }, true);
  // A search form's empty fields stay out of its request, and so out of the address bar.
  document.addEventListener("htmx:configRequest", function (event) {
    var form = event.detail.elt;
    if (!(form instanceof HTMLFormElement) || !form.querySelector("[data-live-search]")) return;
    var data = event.detail.formData;
    Array.from(new Set(data.keys())).forEach(function (key) {
      if (data.getAll(key).every(function (value) { return value === ""; })) data.delete(key);
    });
  });
  // The last search each form sent: the same one again is not sent.
  var sent = new WeakMap();
  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = event.detail.elt;
    if (!(form instanceof HTMLFormElement) || !form.querySelector("[data-live-search]")) return;
    var query = new URLSearchParams(new FormData(form)).toString();
    if (sent.get(form) === query) { event.preventDefault(); return; }
    sent.set(form, query);
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    if (!event.detail.successful) sent.delete(event.detail.elt);   // a failed search may be retried
  });
})();
