// The proposal table's Fit and Why columns follow the team chosen in a row's dropdown (data-fit-for).
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var select = event.target;
    if (!(select instanceof HTMLSelectElement) || !select.hasAttribute("data-fit-for")) return;
    var option = select.selectedOptions[0], row = select.getAttribute("data-fit-for");
    var fit = document.getElementById("fit-" + row), rank = document.getElementById("rank-" + row);
    if (option && fit) fit.textContent = option.dataset.fit;
    if (option && rank) rank.textContent = option.dataset.rank;
    document.querySelectorAll('[data-why-for="' + row + '"]').forEach(function (why) {
      why.hidden = !option || why.dataset.team !== option.value;
    });
  });
})();
