// Breakdown charts from each canvas's data (the table below each is the same data, for every reader).
"use strict";
document.querySelectorAll("canvas.breakdown-chart").forEach((canvas) => {
  if (typeof Chart === "undefined") return;
  const data = JSON.parse(canvas.dataset.chart);
  new Chart(canvas, {
    type: "bar",
    data: { labels: data.labels, datasets: [{ label: canvas.dataset.computed, data: data.computed, backgroundColor: "#0066cc" }] },
    options: { responsive: true, maintainAspectRatio: false, animation: false, indexAxis: data.labels.length > 8 ? "y" : "x", scales: { x: { min: 0 } } },
  });
});
