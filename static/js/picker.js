/* The photo picker of a report section (templates/reports/section.html): the
   submit button counts the ticked entries ("Tambahkan yang dipilih (3)") and a
   "select all shown" box appears. Without this file the form still posts the
   ticked entries in one request. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-picker]");
  if (!form) return;
  var button = form.querySelector("[data-pick-submit]");
  var all = form.querySelector("[data-pick-all]");
  if (!button || !all) return;
  var boxes = Array.prototype.slice.call(form.querySelectorAll("input[name=entry_ids]"));
  function update() {
    var count = boxes.filter(function (box) { return box.checked; }).length;
    button.textContent = button.dataset.label + (count ? " (" + count + ")" : "");
    button.disabled = count === 0;
    all.checked = count === boxes.length;
  }
  all.closest("label").hidden = false;
  all.addEventListener("change", function () {
    boxes.forEach(function (box) { box.checked = all.checked; });
    update();
  });
  boxes.forEach(function (box) { box.addEventListener("change", update); });
  update();
})();
