/* A kindergarten's ratings per area over time (Apache ECharts, vendored under static/vendor/echarts).
 * All data comes from the page itself (json_script "trajectory-data"); nothing is fetched. */
(function () {
  "use strict";

  var COLOURS = ["#2f6fbf", "#1f8a4c", "#7fa7dc", "#8fc7a4", "#b7791f", "#e0b97a"];

  function draw() {
    var node = document.getElementById("trajectory-data");
    var el = document.getElementById("trajectory-chart");
    if (!node || !el || typeof echarts === "undefined") { return; }
    var data = JSON.parse(node.textContent);
    if (!data.series.length) { el.style.display = "none"; return; }
    var chart = echarts.init(el, null, { renderer: "canvas", locale: "ZH" });
    chart.setOption({
      color: COLOURS,
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v === null || v === undefined ? "—" : v.toFixed(2); } },
      legend: { top: 0 },
      grid: { left: 40, right: 16, top: 40, bottom: 28 },
      xAxis: { type: "category", data: data.areas },
      yAxis: { type: "value", min: 0, max: data.max, name: data.labels.average },
      series: data.series.map(function (s) {
        return {
          name: s.name, type: "bar", data: s.data, barMaxWidth: 28,
          itemStyle: s.source === "external_evaluation" ? { decal: { symbol: "rect", dashArrayX: [1, 0], dashArrayY: [3, 3], rotation: -Math.PI / 4 } } : {}
        };
      })
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
}());
