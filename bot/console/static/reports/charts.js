/* The charts, drawn with Chart.js (the vendored /console/vendor/chart.umd.js, a classic script
 * that sets window.Chart). Each chart is destroyed and made again on every render, so a new
 * language or a new period redraws labels, legends and tooltips. Sizes come from the CSS of
 * the .chart-box around each canvas (responsive, no aspect ratio); no inline style is written
 * in the markup. Every canvas carries a text summary in its aria-label. */

import { $, $$ } from "/static/shared/dom.js";
import { formatNumber, t } from "../common/i18n.js";
import {
  agentLabel,
  categoryLabel,
  count,
  dayLabel,
  percent,
  reasonLabel,
  severityLabel,
} from "./labels.js";

const charts = new Map(); // name -> Chart

const SEVERITIES = ["light", "medium", "severe", "critical"];
const SEVERITY_COLORS = { light: "#8c96a3", medium: "#d99a06", severe: "#e8650c", critical: "#d32f2f" };
const CATEGORY_COLORS = {
  product_quality: "#2f5bd3",
  logistics: "#1f9d8b",
  service_attitude: "#c2418f",
  after_sales: "#7a5cd6",
  billing: "#d9822b",
  price_billing: "#d9822b",
  policy: "#5f6b7a",
  account_privacy: "#3b8fd9",
  general: "#9aa5b1",
  other: "#b8c0ca",
};
const PALETTE = ["#2f5bd3", "#1f9d8b", "#d9822b", "#c2418f", "#7a5cd6", "#3b8fd9", "#8a6d3b", "#5f6b7a"];
const CSAT_COLORS = ["#d32f2f", "#e8650c", "#d99a06", "#5fa672", "#1f7a4d"];
const ACCENT = "#2f5bd3";
const ACCENT_SOFT = "#9db4ee";
const FONT =
  'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", "Noto Sans", "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif';

/** A long axis label cut to `max` characters (the tooltip's title keeps it whole). */
const short = (text, max = 22) => {
  const chars = Array.from(String(text ?? ""));
  return chars.length > max ? `${chars.slice(0, max - 1).join("")}…` : chars.join("");
};
const wholeTitle = (labels) => ({ title: (items) => (items.length ? labels[items[0].dataIndex] : "") });

const library = () => (typeof window.Chart === "function" ? window.Chart : null);

export const chartsAvailable = () => library() !== null;

let configured = false;
function configure(Chart) {
  if (configured) return;
  configured = true;
  Chart.defaults.font.family = FONT;
  Chart.defaults.font.size = 12;
  Chart.defaults.color = "#5f6b7a";
  Chart.defaults.borderColor = "#e1e5ea";
  Chart.defaults.animation = { duration: 250 };
  Chart.defaults.plugins.legend.labels.boxWidth = 12;
  Chart.defaults.plugins.legend.labels.boxHeight = 12;
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.responsive = true;
}

const colorOf = (table, key, index) => table[key] || PALETTE[index % PALETTE.length];
const sum = (values) => (values || []).reduce((a, b) => a + (Number(b) || 0), 0);
const integerTicks = { precision: 0, callback: (value) => formatNumber(value) };

function stackedByDay(days, series, labelOf, colors) {
  return {
    type: "bar",
    data: {
      labels: days.map(dayLabel),
      datasets: series.map(([key, values], index) => ({
        label: labelOf(key),
        data: values,
        backgroundColor: colorOf(colors, key, index),
        borderWidth: 0,
        maxBarThickness: 42,
      })),
    },
    options: {
      interaction: { mode: "index", intersect: false },
      scales: {
        x: { stacked: true, grid: { display: false } },
        y: { stacked: true, beginAtZero: true, ticks: integerTicks },
      },
      plugins: { legend: { position: "bottom" } },
    },
  };
}

function seriesSummary(series, labelOf) {
  return series.map(([key, values]) => `${labelOf(key)} ${count(sum(values))}`).join(", ");
}

