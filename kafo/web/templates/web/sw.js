{% load i18n %}// Kafo's service worker (kafo/web/offline.py): the app shell kept at once, the pages a
// reader read kept as the server allows (X-Kafo-Offline), shown read-only with no link.
"use strict";
var VERSION = "{{ version }}";
var SHELL = {{ shell|safe }};
var SHELL_CACHE = "kafo-shell-" + VERSION;
var PAGES = "kafo-pages-";
var KEPT_PAGES = 60;
var reader = null;

self.addEventListener("install", function (event) {
  // Each file on its own: one that fails (a proxy's hiccup) is fetched again when asked,
  // rather than leave the worker uninstalled.
  event.waitUntil(caches.open(SHELL_CACHE).then(function (cache) {
    return Promise.all(SHELL.map(function (url) {
      return cache.add(url).catch(function () { return null; });
    }));
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf("kafo-shell-") === 0 && name !== SHELL_CACHE;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

// The reader of the latest answer; another reader (or none: logged out) empties the
// pages kept for the one before.
function currentReader() {
  if (reader !== null) { return Promise.resolve(reader); }
  return caches.open("kafo-meta").then(function (cache) { return cache.match("/__kafo/reader"); })
    .then(function (hit) { return hit ? hit.text() : ""; })
    .then(function (value) { reader = value; return value; });
}

function setReader(value) {
  return currentReader().then(function (known) {
    if (known === value) { return; }
    reader = value;
    return caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf(PAGES) === 0 && name !== PAGES + value;
      }).map(function (name) { return caches.delete(name); }));
    }).then(function () { return caches.open("kafo-meta"); })
      .then(function (cache) { return cache.put("/__kafo/reader", new Response(value)); });
  });
}

function keep(request, response, who) {
  var headers = new Headers(response.headers);
  headers.set("X-Kafo-Fetched", new Date().toISOString());
  return response.blob().then(function (body) {
    return caches.open(PAGES + who).then(function (cache) {
      return cache.put(request, new Response(body, { status: 200, headers: headers }))
        .then(function () { return cache.keys(); })
        .then(function (kept) {
          return Promise.all(kept.slice(0, Math.max(0, kept.length - KEPT_PAGES)).map(function (old) {
            return cache.delete(old);
          }));
        });
    });
  });
}

function fromNetwork(request) {
  return fetch(request).then(function (response) {
    var who = response.headers.get("X-Kafo-Reader");
    var waited = who === null ? Promise.resolve() : setReader(who);
    return waited.then(function () {
      if (response.ok && who && response.headers.get("X-Kafo-Offline") === "keep") {
        return keep(request, response.clone(), who).then(function () { return response; });
      }
      return response;
    });
  });
}

function withBanner(hit) {
  var fetched = hit.headers.get("X-Kafo-Fetched") || "";
  return hit.text().then(function (html) {
    var lang = (html.match(/<html lang="([^"]+)"/) || [])[1] || "fr";
    var when = fetched ? new Date(fetched).toLocaleString(lang) : "";
    html = html.replace("data-offline-banner hidden", "data-offline-banner")
      .replace("<time data-fetched></time>", '<time data-fetched datetime="' + fetched + '">' + when + "</time>");
    return new Response(html, { status: 200, headers: hit.headers });
  });
}

function fromCopy(request) {
  return currentReader().then(function (who) {
    var found = who ? caches.open(PAGES + who).then(function (cache) {
      return cache.match(request, { ignoreVary: true });
    }) : Promise.resolve(undefined);
    return found.then(function (hit) {
      if (hit) {
        var type = hit.headers.get("Content-Type") || "";
        return type.indexOf("text/html") === 0 ? withBanner(hit) : hit;
      }
      if (request.mode === "navigate") {
        return caches.match("{% url 'offline' %}").then(function (page) {
          return page || new Response("{% translate 'Offline.' %}", { status: 503 });
        });
      }
      return new Response("", { status: 503, statusText: "offline" });
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) { return; }
  if (SHELL.indexOf(url.pathname) !== -1 && url.pathname !== "{% url 'offline' %}") {
    event.respondWith(caches.match(request).then(function (hit) { return hit || fetch(request); }));
    return;
  }
  if (url.pathname === "{% url 'service_worker' %}") { return; }
  event.respondWith(fromNetwork(request).catch(function () { return fromCopy(request); }));
});
