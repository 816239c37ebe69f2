/* Formatting shared by the staff pages: labels, durations, clock times — in the language the
 * agent chose (common/i18n.js; the texts: common/strings.js). Pure functions.
 *
 * The *_LABEL tables keep their shape (code -> text) but each text is looked up when it is
 * read, so a label read after a language switch is in the new language. */

import { formatDateTime, t } from "./i18n.js";
import "./strings.js";

/** A code -> text table whose texts are the catalogue's `${prefix}.${code}`, read live. */
function lookup(prefix, codes) {
  const table = {};
  for (const code of codes) {
    Object.defineProperty(table, code, { enumerable: true, get: () => t(`${prefix}.${code}`) });
  }
  return Object.freeze(table);
}

/** The catalogue's text for `${prefix}.${code}`, or null when it has none. */
export function knownText(prefix, code) {
  if (code === null || code === undefined || code === "") return null;
  const key = `${prefix}.${code}`;
  const text = t(key);
  return text === key ? null : text;
}

export const SEVERITIES = ["light", "medium", "severe", "critical"];
export const SEVERITY_LABEL = lookup("severity", SEVERITIES);
export const CHANNEL_LABEL = lookup("channel", ["web", "telegram"]);
export const LANGUAGE_LABEL = lookup("language", ["en", "zh"]);
export const ROLE_LABEL = lookup("role", ["agent", "supervisor", "admin"]);
export const PRESENCE_LABEL = lookup("presence", ["online", "away", "offline"]);
export const ACTION_LABEL = lookup("action", [
  "created",
  "queued",
  "assigned",
  "first_response",
  "note",
  "transferred",
  "handed_back",
  "resolved",
  "reopened",
  "status",
  "taken",
  "replied",
  "corrected",
  "routed",
  "survey",
  "repeat_of",
  "tier",
  "sla_warning",
  "sla_breached",
  "left_queue",
  "follow_up_offered",
  "chat_closed_idle",
]);

// tickets as work: what the ticket list filters on and shows
export const TICKET_STATUSES = ["open", "pending", "waiting_customer", "resolved", "closed"];
export const TICKET_STATUS_LABEL = lookup("ticketStatus", [...TICKET_STATUSES, "active"]);
export const CATEGORY_LABEL = lookup("category", [
  "product_quality",
  "service_attitude",
  "logistics",
  "after_sales",
  "billing",
  "policy",
  "general",
]);
export const SLA_LABEL = lookup("sla", ["ok", "warning", "breached", "paused", "met"]);
export const CATEGORIES = Object.keys(CATEGORY_LABEL);
export const SLA_STATES = Object.keys(SLA_LABEL);
export const TIER_LABEL = lookup("tier", ["vip", "standard"]);

export const humanize = (code) => String(code ?? "").replace(/[_-]+/g, " ").trim();
export const capitalize = (text) => (text ? text.charAt(0).toUpperCase() + text.slice(1) : "");

export function parseTime(iso) {
  if (!iso) return null;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : ms;
}

/** A code's label from the catalogue (`${prefix}.${code}`), else the code in words. */
export const labelOf = (prefix, code) => knownText(prefix, code) ?? capitalize(humanize(code));

export const severityText = (severity) => labelOf("severity", severity);
export const channelText = (channel) => labelOf("channel", channel);
export const languageText = (code) => knownText("language", code) ?? (code || "");
export const roleText = (role) => labelOf("role", role);
export const presenceText = (presence) => labelOf("presence", presence);
export const tierText = (tier) => knownText("tier", tier) ?? (tier || "");
export const slaText = (state) => labelOf("sla", state);
/** An escalation reason ("severe_complaint": "Severe complaint"). */
export const reasonText = (reason) => labelOf("reason", reason);
/** The assistant's readings: an emotion, its strength, a cue (in lower case, like a tag). */
export const emotionText = (emotion) => knownText("emotion", emotion) ?? humanize(emotion);
export const intensityText = (level) => knownText("intensity", level) ?? humanize(level);
export const cueText = (cue) => knownText("cue", cue) ?? humanize(cue);
export const productText = (product) => knownText("product", product) ?? humanize(product);
export const problemText = (problem) => knownText("problem", problem) ?? humanize(problem);

/** "<1 min", "3 min", "1 h 5 min", "2 d 3 h" (in Chinese "3 分钟", "1 小时 5 分钟"…). */
export function duration(ms) {
  const minutes = Math.max(0, Math.floor(ms / 60000));
  if (minutes < 1) return t("duration.lessThanMinute");
  if (minutes < 60) return t("duration.minutes", { m: minutes });
  const hours = Math.floor(minutes / 60);
  if (hours < 24) {
    return minutes % 60 ? t("duration.hoursMinutes", { h: hours, m: minutes % 60 }) : t("duration.hours", { h: hours });
  }
  const days = Math.floor(hours / 24);
  return hours % 24 ? t("duration.daysHours", { d: days, h: hours % 24 }) : t("duration.days", { d: days });
}

/** How long since (a wait: "3 min"). */
export const sinceText = (iso) => {
  const at = parseTime(iso);
  return at === null ? "" : duration(Date.now() - at);
};

/** How long ago ("3 min ago", "3 分钟前"; under a minute "just now"). */
export function agoText(iso) {
  const at = parseTime(iso);
  if (at === null) return "";
  const elapsed = Date.now() - at;
  return elapsed < 60000 ? t("time.justNow") : t("time.ago", { duration: duration(elapsed) });
}

/** "in 3 h", "overdue by 20 min". */
export function dueText(iso) {
  const at = parseTime(iso);
  if (at === null) return "";
  const diff = at - Date.now();
  return diff >= 0 ? t("due.in", { duration: duration(diff) }) : t("due.overdueBy", { duration: duration(-diff) });
}

/** dueText in brackets, after a clock time: " (in 3 h)", "（3 小时后）". */
export const dueParenText = (iso) => t("due.paren", { due: dueText(iso) });

/** "due in 3 h", "overdue 20 min" (the ticket list's SLA column). */
export function slaDueText(iso) {
  const at = parseTime(iso);
  if (at === null) return "";
  const diff = at - Date.now();
  return diff >= 0 ? t("slaDue.in", { duration: duration(diff) }) : t("slaDue.overdue", { duration: duration(-diff) });
}

export const ticketStatusText = (status) => labelOf("ticketStatus", status);
export const categoryText = (category) => (category ? labelOf("category", category) : "");

const CLOCK = { hour: "2-digit", minute: "2-digit" };
const DAY_CLOCK = { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" };
const FULL = { dateStyle: "medium", timeStyle: "medium" };

/** The time of day if it is today, else the date and time (in the agent's language). */
export function clock(iso) {
  const at = parseTime(iso);
  if (at === null) return "";
  const date = new Date(at);
  return date.toDateString() === new Date().toDateString()
    ? formatDateTime(date, CLOCK)
    : formatDateTime(date, DAY_CLOCK);
}

/** The full date and time (a title on hover). */
export function fullTime(iso) {
  const at = parseTime(iso);
  return at === null ? "" : formatDateTime(new Date(at), FULL);
}

export function debounce(fn, ms) {
  let timer = null;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}
