// The dashboard: the area chart from the canvas's data, and the live figures (SignalR: a recalculation of
// the year fetches the figures partial again and swaps it in place, with a polite notice).
"use strict";
(function () {
  const box = document.getElementById("figures");
  if (!box) return;
  const year = Number(box.dataset.year);
  const notice = document.getElementById("live-notice");
  let chart = null;

  function drawChart() {
    const canvas = document.getElementById("area-chart");
    if (chart) { chart.destroy(); chart = null; }
    if (!canvas || typeof Chart === "undefined") return;
    const data = JSON.parse(canvas.dataset.chart);
    chart = new Chart(canvas, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: [
          { label: canvas.dataset.computed, data: data.computed, backgroundColor: "#0066cc" },
          { label: canvas.dataset.declared, data: data.declared, backgroundColor: "#5c6f82" },
        ],
      },
      options: {
        responsive: true, maintainAspectRatio: false, animation: false, scales: { y: { min: 0, max: 100 } },
        plugins: { tooltip: { callbacks: { title: (items) => data.names[items[0].dataIndex] } } },
      },
    });
  }

  async function refresh() {
    const url = new URL(window.location.href);
    url.searchParams.set("anno", String(year));
    url.searchParams.set("periodo", box.dataset.period || "");
    url.searchParams.set("handler", "Figures");
    const response = await fetch(url, { headers: { Accept: "text/html" }, credentials: "same-origin" });
    if (!response.ok) return;
    box.innerHTML = await response.text();
    drawChart();
    const level = box.querySelector("[data-testid=entity-computed]");
    if (notice && level) notice.textContent = notice.dataset.text.replace("{0}", level.textContent.trim());
  }

  drawChart();
  if (typeof signalR === "undefined") return;
  const connection = new signalR.HubConnectionBuilder()
    .withUrl(box.dataset.hub)
    .withAutomaticReconnect({ nextRetryDelayInMilliseconds: (ctx) => Math.min(10000, 500 * (ctx.previousRetryCount + 1)) })
    .build();
  connection.on("recalculated", (r) => { if (r.year === year) refresh(); });
  // After a drop: follow the year again and catch up with what was missed meanwhile.
  connection.onreconnected(() => connection.invoke("Follow", year).then(refresh));
  async function start() {
    try {
      await connection.start();
      await connection.invoke("Follow", year);
      box.dataset.live = "true";
    } catch {
      setTimeout(start, 3000); // the automatic reconnect covers drops, not a failed first start
    }
  }
  // Scoring refused this session's stream (its token expired, or the year is not published to an anonymous reader):
  // fetch the figures (which renews the session's token, or shows the sign-in) and follow again on a new connection.
  let retry = 3000;
  connection.on("refused", async (r) => {
    if (r.year !== year) return;
    retry = 15000;
    box.dataset.live = "false";
    try { await refresh(); } finally { await connection.stop(); }
  });
  connection.onclose(() => { setTimeout(start, retry); retry = 3000; });
  start();
})();
