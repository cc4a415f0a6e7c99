/* The ageing of overdue hazards (Apache ECharts, vendored under static/vendor/echarts): stacked
 * bars per bucket of days overdue, one series per severity. The data comes from the page itself
 * (json_script "ageing-data"); the table beside it stays as the fallback without JavaScript. */
(function () {
  "use strict";

  var COLOURS = { general: "#e0b97a", major: "#c0392b" };

  function draw() {
    var node = document.getElementById("ageing-data");
    var el = document.getElementById("ageing-chart");
    if (!node || !el || typeof echarts === "undefined") { if (el) { el.style.display = "none"; } return; }
    var data = JSON.parse(node.textContent);
    var chart = echarts.init(el, null, { renderer: "canvas", locale: "ZH" });
    chart.setOption({
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { top: 0 },
      grid: { left: 40, right: 16, top: 36, bottom: 28 },
      xAxis: { type: "category", data: data.buckets },
      yAxis: { type: "value", minInterval: 1, name: data.labels.hazards },
      series: data.series.map(function (s) {
        return { name: s.name, type: "bar", stack: "hazards", data: s.data, barMaxWidth: 40, itemStyle: { color: COLOURS[s.severity] } };
      })
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
}());
