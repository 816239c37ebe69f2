/* What the agent may do with the open ticket: take it, move its status (waiting on the
 * customer and resolved ask for a note the customer is told), correct its category or
 * severity with a reason, and — supervisors and admins — mark the customer VIP or standard.
 * On a ticket a colleague has, an agent's status moves and "take over" are greyed out with the
 * reason as their title (the server enforces it either way). The reply box is
 * ticket_composer.js. */

import { el } from "/static/shared/dom.js";
import { api } from "../common/api.js";
import { CATEGORIES, CHANNEL_LABEL, SEVERITIES, categoryText, ticketStatusText } from "../common/format.js";
import { openConversation } from "./conversation.js";
import { announceTicket, hideTicketErrors, showTicketError } from "./feedback.js";
import {
  NOT_YOUR_TICKET,
  TAKE_OVER_SENIOR,
  assigneeText,
  isSenior,
  mayActOnTicket,
  render,
  state,
  ticketActive,
  ticketIsMine,
} from "./store.js";
import { renderTicketComposer } from "./ticket_composer.js";
import { reloadTicket, setTicket } from "./ticket_detail.js";
import { refreshTickets } from "./tickets.js";
import { ui } from "./ui.js";
import { showWork } from "./work.js";

/** What the note of each status asks; `required` ones are told to the customer. */
const STATUS_NOTE = {
  waiting_customer: {
    label: "What do you need from the customer?",
    help: "Required. The customer is told, and the SLA clock stops until they answer.",
    required: "Say what you need from the customer.",
  },
  resolved: {
    label: "The solution, in a sentence",
    help: "Required. The customer is told, then asked the survey.",
    required: "Say how it was solved, in a sentence.",
  },
};
const OPTIONAL_NOTE = { label: "Note (optional)", help: "Kept in the ticket's history." };

let formsFor = null; // the ticket whose number the forms were last filled for
const corrected = { category: null, severity: null }; // what the correction form was filled with

function hintFor(t) {
  if (!t) return state.ticketNumber !== null ? "Loading the ticket…" : "Open a ticket to work on it.";
  const channel = CHANNEL_LABEL[t.channel || t.customer?.channel] || "their channel";
  if (t.status === "resolved") {
    return "Resolved — the customer was asked the survey. Reopen it to work on it again.";
  }
  if (t.status === "closed") return "Closed. Reopen it to work on it again.";
  if (ticketIsMine(t)) {
    return t.status === "waiting_customer"
      ? "You have this ticket; it waits on the customer."
      : `You have this ticket. Replies reach the customer on ${channel}.`;
  }
  if (t.assignee && !mayActOnTicket(t)) {
    const who = assigneeText(t);
    return `${who} has this ticket. Only they or a supervisor can reply or move it — you can add a private note.`;
  }
  if (t.assignee) return `${assigneeText(t)} has this ticket. You can take it over or add a private note.`;
  return `Nobody has this ticket yet. Take it, or reply — replying takes it too (${channel}).`;
}

export function renderTicketActions() {
  const t = state.ticket;
  const busy = state.ticketBusy;
  ui.ticketHint.textContent = hintFor(t);
  if (!t) {
    formsFor = null;
    return;
  }
  if (formsFor !== t.number) resetForms(t);

  ui.ticketTake.hidden = !(ticketActive(t) && !ticketIsMine(t));
  ui.ticketTake.disabled = busy || !mayActOnTicket(t);
  ui.ticketTake.title = mayActOnTicket(t) ? "" : TAKE_OVER_SENIOR;
  ui.ticketTake.textContent = t.assignee ? `Take over from ${t.assignee.name}` : "Take this ticket";
  ui.ticketOpenChat.hidden = !(t.conversation_id && ["queued", "assigned"].includes(t.conversation_status));
  ui.ticketOpenChat.textContent = t.conversation_status === "queued" ? "Open the chat (waiting)" : "Open the chat";

  renderTicketComposer();
  renderStatusForm(t, busy);
  renderCorrectForm(t, busy);

  ui.ticketTier.hidden = !isSenior();
  const vip = t.customer?.tier === "vip";
  const name = t.customer?.name || "This customer";
  ui.ticketTierText.textContent = vip
    ? `${name} is a VIP customer: their chats wait in the VIP lane.`
    : `${name} is a standard customer.`;
  ui.ticketVip.textContent = vip ? "Mark standard" : "Mark VIP";
  ui.ticketVip.dataset.tier = vip ? "vip" : "standard";
  ui.ticketVip.disabled = busy || !t.customer?.id;
}

