/* Searchable selects: every <select multiple>, every <select> with more than LONG options and every
 * <select data-searchable> becomes a Tom Select (vendored under static/vendor/tom-select).
 * The original <select> stays in the form, so submission and server-side validation are unchanged.
 * Disabled selects stay as they are; opt out with data-searchable="off". */
(function () {
  "use strict";

  var LONG = 15;

  function wanted(select) {
    var flag = select.getAttribute("data-searchable");
    // A disabled select cannot be changed, so there is nothing to search.
    if (flag === "off" || select.tomselect || select.disabled) { return false; }
    return flag !== null || select.multiple || select.options.length > LONG;
  }

  function enhance(select) {
    var plugins = select.multiple ? ["remove_button", "clear_button"] : [];
    /* global TomSelect */
    new TomSelect(select, {
      plugins: plugins,
      maxOptions: null, // show all matches, not just the first 50
      allowEmptyOption: true,
      hidePlaceholder: true,
      create: false
    });
  }

  function init() {
    if (typeof TomSelect === "undefined") { return; }
    Array.prototype.forEach.call(document.querySelectorAll("select"), function (select) {
      if (wanted(select)) { enhance(select); }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
