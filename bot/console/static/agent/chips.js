/* Small pieces of the console's views: severity chips, the VIP badge, reason chips, icons, and
 * a ticket's status, SLA state and reopen/repeat badges. */

import { el, icon, svg } from "/static/shared/dom.js";
import { fullTime, reasonText, severityText, slaDueText, slaText, ticketStatusText } from "../common/format.js";
import { t } from "../common/i18n.js";

export function severityChip(severity, extraClass = "") {
  if (!severity) return null;
  return el("span", {
    class: `chip sev sev-${severity} ${extraClass}`.trim(),
    "data-severity": severity,
    text: severityText(severity),
  });
}

export const vipBadge = () => el("span", { class: "badge-vip", title: t("chip.vipTitle"), text: "VIP" });

export const reasonChips = (reasons) =>
  (reasons || [])
    .filter(Boolean)
    .map((reason) => el("span", { class: "chip chip-reason", title: reason, text: reasonText(reason) }));

export const lockIcon = () =>
  icon(
    { viewBox: "0 0 16 16", width: 12, height: 12 },
    svg("rect", { x: 3, y: 7, width: 10, height: 8, rx: 1.5, fill: "currentColor" }),
    svg("path", { d: "M5 7V5a3 3 0 0 1 6 0v2", fill: "none", stroke: "currentColor", "stroke-width": 1.6 }),
  );

export const ticketStatusChip = (status) =>
  el("span", { class: "chip chip-status", "data-status": status, text: ticketStatusText(status) });

/** Where a ticket stands against its due time: "due in 3 h", "overdue 20 min", "Paused"… */
export function slaChip(ticket) {
  const state = ticket.sla_state || "ok";
  const closed = ["resolved", "closed"].includes(ticket.status);
  const running = ["ok", "warning", "breached"].includes(state) && Boolean(ticket.due_at) && !closed;
  const label = slaText(state);
  return el("span", {
    class: "chip chip-sla",
    "data-sla": state,
    title: ticket.due_at ? t("chip.slaTitleDue", { label, time: fullTime(ticket.due_at) }) : t("chip.slaTitle", { label }),
    "data-sla-due": running ? ticket.due_at : null,
    text: running ? slaDueText(ticket.due_at) : SLA_DONE_KEY[state] ? t(SLA_DONE_KEY[state]) : t("chip.noDue"),
  });
}

const SLA_DONE_KEY = { paused: "chip.slaPaused", met: "chip.slaMet", breached: "chip.slaBreached" };

export function reopenedBadge(count) {
  if (!(count > 0)) return null;
  const title = count === 1 ? t("chip.reopenedOnce") : t("chip.reopenedTimes", { n: count });
  return el("span", { class: "chip chip-reopened", title, text: t("chip.reopened", { n: count }) });
}

export function repeatBadge(number) {
  if (!number) return null;
  const title = t("chip.repeatTitle", { n: number });
  return el("span", { class: "chip chip-repeat", title, text: t("chip.repeat", { n: number }) });
}
