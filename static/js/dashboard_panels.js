/* The dashboard's app panels, fetched after the page is shown (reports.views.DashboardPanelView).
 *
 * Each panel is a placeholder <section data-panel-url="…"> with a link to its fragment (the
 * fallback without JavaScript). The fragment replaces the placeholder; on failure (an error, or a
 * redirect such as an expired session sending the request to the login page) the placeholder says
 * so (its data-panel-error text) and keeps the link. The panels bind no script of their own; the
 * page's behaviours (static/js/behaviours.js) are delegated to the document, so inserted content
 * needs none either. A "dashboard:panel" event on the inserted section lets a future panel's
 * script initialise. */
(function () {
  "use strict";

  function fail(placeholder) {
    placeholder.removeAttribute("aria-busy");
    placeholder.classList.add("panel-failed");
    var status = placeholder.querySelector("[data-panel-status]");
    if (status) {
      status.textContent = placeholder.getAttribute("data-panel-error");
      status.classList.add("bad");
    }
  }

  function load(placeholder) {
    var url = placeholder.getAttribute("data-panel-url");
    fetch(url, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (response) {
        if (!response.ok || response.redirected) { throw new Error(response.status); }
        return response.text();
      })
      .then(function (html) {
        var holder = document.createElement("div");
        holder.innerHTML = html;
        var parts = Array.prototype.slice.call(holder.children);
        if (!parts.length) { throw new Error("empty"); }
        placeholder.replaceWith.apply(placeholder, parts);
        parts.forEach(function (part) {
          part.dispatchEvent(new CustomEvent("dashboard:panel", { bubbles: true }));
        });
      })
      .catch(function () { fail(placeholder); });
  }

  function start() {
    document.querySelectorAll("[data-panel-url]").forEach(load);
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
