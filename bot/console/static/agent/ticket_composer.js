/* The open ticket's reply box: a reply to the customer on their own channel (the widget shows
 * it when they come back; Telegram delivers it — replying takes the ticket) or, with Private
 * note on, a note only agents see. Enter sends, Shift+Enter is a new line. On a ticket a
 * colleague has, an agent may only add notes (the assignee or a supervisor replies). */

import { api } from "../common/api.js";
import { t as tr } from "../common/i18n.js"; // `t` is the ticket here
import { hideTicketErrors, showTicketError } from "./feedback.js";
import { mayActOnTicket, notYourTicket, state } from "./store.js";
import { appendTicketMessage, reloadTicket } from "./ticket_detail.js";
import { refreshTickets } from "./tickets.js";
import { ui } from "./ui.js";

export function renderTicketComposer() {
  const t = state.ticket;
  const privateOn = ui.ticketNoteToggle.checked;
  const locked = Boolean(t) && !privateOn && !mayActOnTicket(t); // an agent, on a colleague's ticket
  ui.ticketComposer.dataset.private = privateOn ? "true" : "false";
  ui.ticketReplyLabel.textContent = privateOn ? tr("composer.noteLabel") : tr("composer.replyLabel");
  ui.ticketReply.placeholder = !t
    ? tr("ticket.placeholderNone")
    : privateOn
      ? tr("composer.placeholderNote")
      : locked
        ? tr("composer.placeholderSwitch")
        : tr("ticket.placeholderReply");
  ui.ticketReply.disabled = !t;
  ui.ticketNoteToggle.disabled = !t;
  ui.ticketReplySend.disabled = !t || state.ticketSending || locked;
  ui.ticketReplySend.title = locked ? notYourTicket() : "";
  ui.ticketReplySend.textContent = privateOn ? tr("composer.addNote") : tr("composer.send");
}

export async function sendTicketReply() {
  const t = state.ticket;
  const text = ui.ticketReply.value.trim();
  if (!t || state.ticketSending) return;
  if (!text) {
    showTicketError(ui.ticketNoteToggle.checked ? tr("ticket.writeNote") : tr("ticket.writeReply"));
    ui.ticketReply.focus();
    return;
  }
  const isPrivate = ui.ticketNoteToggle.checked;
  if (!isPrivate && !mayActOnTicket(t)) {
    // the Send button is greyed out then; Enter in the box still lands here
    showTicketError(tr("composer.canNote", { reason: notYourTicket() }));
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
    if (error.status !== 401) showTicketError(tr("composer.notSent", { error: error.message }));
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
