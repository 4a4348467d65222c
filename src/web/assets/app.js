// Progressive enhancement only: every page works without this file.
// Charts: <div class="chart" data-chart='{"echarts option JSON"}'> next to a table fallback.
(() => {
  const reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)");
  function renderCharts(root) {
    if (!window.echarts) return;
    for (const el of root.querySelectorAll("[data-chart]")) {
      if (el.dataset.rendered) continue;
      try {
        const option = JSON.parse(el.dataset.chart);
        const chart = window.echarts.init(el, null, { renderer: "svg" });
        // Bars and lines grow in over a second unless the reader asked for less motion.
        chart.setOption(reducedMotion.matches ? { ...option, animation: false } : option);
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
  // Downloads made on the server (export packs): <form data-download> is fetched here so the page
  // says it is working and how much has arrived, then the file is saved; an error is shown in place.
  document.addEventListener("submit", async (e) => {
    const form = e.target.closest?.("form[data-download]");
    if (!form || !window.fetch || !window.URL?.createObjectURL) return;
    e.preventDefault();
    const button = form.querySelector("button[type=submit]");
    const status = form.querySelector(".download-status");
    const label = button?.textContent;
    const say = (text, state) => {
      if (!status) return;
      status.textContent = text;
      status.dataset.state = state;
    };
    const size = (n) => (n < 1048576 ? `${Math.ceil(n / 1024)} kB` : `${(n / 1048576).toFixed(1)} MB`);
    const url = `${form.action}?${new URLSearchParams(new FormData(form))}`;
    if (button) {
      button.disabled = true;
      button.textContent = button.dataset.busyLabel || "Working…";
    }
    say("Working: the server is writing the files…", "working");
    try {
      const res = await fetch(url, { credentials: "same-origin" });
      if (!res.ok) {
        const page = new DOMParser().parseFromString(await res.text(), "text/html");
        const reason = page.querySelector("main p, .alert, p")?.textContent?.trim();
        throw new Error(reason || `the server answered ${res.status}`);
      }
      const reader = res.body.getReader();
      const parts = [];
      let bytes = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        parts.push(value);
        bytes += value.length;
        say(`Working: ${size(bytes)} received…`, "working");
      }
      const name =
        /filename="([^"]+)"/.exec(res.headers.get("Content-Disposition") || "")?.[1] || "export.zip";
      const link = document.createElement("a");
      link.href = URL.createObjectURL(new Blob(parts, { type: "application/zip" }));
      link.download = name;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(link.href), 60000);
      say(`Done: ${name} (${size(bytes)}) saved.`, "done");
    } catch (err) {
      say(`The export failed: ${err.message}`, "failed");
    } finally {
      if (button) {
        button.disabled = false;
        button.textContent = label;
      }
    }
  });
  // Long actions answered by a page (snapshot rebuild): <form data-working="message"> posts as usual;
  // meanwhile the button is disabled (no second submit) and the form says it is working.
  document.addEventListener("submit", (e) => {
    const form = e.target.closest?.("form[data-working]");
    if (!form || e.defaultPrevented) return;
    const button = form.querySelector("button[type=submit]");
    const status = form.querySelector(".working-status");
    if (status) {
      status.textContent = form.dataset.working;
      status.dataset.state = "working";
    }
    if (button) {
      button.textContent = button.dataset.busyLabel || "Working…";
      // The submission has already begun: disabling its button now stops only a second one.
      button.disabled = true;
    }
  });
  // Confirmation for destructive actions: <button data-confirm="Refund 12.00?">
  document.addEventListener("click", (e) => {
    const target = e.target.closest?.("[data-confirm]");
    if (target && !window.confirm(target.dataset.confirm)) e.preventDefault();
  });
})();
