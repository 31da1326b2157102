// Lists of checkboxes (core/widgets.py Checklist): a box filters the options as one types and
// the count of matches is announced; an option can follow a select of the form (the lead
// organisation is not offered as a co-submitter). Without JavaScript every checkbox is there.
(function () {
  "use strict";

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();
  }

  function setUp(list) {
    var box = list.querySelector(".checklist-filter");
    var input = box ? box.querySelector("input[type=search]") : null;
    var count = box ? box.querySelector(".checklist-count") : null;
    var rows = Array.prototype.slice.call(list.querySelectorAll(".checklist-option"));
    var words = rows.map(function (row) { return fold(row.textContent); });
    var select = list.dataset.excludeFrom ? document.getElementById(list.dataset.excludeFrom) : null;

    function apply(announce) {
      var query = input ? fold(input.value) : "";
      var shown = 0, total = 0;
      rows.forEach(function (row, i) {
        var excluded = row.hasAttribute("data-excluded");
        var match = !query || words[i].indexOf(query) !== -1;
        row.hidden = excluded || !match;
        if (!excluded) { total += 1; if (match) { shown += 1; } }
      });
      if (count && announce) {
        count.textContent = shown === 0 && query ? input.dataset.noneText
          : input.dataset.countText.replace("%(shown)s", shown).replace("%(total)s", total);
      }
    }

    if (select) {
      select.addEventListener("change", function () {
        rows.forEach(function (row) {
          var checkbox = row.querySelector("input[type=checkbox]");
          var excluded = checkbox.value === select.value;
          row.toggleAttribute("data-excluded", excluded);
          checkbox.disabled = excluded;
          if (excluded) { checkbox.checked = false; }
        });
        apply(false);
      });
    }
    if (input) {
      box.hidden = false;
      input.addEventListener("input", function () { apply(true); });
      // Enter in the filter box filters; it does not send the form.
      input.addEventListener("keydown", function (event) {
        if (event.key === "Enter") { event.preventDefault(); }
      });
    }
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-checklist]"), setUp);
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); }
  else { start(); }
})();
