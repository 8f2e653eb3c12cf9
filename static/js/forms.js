/* Small form behaviours that used to be inline event handlers, which the
   Content-Security-Policy forbids (archive/security.py):
   - <form data-confirm="question">: asks before submitting (deleting, revoking);
   - <select data-autosubmit>: submits its form when the choice changes;
   - <input data-select-on-focus>: selects its whole value (a token to copy). */
(function () {
  "use strict";

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field.hasAttribute && field.hasAttribute("data-autosubmit") && field.form) {
      field.form.submit();
    }
  });

  document.addEventListener("focusin", function (event) {
    var field = event.target;
    if (field.hasAttribute && field.hasAttribute("data-select-on-focus")) {
      field.select();
    }
  });
})();
