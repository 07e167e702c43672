// Years side by side: the trend chart from the page's JSON block (the tables carry the same figures).
"use strict";
(function () {
  const source = document.getElementById("years-data");
  const canvas = document.getElementById("years-chart");
  if (!source || !canvas || typeof Chart === "undefined") return;
  const data = JSON.parse(source.textContent);
  const palette = ["#0066cc", "#5c6f82", "#008055", "#a66300", "#cc334d", "#6f42c1", "#00838f", "#7a5200", "#b3003c", "#2e7d32", "#455a64", "#8e24aa"];
  let area = 0;
  const datasets = data.series.map((s) => {
    const entity = s.kind !== "area";
    const color = s.kind === "entity" ? "#003366" : s.kind === "declared" ? "#5c6f82" : palette[area++ % palette.length];
    return {
      label: s.label, data: s.values, borderColor: color, backgroundColor: color, spanGaps: false,
      borderWidth: entity ? 4 : 1.5, pointRadius: entity ? 5 : 3, borderDash: s.kind === "declared" ? [6, 4] : [],
    };
  });
  new Chart(canvas, {
    type: "line",
    data: { labels: data.years, datasets },
    options: {
      responsive: true, maintainAspectRatio: false, animation: false,
      scales: { y: { suggestedMin: 80, max: 100 } },
      plugins: { legend: { position: "bottom" } },
    },
  });
})();
