/* The upload page as an installable web app: register its service worker
   (static/js/upload-sw.js, served from /entri/sw.js so that it may control
   /entri/unggah), which keeps the page and its scripts for use without signal. */
(function () {
  "use strict";
  var strings = document.querySelector("[data-upload-strings]");
  if (!strings || !("serviceWorker" in navigator)) { return; }
  navigator.serviceWorker.register(strings.dataset.swUrl, { scope: strings.dataset.swScope })
    .catch(function () { /* without it the page works, only not offline */ });
})();
