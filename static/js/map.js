/* The map page: pins from the place list (the list itself works without tiles or JS). */
(function () {
  "use strict";
  var el = document.getElementById("map");
  if (!el || typeof L === "undefined") { return; }
  var items = document.querySelectorAll(".place-list li[data-lat]");
  var map = L.map(el, { scrollWheelZoom: false });
  var tiles = L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png", {
    maxZoom: 19,
    attribution: '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>'
  }).addTo(map);
  // Offline or blocked tiles: say so once; the pins and the list still work.
  tiles.once("tileerror", function () {
    var note = document.querySelector("[data-tile-error]");
    if (note) { note.hidden = false; }
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
    L.marker([lat, lon], { title: li.dataset.title }).addTo(map).bindPopup(popup);
    bounds.push([lat, lon]);
  });
  if (bounds.length === 1) { map.setView(bounds[0], 15); }
  else if (bounds.length) { map.fitBounds(bounds, { padding: [30, 30], maxZoom: 16 }); }
})();
