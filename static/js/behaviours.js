/* Small page behaviours declared with data attributes, so that templates need no inline script
   or on…= handler (the Content-Security-Policy allows scripts from this site's files only).

   data-autosubmit            on a select: submit its form when it changes
   data-navigate              on a select: go to the chosen option's value (a URL)
   data-check-all="selector"  on a checkbox: check or clear every box the selector finds
   data-count-checked="sel"   on an element inside a form: show how many `sel` inputs of the
                              form are checked, updated on every change
   data-width="n"             on an element: its width is n % (progress bars) */
(function () {
  "use strict";

  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.hasAttribute("data-autosubmit") && target.form) {
      target.form.submit();
    } else if (target.hasAttribute("data-navigate") && target.value) {
      window.location = target.value;
    } else if (target.hasAttribute("data-check-all")) {
      document.querySelectorAll(target.getAttribute("data-check-all")).forEach(function (box) {
        box.checked = target.checked;
      });
    }
    if (target.form) {
      target.form.querySelectorAll("[data-count-checked]").forEach(function (counter) {
        counter.textContent = target.form.querySelectorAll(counter.getAttribute("data-count-checked") + ":checked").length;
      });
    }
  });

  function applyWidths(root) {
    root.querySelectorAll("[data-width]").forEach(function (bar) {
      bar.style.width = bar.getAttribute("data-width") + "%";
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { applyWidths(document); });
  } else {
    applyWidths(document);
  }
})();
