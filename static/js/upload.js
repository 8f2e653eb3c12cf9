/* Upload page: drag and drop onto the file field, and a list of the chosen files.
   Progressive enhancement: without JS the plain multiple-file input still works. */
(function () {
  "use strict";
  var zone = document.querySelector("[data-dropzone]");
  if (!zone) { return; }
  var input = zone.querySelector('input[type="file"]');
  var list = zone.querySelector("[data-file-list]");

  function sizeText(bytes) {
    if (bytes < 1024 * 1024) { return Math.max(1, Math.round(bytes / 1024)) + " KB"; }
    return (bytes / (1024 * 1024)).toFixed(1).replace(".", ",") + " MB";
  }

  function showFiles() {
    list.textContent = "";
    Array.prototype.forEach.call(input.files, function (file) {
      var li = document.createElement("li");
      li.textContent = file.name + " · " + sizeText(file.size);  // textContent: names stay text
      list.appendChild(li);
    });
  }

  input.addEventListener("change", showFiles);
  ["dragenter", "dragover"].forEach(function (type) {
    zone.addEventListener(type, function (event) {
      event.preventDefault();
      zone.classList.add("is-dragging");
    });
  });
  ["dragleave", "drop"].forEach(function (type) {
    zone.addEventListener(type, function (event) {
      event.preventDefault();
      zone.classList.remove("is-dragging");
    });
  });
  zone.addEventListener("drop", function (event) {
    if (!event.dataTransfer || !event.dataTransfer.files.length) { return; }
    try {
      // Add dropped files to those already chosen.
      var transfer = new DataTransfer();
      Array.prototype.forEach.call(input.files, function (f) { transfer.items.add(f); });
      Array.prototype.forEach.call(event.dataTransfer.files, function (f) { transfer.items.add(f); });
      input.files = transfer.files;
    } catch (e) {
      input.files = event.dataTransfer.files;  // older browsers: replace instead of add
    }
    showFiles();
  });
  zone.closest("form").addEventListener("submit", function (event) {
    var button = event.target.querySelector('button[type="submit"]');
    if (button) {
      // A batch of phone photos takes a while: show that it is working, prevent a double post.
      button.disabled = true;
      button.classList.add("is-busy");
      if (button.dataset.busyLabel) { button.textContent = button.dataset.busyLabel; }
    }
  });
})();
