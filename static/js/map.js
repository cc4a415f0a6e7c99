/* Offline maps (Apache ECharts geo component, vendored; no tiles): the district outline comes from
 * static/geo/chaoyang.geojson, the points from the page or a JSON endpoint.
 *   [data-map="registry"]  kindergartens of the filtered registry (or the public list), coloured by type; click opens one
 *   [data-map="picker"]    click sets the latitude/longitude inputs of the edit form
 *   [data-map="shortfall"] sub-districts sized and coloured by their forecast seat shortfall
 * After drawing, each box carries data-points="<n>" (what browser tests wait for). */
(function () {
  "use strict";

  var MAP = "chaoyang";
  var COLORS = { public: "#2f6fbf", inclusive_private: "#1f8a4c", other_private: "#b7791f" };
  var RED = "#c0392b", GREEN = "#1f8a4c";
  var outline = null;
  var charts = [];

  function loadOutline(url) {
    if (!outline) {
      outline = fetch(url, { credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (geojson) { echarts.registerMap(MAP, geojson); });
    }
    return outline;
  }

  function make(el) {
    var chart = echarts.init(el, null, { renderer: "canvas" });
    charts.push(chart);
    return chart;
  }

  function geo(extra) {
    var base = {
      map: MAP,
      roam: true,
      scaleLimit: { min: 0.8, max: 40 },
      itemStyle: { areaColor: "#eef3f8", borderColor: "#8796a8", borderWidth: 1 },
      emphasis: { disabled: true },
      select: { disabled: true },
      tooltip: { show: false },
      label: { show: false }
    };
    Object.keys(extra || {}).forEach(function (k) { base[k] = extra[k]; });
    return base;
  }

  function escape(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function done(el, n) { el.setAttribute("data-points", String(n)); }

  function registry(el) {
    var keys = ["public", "inclusive_private", "other_private"];
    var counter = document.getElementById("kindergarten-map-count");
    // Points come from an endpoint (the registry) or from a json_script block (the public list).
    var inline = document.getElementById(el.getAttribute("data-points-script") || "");
    var points = inline
      ? Promise.resolve(JSON.parse(inline.textContent))
      : fetch(el.getAttribute("data-points-url"), { credentials: "same-origin" }).then(function (r) { return r.json(); });
    points.then(function (data) {
        var chart = make(el);
        var series = keys.map(function (key) {
          return {
            type: "scatter",
            coordinateSystem: "geo",
            name: el.getAttribute("data-label-" + key),
            symbolSize: 9,
            itemStyle: { color: COLORS[key], opacity: 0.9 },
            data: data.points.filter(function (p) { return p.category === key; }).map(function (p) {
              return { name: p.name, value: [p.lng, p.lat], url: p.url };
            })
          };
        });
        chart.setOption({
          tooltip: { trigger: "item", formatter: function (p) { return escape(p.name); } },
          legend: { bottom: 0, data: series.map(function (s) { return s.name; }) },
          geo: geo({ top: 10, bottom: 36 }),
          series: series
        });
        chart.on("click", { seriesType: "scatter" }, function (p) {
          if (p.data && p.data.url) { window.location.href = p.data.url; }
        });
        if (counter && el.getAttribute("data-label-count")) { counter.textContent = el.getAttribute("data-label-count").replace("{n}", data.points.length); }
        done(el, data.points.length);
      });
  }

  function picker(el) {
    var lat = document.getElementById(el.getAttribute("data-lat-input"));
    var lng = document.getElementById(el.getAttribute("data-lng-input"));
    if (!lat || !lng) { return; }
    var chart = make(el);

    function current() {
      var y = parseFloat(lat.value), x = parseFloat(lng.value);
      return isNaN(x) || isNaN(y) ? [] : [{ name: el.getAttribute("data-label-here"), value: [x, y] }];
    }

    function draw() {
      var data = current();
      chart.setOption({ series: [{ id: "here", data: data }] });
      done(el, data.length);
    }

    chart.setOption({
      geo: geo({ top: 10, bottom: 10 }),
      series: [{
        id: "here", type: "scatter", coordinateSystem: "geo", symbol: "pin", symbolSize: 28, symbolOffset: [0, "-50%"],
        itemStyle: { color: RED }, silent: true, data: current()
      }]
    });
    done(el, current().length);
    chart.getZr().on("click", function (event) {
      var point = chart.convertFromPixel({ geoIndex: 0 }, [event.offsetX, event.offsetY]);
      if (!point) { return; }
      lng.value = point[0].toFixed(6);
      lat.value = point[1].toFixed(6);
      [lat, lng].forEach(function (input) { input.dispatchEvent(new Event("change", { bubbles: true })); });
      draw();
    });
    lat.addEventListener("input", draw);
    lng.addEventListener("input", draw);
  }

  function shortfall(el) {
    var node = document.getElementById("shortfall-data");
    var data = node ? JSON.parse(node.textContent) : { points: [] };
    var biggest = Math.max.apply(null, [1].concat(data.points.map(function (p) { return Math.abs(p.shortfall); })));
    var label = function (key) { return el.getAttribute("data-label-" + key); };
    var chart = make(el);
    chart.setOption({
      tooltip: {
        trigger: "item",
        formatter: function (p) {
          var d = p.data.row;
          return escape(d.name) + "<br>" + label("demand") + " " + d.demand + " · " + label("seats") + " " + d.seats +
            "<br>" + (d.shortfall > 0 ? label("shortfall") + " " + d.shortfall : label("surplus") + " " + (-d.shortfall));
        }
      },
      geo: geo({ top: 10, bottom: 10 }),
      series: [{
        type: "scatter",
        coordinateSystem: "geo",
        label: { show: true, position: "right", fontSize: 11, color: "#333", formatter: function (p) { return p.data.row.shortfall > 0 ? p.data.row.shortfall : ""; } },
        data: data.points.map(function (p) {
          return {
            name: p.name, value: [p.lng, p.lat], row: p,
            // Area, not radius, is proportional to the shortfall.
            symbolSize: 6 + 34 * Math.sqrt(Math.abs(p.shortfall) / biggest),
            itemStyle: { color: p.shortfall > 0 ? RED : GREEN, opacity: 0.75, borderColor: "#fff" }
          };
        })
      }]
    });
    chart.on("click", function (p) { if (p.data && p.data.row) { window.location.href = p.data.row.url; } });
    done(el, data.points.length);
  }

  var kinds = { registry: registry, picker: picker, shortfall: shortfall };

  function init() {
    var boxes = document.querySelectorAll("[data-map]");
    if (!boxes.length || typeof echarts === "undefined") { return; }
    loadOutline(boxes[0].getAttribute("data-outline-url")).then(function () {
      Array.prototype.forEach.call(boxes, function (el) {
        var draw = kinds[el.getAttribute("data-map")];
        if (draw) { draw(el); }
      });
    });
    window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
