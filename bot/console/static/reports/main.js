/* LERA Desk — the supervisors' reports page (/console/reports). Native ES modules, no build
 * step; the charts are Chart.js, vendored at /console/vendor/chart.umd.js (a classic script
 * loaded before this module). Every server or customer text is inserted as text.
 *
 *   main.js     boot (who is signed in, the CSRF token), filters, loading, language changes
 *   texts.js    the page's texts in English and Chinese      labels.js  values and codes as text
 *   page.js     the fixed parts of the page, filters, CSV links
 *   figures.js  the figure cards and their definitions       charts.js  the charts
 *   tables.js   per agent, voice of the customer, escalations
 *   qa.js       QA sampling, the transcript, the rubric and its reviews
 *
 * API: GET /api/console/me, GET /api/console/reports/summary?start&end&channel&language,
 * the CSV links /api/console/reports/{figures|voice|agents|escalations}.csv?…, and the QA
 * routes under /api/console/reports/qa/ (see qa.js). 401 → /console (sign in there);
 * 403 → "Reports are for supervisors and admins".
 */

import "./texts.js";
import { $ } from "/static/shared/dom.js";
import { ApiError, api, onUnauthorized, setCsrfToken } from "../common/api.js";
import { debounce } from "../common/format.js";
import { formatDateTime, onLangChange, t } from "../common/i18n.js";
import { renderCharts } from "./charts.js";
import { renderFigurePlaceholders, renderFigures } from "./figures.js";
import { channelLabel, languageLabel, longDay } from "./labels.js";
import {
  applyStaticTexts,
  defaultFilters,
  filtersProblem,
  query,
  readFilters,
  setBusy,
  setStatus,
  showLoadError,
  showView,
  updateCsvLinks,
  wireLangSwitch,
} from "./page.js";
import { initQa, knowAgents, renderQa } from "./qa.js";
import { renderAgents, renderEscalations, renderVoice } from "./tables.js";

const state = {
  me: null,
  view: "booting",
  summary: null,
  loadedAt: null,
  loading: false,
};
let loadToken = 0;
let shownError = null; // {key, error?}: the banner's error, redrawn in a new language

function showError(key, error) {
  shownError = key ? { key, error } : null;
  renderError();
}

function renderError() {
  if (!shownError) return showLoadError("");
  const { key, error } = shownError;
  return error ? showLoadError(t(key, { detail: errorText(error) })) : showLoadError(t(key), false);
}

onUnauthorized(() => {
  window.location.assign("/console");
});

/** A sentence for an error, in the page's language where the page has its own words. */
export function errorText(error) {
  if (error instanceof ApiError) {
    if (error.status === 0) return t("error.offline");
    if (error.detail) return error.message;
    return t("error.generic", { status: error.status });
  }
  return String(error?.message || error || "");
}

function show(view) {
  state.view = view;
  showView(view);
}

function renderMe() {
  const me = state.me;
  $("#me").hidden = !me;
  $("#admin-link").hidden = me?.role !== "admin"; // the admin pages are for admins
  if (!me) return;
  $("#me-name").textContent = me.name || me.email || "";
  const roleKey = `me.role.${me.role}`;
  const role = t(roleKey);
  $("#me-role").textContent = role === roleKey ? me.role || "" : role;
}

function renderPeriodNote() {
  const period = state.summary?.period;
  const note = $("#period-note");
  if (!period) {
    note.textContent = "";
    return;
  }
  const parts = [
    t("status.period", {
      start: longDay(period.start),
      end: longDay(period.end),
      tz: period.timezone || "—",
    }),
  ];
  if (period.channel) parts.push(channelLabel(period.channel));
  if (period.language) parts.push(languageLabel(period.language));
  note.textContent = parts.join(" · ");
}

function renderStatus() {
  if (state.loading) setStatus(t("status.loading"));
  else if (state.loadedAt) setStatus(t("status.updated", { time: formatDateTime(state.loadedAt, { timeStyle: "short" }) }));
  else setStatus("");
}

/** Draws everything from the last summary (or placeholders before the first one). */
function renderReports() {
  const summary = state.summary;
  if (summary) renderFigures($("#figures"), summary.figures || {});
  else renderFigurePlaceholders($("#figures"), state.loading || state.view === "booting");
  renderCharts(summary);
  renderAgents($("#agents-body"), summary?.agents || []);
  renderVoice($("#voice-body"), summary?.voice || {});
  renderEscalations($("#escalations-body"), summary?.figures?.escalation_rate || {});
  renderPeriodNote();
  renderStatus();
}

async function load() {
  if (state.view !== "reports") return;
  const filters = readFilters();
  updateCsvLinks(filters);
  const problem = filtersProblem(filters);
  if (problem) {
    state.loading = false;
    showError(problem);
    return;
  }
  const token = ++loadToken;
  state.loading = true;
  setBusy(true);
  renderStatus();
  showError(null);
  try {
    const summary = await api("GET", `/api/console/reports/summary?${query(filters)}`);
    if (token !== loadToken) return;
    state.summary = summary || {};
    state.loadedAt = new Date();
    knowAgents(state.summary.agents);
  } catch (error) {
    if (token !== loadToken) return;
    if (error?.status === 401) return; // on the way to the sign-in
    if (error?.status === 403) {
      show("forbidden");
      return;
    }
    showError("error.load", error);
  } finally {
    if (token === loadToken) {
      state.loading = false;
      setBusy(false);
    }
  }
  if (token === loadToken) renderReports();
}

const loadSoon = debounce(load, 350);

function wireFilters() {
  const form = $("#filters");
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    load();
  });
  form.addEventListener("change", () => {
    updateCsvLinks(readFilters());
    loadSoon();
  });
  $("#load-retry").addEventListener("click", () => (state.me ? load() : boot()));
}

function onLanguage() {
  applyStaticTexts();
  renderMe();
  if (state.view !== "reports") return;
  updateCsvLinks(readFilters());
  renderError();
  renderReports();
  renderQa();
}

async function boot() {
  show("booting");
  let me;
  try {
    me = await api("GET", "/api/console/me");
  } catch (error) {
    if (error?.status === 401) return; // redirected to the sign-in
    if (error?.status === 403) {
      show("forbidden");
      return;
    }
    show("reports");
    showError("error.load", error);
    return;
  }
  state.me = me || {};
  setCsrfToken(state.me.csrf_token);
  renderMe();
  if (state.me.role === "agent") {
    show("forbidden");
    return;
  }
  show("reports");
  showError(null);
  state.loading = true; // placeholders say "…" until the first summary is in
  renderReports();
  await load();
}

function start() {
  applyStaticTexts();
  wireLangSwitch();
  onLangChange(onLanguage);
  defaultFilters();
  updateCsvLinks(readFilters());
  wireFilters();
  initQa({ filters: readFilters, filtersProblem, errorText, onReviewed: () => load() });
  boot();
}

start();