function resetForms(t) {
  formsFor = t.number;
  ui.ticketStatus.value = "";
  ui.ticketStatusNote.value = "";
  ui.ticketStatusNote.removeAttribute("aria-invalid");
  ui.ticketCorrectReason.value = "";
  ui.ticketCorrectReason.removeAttribute("aria-invalid");
  fillCategoryOptions(t.category);
  ui.ticketCorrectCategory.value = t.category || "";
  ui.ticketCorrectSeverity.value = SEVERITIES.includes(t.severity) ? t.severity : "medium";
  corrected.category = t.category;
  corrected.severity = t.severity;
}

function fillCategoryOptions(current) {
  const codes = current && !CATEGORIES.includes(current) ? [...CATEGORIES, current] : CATEGORIES;
  const selected = ui.ticketCorrectCategory.value;
  ui.ticketCorrectCategory.replaceChildren(
    ...(current ? [] : [el("option", { value: "", text: "No category" })]),
    ...codes.map((code) => el("option", { value: code, text: categoryText(code) })),
  );
  if (selected && codes.includes(selected)) ui.ticketCorrectCategory.value = selected;
}

function renderStatusForm(t, busy) {
  const allowed = Array.isArray(t.allowed_status) ? t.allowed_status : [];
  const chosen = ui.ticketStatus.value;
  const reopening = ["resolved", "closed"].includes(t.status);
  const key = `${t.number}:${t.status}:${allowed.join(",")}`;
  if (ui.ticketStatus.dataset.options !== key) {
    // rebuilt only when the choice changes (an open list is not closed under the agent)
    ui.ticketStatus.dataset.options = key;
    ui.ticketStatus.replaceChildren(
      el("option", { value: "", text: allowed.length ? "Choose a status…" : "No change is possible" }),
      ...allowed.map((s) =>
        el("option", { value: s, text: s === "open" && reopening ? "Open again (reopen)" : ticketStatusText(s) }),
      ),
    );
    ui.ticketStatus.value = allowed.includes(chosen) ? chosen : "";
  }
  const locked = !mayActOnTicket(t); // an agent, on a colleague's ticket
  ui.ticketStatus.disabled = busy || !allowed.length || locked;
  ui.ticketStatus.title = locked ? NOT_YOUR_TICKET : "";
  ui.ticketStatusApply.title = locked ? NOT_YOUR_TICKET : "";
  renderStatusNote();
}

/** The note's label and help follow the chosen status. */
export function renderStatusNote() {
  const note = STATUS_NOTE[ui.ticketStatus.value] || OPTIONAL_NOTE;
  ui.ticketStatusNoteLabel.textContent = note.label;
  ui.ticketStatusHelp.textContent = note.help;
  if (note.required) ui.ticketStatusNote.setAttribute("aria-required", "true");
  else ui.ticketStatusNote.removeAttribute("aria-required");
  const locked = Boolean(state.ticket) && !mayActOnTicket(state.ticket);
  ui.ticketStatusApply.disabled = state.ticketBusy || !ui.ticketStatus.value || locked;
}

function renderCorrectForm(t, busy) {
  if (t.category && ![...ui.ticketCorrectCategory.options].some((o) => o.value === t.category)) {
    fillCategoryOptions(t.category);
  }
  // corrected meanwhile (by a colleague, or just now): the form follows unless the agent changed it
  for (const [key, select] of [["category", ui.ticketCorrectCategory], ["severity", ui.ticketCorrectSeverity]]) {
    if (t[key] === corrected[key]) continue;
    if (select.value === (corrected[key] || "")) select.value = t[key] || "";
    corrected[key] = t[key];
  }
  for (const control of [ui.ticketCorrectCategory, ui.ticketCorrectSeverity, ui.ticketCorrectReason]) {
    control.disabled = busy;
  }
  ui.ticketCorrectApply.disabled = busy;
}

/** Runs an action on the open ticket; its answer (the ticket) is shown. */
async function actOnTicket(run, { success, where = "ticket" } = {}) {
  const t = state.ticket;
  if (!t || state.ticketBusy) return null;
  state.ticketBusy = true;
  hideTicketErrors();
  renderTicketActions();
  try {
    const result = await run(t);
    if (result && typeof result === "object" && "events" in result && state.ticketNumber === t.number) {
      setTicket(result, { keepScroll: true });
    }
    if (success) announceTicket(typeof success === "function" ? success(result, t) : success);
    refreshTickets();
    return result;
  } catch (error) {
    if (error.status !== 401) {
      showTicketError(error.message, where);
      if (error.status === 409 || error.status === 404) {
        reloadTicket();
        refreshTickets();
      }
    }
    return null;
  } finally {
    state.ticketBusy = false;
    renderTicketActions();
  }
}

