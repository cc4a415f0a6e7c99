/* Enrolment report form: add class rows, keep totals and over-limit flags current while typing.
   The server repeats every check; this only saves the director a round trip. */
(function () {
  "use strict";
  var form = document.getElementById("report-form");
  if (!form) { return; }
  var limits = {};
  (form.dataset.limits || "").split(",").forEach(function (pair) {
    var parts = pair.split(":");
    if (parts.length === 2) { limits[parts[0]] = parseInt(parts[1], 10); }
  });
  var tbody = document.querySelector("#classes tbody");
  var totalForms = form.querySelector("input[name='classes-TOTAL_FORMS']");

  function number(input) {
    var value = parseInt(input && input.value, 10);
    return isNaN(value) ? 0 : value;
  }

  function refresh() {
    var classTotal = 0;
    tbody.querySelectorAll("tr.class-row").forEach(function (row) {
      var type = row.querySelector("select[name$='-class_type']");
      var enrolled = row.querySelector("input[name$='-enrolled']");
      var remove = row.querySelector("input[name$='-DELETE']");
      var limit = type ? limits[type.value] : undefined;
      var over = limit !== undefined && number(enrolled) > limit;
      row.classList.toggle("over-limit", over);
      var limitText = row.querySelector(".limit-text");
      var note = row.querySelector(".over-note");
      if (limitText) { limitText.textContent = limit !== undefined ? "≤ " + limit : ""; }
      if (note) { note.textContent = over ? " " + (form.dataset.overLabel || "") : ""; }
      if (!(remove && remove.checked)) { classTotal += number(enrolled); }
    });
    var ageTotal = 0;
    form.querySelectorAll("input.age").forEach(function (input) { ageTotal += number(input); });
    document.getElementById("class-total").textContent = classTotal;
    var total = form.querySelector("input[name='ages-total']");
    if (total) {
      total.value = ageTotal;
      total.classList.toggle("mismatch", ageTotal !== classTotal);
    }
  }

  document.getElementById("add-class").addEventListener("click", function () {
    var index = parseInt(totalForms.value, 10);
    var html = document.getElementById("empty-class-row").innerHTML.replace(/__prefix__/g, String(index));
    tbody.insertAdjacentHTML("beforeend", html);
    totalForms.value = String(index + 1);
    refresh();
  });
  form.addEventListener("input", refresh);
  form.addEventListener("change", refresh);
  refresh();
})();
