/* Dashboard charts (Apache ECharts, vendored under static/vendor/echarts).
 * All data comes from the page itself (json_script "dashboard-data"); nothing is fetched. */
(function () {
  "use strict";

  var BLUE = "#2f6fbf", RED = "#c0392b", GREEN = "#1f8a4c", ORANGE = "#b7791f", GREY = "#6b7785";
  var charts = [];

  function readData() {
    var node = document.getElementById("dashboard-data");
    return node ? JSON.parse(node.textContent) : null;
  }

  function pct(value, digits) {
    if (value === null || value === undefined) { return "—"; }
    // Cut, not rounded, like the server's figures: 89.96 % must not read as 90.0 %.
    var places = digits === undefined ? 1 : digits, scale = Math.pow(10, places);
    return (Math.floor(Number((value * 100 * scale).toFixed(6))) / scale).toFixed(places) + "%";
  }

  function make(el) {
    var chart = echarts.init(el, null, { renderer: "canvas", locale: "ZH" });
    charts.push(chart);
    return chart;
  }

  function targetLines(targets, labels) {
    // Equal targets (both public-share targets are 50 %) share one line and one label.
    var lines = [];
    targets.forEach(function (t) {
      var name = t.chaoyang ? labels.chaoyang : labels.national;
      var same = lines.filter(function (l) { return l.yAxis === t.value; })[0];
      if (same) { same.name += "/" + name; return; }
      var color = t.chaoyang ? RED : ORANGE;
      lines.push({
        name: name, yAxis: t.value,
        lineStyle: { color: color, type: "dashed", width: 1.5 },
        label: { color: color },
        chaoyang: t.chaoyang
      });
    });
    // Two different targets close together would print their labels on top of each other: the
    // higher line's label goes above its line, the lower one's below it (inside the grid).
    lines.sort(function (a, b) { return b.yAxis - a.yAxis; });
    lines.forEach(function (l, i) {
      l.label.position = lines.length > 1 ? (i === 0 ? "insideEndTop" : "insideEndBottom") : "insideEndTop";
      delete l.chaoyang;
    });
    return {
      silent: true,
      symbol: "none",
      label: {
        fontSize: 11, lineHeight: 13,
        formatter: function (p) { return p.name + " " + pct(p.value, 0); }
      },
      data: lines
    };
  }

  function axisRange(values, targets) {
    // From 0: a bar's length must be its value (an axis starting at 25 % exaggerates every gap).
    var all = values.filter(function (v) { return v !== null; }).concat(targets.map(function (t) { return t.value; }));
    if (!all.length) { return { min: 0, max: 1 }; }
    var hi = Math.max.apply(null, all);
    return { min: 0, max: Math.max(1, Math.ceil((hi + 0.03) * 10) / 10) };
  }

  function ranked(data, code) {
    // The server ranks the bars (reports.ranking): beyond 50 sub-districts only the worst and the
    // best are sent, with -1 marking the sub-districts left out between them.
    var picks = (data.subdistricts.picks || {})[code];
    if (picks) { return picks.worst.concat(picks.best.length ? [-1] : [], picks.best); }
    // Sub-districts by their gap to the main target, furthest below first (no value: last).
    var values = data.subdistricts.series[code] || [];
    var gaps = (data.subdistricts.gaps || {})[code] || [];
    var order = values.map(function (v, i) { return i; });
    order.sort(function (a, b) {
      var ga = gaps[a], gb = gaps[b];
      if (ga === null || ga === undefined) { return (gb === null || gb === undefined) ? a - b : 1; }
      if (gb === null || gb === undefined) { return -1; }
      return ga - gb || a - b;
    });
    return order;
  }

  function trendChart(el, data) {
    var code = el.getAttribute("data-indicator");
    var info = data.indicators.filter(function (i) { return i.code === code; })[0];
    var values = data.trend.series[code] || [];
    var targets = data.targets[code] || [];
    var range = axisRange(values, targets);
    make(el).setOption({
      title: { text: info ? info.label : code, left: "center", textStyle: { fontSize: 13, fontWeight: 600 } },
      grid: { left: 44, right: 16, top: 36, bottom: 40 },
      tooltip: { trigger: "axis", valueFormatter: function (v) { return pct(v); } },
      // Each point is a school year's statistical date: "2025–2026\n2025-10-15".
      xAxis: { type: "category", data: (data.trend.points || []).map(function (p) { return p.year + "\n" + p.date; }),
        boundaryGap: false, axisLabel: { color: GREY, fontSize: 10 } },
      yAxis: { type: "value", min: range.min, max: range.max, axisLabel: { formatter: function (v) { return pct(v, 0); } } },
      series: [{
        name: info ? info.short : code, type: "line", data: values, connectNulls: false, symbolSize: 6,
        itemStyle: { color: BLUE }, lineStyle: { width: 2.5 }, markLine: targetLines(targets, data.labels)
      }]
    });
  }

  function subdistrictChart(el, data, code) {
    var order = ranked(data, code);
    var pick = function (list) { return order.map(function (i) { return i < 0 ? null : list[i]; }); };
    var names = pick(data.subdistricts.names).map(function (n) { return n === null ? "…" : n; });
    var ids = pick(data.subdistricts.ids);
    var values = pick(data.subdistricts.series[code] || []);
    // Whether each sub-district misses the target, as the server decided it on the exact figures.
    var short = pick((data.subdistricts.short || {})[code] || []);
    var targets = data.targets[code] || [];
    var chart = el._chart || make(el);
    el._chart = chart;
    var range = axisRange(values, targets);
    chart.setOption({
      grid: { left: 44, right: 16, top: 24, bottom: 72 },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: function (v) { return pct(v); } },
      xAxis: { type: "category", data: names, axisLabel: { interval: 0, rotate: 55, fontSize: 11 } },
      yAxis: { type: "value", min: range.min, max: range.max, axisLabel: { formatter: function (v) { return pct(v, 0); } } },
      series: [{
        type: "bar", barMaxWidth: 22,
        data: values.map(function (v, i) {
          return { value: v, itemStyle: { color: short[i] ? RED : BLUE } };
        }),
        markLine: targetLines(targets, data.labels)
      }]
    }, true);
    chart.off("click");
    chart.on("click", function (params) {
      var id = ids[params.dataIndex];
      if (id === undefined || id === null) { return; }
      var url = el.getAttribute("data-url").replace(/\/0\/$/, "/" + id + "/");
      var date = el.getAttribute("data-date");
      window.location.href = url + (date ? "?date=" + date : "");
    });
  }

  function forecastChart(el, data) {
    var f = data.forecast;
    var anyGap = f.shortfall.some(function (v) { return v > 0; });
    var series = [
      { name: data.labels.demand, type: "bar", data: f.demand, itemStyle: { color: BLUE }, barMaxWidth: 28 },
      { name: data.labels.seats, type: "bar", data: f.seats, itemStyle: { color: GREEN }, barMaxWidth: 28 }
    ];
    if (anyGap) {
      series.push({ name: data.labels.shortfall, type: "line", yAxisIndex: 1, data: f.shortfall, itemStyle: { color: RED },
        lineStyle: { width: 2 } });
    }
    make(el).setOption({
      legend: { top: 0 },
      grid: { left: 64, right: 56, top: 36, bottom: 28 },
      tooltip: { trigger: "axis" },
      xAxis: { type: "category", data: f.years },
      // Gaps are small beside the totals: they get their own (right-hand) axis so they stay visible.
      yAxis: [
        { type: "value", name: data.labels.unit, nameTextStyle: { color: GREY } },
        { type: "value", show: anyGap, name: data.labels.shortfall, nameTextStyle: { color: RED },
          splitLine: { show: false }, axisLabel: { color: RED }, minInterval: 1 }
      ],
      series: series
    });
  }

  function init() {
    if (typeof echarts === "undefined") { return; }
    var data = readData();
    if (!data) { return; }
    document.querySelectorAll(".chart-trend").forEach(function (el) { trendChart(el, data); });
    var bars = document.getElementById("subdistrict-chart");
    if (bars && data.subdistricts.names.length) {
      var first = data.indicators.length ? data.indicators[0].code : null;
      if (first) { subdistrictChart(bars, data, first); }
      document.querySelectorAll("#subdistrict-tabs .tab").forEach(function (tab) {
        tab.addEventListener("click", function () {
          document.querySelectorAll("#subdistrict-tabs .tab").forEach(function (t) { t.classList.remove("active"); });
          tab.classList.add("active");
          subdistrictChart(bars, data, tab.getAttribute("data-indicator"));
        });
      });
    } else if (bars) {
      bars.style.display = "none";
    }
    var forecast = document.getElementById("forecast-chart");
    if (forecast && data.forecast.years.length) { forecastChart(forecast, data); }
    window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