const post = (t, action, body) => api("POST", `/api/console/tickets/${t.number}/${action}`, body);

export async function onTakeTicket() {
  if (!mayActOnTicket(state.ticket)) return;
  const result = await actOnTicket((t) => post(t, "take"), { success: (r, t) => `You have ticket #${t.number}.` });
  if (result) ui.ticketReply.focus();
}

export async function onStatusSubmit(event) {
  event?.preventDefault();
  const status = ui.ticketStatus.value;
  if (!status || state.ticketBusy) return;
  if (!mayActOnTicket(state.ticket)) {
    showTicketError(NOT_YOUR_TICKET, "status");
    return;
  }
  const note = ui.ticketStatusNote.value.trim();
  const needs = STATUS_NOTE[status]?.required;
  if (needs && !note) {
    ui.ticketStatusNote.setAttribute("aria-invalid", "true");
    showTicketError(needs, "status");
    ui.ticketStatusNote.focus();
    return;
  }
  ui.ticketStatusNote.removeAttribute("aria-invalid");
  const result = await actOnTicket((t) => post(t, "status", { status, note }), {
    where: "status",
    success: (r, t) => `Ticket #${t.number} is now ${ticketStatusText(r?.status || status).toLowerCase()}.`,
  });
  if (result) {
    ui.ticketStatus.value = "";
    ui.ticketStatusNote.value = "";
    renderStatusNote();
  }
}

/** Enter applies the status (Shift+Enter: a new line in the note). */
export function onStatusNoteKey(event) {
  if (event.key !== "Enter" || event.shiftKey || event.isComposing || event.keyCode === 229) return;
  event.preventDefault();
  ui.ticketStatusForm.requestSubmit();
}

export async function onCorrectSubmit(event) {
  event?.preventDefault();
  const t = state.ticket;
  if (!t || state.ticketBusy) return;
  const body = {};
  const category = ui.ticketCorrectCategory.value;
  const severity = ui.ticketCorrectSeverity.value;
  if (category && category !== t.category) body.category = category;
  if (severity && severity !== t.severity) body.severity = severity;
  const reason = ui.ticketCorrectReason.value.trim();
  if (!body.category && !body.severity) {
    showTicketError("Choose another category or severity first.", "correct");
    ui.ticketCorrectCategory.focus();
    return;
  }
  if (!reason) {
    ui.ticketCorrectReason.setAttribute("aria-invalid", "true");
    showTicketError("Say why it is corrected.", "correct");
    ui.ticketCorrectReason.focus();
    return;
  }
  ui.ticketCorrectReason.removeAttribute("aria-invalid");
  const result = await actOnTicket((ticket) => post(ticket, "correct", { ...body, reason }), {
    where: "correct",
    success: (r, ticket) => `Ticket #${ticket.number} corrected.`,
  });
  if (result) ui.ticketCorrectReason.value = "";
}

export async function onToggleVip() {
  if (!isSenior()) return;
  const t = state.ticket;
  const customer = t?.customer;
  if (!customer?.id) return;
  const tier = customer.tier === "vip" ? "standard" : "vip";
  const name = customer.name || "The customer";
  const result = await actOnTicket(() => api("PUT", `/api/console/customers/${customer.id}/tier`, { tier }), {
    success: (r) => `${r?.name || name} is now a ${r?.tier === "vip" ? "VIP" : "standard"} customer.`,
  });
  if (!result) return;
  const apply = (row) => {
    if (row?.customer?.id === customer.id) row.customer = { ...row.customer, tier: result.tier ?? tier };
  };
  apply(state.ticket);
  state.tickets.forEach(apply);
  render("ticketDetail", { keepScroll: true });
  render("tickets");
  renderTicketActions();
  reloadTicket(); // the tier change is in the history
}

/** The ticket's live chat, in the Chats view. */
export function onOpenTicketChat() {
  const t = state.ticket;
  if (!t?.conversation_id) return;
  showWork("chats");
  openConversation(t.conversation_id, { fromUser: true });
}
