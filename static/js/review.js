/* The review grid of a batch (templates/entries/review.html): rows are saved
   without reloading the page, as one JSON request to the form's data-save-url
   (all rows or none, entries/batch.py). Enter saves the row it was typed in
   (Ctrl+Enter in a description); "apply to ticked rows" fills the bulk values
   into the ticked rows and saves them. Without this file the form posts every
   row as a plain form. The CSRF token is the form's own hidden field. */
(function () {
  "use strict";
  var form = document.querySelector("form.review[data-save-url]");
  if (!form) return;
  var texts = form.dataset;
  var token = form.querySelector("input[name=csrf_token]").value;
  var message = form.querySelector("[data-message]");
  var rows = Array.prototype.slice.call(form.querySelectorAll(".review-row[data-id]"));
  var FIELDS = ["title", "description", "topic_id", "tags", "place_name", "status"];

  function field(row, name) { return row.querySelector("[name='" + name + "-" + row.dataset.id + "']"); }
  function ticked() { return rows.filter(function (row) { return row.querySelector("input[name=selected]").checked; }); }
  function dirty() { return rows.filter(function (row) { return row.hasAttribute("data-dirty"); }); }

  function rowData(row) {
    var data = { id: parseInt(row.dataset.id, 10) };
    FIELDS.forEach(function (name) { data[name] = field(row, name).value; });
    data.topic_id = data.topic_id === "" ? 0 : parseInt(data.topic_id, 10);
    return data;
  }

  function showErrors(row, errors) {
    row.classList.toggle("has-error", !!errors);
    row.querySelectorAll("[data-error-for]").forEach(function (p) {
      var text = errors && errors[p.dataset.errorFor];
      p.textContent = text || "";
      p.hidden = !text;
      var input = field(row, p.dataset.errorFor);
      if (input) { if (text) input.setAttribute("aria-invalid", "true"); else input.removeAttribute("aria-invalid"); }
    });
  }

  function setState(row, text) { row.querySelector("[data-state]").textContent = text; }

  function say(text) { message.textContent = text || ""; message.hidden = !text; }

  function save(toSave) {
    if (!toSave.length) { say(texts.nothingText); return Promise.resolve(); }
    say("");
    toSave.forEach(function (row) { setState(row, texts.savingText); });
    return fetch(form.dataset.saveUrl, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token, "Accept": "application/json" },
      body: JSON.stringify({ rows: toSave.map(rowData) })
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        if (response.ok) {
          (body.rows || []).forEach(function (saved) {
            var row = form.querySelector(".review-row[data-id='" + saved.id + "']");
            field(row, "tags").value = saved.tags.join(", ");
            field(row, "title").value = saved.title;
            row.removeAttribute("data-dirty");
            showErrors(row, null);
            setState(row, texts.savedText);
          });
          return;
        }
        var errors = body.errors || {};
        var first = null;
        toSave.forEach(function (row) {
          var own = errors[row.dataset.id];
          showErrors(row, own || null);
          setState(row, own ? texts.failedText : "");
          if (own && !first) first = field(row, Object.keys(own)[0]) || field(row, "title");
        });
        say(body.message || texts.failedText);
        if (first) first.focus();
      });
    }).catch(function () {
      toSave.forEach(function (row) { setState(row, texts.failedText); });
      say(texts.offlineText);
    });
  }

  function applyBulk() {
    var chosen = ticked();
    var state = form.querySelector("[data-bulk-state]");
    if (!chosen.length) { state.textContent = texts.noneTickedText; return; }
    state.textContent = "";
    var topic = form.bulk_topic_id.value, tags = form.bulk_tags.value.trim();
    var place = form.bulk_place_name.value.trim(), status = form.bulk_status.value;
    chosen.forEach(function (row) {
      if (topic) field(row, "topic_id").value = topic === "0" ? "" : topic;
      if (place) field(row, "place_name").value = place;
      if (status) field(row, "status").value = status;
      if (tags) {
        var own = field(row, "tags");
        own.value = own.value.trim() ? own.value.trim() + ", " + tags : tags;
      }
      row.setAttribute("data-dirty", "");
    });
    save(chosen);
  }

  form.addEventListener("input", function (event) {
    var row = event.target.closest(".review-row");
    if (row && event.target.name !== "selected") { row.setAttribute("data-dirty", ""); setState(row, ""); }
  });
  form.addEventListener("change", function (event) {
    if (event.target.hasAttribute("data-select-all")) {
      rows.forEach(function (row) { row.querySelector("input[name=selected]").checked = event.target.checked; });
    }
  });

  form.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || event.isComposing) return;
    var target = event.target;
    if (target.tagName === "TEXTAREA" && !(event.ctrlKey || event.metaKey)) return;
    if (target.tagName === "BUTTON" || target.type === "checkbox") return;
    event.preventDefault();
    if (target.closest(".review-bulk")) { applyBulk(); return; }
    var row = target.closest(".review-row");
    if (row) { row.setAttribute("data-dirty", ""); save(dirty()); }
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var button = event.submitter;
    if (button && button.name === "apply_bulk") { applyBulk(); return; }
    if (button && button.name === "save_row") {
      var row = button.closest(".review-row");
      row.setAttribute("data-dirty", "");
      save(dirty());
      return;
    }
    save(dirty());
  });
})();
