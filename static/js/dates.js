/* Dates: every <input type="date"> shows and accepts yyyy-mm-dd with a picker, whatever the
 * browser's locale (a native date field follows it: 2025/9/1 in Chinese, 9/1/2025 in US English).
 * The field becomes a text field holding yyyy-mm-dd (what the server reads and renders), and the
 * vendored flatpickr (static/vendor/flatpickr) adds the calendar, in Chinese when the page is.
 * Typing a date works too (allowInput). min/max are kept. Without JavaScript the native field stays.
 * Opt out with data-datepicker="off". */
(function () {
  "use strict";

  var ISO = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$/;

  function iso(value) {
    var m = ISO.exec((value || "").trim());
    if (!m) { return value; }
    return m[1] + "-" + ("0" + m[2]).slice(-2) + "-" + ("0" + m[3]).slice(-2);
  }

  function enhance(input) {
    /* global flatpickr */
    var lang = (document.documentElement.lang || "").toLowerCase();
    var options = {
      dateFormat: "Y-m-d",
      allowInput: true,
      disableMobile: true, // the phone's own picker would show the locale's format again
      minDate: input.getAttribute("min") || null,
      maxDate: input.getAttribute("max") || null,
      // Typed dates: yyyy-mm-dd, also with slashes or without leading zeros.
      parseDate: function (text) {
        var m = ISO.exec((text || "").trim());
        return m ? new Date(+m[1], +m[2] - 1, +m[3]) : undefined;
      }
    };
    if (lang.indexOf("zh") === 0 && flatpickr.l10ns && flatpickr.l10ns.zh) { options.locale = "zh"; }
    input.value = iso(input.value);
    input.type = "text";
    input.setAttribute("placeholder", input.getAttribute("placeholder") || "yyyy-mm-dd");
    input.setAttribute("autocomplete", "off");
    input.setAttribute("inputmode", "numeric");
    input.classList.add("datefield");
    var picker = flatpickr(input, options);
    // A whole yyyy-mm-dd typed (or pasted) closes the calendar: it no longer covers what comes next.
    input.addEventListener("input", function () {
      if (/^\d{4}-\d{2}-\d{2}$/.test(input.value)) {
        picker.setDate(input.value, false);
        picker.close();
      }
    });
  }

  function init() {
    if (typeof flatpickr === "undefined") { return; }
    Array.prototype.forEach.call(document.querySelectorAll('input[type="date"]'), function (input) {
      if (input.getAttribute("data-datepicker") !== "off" && !input._flatpickr) { enhance(input); }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
