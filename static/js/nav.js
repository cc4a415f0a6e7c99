// The menu button of narrow screens: shows or hides the main navigation (hidden by CSS below 800 px).
(function () {
  "use strict";
  var button = document.querySelector(".navtoggle");
  if (!button) return;
  var header = button.closest(".topbar");
  button.addEventListener("click", function () {
    var open = header.classList.toggle("nav-open");
    button.setAttribute("aria-expanded", open ? "true" : "false");
  });
})();
