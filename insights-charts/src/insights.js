// Draws the insights page's charts from the JSON the server embeds in the page
// (<script type="application/json" id="insights-data">). Right-to-left in Arabic: legends,
// tooltips and the time axis follow the page's direction.
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from "chart.js";

Chart.register(BarController, BarElement, CategoryScale, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip);

const COLORS = {
  conversations: "#1f5f8b",
  questions: "#6b8e23",
  answered: "#2e7d32",
  not_covered: "#c62828",
  not_understood: "#ef6c00",
  clarification: "#6a1b9a",
  up: "#2e7d32",
  down: "#c62828",
};

function options(rtl, stacked) {
  return {
    responsive: true,
    maintainAspectRatio: false,
    animation: false,
    locale: document.documentElement.lang,
    plugins: {
      legend: { rtl, textDirection: rtl ? "rtl" : "ltr", position: "bottom" },
      tooltip: { rtl, textDirection: rtl ? "rtl" : "ltr" },
    },
    scales: {
      x: { reverse: rtl, stacked },
      y: { beginAtZero: true, stacked, ticks: { precision: 0 }, position: rtl ? "right" : "left" },
    },
  };
}

function dataset(key, label, values, type) {
  return { type, label, data: values, borderColor: COLORS[key], backgroundColor: COLORS[key], tension: 0.2 };
}

function draw() {
  const source = document.getElementById("insights-data");
  if (!source) return;
  const data = JSON.parse(source.textContent || "{}");
  const rtl = document.documentElement.dir === "rtl";
  const L = data.labels;
  const charts = {
    "chart-volumes": {
      type: "line",
      data: {
        labels: data.days,
        datasets: ["conversations", "questions"].map((k) => dataset(k, L[k], data.series[k], "line")),
      },
      options: options(rtl, false),
    },
    "chart-outcomes": {
      type: "bar",
      data: {
        labels: data.days,
        datasets: ["answered", "not_covered", "not_understood"].map((k) => dataset(k, L[k], data.series[k], "bar")),
      },
      options: options(rtl, true),
    },
    "chart-topics": {
      type: "bar",
      data: {
        labels: data.topics.labels,
        datasets: ["answered", "not_covered", "not_understood"].map((k) => dataset(k, L[k], data.topics[k], "bar")),
      },
      options: options(rtl, true),
    },
    "chart-feedback": {
      type: "bar",
      data: {
        labels: data.days,
        datasets: [dataset("up", L.helpful, data.series.helpful, "bar"), dataset("down", L.not_helpful, data.series.not_helpful, "bar")],
      },
      options: options(rtl, true),
    },
  };
  for (const [id, config] of Object.entries(charts)) {
    const canvas = document.getElementById(id);
    if (canvas) new Chart(canvas, config);
  }
  document.body.dataset.chartsReady = "true";
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
else draw();
