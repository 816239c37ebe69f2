/* Formatting shared by the staff pages: labels, durations, clock times. Pure functions. */

export const SEVERITIES = ["light", "medium", "severe", "critical"];
export const SEVERITY_LABEL = { light: "Light", medium: "Medium", severe: "Severe", critical: "Critical" };
export const CHANNEL_LABEL = { web: "Web chat", telegram: "Telegram" };
export const LANGUAGE_LABEL = { en: "English", zh: "Chinese (中文)" };
export const ROLE_LABEL = { agent: "Agent", supervisor: "Supervisor", admin: "Admin" };
export const ACTION_LABEL = {
  created: "Ticket opened",
  queued: "Queued for an agent",
  assigned: "Assigned",
  first_response: "First reply sent",
  note: "Private note added",
  transferred: "Transferred",
  handed_back: "Handed back to the bot",
  resolved: "Resolved",
  reopened: "Reopened",
  status: "Status changed",
  taken: "Taken",
  replied: "Replied to the customer",
  corrected: "Corrected",
  routed: "Routed",
  survey: "Survey answered",
  repeat_of: "Linked as a repeat",
  tier: "Customer tier changed",
  sla_warning: "SLA warning",
  sla_breached: "SLA breached",
  left_queue: "Customer left the queue",
  follow_up_offered: "Follow-up offered",
  chat_closed_idle: "Chat closed (idle)",
};

// tickets as work: what the ticket list filters on and shows
export const TICKET_STATUSES = ["open", "pending", "waiting_customer", "resolved", "closed"];
export const TICKET_STATUS_LABEL = {
  open: "Open",
  pending: "Pending",
  waiting_customer: "Waiting on customer",
  resolved: "Resolved",
  closed: "Closed",
  active: "Active",
};
export const CATEGORY_LABEL = {
  product_quality: "Product quality",
  service_attitude: "Service attitude",
  logistics: "Logistics",
  after_sales: "After-sales",
  billing: "Billing",
  policy: "Policy",
  general: "General",
};
export const SLA_LABEL = {
  ok: "On time",
  warning: "Due soon",
  breached: "Overdue",
  paused: "Paused",
  met: "Met",
};
export const CATEGORIES = Object.keys(CATEGORY_LABEL);
export const SLA_STATES = Object.keys(SLA_LABEL);
export const TIER_LABEL = { vip: "VIP", standard: "Standard" };

export const humanize = (code) => String(code ?? "").replace(/[_-]+/g, " ").trim();
export const capitalize = (text) => (text ? text.charAt(0).toUpperCase() + text.slice(1) : "");

export function parseTime(iso) {
  if (!iso) return null;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : ms;
}

/** "<1 min", "3 min", "1 h 5 min", "2 d 3 h". */
export function duration(ms) {
  const minutes = Math.max(0, Math.floor(ms / 60000));
  if (minutes < 1) return "<1 min";
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
  const days = Math.floor(hours / 24);
  return hours % 24 ? `${days} d ${hours % 24} h` : `${days} d`;
}

export const sinceText = (iso) => {
  const t = parseTime(iso);
  return t === null ? "" : duration(Date.now() - t);
};

export function dueText(iso) {
  const t = parseTime(iso);
  if (t === null) return "";
  const diff = t - Date.now();
  return diff >= 0 ? `in ${duration(diff)}` : `overdue by ${duration(-diff)}`;
}

/** "due in 3 h", "overdue 20 min" (the ticket list's SLA column). */
export function slaDueText(iso) {
  const t = parseTime(iso);
  if (t === null) return "";
  const diff = t - Date.now();
  return diff >= 0 ? `due in ${duration(diff)}` : `overdue ${duration(-diff)}`;
}

export const ticketStatusText = (status) => TICKET_STATUS_LABEL[status] || capitalize(humanize(status));
export const categoryText = (category) => CATEGORY_LABEL[category] || capitalize(humanize(category));

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, {
  day: "numeric",
  month: "short",
  hour: "2-digit",
  minute: "2-digit",
});

/** The time of day if it is today, else the date and time. */
export function clock(iso) {
  const t = parseTime(iso);
  if (t === null) return "";
  const date = new Date(t);
  return date.toDateString() === new Date().toDateString()
    ? timeFormat.format(date)
    : dateTimeFormat.format(date);
}

export function fullTime(iso) {
  const t = parseTime(iso);
  return t === null ? "" : new Date(t).toLocaleString();
}

export function debounce(fn, ms) {
  let timer = null;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}