/** What each chart draws from the summary: {config, empty, summary} or null. */
const BUILD = {
  csat(summary) {
    const distribution = summary?.figures?.csat?.distribution || {};
    const stars = ["1", "2", "3", "4", "5"];
    const values = stars.map((s) => Number(distribution[s] || 0));
    return {
      empty: sum(values) === 0,
      summary: stars.map((s, i) => `${t("chart.stars", { n: s })} ${count(values[i])}`).join(", "),
      config: {
        type: "bar",
        data: {
          labels: stars.map((s) => t("chart.stars", { n: s })),
          datasets: [{ label: t("chart.answers"), data: values, backgroundColor: CSAT_COLORS, borderWidth: 0, maxBarThickness: 56 }],
        },
        options: {
          scales: { x: { grid: { display: false } }, y: { beginAtZero: true, ticks: integerTicks } },
          plugins: { legend: { display: false } },
        },
      },
    };
  },

  sla(summary) {
    const sla = summary?.figures?.sla || {};
    const parts = [
      ["sub.sla_first", sla.first_response || {}],
      ["sub.sla_resolution", sla.resolution || {}],
    ];
    const values = parts.map(([, p]) => (typeof p.value === "number" ? Math.round(p.value * 1000) / 10 : null));
    return {
      empty: values.every((v) => v === null),
      summary: parts.map(([key, p]) => `${t(key)} ${percent(p.value)}`).join(", "),
      config: {
        type: "bar",
        data: {
          labels: parts.map(([key]) => t(key)),
          datasets: [
            {
              label: t("chart.compliance"),
              data: values,
              backgroundColor: [ACCENT, "#1f9d8b"],
              borderWidth: 0,
              maxBarThickness: 72,
            },
          ],
        },
        options: {
          indexAxis: "y",
          scales: {
            x: {
              min: 0,
              max: 100,
              ticks: { callback: (value) => formatNumber(value / 100, { style: "percent" }) },
            },
            y: { grid: { display: false } },
          },
          plugins: {
            legend: { display: false },
            tooltip: {
              callbacks: {
                label: (item) => {
                  const part = parts[item.dataIndex][1];
                  const share = percent(part.value);
                  return typeof part.due === "number"
                    ? `${share} · ${t("chart.met_tip", { met: count(part.met), due: count(part.due) })}`
                    : share;
                },
              },
            },
          },
        },
      },
    };
  },

  categories(summary) {
    const voice = summary?.voice || {};
    const days = voice.days || [];
    const series = Object.entries(voice.by_category || {}).sort((a, b) => sum(b[1]) - sum(a[1]));
    return {
      empty: series.every(([, values]) => sum(values) === 0),
      summary: seriesSummary(series, categoryLabel),
      config: stackedByDay(days, series, categoryLabel, CATEGORY_COLORS),
    };
  },

  severity(summary) {
    const voice = summary?.voice || {};
    const days = voice.days || [];
    const given = voice.by_severity || {};
    const keys = [...SEVERITIES.filter((s) => s in given), ...Object.keys(given).filter((s) => !SEVERITIES.includes(s))];
    const series = keys.map((key) => [key, given[key] || []]);
    return {
      empty: series.every(([, values]) => sum(values) === 0),
      summary: seriesSummary(series, severityLabel),
      config: stackedByDay(days, series, severityLabel, SEVERITY_COLORS),
    };
  },

  reasons(summary) {
    const byReason = summary?.figures?.escalation_rate?.by_reason || {};
    const rows = Object.entries(byReason).sort((a, b) => b[1] - a[1]);
    return {
      empty: rows.length === 0 || sum(rows.map(([, n]) => n)) === 0,
      summary: rows.map(([reason, n]) => `${reasonLabel(reason)} ${count(n)}`).join(", "),
      config: {
        type: "bar",
        data: {
          labels: rows.map(([reason]) => short(reasonLabel(reason), 28)),
          datasets: [
            {
              label: t("chart.escalations"),
              data: rows.map(([, n]) => n),
              backgroundColor: "#e8650c",
              borderWidth: 0,
              maxBarThickness: 28,
            },
          ],
        },
        options: {
          indexAxis: "y",
          scales: { x: { beginAtZero: true, ticks: integerTicks }, y: { grid: { display: false } } },
          plugins: {
            legend: { display: false },
            tooltip: { callbacks: wholeTitle(rows.map(([reason]) => reasonLabel(reason))) },
          },
        },
      },
    };
  },

  agents(summary) {
    const agents = summary?.agents || [];
    const names = agents.map((a) => agentLabel(a.agent_id, a.name));
    const chats = agents.map((a) => a.chats ?? 0);
    const tickets = agents.map((a) => a.tickets ?? 0);
    return {
      empty: agents.length === 0 || sum(chats) + sum(tickets) === 0,
      summary: agents
        .map((a, i) => `${names[i]} ${t("chart.chats")} ${count(a.chats)} ${t("chart.tickets")} ${count(a.tickets)}`)
        .join(", "),
      config: {
        type: "bar",
        data: {
          labels: names.map((name) => short(name)),
          datasets: [
            { label: t("chart.chats"), data: chats, backgroundColor: ACCENT, borderWidth: 0, maxBarThickness: 32 },
            { label: t("chart.tickets"), data: tickets, backgroundColor: ACCENT_SOFT, borderWidth: 0, maxBarThickness: 32 },
          ],
        },
        options: {
          interaction: { mode: "index", intersect: false },
          scales: { x: { grid: { display: false } }, y: { beginAtZero: true, ticks: integerTicks } },
          plugins: { legend: { position: "bottom" }, tooltip: { callbacks: wholeTitle(names) } },
        },
      },
    };
  },
};

export const CHART_NAMES = Object.keys(BUILD);

export function destroyCharts() {
  for (const chart of charts.values()) chart.destroy();
  charts.clear();
}

/** (Re)draws every chart from the summary (null: empty charts while loading). */
export function renderCharts(summary) {
  const Chart = library();
  $("#charts-unavailable").hidden = Boolean(Chart);
  destroyCharts();
  for (const name of CHART_NAMES) {
    const canvas = $(`#chart-${name}`);
    if (!canvas) continue;
    const card = canvas.closest(".chart-card");
    const built = summary ? BUILD[name](summary) : null;
    const emptyNote = card ? $(".chart-empty", card) : null;
    if (emptyNote) emptyNote.hidden = !built || !built.empty;
    card?.setAttribute("data-empty", !built || built.empty ? "true" : "false");
    const title = t(`chart.${name}`);
    canvas.setAttribute(
      "aria-label",
      built && !built.empty ? t("chart.aria", { title, summary: built.summary }) : `${title}: ${t("chart.empty")}`,
    );
    canvas.textContent = built && !built.empty ? built.summary : t("chart.empty");
    if (!Chart || !built) continue;
    configure(Chart);
    try {
      charts.set(name, new Chart(canvas, built.config));
    } catch (error) {
      console.warn(`chart ${name}`, error); // eslint-disable-line no-console
    }
  }
}

/** Canvas elements of every chart (for tests and printing). */
export const chartCanvases = () => $$(".chart-card canvas");
