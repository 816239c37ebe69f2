/* The ticket panel above the chat's transcript: summary line, fields and the ticket's history
 * (its entries: history.js). */

import { el, fill } from "/static/shared/dom.js";
import { humanize, slaDueText } from "../common/format.js";
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
    el("strong", { text: `Ticket #${ticket.number}` }),
    severityChip(ticket.severity),
    el("span", { class: "ticket-status", "data-status": ticket.status, text: humanize(ticket.status) }),
    ticket.due_at && isOpen(ticket)
      ? el("span", { class: "muted small", "data-due": ticket.due_at, text: slaDueText(ticket.due_at) })
      : null,
  );

  const open = isOpen(ticket);
  const { cells, cell } = fieldCells();
  const when = (iso, { relative = open, overdueClass = false } = {}) =>
    moment(iso, { active: open, relative, late: overdueClass });
  cell("Subject", ticket.subject || null, { wide: true, key: "subject" });
  cell("Category", humanize(ticket.category) || null, { key: "category" });
  cell("Due", when(ticket.due_at, { overdueClass: true }), { key: "due" });
  if (ticket.first_response_at) {
    cell("First reply", when(ticket.first_response_at, { relative: false }), { key: "first-response" });
  } else {
    cell("First reply due", when(ticket.first_response_due_at, { overdueClass: true }), { key: "first-response" });
  }
  cell("Opened", when(ticket.created_at, { relative: false }), { key: "opened" });
  if (ticket.resolved_at) cell("Resolved", when(ticket.resolved_at, { relative: false }), { key: "resolved" });
  if (ticket.reasons?.length) {
    cell("Reasons", el("span", { class: "chip-row" }, reasonChips(ticket.reasons)), { wide: true, key: "reasons" });
  }
  cell("Solution", ticket.solution || null, { wide: true, key: "solution" });
  cell(
    "Description",
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
      el("h4", { class: "section-title", text: "History" }),
      events.length
        ? el("ol", { class: "ticket-events", "data-console": "ticket-events" }, events.map(eventItem))
        : el("p", { class: "empty small", text: "No events yet." }),
    ),
  );
}
