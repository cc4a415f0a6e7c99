/* The results overview's stacked bars (Apache ECharts, vendored under static/vendor/echarts).
 * All data comes from the page itself (json_script "results-data"); nothing is fetched. */
(function () {
  "use strict";

  var charts = [];

  function stacked(el, block, label) {
    if (!el || !block || !block.names.length) { return; }
    var chart = echarts.init(el, null, { renderer: "canvas", locale: "ZH" });
    charts.push(chart);
    chart.setOption({
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { top: 0 },
      grid: { left: 40, right: 16, top: 36, bottom: block.names.length > 5 ? 80 : 40 },
      xAxis: {
        type: "category", data: block.names,
        axisLabel: { interval: 0, rotate: block.names.length > 5 ? 35 : 0 }
      },
      yAxis: { type: "value", name: label, minInterval: 1 },
      series: block.series.map(function (s) {
        return {
          name: s.label, type: "bar", stack: "grades", data: s.data, itemStyle: { color: s.color },
          emphasis: { focus: "series" }, barMaxWidth: 48
        };
      })
    });
  }

  function init() {
    var node = document.getElementById("results-data");
    if (!node || typeof echarts === "undefined") { return; }
    var data = JSON.parse(node.textContent);
    stacked(document.getElementById("subdistrict-chart"), data.subdistricts, data.labels.count);
    stacked(document.getElementById("sponsor-chart"), data.sponsors, data.labels.count);
    window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
