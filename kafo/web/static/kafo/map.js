// Draws every element with class "kafo-map" from its data-geojson URL.
// Served as a file (no inline script), so a strict Content-Security-Policy holds.
(function () {
  "use strict";

  var palette = ["#1b6ca8", "#3f8f5a", "#c27c0e", "#8e44ad", "#c0392b", "#16a085", "#7f8c8d", "#d35400", "#2c3e50"];

  // Hazards by status: open red, worked on orange, suspended grey, closed green.
  var statusColours = { open: "#c0392b", worked_on: "#e67e22", suspended: "#7f8c8d", closed: "#27ae60" };

  // Gaps: no activity where there is need red, below target orange, on track green.
  var gapColours = { no_presence: "#c0392b", below_target: "#e67e22", on_track: "#27ae60", no_data: "#bdc3c7" };

  // Points: at their place red, generalised to a unit amber, resources offered violet.
  var pointColours = {
    point: { stroke: "#a01818", fill: "#d03030" },
    generalised: { stroke: "#8a5a00", fill: "#e0a030" },
    resource: { stroke: "#4c1d95", fill: "#7c3aed" }
  };

  // From pale (0) to dark red (1): the larger the shortfall or the priority.
  function shadeColour(shade) {
    var t = Math.max(0, Math.min(1, shade));
    return "rgb(" + Math.round(254 - 100 * t) + "," + Math.round(240 - 200 * t) + "," + Math.round(217 - 190 * t) + ")";
  }

  // The one table a legend's keys are read from (see kafo/web/templatetags/maps.py).
  function colourOf(key) {
    if (key.indexOf("shade-") === 0) { return shadeColour(parseFloat(key.slice(6))); }
    if (key.indexOf("palette-") === 0) { return palette[parseInt(key.slice(8), 10) % palette.length]; }
    if (pointColours[key]) { return pointColours[key].fill; }
    return gapColours[key] || statusColours[key] || "#bdc3c7";
  }

  // Leaflet also applies the layer's style to points drawn as circles: their colour
  // comes from here too, so the legend's swatches match them.
  function pointStyle(feature, kind) {
    var index = feature.properties.index;
    if (index !== undefined) {  // one colour per organisation (a joint plan's map)
      var colour = colourOf("palette-" + index);
      return { color: "#334", weight: 1, fillColor: colour, fillOpacity: 0.85 };
    }
    var colours = pointColours[feature.properties.generalised ? "generalised" : (kind || "point")];
    return { color: colours.stroke, weight: 1, fillColor: colours.fill, fillOpacity: 0.8 };
  }

  function styleFor(feature, pointKind) {
    if (feature.geometry && feature.geometry.type === "Point") { return pointStyle(feature, pointKind); }
    var gap = feature.properties.gap;
    if (gap !== undefined) {
      return { color: "#334", weight: 1, fillColor: colourOf(gap || "no_data"), fillOpacity: gap ? 0.6 : 0.3 };
    }
    var shade = feature.properties.shade;
    if (shade !== undefined) {
      return { color: "#334", weight: 1, fillColor: shadeColour(shade), fillOpacity: shade > 0 ? 0.7 : 0.15 };
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

  // A bounded layer (data-bounded) is asked for the part of the map in view: the server
  // answers points one by one where they are few, else one count per admin unit.
  function viewed(element, url) {
    if (element.dataset.bounded === undefined || !element._kafoDrawnOnce) { return url; }
    var map = element._kafoMap;
    var bounds = map.getBounds();
    var bbox = [bounds.getWest(), bounds.getSouth(), bounds.getEast(), bounds.getNorth()].map(function (value) {
      return value.toFixed(4);
    });
    return url + (url.indexOf("?") === -1 ? "?" : "&") + "bbox=" + [
      Math.max(-180, bbox[0]), Math.max(-90, bbox[1]), Math.min(180, bbox[2]), Math.min(90, bbox[3])
    ].join(",") + "&zoom=" + map.getZoom();
  }

  // Counted points grow with their count (10 → 9 px, 10,000 → 18 px).
  function radiusOf(properties) {
    if (!properties.count) { return 5; }
    var count = typeof properties.count === "number" ? properties.count : 1;
    return 6 + 3 * Math.log10(count + 1);
  }

  // Admin outlines are asked no finer than a pixel at the map's zoom (the server sends
  // them as stored past zoom 8): a country view of the communes weighs a fifth.
  var FINEST_SIMPLIFIED_ZOOM = 8;
  function outlineZoom(map) { return Math.min(Math.round(map.getZoom()), FINEST_SIMPLIFIED_ZOOM + 1); }
  function withZoom(url, map) {
    if (url.indexOf("units.geojson") === -1) { return url; }
    return url + (url.indexOf("?") === -1 ? "?" : "&") + "zoom=" + outlineZoom(map);
  }

  function draw(element, url) {
    element.dataset.ready = "0";
    element._kafoUrl = url;
    element._kafoOutlineZoom = outlineZoom(element._kafoMap);
    var asked = withZoom(viewed(element, url), element._kafoMap);
    return fetch(asked, { credentials: "same-origin", headers: { "Accept": "application/geo+json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status + " " + response.statusText); }
        showSizes(element, response.headers.get("X-Kafo-Download-Sizes"));
        return response.json();
      })
      .then(function (collection) {
        if (element._kafoLayer) { element._kafoMap.removeLayer(element._kafoLayer); }
        var layer = L.geoJSON(collection, {
          style: function (feature) { return styleFor(feature, element.dataset.point); },
          pointToLayer: function (feature, latlng) {
            var style = pointStyle(feature, element.dataset.point);
            style.radius = radiusOf(feature.properties);
            var marker = L.circleMarker(latlng, style);
            if (feature.properties.aggregated) {
              marker.bindTooltip(String(feature.properties.count), { permanent: true, direction: "center", className: "point-count" });
            }
            return marker;
          },
          onEachFeature: function (feature, featureLayer) { featureLayer.bindPopup(popupFor(feature)); }
        }).addTo(element._kafoMap);
        element._kafoLayer = layer;
        element.dataset.aggregated = String(layer.getLayers().some(function (item) {
          return Boolean(item.feature && item.feature.properties.aggregated);
        }));
        // Only the first drawing fits the map to the features; later ones follow the user.
        // maxZoom: a single point has no extent (Leaflet would zoom to Infinity); a
        // single hazard's polygon is seen at a closer zoom.
        var only = layer.getLayers().length === 1 ? layer.getLayers()[0] : null;
        var closest = only && only.getBounds ? 13 : 11;
        if (layer.getLayers().length && !element._kafoDrawnOnce) {
          element._kafoFitting = true;
          element._kafoMap.fitBounds(layer.getBounds(), { padding: [8, 8], maxZoom: closest, animate: false });
          element._kafoFitting = false;
        }
        var first = !element._kafoDrawnOnce;
        element._kafoDrawnOnce = true;
        // Counts drawn for the whole map, now framed closer: asked again for this view.
        if (first && element.dataset.bounded !== undefined && element.dataset.aggregated === "true") {
          setTimeout(function () { draw(element, url); }, 0);
        }
        element.dataset.features = String(layer.getLayers().length);
        // The colours drawn, to be checked against the legend's.
        var drawn = {};
        layer.eachLayer(function (item) { if (item.options.fillColor) { drawn[item.options.fillColor] = true; } });
        element.dataset.colours = Object.keys(drawn).sort().join(" ");
        element.dataset.zoom = String(element._kafoMap.getZoom());
        element.dataset.ready = "1";
      })
      .catch(function (error) {
        element.dataset.ready = "error";
        element.setAttribute("title", String(error));
      });
  }

  // A second layer drawn over the first (resources over activities), in violet.
  function overlay(map, url) {
    fetch(url, { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (collection) {
        L.geoJSON(collection, {
          style: function (feature) { return pointStyle(feature, "resource"); },
          pointToLayer: function (feature, latlng) {
            var style = pointStyle(feature, "resource");
            style.radius = 7;
            return L.circleMarker(latlng, style);
          },
          onEachFeature: function (feature, layer) { layer.bindPopup(pointPopup(feature.properties)); }
        }).addTo(map);
      });
  }

  // The admin boundaries under a map of points or polygons that are not units
  // themselves: grey outlines with the units' names, so dots are not drawn on grey.
  function boundaries(map, element) {
    var url = element.dataset.boundaries || document.body.dataset.boundaries;
    if (!url || element.dataset.geojson.indexOf("units.geojson") !== -1) { return; }
    fetch(url, { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (collection) {
        // Names on the map once zoomed in far enough to read them (always for the units
        // around one record, which the map is zoomed on).
        var always = Boolean(element.dataset.boundaries);
        var outlines = L.geoJSON(collection, {
          style: function () { return { color: "#6b7280", weight: 1, fill: false, interactive: false }; },
          onEachFeature: function (feature, layer) {
            layer.bindTooltip(feature.properties.name, { permanent: true, direction: "center", className: "unit-name" });
          }
        }).addTo(map);
        function showNames() {
          element.classList.toggle("names-shown", always || map.getZoom() >= 6);
        }
        map.on("zoomend", showNames);
        showNames();
        outlines.bringToBack();
        element.dataset.boundaries = String(outlines.getLayers().length);
      });
  }

  // Other records around this one (the neighbouring hazards), pale and under it.
  function context(map, element) {
    if (!element.dataset.context) { return; }
    fetch(element.dataset.context, { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (collection) {
        var shown = L.geoJSON(collection, {
          filter: function (feature) { return feature.properties.url !== window.location.pathname; },
          style: function (feature) {
            var style = styleFor(feature);
            style.fillOpacity = 0.12; style.weight = 1; style.dashArray = "4 3";
            return style;
          },
          pointToLayer: function (feature, latlng) {
            return L.circleMarker(latlng, { radius: 4, color: "#6b7280", weight: 1, fillOpacity: 0.3 });
          },
          onEachFeature: function (feature, layer) { layer.bindPopup(popupFor(feature)); }
        }).addTo(map);
        shown.bringToBack();
        element.dataset.contextDrawn = String(shown.getLayers().length);
      });
  }

  // Every map has its downloads: GeoJSON, and a GeoPackage for QGIS.
  // "≈ 1,2 Mo" beside each download link, from the layer's answer (the server's
  // expected size for the records in view's filters).
  function showSizes(element, header) {
    if (!header || !element._kafoDownloads) { return; }
    header.split(";").forEach(function (part) {
      var pair = part.trim().split("=");
      var size = element._kafoDownloads[pair[0]];
      if (!size) { return; }
      size.textContent = " (≈ " + humanSize(Number(pair[1])) + ")";
    });
  }

  function humanSize(bytes) {
    var units = (document.body.dataset.labelSizes || "B kB MB GB").split(" ");
    var unit = 0;
    while (bytes >= 1024 && unit < units.length - 1) { bytes /= 1024; unit += 1; }
    var shown = unit === 0 ? String(Math.round(bytes)) : bytes.toLocaleString(document.documentElement.lang || "fr", { maximumFractionDigits: 1 });
    return shown + "\u00a0" + units[unit];
  }

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
      var size = document.createElement("small");
      size.className = "size";
      link.appendChild(size);
      element._kafoDownloads = element._kafoDownloads || {};
      element._kafoDownloads[item[0]] = size;
      link.className = "button";
      link.setAttribute("download", "");
      box.appendChild(link);
      box.appendChild(document.createTextNode(" "));
    });
    element.insertAdjacentElement("afterend", box);
  }

  // The legend the page declared (data-legend: [[key, label], ...]), coloured from the
  // same table as the features.
  function legend(map, element) {
    if (!element.dataset.legend) { return; }
    var entries = JSON.parse(element.dataset.legend);
    var control = L.control({ position: "bottomright" });
    control.onAdd = function () {
      var box = L.DomUtil.create("div", "kafo-legend");
      entries.forEach(function (entry) {
        var row = document.createElement("div");
        var swatch = document.createElement("span");
        swatch.className = "swatch" + (pointColours[entry[0]] ? " dot" : "");
        swatch.style.background = colourOf(entry[0]);
        swatch.dataset.colour = colourOf(entry[0]);
        row.appendChild(swatch);
        row.appendChild(document.createTextNode(entry[1]));
        box.appendChild(row);
      });
      return box;
    };
    control.addTo(map);
  }

  function init(element) {
    var map = L.map(element, { preferCanvas: true, attributionControl: Boolean(element.dataset.tiles) });
    if (element.dataset.tiles) {
      L.tileLayer(element.dataset.tiles, { maxZoom: 18 }).addTo(map);
    }
    map.setView([17, -4], 5);
    element._kafoMap = map;
    boundaries(map, element);
    context(map, element);
    draw(element, element.dataset.geojson);
    if (element.dataset.bounded !== undefined) {
      // Asked again, for the part in view, once the user stops moving the map.
      var waiting = null;
      map.on("moveend", function () {
        if (element._kafoFitting || !element._kafoDrawnOnce) { return; }
        clearTimeout(waiting);
        waiting = setTimeout(function () { draw(element, element.dataset.geojson); }, 300);
      });
    }
    // Outlines drawn for a coarser view are asked again once zoomed in past a step.
    map.on("zoomend", function () {
      if (element._kafoFitting || !element._kafoDrawnOnce || !element._kafoUrl) { return; }
      if (element._kafoUrl.indexOf("units.geojson") === -1) { return; }
      if (outlineZoom(map) > element._kafoOutlineZoom) { draw(element, element._kafoUrl); }
    });
    if (element.dataset.overlay) { overlay(map, element.dataset.overlay); }
    legend(map, element);
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
