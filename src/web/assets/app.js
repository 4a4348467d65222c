// Progressive enhancement only: every page works without this file.
// Charts: <div class="chart" data-chart='{"echarts option JSON"}'> next to a table fallback.
(() => {
  function renderCharts(root) {
    if (!window.echarts) return;
    for (const el of root.querySelectorAll("[data-chart]")) {
      if (el.dataset.rendered) continue;
      try {
        const option = JSON.parse(el.dataset.chart);
        const chart = window.echarts.init(el, null, { renderer: "svg" });
        chart.setOption(option);
        // Drill-down: a series may carry `links` (one URL per data point) to the records behind it.
        chart.on("click", (p) => {
          const href = option.series?.[p.seriesIndex]?.links?.[p.dataIndex];
          if (href) window.location.assign(href);
        });
        el.dataset.rendered = "1";
        window.addEventListener("resize", () => chart.resize());
      } catch (err) {
        console.error("chart failed", err);
      }
    }
  }
  document.addEventListener("DOMContentLoaded", () => renderCharts(document));
  document.addEventListener("htmx:afterSwap", (e) => renderCharts(e.target));
  // Confirmation for destructive actions: <button data-confirm="Refund 12.00?">
  document.addEventListener("click", (e) => {
    const target = e.target.closest?.("[data-confirm]");
    if (target && !window.confirm(target.dataset.confirm)) e.preventDefault();
  });
})();
