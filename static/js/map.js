/* The map page: pins from the place list (the list itself works without tiles or JS).

   OpenStreetMap tiles are the base map while they can be reached. When a tile
   fails (offline, in a meeting room, or the tile server blocked) the map
   switches once to a base map drawn here from shipped vector data: Natural
   Earth's country outlines (static/vendor/world-atlas, public domain) through
   topojson-client, as SVG paths, with each pin's place name written beside it.
   Both vendored files are named in README.md. */
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
  var markers = [];

  // A ring that crosses 180° (Fiji, Chukotka) would be drawn across the whole
  // world; its western points are moved east of 180° instead.
  function unwrapAntimeridian(feature) {
    var geometry = feature.geometry;
    if (!geometry) { return; }
    var polygons = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates;
    polygons.forEach(function (polygon) {
      polygon.forEach(function (ring) {
        var east = ring.some(function (p) { return p[0] > 170; });
        var west = ring.some(function (p) { return p[0] < -170; });
        if (east && west) { ring.forEach(function (p) { if (p[0] < 0) { p[0] += 360; } }); }
      });
    });
  }

  function useVectorBase() {
    map.removeLayer(tiles);
    el.classList.add("map--offline");
    var note = document.querySelector("[data-tile-error]");
    if (note) { note.hidden = false; }
    markers.forEach(function (marker) {  // the place names, since no tile shows them
      if (marker.options.placeName) {
        var label = document.createElement("span");  // text, never HTML
        label.textContent = marker.options.placeName;
        marker.bindTooltip(label, { permanent: true, direction: "right", className: "map-place-label" });
      }
    });
    if (!el.dataset.outlines || typeof topojson === "undefined") { return; }
    fetch(el.dataset.outlines, { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (world) {
        var land = topojson.feature(world, world.objects.countries);
        // Antarctica's outline runs along the projection's edge as a stray line.
        land.features = land.features.filter(function (f) { return f.properties.name !== "Antarctica"; });
        land.features.forEach(unwrapAntimeridian);
        L.geoJSON(land, {
          interactive: false,
          style: { color: "#7d8f86", weight: 1, fillColor: "#eef0e6", fillOpacity: 1 }
        }).addTo(map).bringToBack();
        map.attributionControl.addAttribution("Natural Earth");
        el.setAttribute("data-base", "vector");
      });
  }
  tiles.once("tileerror", useVectorBase);

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
    var marker = L.marker([lat, lon], {
      title: li.dataset.title, placeName: li.dataset.place || li.dataset.placeName || ""
    }).addTo(map).bindPopup(popup);
    markers.push(marker);
    bounds.push([lat, lon]);
  });
  if (bounds.length === 1) { map.setView(bounds[0], 15); }
  else if (bounds.length) { map.fitBounds(bounds, { padding: [30, 30], maxZoom: 16 }); }
})();
