/* Service worker of the upload page (scope /entri/unggah): the page and the
   files it needs are kept, so that a camat without signal can open it, pick
   photos and leave them in the queue (IndexedDB, upload-queue.js). Uploads
   themselves (tus, the CSRF token) are never touched here: they go to the
   network, and the page retries them when the connection returns. */
"use strict";
var CACHE = "arsip-unggah-v1";
var PAGE = "/entri/unggah";
var ASSETS = [
  PAGE,
  "/static/css/app.css",
  "/static/js/forms.js",
  "/static/js/upload.js",
  "/static/js/upload-queue.js",
  "/static/js/upload-tus.js",
  "/static/js/upload-app.js",
  "/static/vendor/tus-js-client/tus.min.js",
  "/static/icons/app-192.png"
];

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    return cache.addAll(ASSETS.map(function (url) {
      return new Request(url, { credentials: "same-origin", cache: "reload" });
    }));
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) { return name !== CACHE; })
      .map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

function isPage(request, url) {
  return request.mode === "navigate" && url.pathname === PAGE;
}

/* The page: from the network when there is one (fresh CSRF token, trips,
   topics), kept for next time; from the cache without signal. */
function pageFirstFromNetwork(request) {
  return fetch(request).then(function (response) {
    if (response.ok && !response.redirected) {
      var copy = response.clone();
      caches.open(CACHE).then(function (cache) { cache.put(PAGE, copy); });
    }
    return response;
  }).catch(function () {
    return caches.match(PAGE).then(function (cached) { return cached || Response.error(); });
  });
}

/* Scripts, styles, icons: the cached copy at once, refreshed behind it. */
function assetFromCache(request) {
  return caches.open(CACHE).then(function (cache) {
    return cache.match(request).then(function (cached) {
      var fresh = fetch(request).then(function (response) {
        if (response.ok) { cache.put(request, response.clone()); }
        return response;
      });
      if (cached) { fresh.catch(function () {}); return cached; }
      return fresh;
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (isPage(request, url)) {
    event.respondWith(pageFirstFromNetwork(request));
  } else if (url.pathname.indexOf("/static/") === 0) {
    event.respondWith(assetFromCache(request));
  }
});
