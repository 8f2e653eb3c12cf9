/* The site menu on a phone: folded behind the "Menu" button so that the header
   stays two short rows. Without JavaScript the button stays hidden and the
   menu is shown whole (wrapped), as before. */
(function () {
  "use strict";

  var header = document.querySelector(".site-header");
  var button = header && header.querySelector(".nav-toggle");
  var nav = document.getElementById("main-nav");
  if (!button || !nav) return;

  function setOpen(open) {
    header.classList.toggle("menu-open", open);
    button.setAttribute("aria-expanded", open ? "true" : "false");
  }

  header.classList.add("has-menu");
  button.hidden = false;
  button.addEventListener("click", function () {
    setOpen(!header.classList.contains("menu-open"));
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && header.classList.contains("menu-open")) {
      setOpen(false);
      button.focus();
    }
  });
})();
