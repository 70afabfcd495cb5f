// Search-as-you-type boxes (data-live-search) wait for a word typed with an input method (注音,
// 倉頡, 拼音...) to be committed before searching, and leaving the box does not search again.
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
})();
