/* The map page: pins from the place list (the list itself works without tiles or JS).
   The base is OpenStreetMap's tiles while they load, else the shipped Natural
   Earth outlines with each pin's place name beside it (offline-base.js). */
(function () {
  "use strict";
  var el = document.getElementById("map");
  if (!el || typeof L === "undefined" || !window.ArchiveMapBase) { return; }
  var base = window.ArchiveMapBase;
  var items = document.querySelectorAll(".place-list li[data-lat]");
  var map = L.map(el, { scrollWheelZoom: false });
  var markers = [];
  base.baseLayer(map, el.dataset.outlines, function () {
    var note = document.querySelector("[data-tile-error]");
    if (note) { note.hidden = false; }
    // No tile shows the names any more: write each pin's place beside it.
    markers.forEach(function (marker) { base.label(marker, marker.options.placeName); });
  });
  var bounds = [];
  items.forEach(function (li) {
    var lat = parseFloat(li.dataset.lat), lon = parseFloat(li.dataset.lon);
    if (isNaN(lat) || isNaN(lon)) { return; }
    // Built with DOM nodes, not HTML strings, so titles stay plain text.
    var popup = document.createElement("div");
    if (li.dataset.thumb) {
      var img = document.createElement("img");
      img.src = li.dataset.thumb; img.alt = ""; img.width = 160;
      popup.appendChild(img);
    }
    var a = document.createElement("a");
    a.href = li.dataset.url; a.textContent = li.dataset.title;
    popup.appendChild(document.createElement("br"));
    popup.appendChild(a);
    if (li.dataset.place) {  // the place read from the GPS (archive/places)
      var place = document.createElement("div");
      place.textContent = li.dataset.place;
      popup.appendChild(place);
    }
    markers.push(L.marker([lat, lon], {
      title: li.dataset.title, placeName: li.dataset.place || li.dataset.placeName || ""
    }).addTo(map).bindPopup(popup));
    bounds.push([lat, lon]);
  });
  if (bounds.length === 1) { map.setView(bounds[0], 15); }
  else if (bounds.length) { map.fitBounds(bounds, { padding: [30, 30], maxZoom: 16 }); }
})();
