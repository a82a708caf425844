// Draws every element with class "kafo-map" from its data-geojson URL.
// Served as a file (no inline script), so a strict Content-Security-Policy holds.
(function () {
  "use strict";

  var palette = ["#1b6ca8", "#3f8f5a", "#c27c0e", "#8e44ad", "#c0392b", "#16a085", "#7f8c8d", "#d35400", "#2c3e50"];

  // Hazards by status: open red, worked on orange, suspended grey, closed green.
  var statusColours = { open: "#c0392b", worked_on: "#e67e22", suspended: "#7f8c8d", closed: "#27ae60" };

  // Gaps: no activity where there is need red, below target orange, on track green.
  var gapColours = { no_presence: "#c0392b", below_target: "#e67e22", on_track: "#27ae60" };

  function styleFor(feature) {
    var gap = feature.properties.gap;
    if (gap !== undefined) {
      var colour = gapColours[gap] || "#bdc3c7";
      return { color: "#334", weight: 1, fillColor: colour, fillOpacity: gap ? 0.6 : 0.15 };
    }
    var shade = feature.properties.shade;
    if (shade !== undefined) {
      // From pale (0) to dark red (1): the larger the shortfall or the priority.
      var t = Math.max(0, Math.min(1, shade));
      var colour = "rgb(" + Math.round(254 - 100 * t) + "," + Math.round(240 - 200 * t) + "," + Math.round(217 - 190 * t) + ")";
      return { color: "#334", weight: 1, fillColor: colour, fillOpacity: t > 0 ? 0.7 : 0.15 };
    }
    var status = feature.properties.status;
    if (status && statusColours[status]) {
      return { color: statusColours[status], weight: 2, fillColor: statusColours[status], fillOpacity: 0.35 };
    }
    var index = (feature.properties.index || 0) % palette.length;
    return { color: "#334", weight: 1, fillColor: palette[index], fillOpacity: feature.properties.highlight ? 0.15 : 0.45 };
  }

  function pointPopup(p) {
    var box = document.createElement("div");
    if (p.url) {
      var link = document.createElement("a");
      link.href = p.url;
      link.textContent = p.reference;
      box.appendChild(link);
      box.appendChild(document.createTextNode(" · " + p.date + " · " + p.device));
    } else {
      box.textContent = p.name + " (" + p.pcode + ") : " + p.count + " " + p.label;
    }
    if (p.generalised) {
      box.appendChild(document.createElement("br"));
      // The text comes translated from the page (base.html), not from this file.
      box.appendChild(document.createTextNode(document.body.dataset.labelGeneralised || ""));
    }
    return box;
  }

  function popupFor(feature) {
    var p = feature.properties;
    if (p.reference || (feature.geometry && feature.geometry.type === "Point")) { return pointPopup(p); }
    var box = document.createElement("div");
    var link = document.createElement("a");
    link.href = p.url;
    link.textContent = p.name;
    box.appendChild(link);
    box.appendChild(document.createTextNode(" (" + p.pcode + ")"));
    if (p.population_label) {
      box.appendChild(document.createElement("br"));
      box.appendChild(document.createTextNode(p.population_label));
    }
    if (p.summary) {
      box.appendChild(document.createElement("br"));
      box.appendChild(document.createTextNode(p.summary));
    }
    return box;
  }

  function draw(element, url) {
    element.dataset.ready = "0";
    if (element._kafoLayer) { element._kafoMap.removeLayer(element._kafoLayer); }
    return fetch(url, { credentials: "same-origin", headers: { "Accept": "application/geo+json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status + " " + response.statusText); }
        return response.json();
      })
      .then(function (collection) {
        var layer = L.geoJSON(collection, {
          style: styleFor,
          pointToLayer: function (feature, latlng) {
            var p = feature.properties;
            return L.circleMarker(latlng, {
              radius: p.count ? 9 : 5, color: p.generalised ? "#8a5a00" : "#a01818", weight: 1,
              fillColor: p.generalised ? "#e0a030" : "#d03030", fillOpacity: 0.8
            });
          },
          onEachFeature: function (feature, featureLayer) { featureLayer.bindPopup(popupFor(feature)); }
        }).addTo(element._kafoMap);
        element._kafoLayer = layer;
        // maxZoom: a single point has no extent (Leaflet would zoom to Infinity).
        if (layer.getLayers().length) { element._kafoMap.fitBounds(layer.getBounds(), { padding: [8, 8], maxZoom: 11 }); }
        element.dataset.features = String(layer.getLayers().length);
        element.dataset.zoom = String(element._kafoMap.getZoom());
        element.dataset.ready = "1";
      })
      .catch(function (error) {
        element.dataset.ready = "error";
        element.setAttribute("title", String(error));
      });
  }

  // A second layer drawn over the first (resources over activities), in orange.
  function overlay(map, url) {
    fetch(url, { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (collection) {
        L.geoJSON(collection, {
          pointToLayer: function (feature, latlng) {
            return L.circleMarker(latlng, { radius: 7, color: "#8a5a00", weight: 1, fillColor: "#f0a020", fillOpacity: 0.9 });
          },
          onEachFeature: function (feature, layer) { layer.bindPopup(pointPopup(feature.properties)); }
        }).addTo(map);
      });
  }

  // The admin boundaries under a map of points or polygons that are not units
  // themselves: grey outlines with the units' names, so dots are not drawn on grey.
  function boundaries(map, element) {
    var url = document.body.dataset.boundaries;
    if (!url || element.dataset.geojson.indexOf("units.geojson") !== -1) { return; }
    fetch(url, { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (collection) {
        var outlines = L.geoJSON(collection, {
          style: function () { return { color: "#6b7280", weight: 1, fill: false, interactive: false }; },
          onEachFeature: function (feature, layer) {
            layer.bindTooltip(feature.properties.name, { permanent: false, direction: "center" });
          }
        }).addTo(map);
        outlines.bringToBack();
        element.dataset.boundaries = String(outlines.getLayers().length);
      });
  }

  // Every map has its downloads: GeoJSON, and a GeoPackage for QGIS.
  function downloads(element) {
    var labels = document.body.dataset;
    if (!labels.labelGeojson || element.dataset.noDownload !== undefined) { return; }
    var box = document.createElement("p");
    box.className = "map-downloads";
    [["geojson", labels.labelGeojson], ["gpkg", labels.labelGeopackage]].forEach(function (item) {
      var link = document.createElement("a");
      var url = element.dataset.geojson;
      link.href = url + (url.indexOf("?") === -1 ? "?" : "&") + "download=" + item[0];
      link.textContent = item[1];
      link.className = "button";
      link.setAttribute("download", "");
      box.appendChild(link);
      box.appendChild(document.createTextNode(" "));
    });
    element.insertAdjacentElement("afterend", box);
  }

  function init(element) {
    var map = L.map(element, { preferCanvas: true, attributionControl: Boolean(element.dataset.tiles) });
    if (element.dataset.tiles) {
      L.tileLayer(element.dataset.tiles, { maxZoom: 18 }).addTo(map);
    }
    map.setView([17, -4], 5);
    element._kafoMap = map;
    boundaries(map, element);
    draw(element, element.dataset.geojson);
    if (element.dataset.overlay) { overlay(map, element.dataset.overlay); }
    downloads(element);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".kafo-map[data-geojson]").forEach(init);
    document.querySelectorAll("[data-map-level]").forEach(function (button) {
      button.addEventListener("click", function () {
        var element = document.getElementById(button.dataset.mapTarget);
        document.querySelectorAll("[data-map-target='" + button.dataset.mapTarget + "']").forEach(function (b) {
          b.setAttribute("aria-pressed", String(b === button));
        });
        draw(element, element.dataset.geojsonBase + "&level=" + button.dataset.mapLevel);
      });
    });
  });
})();
