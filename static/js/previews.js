/* A paper's page preview that cannot be shown (its original is gone, or
   PDFium could not render it after the upload) becomes the generic "PDF" box
   again instead of a broken image: <img data-preview-fallback="paper-icon">
   is replaced by <span class="paper-icon"><span>PDF</span></span>. */
(function () {
  "use strict";

  function fallBack(img) {
    var box = document.createElement("span");
    var label = document.createElement("span");
    box.className = img.getAttribute("data-preview-fallback") || "paper-icon";
    label.textContent = "PDF";
    box.appendChild(label);
    img.replaceWith(box);
  }

  document.addEventListener("error", function (event) {
    var img = event.target;
    if (img.tagName === "IMG" && img.hasAttribute("data-preview-fallback")) {
      fallBack(img);
    }
  }, true);

  // Images that failed before this script ran.
  document.querySelectorAll("img[data-preview-fallback]").forEach(function (img) {
    if (img.complete && img.naturalWidth === 0 && img.getAttribute("loading") !== "lazy") {
      fallBack(img);
    }
  });
})();
