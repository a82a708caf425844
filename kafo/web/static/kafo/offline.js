// Kafo with no link: registers the service worker (/sw.js), and keeps the forms of the
// field (form[data-outbox]) in an outbox in IndexedDB, each with a UUID made here, sent
// when the link returns. The server makes one record per UUID (kafo/security/outbox.py).
(function () {
  "use strict";
  var DB = "kafo-outbox";
  var STORE = "items";
  var KEPT_SENT = 20;
  var box = null;

  function database() {
    return new Promise(function (resolve, reject) {
      var opening = indexedDB.open(DB, 1);
      opening.onupgradeneeded = function () { opening.result.createObjectStore(STORE, { keyPath: "uuid" }); };
      opening.onsuccess = function () { resolve(opening.result); };
      opening.onerror = function () { reject(opening.error); };
    });
  }

  function store(mode, work) {
    return database().then(function (db) {
      return new Promise(function (resolve, reject) {
        var transaction = db.transaction(STORE, mode);
        var result = work(transaction.objectStore(STORE));
        transaction.oncomplete = function () { db.close(); resolve(result && result.result); };
        transaction.onerror = function () { db.close(); reject(transaction.error); };
      });
    });
  }

  function items() {
    return store("readonly", function (s) { return s.getAll(); }).then(function (all) {
      return (all || []).sort(function (a, b) { return a.created < b.created ? -1 : 1; });
    });
  }
  function put(item) { return store("readwrite", function (s) { return s.put(item); }); }
  function remove(uuid) { return store("readwrite", function (s) { return s.delete(uuid); }); }

  function newUuid() {
    if (self.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64;
    b[8] = (b[8] & 63) | 128;
    var hex = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
  }

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  // One form to the server: "sent", "refused", "stale" or "waiting" (no link, no session).
  function send(item) {
    var body = new URLSearchParams();
    item.fields.forEach(function (field) {
      if (field[0] !== "csrfmiddlewaretoken" && field[0] !== "client_uuid") { body.append(field[0], field[1]); }
    });
    body.append("client_uuid", item.uuid);
    body.append("csrfmiddlewaretoken", csrfToken());
    return fetch(item.url, {
      method: "POST", body: body, credentials: "same-origin", redirect: "manual",
      headers: { "X-Kafo-Outbox": "1", "X-CSRFToken": csrfToken(), "Accept": "application/json" }
    }).then(function (response) {
      var json = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
      if (!json) { return "waiting"; }  // logged out, or a proxy's page: tried again later
      return response.json().then(function (answer) {
        if (response.status === 200) {
          item.status = "sent"; item.sent = new Date().toISOString(); item.result = answer.url || "";
          item.duplicate = answer.status === "duplicate";
        } else if (response.status === 409) {
          item.status = "stale"; item.result = answer.url || "";
        } else if (response.status === 400) {
          item.status = "refused"; item.errors = answer.errors || [];
        } else { return "waiting"; }
        return put(item).then(function () { return item.status; });
      });
    }).catch(function () { return "waiting"; });
  }

  var flushing = null;
  function flush() {
    if (flushing) { return flushing; }
    flushing = items().then(function (all) {
      var waiting = all.filter(function (item) { return item.status === "waiting"; });
      return waiting.reduce(function (done, item) {
        return done.then(function () { return send(item); });
      }, Promise.resolve());
    }).then(trim).then(show).then(function () { flushing = null; }, function () { flushing = null; });
    return flushing;
  }

  function trim() {
    return items().then(function (all) {
      var sent = all.filter(function (item) { return item.status === "sent"; });
      return Promise.all(sent.slice(0, Math.max(0, sent.length - KEPT_SENT)).map(function (item) {
        return remove(item.uuid);
      }));
    });
  }

  function text(name, count) {
    return (box.dataset[name] || "").replace("%(count)s", String(count));
  }

  function show() {
    if (!box) { return Promise.resolve(); }
    return items().then(function (all) {
      var waiting = all.filter(function (item) { return item.status === "waiting"; }).length;
      box.hidden = all.length === 0;
      box.dataset.waiting = String(waiting);
      if (waiting) { box.open = true; }  // what waits is seen, with its buttons
      box.querySelector("[data-outbox-count]").textContent = text("labelWaiting", waiting);
      var list = box.querySelector("[data-outbox-items]");
      list.textContent = "";
      all.slice().reverse().forEach(function (item) {
        var row = document.createElement("li");
        row.dataset.status = item.status;
        var when = new Date(item.sent || item.created).toLocaleString(document.documentElement.lang || "fr");
        row.appendChild(document.createTextNode(item.kind + " · " + text("labelStatus" + item.status.charAt(0).toUpperCase() + item.status.slice(1), 0) + " " + when));
        if (item.status === "stale" && item.result) {
          var merge = document.createElement("button");
          merge.type = "button";
          merge.textContent = box.dataset.labelMerge || "Merge";
          merge.addEventListener("click", function () { openMerge(item); });
          row.appendChild(document.createTextNode(" "));
          row.appendChild(merge);
        } else if (item.result) {
          var link = document.createElement("a");
          link.href = item.result;
          link.textContent = " →";
          row.appendChild(link);
        }
        (item.errors || []).forEach(function (error) {
          row.appendChild(document.createElement("br"));
          row.appendChild(document.createTextNode(error));
        });
        list.appendChild(row);
      });
    });
  }

  // A correction made on an older version: its values go to the merge page, which
  // shows them beside what was saved meanwhile (and takes over from the outbox).
  function openMerge(item) {
    var form = document.createElement("form");
    form.method = "post";
    form.action = item.result;
    var based = (item.base || []).map(function (field) { return ["base__" + field[0], field[1]]; });
    item.fields.concat(based, [["csrfmiddlewaretoken", csrfToken()]]).forEach(function (field) {
      if (field[0] === "client_uuid" || (field[0] === "csrfmiddlewaretoken" && field[1] !== csrfToken())) { return; }
      var input = document.createElement("input");
      input.type = "hidden";
      input.name = field[0];
      input.value = field[1];
      form.appendChild(input);
    });
    document.body.appendChild(form);
    remove(item.uuid).then(function () { form.submit(); });
  }

  // The values the form was opened with, as the server wrote them: the merge page
  // keeps what was saved meanwhile in the fields the user did not touch.
  function opened(form) {
    var base = [];
    Array.prototype.forEach.call(form.elements, function (element) {
      var name = element.name;
      if (!name || ["csrfmiddlewaretoken", "client_uuid", "version"].indexOf(name) !== -1) { return; }
      if (element.type === "checkbox" || element.type === "radio") {
        if (element.defaultChecked) { base.push([name, element.value]); }
      } else if (element.tagName === "SELECT") {
        Array.prototype.forEach.call(element.options, function (option) {
          if (option.defaultSelected) { base.push([name, option.value]); }
        });
      } else if (["submit", "button", "file"].indexOf(element.type) === -1) {
        base.push([name, element.defaultValue]);
      }
    });
    return base;
  }

  function capture(event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-outbox]")) { return; }
    event.preventDefault();
    var action = new URL(form.action || location.href, location.href);
    var item = {
      uuid: newUuid(), kind: form.dataset.outbox, url: action.pathname + action.search,
      fields: Array.from(new FormData(form).entries()).filter(function (field) {
        return typeof field[1] === "string";
      }),
      base: opened(form), page: location.pathname, created: new Date().toISOString(),
      status: "waiting"
    };
    put(item).then(function () { return send(item); }).then(function (status) {
      if (status === "sent") {
        location.href = item.result || location.href;
      } else if (status === "refused") {
        // With a link, the form's own page says what to correct.
        remove(item.uuid).then(function () { form.removeAttribute("data-outbox"); form.submit(); });
      } else {
        form.reset();
        var uuidField = form.querySelector("input[name=client_uuid]");
        if (uuidField) { uuidField.value = newUuid(); }
        show().then(function () {
          var notice = box && box.querySelector("[data-outbox-notice]");
          if (notice) { notice.hidden = false; notice.textContent = text("labelKept", 0); }
        });
      }
    });
  }

  // The file to carry when there is no link for days: the forms waiting, as JSON.
  function exportFile() {
    items().then(function (all) {
      var waiting = all.filter(function (item) { return item.status === "waiting"; });
      var file = { format: "kafo-outbox", version: 1, exported: new Date().toISOString(),
                   user: box.dataset.user || "", items: waiting };
      var link = document.createElement("a");
      link.href = URL.createObjectURL(new Blob([JSON.stringify(file, null, 1)], { type: "application/json" }));
      link.download = "kafo-outbox-" + file.exported.slice(0, 10) + ".json";
      document.body.appendChild(link);
      link.click();
      link.remove();
    });
  }

  // Logging out empties the device: the forms waiting are sent first, or dropped only
  // after an explicit warning.
  function beforeLogout(event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-logout]") || form.dataset.checked) { return; }
    event.preventDefault();
    flush().then(items).then(function (all) {
      var waiting = all.filter(function (item) { return item.status === "waiting"; }).length;
      if (waiting && !window.confirm(text("labelLogout", waiting))) { return; }
      var emptied = [new Promise(function (resolve) {
        var deleting = indexedDB.deleteDatabase(DB);
        deleting.onsuccess = deleting.onerror = deleting.onblocked = function () { resolve(); };
      })];
      if (self.caches) {
        emptied.push(caches.keys().then(function (names) {
          return Promise.all(names.map(function (name) { return caches.delete(name); }));
        }));
      }
      Promise.all(emptied).then(function () { form.dataset.checked = "1"; form.submit(); });
    });
  }

  document.addEventListener("submit", capture, true);
  document.addEventListener("submit", beforeLogout, true);
  document.addEventListener("DOMContentLoaded", function () {
    box = document.getElementById("outbox");
    if (box) {
      box.querySelector("[data-outbox-send]").addEventListener("click", flush);
      box.querySelector("[data-outbox-export]").addEventListener("click", exportFile);
    }
    if (!("indexedDB" in self)) { return; }
    show();
    if (navigator.onLine) { flush(); }
    window.addEventListener("online", flush);
    setInterval(function () { if (navigator.onLine) { flush(); } }, 30000);
    var worker = document.body.dataset.serviceWorker;
    if (worker && "serviceWorker" in navigator) {
      navigator.serviceWorker.register(worker).then(function () {
        if (navigator.storage && navigator.storage.persist) { navigator.storage.persist(); }
        return navigator.serviceWorker.ready;
      }).then(function () {
        var ready = function () { document.documentElement.dataset.offlineReady = "1"; };
        if (navigator.serviceWorker.controller) { ready(); }
        navigator.serviceWorker.addEventListener("controllerchange", ready);
        // (a worker that claimed the page between the two lines above: seen a moment later)
        setTimeout(function () { if (navigator.serviceWorker.controller) { ready(); } }, 2000);
      });
    }
  });
})();
