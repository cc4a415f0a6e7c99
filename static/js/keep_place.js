/* Long forms keep their place after saving. A form posted back to the page it is on (save a draft,
 * add a row, switch language) answers with a redirect to the same page, which the browser opens
 * at the top; the reader had to scroll back to where they were. On submit this remembers the page
 * and how far down it was (sessionStorage, this tab only); when the next page is the same one, it
 * scrolls back there. A page that shows errors is left at the top, where they are summarised;
 * another page forgets the place. Opt a form out with data-keep-place="off". */
(function () {
  "use strict";

  var KEY = "portal.keep-place";

  function here() { return window.location.pathname + window.location.search; }

  function remember(event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || form.getAttribute("data-keep-place") === "off") { return; }
    if ((form.getAttribute("method") || "get").toLowerCase() !== "post") { return; }
    try {
      window.sessionStorage.setItem(KEY, JSON.stringify({ page: here(), y: window.scrollY }));
    } catch (e) { /* storage unavailable: nothing is remembered */ }
  }

  function hasErrors() {
    return document.querySelector(".errors, .has-error, .msg-error, [role=alert]") !== null;
  }

  function restore() {
    var saved;
    try {
      saved = JSON.parse(window.sessionStorage.getItem(KEY) || "null");
      window.sessionStorage.removeItem(KEY);
    } catch (e) { return; }
    if (!saved || saved.page !== here() || window.location.hash || hasErrors()) { return; }
    window.scrollTo(0, saved.y);
    document.documentElement.setAttribute("data-place-kept", String(Math.round(saved.y)));
  }

  document.addEventListener("submit", remember);
  if (document.readyState === "complete") {
    restore();
  } else {
    window.addEventListener("load", restore);
  }
})();
