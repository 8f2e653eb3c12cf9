/* Presentation mode for report slides: keyboard and clicker navigation,
   a counter, #slide=N in the URL, full screen, speaker notes below the slide
   or in a presenter window that follows the main one. Plain JS with no
   network use, so the same file works from the offline bundle (file://). */
(function () {
  "use strict";

  var slides = Array.prototype.slice.call(document.querySelectorAll(".slide"));
  if (!slides.length) return;
  var counter = document.getElementById("slide-counter");
  var notesPanel = document.getElementById("notes-panel");
  var notesText = document.getElementById("notes-text");
  var presenterPanel = document.getElementById("presenter-panel");
  var presenterNext = document.getElementById("presenter-next");
  var params = parseHash();
  var isPresenter = params.presenter === "1";
  var current = -1;
  var peer = null; // the other window: the presenter window, or our opener

  function parseHash() {
    var out = {};
    location.hash.replace(/^#/, "").split("&").forEach(function (part) {
      var kv = part.split("=");
      if (kv[0]) out[decodeURIComponent(kv[0])] = decodeURIComponent(kv[1] || "");
    });
    return out;
  }

  function clamp(i) {
    return Math.max(0, Math.min(slides.length - 1, i));
  }

  function go(index, fromPeer) {
    index = clamp(index);
    if (index === current) return;
    current = index;
    slides.forEach(function (slide, i) {
      var on = i === index;
      slide.classList.toggle("is-current", on);
      slide.setAttribute("aria-hidden", on ? "false" : "true");
    });
    fit(slides[index]);
    counter.textContent = (index + 1) + " / " + slides.length;
    var notes = slides[index].querySelector(".slide__notes");
    notesText.textContent = notes ? notes.textContent.trim() : notesText.getAttribute("data-empty");
    if (presenterNext) {
      var next = slides[index + 1];
      presenterNext.textContent = next ? next.getAttribute("data-title") : "—";
    }
    var hash = "#slide=" + (index + 1) + (isPresenter ? "&presenter=1" : "");
    if (location.hash !== hash) history.replaceState(null, "", hash);
    if (!fromPeer) tellPeer(index);
  }

  // A long narrative shrinks until it fits the screen instead of scrolling
  // out of sight on the projector (down to 55% of the designed size).
  function fit(slide) {
    var inner = slide.querySelector(".slide__inner");
    if (!inner || slide.classList.contains("slide--photo")) return;
    inner.style.fontSize = "";
    var size = parseFloat(getComputedStyle(inner).fontSize);
    var floor = size * 0.55;
    var height = inner.scrollHeight;
    while (height > inner.clientHeight + 1 && size > floor) {
      size *= 0.92;
      inner.style.fontSize = size + "px";
      if (inner.scrollHeight >= height) {
        // the text is not what overflows (pictures are): keep its full size
        inner.style.fontSize = "";
        return;
      }
      height = inner.scrollHeight;
    }
  }

  window.addEventListener("resize", function () {
    if (current >= 0) fit(slides[current]);
  });

  function tellPeer(index) {
    var target = isPresenter ? window.opener : peer;
    // postMessage between the two windows works from file:// too, where
    // BroadcastChannel would not reach across an opaque origin.
    if (target && !target.closed) target.postMessage({ type: "slides:go", index: index }, "*");
  }

  window.addEventListener("message", function (event) {
    var from = isPresenter ? window.opener : peer;
    if (!from || event.source !== from) return;
    var data = event.data || {};
    if (data.type === "slides:go" && typeof data.index === "number") go(data.index, true);
  });

  function toggleNotes(force) {
    var show = typeof force === "boolean" ? force : notesPanel.hidden;
    notesPanel.hidden = !show;
    document.body.classList.toggle("show-notes", show);
  }

  function openPresenter() {
    var url = location.href.split("#")[0] + "#slide=" + (current + 1) + "&presenter=1";
    peer = window.open(url, "slides-presenter", "width=1000,height=700");
  }

  function toggleFullscreen() {
    if (document.fullscreenElement) {
      document.exitFullscreen();
    } else if (document.documentElement.requestFullscreen) {
      document.documentElement.requestFullscreen().catch(function () { /* refused: stay windowed */ });
    }
  }

  var actions = {
    next: function () { go(current + 1); },
    prev: function () { go(current - 1); },
    first: function () { go(0); },
    last: function () { go(slides.length - 1); },
    notes: function () { toggleNotes(); },
    presenter: openPresenter,
    fullscreen: toggleFullscreen,
    blank: function () { document.body.classList.toggle("blanked"); }
  };

  // Presenter clickers send PageDown/PageUp (some send arrows), and "b" or
  // "." for their blank-screen button.
  var keys = {
    ArrowRight: "next", ArrowDown: "next", PageDown: "next", Enter: "next",
    ArrowLeft: "prev", ArrowUp: "prev", PageUp: "prev", Backspace: "prev",
    Home: "first", End: "last",
    f: "fullscreen", F: "fullscreen", n: "notes", N: "notes", s: "presenter", S: "presenter",
    b: "blank", B: "blank", ".": "blank"
  };

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.target.closest && event.target.closest("input, textarea, select")) return;
    var action = event.key === " " ? (event.shiftKey ? "prev" : "next") : keys[event.key];
    if (event.key === "Enter" && event.target.closest && event.target.closest("a, button")) return;
    if (!action) return;
    event.preventDefault();
    actions[action]();
  });

  document.querySelectorAll("[data-action]").forEach(function (button) {
    button.addEventListener("click", function () {
      actions[button.getAttribute("data-action")]();
      button.blur(); // so Space goes to the slides, not to the button again
    });
  });

  // On a phone the tools (notes, presenter, full screen, key hints) are a menu.
  var more = document.querySelector(".deck__more");
  var tools = document.getElementById("deck-tools");
  function toggleMenu(open) {
    if (!more || !tools) return;
    open = open === undefined ? !tools.classList.contains("is-open") : open;
    tools.classList.toggle("is-open", open);
    more.setAttribute("aria-expanded", open ? "true" : "false");
  }
  if (more && tools) {
    more.addEventListener("click", function () { toggleMenu(); });
    tools.addEventListener("click", function (event) {
      if (event.target.closest("[data-action]")) toggleMenu(false);
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape") toggleMenu(false);
    });
  }

  var touchX = null;
  document.addEventListener("touchstart", function (e) {
    // a swipe on the bar or its menu is not a slide change
    touchX = e.target.closest && e.target.closest(".deck__bar") ? null : e.touches[0].clientX;
  }, { passive: true });
  document.addEventListener("touchend", function (e) {
    if (touchX === null) return;
    var dx = e.changedTouches[0].clientX - touchX;
    touchX = null;
    if (Math.abs(dx) > 50) go(current + (dx < 0 ? 1 : -1));
  });

  window.addEventListener("hashchange", function () {
    var n = parseInt(parseHash().slide, 10);
    if (!isNaN(n)) go(n - 1);
  });

  if (isPresenter) {
    document.body.classList.add("presenter");
    presenterPanel.hidden = false;
    toggleNotes(true);
    var started = Date.now();
    var timer = document.getElementById("presenter-timer");
    setInterval(function () {
      var s = Math.floor((Date.now() - started) / 1000);
      timer.textContent = String(Math.floor(s / 60)).padStart(2, "0") + ":" + String(s % 60).padStart(2, "0");
    }, 1000);
  }

  var start = parseInt(params.slide, 10);
  // one-slide layout first, so that fit() measures the slide as it is shown
  document.body.classList.add("js-ready");
  go(isNaN(start) ? 0 : start - 1, true);
})();
