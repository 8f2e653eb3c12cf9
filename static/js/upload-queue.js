/* The upload page's queue in IndexedDB: every chosen file waits here, with the
   fields it goes up with, until the server has answered for it. So a file
   picked without signal, or whose upload was cut, survives the page being
   closed; the tus upload URL kept beside it lets the upload resume where it
   stopped. Exposes window.UploadQueue (promises). */
(function () {
  "use strict";
  var DB_NAME = "arsip-unggah";
  var STORE = "files";
  var opening = null;

  function open() {
    if (!opening) {
      opening = new Promise(function (resolve, reject) {
        var request = indexedDB.open(DB_NAME, 1);
        request.onupgradeneeded = function () {
          request.result.createObjectStore(STORE, { keyPath: "id", autoIncrement: true });
        };
        request.onsuccess = function () { resolve(request.result); };
        request.onerror = function () { opening = null; reject(request.error); };
      });
    }
    return opening;
  }

  function run(mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, mode);
        var result = work(tx.objectStore(STORE));
        tx.oncomplete = function () { resolve(result && "result" in result ? result.result : undefined); };
        tx.onerror = function () { reject(tx.error); };
        tx.onabort = function () { reject(tx.error); };
      });
    });
  }

  window.UploadQueue = {
    supported: typeof indexedDB !== "undefined",
    /* every record, oldest first */
    all: function () { return run("readonly", function (store) { return store.getAll(); }); },
    /* add or replace a record; resolves to its id */
    put: function (record) { return run("readwrite", function (store) { return store.put(record); }); },
    remove: function (id) { return run("readwrite", function (store) { return store.delete(id); }); }
  };
})();
