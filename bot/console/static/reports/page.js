/* The page's fixed parts: the texts written in reports.html (data-i18n="key" for the text,
 * data-i18n-attr="aria-label=key,title=key" for attributes), the language switch, the views
 * (booting, forbidden, the reports), the filters and the CSV links that follow them. */

import { $, $$ } from "/static/shared/dom.js";
import { lang, setLang, t } from "../common/i18n.js";
import { isoDay } from "./labels.js";

export const CSV_TABLES = ["figures", "voice", "agents", "escalations"];

/** Writes every data-i18n text and attribute of the page in the current language. */
export function applyStaticTexts(root = document) {
  for (const node of $$("[data-i18n]", root)) node.textContent = t(node.dataset.i18n);
  for (const node of $$("[data-i18n-attr]", root)) {
    for (const pair of node.dataset.i18nAttr.split(",")) {
      const [attr, key] = pair.split("=").map((s) => s.trim());
      if (attr && key) node.setAttribute(attr, t(key));
    }
  }
  document.title = t("page.title");
  const select = $("#lang-switch");
  if (select) select.value = lang();
}

/** The language switch: the console's own (a <select>, English | 中文), shared through
 * localStorage by common/i18n.js. */
export function wireLangSwitch() {
  const select = $("#lang-switch");
  select.value = lang();
  select.addEventListener("change", () => setLang(select.value));
}

/** Which of the page's views shows: "booting" | "forbidden" | "reports". */
export function showView(name) {
  $("#booting").hidden = name !== "booting";
  $("#topbar").hidden = name === "booting";
  $("#forbidden").hidden = name !== "forbidden";
  $("#reports-view").hidden = name !== "reports";
}

/** The filters as the API takes them. */
export function readFilters() {
  return {
    start: $("#filter-start").value,
    end: $("#filter-end").value,
    channel: $("#filter-channel").value,
    language: $("#filter-language").value,
  };
}

/** The last 7 days, today included (the browser's calendar; the shop's is the same here). */
export function defaultFilters() {
  const today = new Date();
  const start = new Date(today.getFullYear(), today.getMonth(), today.getDate() - 6);
  $("#filter-start").value = isoDay(start);
  $("#filter-end").value = isoDay(today);
}

/** null when the filters can be sent, else the key of what is wrong. */
export function filtersProblem(filters) {
  if (!filters.start || !filters.end) return "filters.missing";
  return filters.start > filters.end ? "filters.bad_range" : null;
}

export const query = (filters) =>
  new URLSearchParams({
    start: filters.start,
    end: filters.end,
    channel: filters.channel,
    language: filters.language,
  }).toString();

/** Points every CSV link at its table for these filters. */
export function updateCsvLinks(filters) {
  const params = query(filters);
  for (const link of $$("a.csv-link[data-table]")) {
    const table = link.dataset.table;
    link.href = `/api/console/reports/${table}.csv?${params}`;
    link.textContent = t("csv");
    link.title = t("csv.title", { table: t(`csv.${table}`) });
    link.setAttribute("aria-label", link.title);
  }
}

export function setStatus(text) {
  $("#load-status").textContent = text;
}

export function setBusy(busy) {
  $("#reports").setAttribute("aria-busy", busy ? "true" : "false");
  $("#refresh").disabled = busy;
  $("#reports").classList.toggle("is-loading", busy);
}

/** The banner's error ("" hides it); `retry`: offer "Try again" (not for a filter to fix). */
export function showLoadError(text, retry = true) {
  $("#load-error-text").textContent = text || "";
  $("#load-retry").hidden = !retry;
  $("#load-error").hidden = !text;
}
