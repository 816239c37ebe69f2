/* The page's own words on elements drawn by script, marked so that a language switch re-words
 * the whole page in place (applyTexts) — nothing is redrawn, so what the admin has typed stays.
 *
 *   el("button", { class: "btn", ...tx("save") })                 text, data-i18n(+vars)
 *   el("input", { ...ta({ "aria-label": "x", placeholder: "y" }) })  attributes, data-i18n-attr
 *   el("time", { ...when(iso) })                                     a date in the language
 *
 * Server and customer text is never marked: it is shown as it comes. */

import { $$ } from "/static/shared/dom.js";
import { formatDateTime, lang, t } from "../common/i18n.js";

/** The catalogue's text; with {n: 1}, the key's ".one" form when the catalogue has one. */
export function words(key, vars) {
  if (vars && Number(vars.n) === 1) {
    const one = `${key}.one`;
    const text = t(one, vars);
    if (text !== one) return text;
  }
  return t(key, vars);
}

const encode = (vars) => (vars && Object.keys(vars).length ? JSON.stringify(vars) : null);

function decode(text) {
  if (!text) return {};
  try {
    return JSON.parse(text) || {};
  } catch {
    return {};
  }
}

/** Props for an element whose text is the catalogue's `key`. */
export function tx(key, vars) {
  return { text: words(key, vars), "data-i18n": key, "data-i18n-vars": encode(vars) };
}

/** Props for attributes from the catalogue: { attribute: key }. */
export function ta(attributes, vars) {
  const props = {};
  const pairs = [];
  for (const [attribute, key] of Object.entries(attributes)) {
    props[attribute] = words(key, vars);
    pairs.push(`${attribute}=${key}`);
  }
  props["data-i18n-attr"] = pairs.join(",");
  props["data-i18n-attr-vars"] = encode(vars);
  return props;
}

/** Sets a drawn element's text to the catalogue's `key` (and keeps it marked). */
export function setTx(node, key, vars) {
  node.textContent = words(key, vars);
  node.dataset.i18n = key;
  if (encode(vars)) node.dataset.i18nVars = encode(vars);
  else delete node.dataset.i18nVars;
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const FORMATS = {
  datetime: { dateStyle: "medium", timeStyle: "short" },
  full: { dateStyle: "full", timeStyle: "medium" },
  day: { weekday: "short", year: "numeric", month: "short", day: "numeric" },
};

/** A date: "2027-01-01" is a calendar day (no time zone shift), anything else an instant. */
export function dateOf(value) {
  const day = DAY.exec(String(value ?? ""));
  return day ? new Date(Number(day[1]), Number(day[2]) - 1, Number(day[3])) : new Date(value);
}

export const formatWhen = (value, format = "datetime") =>
  value ? formatDateTime(dateOf(value), FORMATS[format] || FORMATS.datetime) : "";

/** Props for an element showing a date or instant in the page's language. */
export function when(value, format = "datetime") {
  return {
    text: formatWhen(value, format),
    datetime: value || null,
    "data-time": value || null,
    "data-time-format": format,
    title: value && format === "datetime" ? formatWhen(value, "full") : null,
  };
}

/** Re-words every marked element under root in the current language. */
export function applyTexts(root = document) {
  for (const node of $$("[data-i18n]", root)) node.textContent = words(node.dataset.i18n, decode(node.dataset.i18nVars));
  for (const node of $$("[data-i18n-attr]", root)) {
    const vars = decode(node.dataset.i18nAttrVars);
    for (const pair of node.dataset.i18nAttr.split(",")) {
      const [attribute, key] = pair.split("=").map((part) => part.trim());
      if (attribute && key) node.setAttribute(attribute, words(key, vars));
    }
  }
  for (const node of $$("[data-time]", root)) {
    const format = node.dataset.timeFormat || "datetime";
    node.textContent = formatWhen(node.dataset.time, format);
    if (format === "datetime") node.title = formatWhen(node.dataset.time, "full");
  }
}

/** The catalogue's words for a code (`${prefix}.${code}`), else the code in words. */
export function codeTx(prefix, code) {
  const key = `${prefix}.${code}`;
  if (t(key) !== key) return tx(key);
  const words = String(code ?? "").replace(/[_-]+/g, " ").trim();
  return { text: words ? words.charAt(0).toUpperCase() + words.slice(1) : "—" };
}

/** The text of a bilingual value ({en, zh}) in the page's language, else the other one. */
export const inLanguage = (value) => {
  if (value === null || value === undefined) return "";
  if (typeof value !== "object") return String(value);
  return String(value[lang()] || value.en || value.zh || "");
};
