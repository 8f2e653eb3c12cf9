/* Drag-and-drop ordering in the report builder, as an enhancement over the
   up/down buttons: on drop it posts the new order (comma-separated ids) to the
   list's data-order-url. A file, not an inline script, for the
   Content-Security-Policy (archive/security.py). */
(function () {
  function order(list) {
    return Array.prototype.map.call(list.querySelectorAll(":scope > li[data-id]"),
                                    function (li) { return li.dataset.id; }).join(",");
  }
  // The CSRF token comes from the script tag (templates/reports/_sortable.html).
  var token = document.currentScript.getAttribute("data-csrf-token");
  document.querySelectorAll("[data-order-url]").forEach(function (list) {
    var dragged = null;
    var saved = order(list);
    list.querySelectorAll(":scope > li[data-id]").forEach(function (li) {
      // The whole item drags (a bigger target on touchpads), except from its
      // form fields and buttons, where the pointer selects text or clicks.
      var fromField = false;
      li.draggable = true;
      li.addEventListener("mousedown", function (e) {
        fromField = !!e.target.closest("textarea, input, select, button, a, summary");
        li.draggable = !fromField;
      });
      li.addEventListener("dragstart", function (e) {
        if (fromField) { e.preventDefault(); return; }
        dragged = li; li.classList.add("dragging");
        e.dataTransfer.effectAllowed = "move"; e.dataTransfer.setData("text/plain", li.dataset.id);
      });
      li.addEventListener("dragend", function () {
        li.classList.remove("dragging"); li.draggable = true;
        // Dropped outside the list: put the items back as the server has them.
        if (dragged !== null && order(list) !== saved) window.location.reload();
        dragged = null;
      });
    });
    // dragover on the list, not the items: once the dragged item sits under the
    // pointer, the drop must still be allowed there.
    list.addEventListener("dragover", function (e) {
      if (!dragged) return;
      e.preventDefault();
      var li = e.target.closest && e.target.closest("li[data-id]");
      if (!li || li === dragged || li.parentNode !== list) return;
      var box = li.getBoundingClientRect();
      list.insertBefore(dragged, e.clientY > box.top + box.height / 2 ? li.nextSibling : li);
    });
    list.addEventListener("drop", function (e) {
      if (!dragged) return;
      e.preventDefault();
      dragged = null;
      var ids = order(list);
      if (ids === saved) return;
      var form = document.createElement("form");
      form.method = "post"; form.action = list.dataset.orderUrl;
      [["csrf_token", token], ["order", ids]].forEach(function (pair) {
        var input = document.createElement("input");
        input.type = "hidden"; input.name = pair[0]; input.value = pair[1]; form.appendChild(input);
      });
      document.body.appendChild(form); form.submit();
    });
  });
})();
