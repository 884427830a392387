// 统计分析: draw each chart from the page's JSON; a click opens the list behind the item.
(function () {
  "use strict";
  function go(item) { if (item && item.url) { window.location.href = item.url; } }

  // Tooltips drawn on the canvas: ECharts' HTML tooltips carry inline style attributes,
  // which the Content-Security-Policy refuses.
  var TOOLTIP_MODE = "richText";
  var LIGHT_COLORS = { red: "#c62828", yellow: "#f0a500", green: "#1b7f3b" };

  function bucketOption(items, kind, narrow) {
    var shown = items.filter(function (i) { return i.value > 0; }).map(function (i) {
      var color = LIGHT_COLORS[i.key];
      return color ? Object.assign({ itemStyle: { color: color } }, i) : i;
    });
    if (kind === "pie") {
      return {
        tooltip: { trigger: "item", formatter: "{b}：{c}（{d}%）", renderMode: TOOLTIP_MODE },
        legend: { bottom: 0, type: "scroll" },
        series: [{ type: "pie", radius: ["35%", "65%"], center: ["50%", "45%"], data: shown,
          // On a phone the labels outside the ring would be cut: the legend says it all.
          label: { show: !narrow, formatter: "{b} {c}" } }],
      };
    }
    return {
      tooltip: { trigger: "axis", renderMode: TOOLTIP_MODE },
      grid: { left: 8, right: 16, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", inverse: true, data: shown.map(function (i) { return i.name; }) },
      series: [{ type: "bar", data: shown, itemStyle: { color: "#b71c1c" }, label: { show: true, position: "right" } }],
    };
  }

  function trendOption(t) {
    return {
      tooltip: { trigger: "axis", renderMode: TOOLTIP_MODE },
      legend: { bottom: 0, type: "scroll" },
      grid: { left: 8, right: 16, top: 16, bottom: 40, containLabel: true },
      xAxis: { type: "category", data: t.months },
      yAxis: { type: "value", minInterval: 1 },
      series: [
        { name: "交办任务", type: "bar", data: t.assigned },
        { name: "办结任务", type: "bar", data: t.completed },
        { name: "按期办结", type: "line", data: t.on_time },
        { name: "事项立项", type: "line", data: t.approved },
        { name: "事项销号", type: "line", data: t.closed },
      ],
    };
  }

  function init() {
    var source = document.getElementById("stats-data");
    if (!source || !window.echarts) { return; }
    var data = JSON.parse(source.textContent);
    var charts = [];
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var name = el.getAttribute("data-chart");
      var kind = el.getAttribute("data-kind");
      var chart = window.echarts.init(el, null, { renderer: "canvas" });
      var narrow = el.clientWidth < 420;
      chart.setOption(kind === "trend" ? trendOption(data.trend)
        : bucketOption(data[name], kind, narrow));
      chart.on("click", function (params) { go(params.data); });
      charts.push(chart);
    });
    var resize = function () { charts.forEach(function (c) { c.resize(); }); };
    if (window.ResizeObserver) {
      var observer = new ResizeObserver(resize);
      document.querySelectorAll("[data-chart]").forEach(function (el) { observer.observe(el); });
    } else {
      window.addEventListener("resize", resize);
    }
    document.documentElement.setAttribute("data-charts-ready", String(charts.length));
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
