/* The ticket panel above the chat's transcript: summary line, fields and the ticket's history
 * (its entries: history.js). */

import { el, fill } from "/static/shared/dom.js";
import { categoryText, slaDueText, ticketStatusText } from "../common/format.js";
import { t } from "../common/i18n.js";
import { reasonChips, severityChip } from "./chips.js";
import { fieldCells, moment } from "./fields.js";
import { eventItem } from "./history.js";
import { ui } from "./ui.js";

const isOpen = (ticket) => !["resolved", "closed"].includes(ticket.status);

export function renderTicket(conversation) {
  const ticket = conversation.ticket;
  ui.ticketPanel.hidden = !ticket;
  if (!ticket) {
    ui.ticketDetails.replaceChildren();
    return;
  }
  fill(
    ui.ticketSummaryText,
    el("strong", { text: t("ticket.number", { n: ticket.number }) }),
    severityChip(ticket.severity),
    el("span", { class: "ticket-status", "data-status": ticket.status, text: ticketStatusText(ticket.status) }),
    ticket.due_at && isOpen(ticket)
      ? el("span", { class: "muted small", "data-due": ticket.due_at, text: slaDueText(ticket.due_at) })
      : null,
  );

  const open = isOpen(ticket);
  const { cells, cell } = fieldCells();
  const when = (iso, { relative = open, overdueClass = false } = {}) =>
    moment(iso, { active: open, relative, late: overdueClass });
  // the subject is the ticket's own (in its language), shown as it is
  cell(t("field.subject"), ticket.subject || null, { wide: true, key: "subject" });
  cell(t("field.category"), categoryText(ticket.category) || null, { key: "category" });
  cell(t("field.due"), when(ticket.due_at, { overdueClass: true }), { key: "due" });
  if (ticket.first_response_at) {
    cell(t("field.firstReply"), when(ticket.first_response_at, { relative: false }), { key: "first-response" });
  } else {
    const due = when(ticket.first_response_due_at, { overdueClass: true });
    cell(t("field.firstReplyDue"), due, { key: "first-response" });
  }
  cell(t("field.opened"), when(ticket.created_at, { relative: false }), { key: "opened" });
  if (ticket.resolved_at) {
    cell(t("field.resolved"), when(ticket.resolved_at, { relative: false }), { key: "resolved" });
  }
  if (ticket.reasons?.length) {
    const chips = el("span", { class: "chip-row" }, reasonChips(ticket.reasons));
    cell(t("field.reasons"), chips, { wide: true, key: "reasons" });
  }
  cell(t("field.solution"), ticket.solution || null, { wide: true, key: "solution" });
  cell(
    t("field.description"),
    ticket.description ? el("span", { class: "ticket-description", text: ticket.description }) : null,
    { wide: true, key: "description" },
  );

  const events = conversation.ticket_events || [];
  fill(
    ui.ticketDetails,
    el("div", { class: "ticket-fields" }, cells),
    el(
      "div",
      { class: "ticket-history" },
      el("h4", { class: "section-title", text: t("ticket.history") }),
      events.length
        ? el("ol", { class: "ticket-events", "data-console": "ticket-events" }, events.map(eventItem))
        : el("p", { class: "empty small", text: t("ticket.noEvents") }),
    ),
  );
}
