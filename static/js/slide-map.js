/* The report's map slide: a pin per photo with its place name, on OpenStreetMap's
   tiles while they load, else on the shipped Natural Earth outlines
   (offline-base.js), so it works in a meeting room and from the offline zip.
   A slide is hidden until shown, so the map is made once its box has a size. */
(function () {
  "use strict";
  if (typeof L === "undefined" || !window.ArchiveMapBase) { return; }
  var base = window.ArchiveMapBase;
  document.querySelectorAll(".slide__map[data-points]").forEach(function (el) {
    var map = null, bounds = [];
    function fit() {
      if (bounds.length === 1) { map.setView(bounds[0], 14); }
      else { map.fitBounds(bounds, { padding: [40, 40], maxZoom: 15 }); }
    }
    function make() {
      var points = JSON.parse(el.dataset.points);
      map = L.map(el, { scrollWheelZoom: false, keyboard: false });
      base.baseLayer(map, el.dataset.outlines);
      bounds = points.map(function (p) {
        var marker = L.circleMarker([p.lat, p.lon], {
          radius: 8, color: "#ffffff", weight: 2, fillColor: "#0f5a7a", fillOpacity: 1
        }).addTo(map);
        base.label(marker, p.place || p.title);
        return [p.lat, p.lon];
      });
      fit();
    }
    // A new size (another window, full screen, a phone turned): all pins in view again.
    new ResizeObserver(function () {
      if (!el.clientWidth || !el.clientHeight) { return; }
      if (map === null) { make(); } else { map.invalidateSize(); fit(); }
    }).observe(el);
  });
})();
