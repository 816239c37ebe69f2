/* The open ticket's reply box: a reply to the customer on their own channel (the widget shows
 * it when they come back; Telegram delivers it — replying takes the ticket) or, with Private
 * note on, a note only agents see. Enter sends, Shift+Enter is a new line. On a ticket a
 * colleague has, an agent may only add notes (the assignee or a supervisor replies). */

import { api } from "../common/api.js";
import { hideTicketErrors, showTicketError } from "./feedback.js";
import { NOT_YOUR_TICKET, mayActOnTicket, state } from "./store.js";
import { appendTicketMessage, reloadTicket } from "./ticket_detail.js";
import { refreshTickets } from "./tickets.js";
import { ui } from "./ui.js";

export function renderTicketComposer() {
  const t = state.ticket;
  const privateOn = ui.ticketNoteToggle.checked;
  const locked = Boolean(t) && !privateOn && !mayActOnTicket(t); // an agent, on a colleague's ticket
  ui.ticketComposer.dataset.private = privateOn ? "true" : "false";
  ui.ticketReplyLabel.textContent = privateOn ? "Private note (only agents see it)" : "Reply to the customer";
  ui.ticketReply.placeholder = !t
    ? "Open a ticket first"
    : privateOn
      ? "Write a note for the team…"
      : locked
        ? "Switch on Private note to leave a note for the team"
        : "Write to the customer on their channel…";
  ui.ticketReply.disabled = !t;
  ui.ticketNoteToggle.disabled = !t;
  ui.ticketReplySend.disabled = !t || state.ticketSending || locked;
  ui.ticketReplySend.title = locked ? NOT_YOUR_TICKET : "";
  ui.ticketReplySend.textContent = privateOn ? "Add note" : "Send";
}

export async function sendTicketReply() {
  const t = state.ticket;
  const text = ui.ticketReply.value.trim();
  if (!t || state.ticketSending) return;
  if (!text) {
    showTicketError(ui.ticketNoteToggle.checked ? "Write the note first." : "Write the reply first.");
    ui.ticketReply.focus();
    return;
  }
  const isPrivate = ui.ticketNoteToggle.checked;
  if (!isPrivate && !mayActOnTicket(t)) {
    // the Send button is greyed out then; Enter in the box still lands here
    showTicketError(`${NOT_YOUR_TICKET} You can add a private note.`);
    return;
  }
  state.ticketSending = true;
  hideTicketErrors("ticket");
  renderTicketComposer();
  try {
    const message = await api("POST", `/api/console/tickets/${t.number}/messages`, { text, private: isPrivate });
    if (ui.ticketReply.value.trim() === text && state.ticketNumber === t.number) ui.ticketReply.value = "";
    const draft = state.ticketDrafts.get(t.number);
    if (draft && draft.text.trim() === text) state.ticketDrafts.delete(t.number);
    if (state.ticket?.number === t.number) appendTicketMessage(message, { scroll: true });
    reloadTicket(); // the history, the assignee, the first reply time changed too
    refreshTickets();
  } catch (error) {
    if (error.status !== 401) showTicketError(`Not sent: ${error.message}`);
    if (error.status === 409) reloadTicket();
  } finally {
    state.ticketSending = false;
    renderTicketComposer();
    ui.ticketReply.focus();
  }
}

export function onTicketReplyKey(event) {
  if (event.key !== "Enter" || event.shiftKey || event.isComposing || event.keyCode === 229) return;
  event.preventDefault();
  sendTicketReply();
}

export function onTicketNoteToggle() {
  hideTicketErrors("ticket");
  renderTicketComposer();
}
