/* Small pieces of the console's views: severity chips, the VIP badge, reason chips, icons, and
 * a ticket's status, SLA state and reopen/repeat badges. */

import { el, icon, svg } from "/static/shared/dom.js";
import {
  SEVERITY_LABEL,
  SLA_LABEL,
  capitalize,
  fullTime,
  humanize,
  slaDueText,
  ticketStatusText,
} from "../common/format.js";

export function severityChip(severity, extraClass = "") {
  if (!severity) return null;
  return el("span", {
    class: `chip sev sev-${severity} ${extraClass}`.trim(),
    "data-severity": severity,
    text: SEVERITY_LABEL[severity] || capitalize(severity),
  });
}

export const vipBadge = () => el("span", { class: "badge-vip", title: "VIP customer", text: "VIP" });

export const reasonChips = (reasons) =>
  (reasons || [])
    .filter(Boolean)
    .map((reason) => el("span", { class: "chip chip-reason", title: reason, text: humanize(reason) }));

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
  const label = SLA_LABEL[state] || capitalize(humanize(state));
  return el("span", {
    class: "chip chip-sla",
    "data-sla": state,
    title: ticket.due_at ? `SLA: ${label} · due ${fullTime(ticket.due_at)}` : `SLA: ${label}`,
    "data-sla-due": running ? ticket.due_at : null,
    text: running ? slaDueText(ticket.due_at) : SLA_DONE_TEXT[state] || "No due time",
  });
}

const SLA_DONE_TEXT = { paused: "SLA paused", met: "SLA met", breached: "SLA breached" };

export function reopenedBadge(count) {
  if (!(count > 0)) return null;
  const title = `Reopened ${count} time${count === 1 ? "" : "s"}`;
  return el("span", { class: "chip chip-reopened", title, text: `reopened ×${count}` });
}

export function repeatBadge(number) {
  if (!number) return null;
  return el("span", { class: "chip chip-repeat", title: `A repeat of ticket #${number}`, text: `repeat of #${number}` });
}
