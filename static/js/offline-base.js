/* The base map drawn without the internet: Natural Earth's country outlines
   (static/vendor/world-atlas/countries-10m.js, public domain, which sets
   window.NATURAL_EARTH_COUNTRIES) turned into GeoJSON by topojson-client and
   drawn by Leaflet as SVG paths. Used by the map page (map.js) and the report's
   map slide (slide-map.js), on the site and from the offline zip (file://),
   which is why the data is a script and not fetched JSON. */
(function () {
  "use strict";

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

  function outlines() {
    var world = window.NATURAL_EARTH_COUNTRIES;
    var land = topojson.feature(world, world.objects.countries);
    // Antarctica's outline runs along the projection's edge as a stray line.
    land.features = land.features.filter(function (f) { return f.properties.name !== "Antarctica"; });
    land.features.forEach(unwrapAntimeridian);
    return land;
  }

  function loadData(url, done) {
    if (window.NATURAL_EARTH_COUNTRIES) { done(); return; }
    var script = document.createElement("script");
    script.src = url;
    script.onload = done;
    document.head.appendChild(script);
  }

  /* Replace ``tiles`` on ``map`` by the outlines from ``url``; ``done()`` once drawn. */
  function useVectorBase(map, tiles, url, done) {
    map.removeLayer(tiles);
    map.getContainer().classList.add("map--offline");
    if (!url || typeof topojson === "undefined") { return; }
    loadData(url, function () {
      L.geoJSON(outlines(), {
        interactive: false,
        style: { color: "#7d8f86", weight: 1, fillColor: "#eef0e6", fillOpacity: 1 }
      }).addTo(map).bringToBack();
      map.attributionControl.addAttribution("Natural Earth");
      map.getContainer().setAttribute("data-base", "vector");
      if (done) { done(); }
    });
  }

  /* A permanent label beside a marker, as text (never HTML). */
  function label(marker, text) {
    if (!text) { return; }
    var span = document.createElement("span");
    span.textContent = text;
    marker.bindTooltip(span, { permanent: true, direction: "right", className: "map-place-label" });
  }

  /* OpenStreetMap tiles while they load; the outlines from ``url`` after the first failure. */
  function baseLayer(map, url, onOffline) {
    var tiles = L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png", {
      maxZoom: 19,
      attribution: '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>'
    }).addTo(map);
    tiles.once("tileerror", function () {
      if (onOffline) { onOffline(); }
      useVectorBase(map, tiles, url);
    });
    return tiles;
  }

  window.ArchiveMapBase = { baseLayer: baseLayer, label: label };
})();
