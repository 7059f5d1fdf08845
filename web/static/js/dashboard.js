// Dashboard charts: data comes from the page's JSON block (no inline script: CSP).
(function () {
  "use strict";
  const el = document.getElementById("dashboard-data");
  if (!el || typeof Chart === "undefined") return;
  const d = JSON.parse(el.textContent);
  const fi = d.lang === "fi";
  const plans = Object.fromEntries(d.plans_per_year.map((r) => [r.year, r.plans]));
  const years = d.per_year.map((r) => r.year);
  new Chart(document.getElementById("growth-chart"), {
    type: "bar",
    data: {
      labels: years,
      datasets: [
        { label: fi ? "Osallistujia" : "Participants", data: d.per_year.map((r) => r.people),
          backgroundColor: "#0b5cad" },
        { label: fi ? "Organisaatioita" : "Organisations", data: d.per_year.map((r) => r.organisations),
          backgroundColor: "#c2410c" },
        { label: fi ? "Uusia suunnitelmia" : "New plans", data: years.map((y) => plans[y] || 0),
          backgroundColor: "#be123c" },
      ],
    },
    options: { responsive: true, animation: false },
  });
  new Chart(document.getElementById("status-chart"), {
    type: "doughnut",
    data: {
      labels: d.plans_by_status.map((r) => r.status),
      datasets: [{ data: d.plans_by_status.map((r) => r.plans),
                   backgroundColor: ["#0b5cad", "#4d7c0f", "#c2410c", "#6b7280"] }],
    },
    options: { responsive: true, animation: false, aspectRatio: 1.8 },
  });
})();
