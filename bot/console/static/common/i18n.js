/* The staff pages' language: English or Simplified Chinese, chosen by the agent (a switch,
 * remembered in this browser), and the catalogues of texts each page registers.
 *
 *   import { t, lang, setLang, register, onLangChange, formatDateTime } from "../common/i18n.js";
 *   register({ en: { greeting: "Hello {name}" }, zh: { greeting: "你好，{name}" } });
 *   t("greeting", { name: "Anna" })
 *
 * A key missing in Chinese falls back to English, a key missing in both shows itself (so a gap
 * is visible, never blank). Dates and numbers follow the language (Intl).
 */

const KEY = "lera.console.lang";
const LANGS = ["en", "zh"];
const catalogues = { en: {}, zh: {} };
const listeners = new Set();

function initial() {
  try {
    const saved = window.localStorage.getItem(KEY);
    if (LANGS.includes(saved)) return saved;
  } catch (_) {
    /* storage off: the browser's language */
  }
  return (navigator.language || "en").toLowerCase().startsWith("zh") ? "zh" : "en";
}

let current = initial();

/** The current language: "en" | "zh". */
export function lang() {
  return current;
}

/** Adds texts: { en: {key: text}, zh: {key: text} } (later registrations win per key). */
export function register(texts) {
  for (const code of LANGS) Object.assign(catalogues[code], texts[code] || {});
}

/** The text for key in the current language, with {name} placeholders filled. */
export function t(key, vars = {}) {
  const text = catalogues[current][key] ?? catalogues.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in vars ? String(vars[name]) : whole));
}

/** Switches the language, remembers it, and tells every listener (pages re-render). */
export function setLang(code) {
  if (!LANGS.includes(code) || code === current) return;
  current = code;
  try {
    window.localStorage.setItem(KEY, code);
  } catch (_) {
    /* remembered for this page only */
  }
  document.documentElement.lang = code === "zh" ? "zh-CN" : "en";
  for (const listener of listeners) listener(code);
}

export function onLangChange(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function locale() {
  return current === "zh" ? "zh-CN" : "en-GB";
}

export function formatDateTime(value, options = { dateStyle: "medium", timeStyle: "short" }) {
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? "" : new Intl.DateTimeFormat(locale(), options).format(date);
}

export function formatNumber(value, options = {}) {
  return new Intl.NumberFormat(locale(), options).format(value);
}

document.documentElement.lang = current === "zh" ? "zh-CN" : "en";
