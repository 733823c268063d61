/* Staff dashboard charts (ECharts, vendored). Data comes from the json_script block. */
(function () {
  var d = JSON.parse(document.getElementById("dash-data").textContent);
  var f = d.figures, L = d.labels, charts = [];
  var red = ["#c62828", "#ef6c00", "#f9a825", "#2e7d32", "#1565c0", "#6a1b9a", "#546e7a", "#8d6e63"];
  function pick(prefix) {
    return Object.keys(f).filter(function (k) { return k.indexOf(prefix) === 0 && f[k]; })
      .map(function (k) { return { name: L[k], value: f[k] }; });
  }
  function chart(id, option) {
    var el = document.getElementById(id);
    if (!el) return;
    var c = echarts.init(el);
    option.color = red;
    option.animation = false;
    c.setOption(option);
    charts.push(c);
    return c;
  }
  function pie(id, prefix) {
    chart(id, { tooltip: { trigger: "item" }, legend: { bottom: 0, type: "scroll" },
      series: [{ type: "pie", radius: ["35%", "65%"], center: ["50%", "45%"], label: { formatter: "{b}: {c}" }, data: pick(prefix) }] });
  }
  pie("chart-party", "members.party_");
  pie("chart-occupation", "members.occupation_");
  var ages = Object.keys(f).filter(function (k) { return k.indexOf("members.age_") === 0; });
  chart("chart-age", { tooltip: {}, grid: { left: 36, right: 10, bottom: 10, containLabel: true },
    xAxis: { type: "category", data: ages.map(function (k) { return L[k]; }), axisLabel: { rotate: 30 } },
    yAxis: { type: "value", minInterval: 1 }, series: [{ type: "bar", data: ages.map(function (k) { return f[k]; }) }] });
  if (d.trends.length) {
    chart("chart-trend", { tooltip: { trigger: "axis" }, legend: { bottom: 0 }, grid: { left: 36, right: 10, bottom: 40, containLabel: true },
      xAxis: { type: "category", data: d.trends[0].points.map(function (p) { return p.period; }) },
      yAxis: { type: "value", minInterval: 1 },
      series: d.trends.map(function (t) { return { name: t.label, type: "line", data: t.points.map(function (p) { return p.value; }) }; }) });
  }
  if (d.children.length) {
    var names = d.children.map(function (r) { return r.organization.name; });
    var drill = function (p) { location.href = d.drill + "?org=" + d.children[p.dataIndex].organization.id + d.query; };
    var cov = chart("chart-children-coverage", { tooltip: { trigger: "axis" }, legend: { bottom: 0 },
      grid: { left: 36, right: 10, bottom: 40, containLabel: true },
      xAxis: { type: "category", data: names, axisLabel: { rotate: 30, interval: 0 } }, yAxis: { type: "value", minInterval: 1 },
      series: [
        { name: L["coverage.compounds"], type: "bar", data: d.children.map(function (r) { return r["coverage.compounds"]; }) },
        { name: L["coverage.compounds_with_branch"], type: "bar", data: d.children.map(function (r) { return r["coverage.compounds_with_branch"]; }) }
      ] });
    var mem = chart("chart-children-members", { tooltip: {}, grid: { left: 36, right: 10, bottom: 40, containLabel: true },
      xAxis: { type: "category", data: names, axisLabel: { rotate: 30, interval: 0 } }, yAxis: { type: "value", minInterval: 1 },
      series: [{ name: L["members.total"], type: "bar", data: d.children.map(function (r) { return r["members.total"]; }) }] });
    [cov, mem].forEach(function (c) { if (c) c.on("click", drill); });
  }
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  window.dashboardCharts = charts.length;
})();
