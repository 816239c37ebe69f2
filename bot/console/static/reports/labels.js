/* How the reports show values: "—" for nothing, percentages, durations in minutes, counts,
 * scores, days, and the names of the server's codes in the page's language. */

import { capitalize, humanize } from "../common/format.js";
import { formatDateTime, formatNumber, lang, t } from "../common/i18n.js";

export const DASH = "—";

export const missing = (value) => value === null || value === undefined || Number.isNaN(value);
const isNumber = (value) => typeof value === "number" && Number.isFinite(value);

/** The text of "<kind>.<code>" in the page's language, or the code made readable. */
export function codeLabel(kind, code) {
  if (code === null || code === undefined || code === "") return DASH;
  const key = `${kind}.${code}`;
  const text = t(key);
  return text === key ? capitalize(humanize(code)) : text;
}

export const categoryLabel = (code) => codeLabel("category", code);
export const severityLabel = (code) => codeLabel("severity", code);
export const reasonLabel = (code) => codeLabel("reason", code);
export const channelLabel = (code) => codeLabel("channel", code);
export const languageLabel = (code) => codeLabel("language", code);
export const outcomeLabel = (code) => codeLabel("outcome", code);
export const productLabel = (code) => codeLabel("product", code);
export const problemLabel = (code) => codeLabel("problem", code);
export const statusLabel = (code) => codeLabel("status", code);

/** A count: "1,234" / "1,234", or "—". */
export const count = (value) => (isNumber(value) ? formatNumber(value) : DASH);

/** A share 0–1 as a percentage: "62%", "12.5%", or "—". */
export const percent = (value) =>
  isNumber(value) ? formatNumber(value, { style: "percent", maximumFractionDigits: 1 }) : DASH;

/** A plain number with at most `digits` decimals, or "—". */
export const decimal = (value, digits = 1) =>
  isNumber(value) ? formatNumber(value, { maximumFractionDigits: digits, minimumFractionDigits: 0 }) : DASH;

/** NPS is −100…100: signed ("+25", "−10", "0"), or "—". */
export function signed(value) {
  if (!isNumber(value)) return DASH;
  const text = formatNumber(Math.abs(value), { maximumFractionDigits: 1 });
  if (value > 0) return `+${text}`;
  return value < 0 ? `−${text}` : text;
}

const UNITS = {
  en: { lessThan: "<1 min", min: (n) => `${n} min`, h: (n) => `${n} h`, d: (n) => `${n} d`, sep: " " },
  zh: { lessThan: "不到 1 分钟", min: (n) => `${n} 分钟`, h: (n) => `${n} 小时`, d: (n) => `${n} 天`, sep: " " },
};

/** A duration given in minutes: "4 min", "2 h 5 min", "1 d 3 h" / "4 分钟", "2 小时 5 分钟"… */
export function minutes(value) {
  if (!isNumber(value)) return DASH;
  const u = UNITS[lang()] || UNITS.en;
  if (value <= 0) return u.min(0);
  if (value < 1) return u.lessThan;
  const total = Math.round(value);
  if (total < 60) return u.min(total);
  const hours = Math.floor(total / 60);
  const rest = total % 60;
  if (hours < 24) return rest ? `${u.h(hours)}${u.sep}${u.min(rest)}` : u.h(hours);
  const days = Math.floor(hours / 24);
  const restHours = hours % 24;
  return restHours ? `${u.d(days)}${u.sep}${u.h(restHours)}` : u.d(days);
}

/** "YYYY-MM-DD" as a local calendar day (no time-zone shift). */
export function parseDay(day) {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(day || ""));
  return match ? new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : null;
}

/** "YYYY-MM-DD" of a Date, local. */
export function isoDay(date) {
  const pad = (n) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** A day for a chart's axis: "25 Nov" / "11月25日". */
export function dayLabel(day) {
  const date = parseDay(day);
  return date ? formatDateTime(date, { day: "numeric", month: "short" }) : String(day ?? "");
}

/** A day in full: "25 Nov 2026" / "2026年11月25日". */
export function longDay(day) {
  const date = parseDay(day);
  return date ? formatDateTime(date, { dateStyle: "medium" }) : String(day ?? DASH);
}

/** An ISO moment: "1 Dec 2026, 14:05", or "—". */
export function moment(iso) {
  if (!iso) return DASH;
  return formatDateTime(iso) || DASH;
}

/** An agent's name as the reports show it: the assistant in the page's language. */
export function agentLabel(agentId, name) {
  if (agentId === null || agentId === undefined) return t("assistant");
  return name || t("agent.unknown", { id: agentId });
}
