/* The computation runs list (templates/reports/run_list.html) while a run is queued or running:
   polls the JSON status endpoint (reports:run_status) and reloads the page once a run has
   started or ended, so the table shows its progress and result. Without JavaScript the page
   offers a reload link instead. */
(function () {
  "use strict";
  var panel = document.querySelector("[data-run-status-url]");
  if (!panel || !window.fetch) { return; }
  var url = panel.getAttribute("data-run-status-url");
  var shown = panel.getAttribute("data-run-fingerprint");

  function fingerprint(data) {
    return data.runs.map(function (run) { return run.id + ":" + run.status; }).join(",");
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : Promise.reject(response.status); })
      .then(function (data) {
        if (fingerprint(data) !== shown || !data.active) {
          window.location.reload();
          return;
        }
        window.setTimeout(poll, 2000);
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }

  window.setTimeout(poll, 1000);
})();
