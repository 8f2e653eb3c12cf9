/* Upload page, with JavaScript: every chosen file goes into the queue
   (upload-queue.js, IndexedDB) and up through a resumable tus upload
   (vendor/tus-js-client), one after the other, each with its progress bar,
   pause / resume, and its added / duplicate / failed line at the end. Without
   signal the files wait (also across a closed page) and go when it returns.
   Without JavaScript, or without IndexedDB, the plain form posts as before. */
(function () {
  "use strict";
  var root = document.querySelector("[data-tus-endpoint]");
  var strings = document.querySelector("[data-upload-strings]");
  if (!root || !strings || !window.tus || !tus.isSupported || !window.UploadQueue.supported) { return; }
  var form = root.closest("form");
  var input = form.querySelector('input[type="file"]');
  var list = document.querySelector("[data-queue]");
  var summary = document.querySelector("[data-queue-summary]");
  var t = strings.dataset;
  var items = [];          // { record, phase, upload, sent, message }
  var busy = null;         // the item going up now
  var token = null;        // a fresh CSRF token for the tus requests
  var RETRY_MS = 5000;

  function isOffline() { return navigator.onLine === false; }

  function sizeText(bytes) {
    if (bytes < 1024 * 1024) { return Math.max(1, Math.round(bytes / 1024)) + " KB"; }
    return (bytes / (1024 * 1024)).toFixed(1).replace(".", ",") + " MB";
  }

  function fields() {
    var data = new FormData(form);
    var status = form.querySelector('input[name="status"]:checked');
    return {
      trip: String(data.get("trip") || ""), topic: String(data.get("topic") || ""),
      tags: String(data.get("tags") || ""), place: String(data.get("place_name") || ""),
      description: String(data.get("description") || ""), status: status ? status.value : "draft"
    };
  }

  /* ---- drawing ---------------------------------------------------------- */

  function button(label, action) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "button button-small";
    b.textContent = label;
    b.dataset.action = action;
    return b;
  }

  function draw(item) {
    var record = item.record;
    var li = item.li;
    if (!li) {
      li = item.li = document.createElement("li");
      li.className = "queue-item";
      li.innerHTML = '<span class="queue-name"></span> <span class="queue-size muted"></span>' +
        '<span class="queue-state"></span><progress max="100" value="0"></progress>' +
        '<span class="queue-message"></span><span class="queue-actions"></span>';
      li.querySelector(".queue-name").textContent = record.name;
      li.querySelector(".queue-size").textContent = sizeText(record.size);
      list.appendChild(li);
    }
    var phase = record.result ? record.result.status : item.phase;
    li.dataset.phase = phase;
    li.dataset.sent = String(item.sent || 0);
    li.querySelector(".queue-state").textContent = t["state" + phase.charAt(0).toUpperCase() + phase.slice(1)] || phase;
    var bar = li.querySelector("progress");
    bar.value = record.result ? 100 : Math.floor(100 * (item.sent || 0) / Math.max(1, record.size));
    bar.hidden = !!record.result && record.result.status === "failed";
    var message = li.querySelector(".queue-message");
    message.textContent = record.result ? record.result.message : (item.message || "");
    if (record.result && record.result.entry_url) {
      var link = document.createElement("a");
      link.href = record.result.entry_url;
      link.textContent = t.openEntry;
      message.appendChild(document.createTextNode(" "));
      message.appendChild(link);
    }
    var actions = li.querySelector(".queue-actions");
    actions.textContent = "";
    if (!record.result) {
      if (phase === "paused") { actions.appendChild(button(t.resume, "resume")); }
      else { actions.appendChild(button(t.pause, "pause")); }
      actions.appendChild(button(t.remove, "remove"));
    }
  }

  function drawSummary() {
    var done = items.filter(function (i) { return i.record.result; });
    summary.textContent = "";
    summary.hidden = items.length === 0;
    if (!items.length) { return; }
    var line = document.createElement("p");
    line.textContent = t.summary.replace("{done}", done.length).replace("{total}", items.length);
    summary.appendChild(line);
    if (done.length !== items.length) { return; }
    var ids = done.map(function (i) { return i.record.result.entry_id; }).filter(Boolean);
    if (ids.length) {
      var review = document.createElement("a");
      review.className = "button button-primary";
      review.href = root.dataset.reviewUrl + "?ids=" + ids.join(",");
      review.textContent = t.review;
      summary.appendChild(review);
    }
    var clear = button(t.clear, "clear");
    summary.appendChild(document.createTextNode(" "));
    summary.appendChild(clear);
  }

  function redraw(item) { draw(item); drawSummary(); }

  /* ---- uploading ------------------------------------------------------- */

  function freshToken() {
    return fetch(root.dataset.tokenUrl, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (response.status === 401) { throw { session: true }; }
        if (!response.ok) { throw { status: response.status }; }
        return response.json();
      })
      .then(function (body) { token = body.csrf_token; });
  }

  function pump() {
    if (busy) { return; }
    var next = items.filter(function (i) {
      return !i.record.result && (i.phase === "waiting" || i.phase === "offline");
    })[0];
    if (!next) { drawSummary(); return; }
    if (isOffline()) { items.forEach(markOffline); return; }
    busy = next;
    next.phase = "uploading";
    next.message = "";
    redraw(next);
    freshToken().then(function () { start(next); }, function (problem) { stopped(next, problem); });
  }

  function markOffline(item) {
    if (!item.record.result && item.phase !== "paused") { item.phase = "offline"; draw(item); }
  }

  function start(item) {
    var record = item.record;
    var upload = new tus.Upload(record.file, {
      endpoint: root.dataset.tusEndpoint,
      uploadUrl: record.url || null,
      chunkSize: Number(root.dataset.chunkSize),
      retryDelays: [0, 1000, 3000, 5000],
      removeFingerprintOnSuccess: true,
      metadata: Object.assign({ filename: record.name, filetype: record.type || "" }, record.meta),
      onBeforeRequest: function (req) { req.setHeader("X-CSRFToken", token); },
      onUploadUrlAvailable: function () {
        record.url = upload.url;
        window.UploadQueue.put(record);
      },
      onProgress: function (sent) { item.sent = sent; draw(item); },
      onSuccess: function () { finished(item, upload.url); },
      onError: function (error) { stopped(item, error); }
    });
    item.upload = upload;
    // The fingerprint store (localStorage) knows uploads begun before the page was closed.
    upload.findPreviousUploads().then(function (previous) {
      if (!record.url && previous.length) { upload.resumeFromPreviousUpload(previous[0]); }
      upload.start();
    });
  }

  function finished(item, url) {
    fetch(url, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) { return response.json(); })
      .then(function (state) {
        item.record.result = state;
        item.record.file = null;  // the server has it now: free the phone's storage
        return window.UploadQueue.put(item.record);
      })
      .then(function () { done(item); }, function (problem) { stopped(item, problem); });
  }

  function done(item) {
    busy = item === busy ? null : busy;
    redraw(item);
    pump();
  }

  function stopped(item, problem) {
    var response = problem && problem.originalResponse;
    var status = response ? response.getStatus() : (problem && problem.status) || 0;
    if (busy === item) { busy = null; }
    if (item.phase === "paused" || item.removed) { redraw(item); pump(); return; }
    if (problem && problem.session || status === 401) {
      item.phase = "waiting";
      item.message = t.session;
      redraw(item);
      return;  // nothing goes up until the camat has logged in again
    }
    if ((status === 404 || status === 410) && item.record.url) {
      item.record.url = null;  // that partial upload is gone: start this file afresh
      window.UploadQueue.put(item.record);
      item.phase = "waiting";
    } else if (status >= 400 && status < 500 && status !== 409 && status !== 423) {
      var body = {};
      try { body = JSON.parse(response.getBody()); } catch (e) { body = {}; }
      item.record.result = { status: "failed", message: body.message || t.failedGeneric, entry_id: null };
      window.UploadQueue.put(item.record);
    } else {
      item.phase = "offline";  // no signal, or the server out of reach: try again soon
      item.message = isOffline() ? "" : t.retrying;
      setTimeout(pump, RETRY_MS);
    }
    redraw(item);
    if (item.phase !== "offline") { pump(); }
  }

  /* ---- the page -------------------------------------------------------- */

  function add(record) {
    var item = { record: record, phase: "waiting", sent: 0 };
    items.push(item);
    redraw(item);
    return item;
  }

  form.addEventListener("submit", function (event) {
    if (!input.files.length) { return; }  // the server answers with its message
    event.preventDefault();
    event.stopImmediatePropagation();
    var meta = fields();
    var files = Array.prototype.slice.call(input.files);
    input.value = "";
    input.dispatchEvent(new Event("change"));
    files.reduce(function (chain, file) {
      var record = { user: root.dataset.user, file: file, name: file.name, size: file.size, type: file.type,
                     meta: meta, url: null, result: null, added: Date.now() };
      return chain.then(function () { return window.UploadQueue.put(record); })
        .then(function (id) { record.id = id; add(record); });
    }, Promise.resolve()).then(pump);
  }, true);

  list.addEventListener("click", handleAction);
  summary.addEventListener("click", handleAction);

  function handleAction(event) {
    var action = event.target.dataset && event.target.dataset.action;
    if (!action) { return; }
    if (action === "clear") {
      items.filter(function (i) { return i.record.result; }).forEach(function (i) { forget(i); });
      drawSummary();
      return;
    }
    var item = items.filter(function (i) { return i.li && i.li.contains(event.target); })[0];
    if (!item) { return; }
    if (action === "pause") {
      item.phase = "paused";
      if (item.upload) { item.upload.abort(); }
      if (busy === item) { busy = null; pump(); }
    } else if (action === "resume") {
      item.phase = "waiting";
      pump();
    } else if (action === "remove") {
      item.removed = true;
      terminate(item);
      if (busy === item) { busy = null; }
      forget(item);
      pump();
      drawSummary();
      return;
    }
    redraw(item);
  }

  /* Cancelled: the partial upload on the server goes too (it would expire anyway). */
  function terminate(item) {
    var url = item.record.url;
    if (item.upload) { item.upload.abort(); }
    if (!url || isOffline()) { return; }
    freshToken().then(function () {
      return tus.Upload.terminate(url, { headers: { "X-CSRFToken": token } });
    }).catch(function () {});
  }

  function forget(item) {
    window.UploadQueue.remove(item.record.id);
    if (item.li) { item.li.remove(); }
    items = items.filter(function (i) { return i !== item; });
  }

  window.addEventListener("online", pump);
  window.addEventListener("offline", function () { items.forEach(markOffline); });
  root.querySelector("[data-tus-hint]").hidden = false;
  window.UploadQueue.all().then(function (records) {
    // A phone may be shared: only this login's files are shown and sent (as this login).
    records.filter(function (r) { return r.user === root.dataset.user; }).forEach(add);
    list.dataset.loaded = "true";
    pump();
  });
})();
