/* What the agent may do with the open ticket: take it, move its status (waiting on the
 * customer and resolved ask for a note the customer is told), correct its category or
 * severity with a reason, and — supervisors and admins — mark the customer VIP or standard.
 * On a ticket a colleague has, an agent's status moves and "take over" are greyed out with the
 * reason as their title (the server enforces it either way). The reply box is
 * ticket_composer.js. */

import { el } from "/static/shared/dom.js";
import { api } from "../common/api.js";
import { CATEGORIES, CHANNEL_LABEL, SEVERITIES, categoryText, ticketStatusText } from "../common/format.js";
import { lang, t as tr } from "../common/i18n.js"; // `t` is the ticket here
import { openConversation } from "./conversation.js";
import { announceTicket, hideTicketErrors, showTicketError } from "./feedback.js";
import {
  assigneeText,
  isSenior,
  mayActOnTicket,
  notYourTicket,
  render,
  state,
  takeOverSenior,
  ticketActive,
  ticketIsMine,
} from "./store.js";
import { renderTicketComposer } from "./ticket_composer.js";
import { reloadTicket, setTicket } from "./ticket_detail.js";
import { refreshTickets } from "./tickets.js";
import { ui } from "./ui.js";
import { showWork } from "./work.js";

/** What the note of each status asks (catalogue keys); `required` ones are told to the customer. */
const STATUS_NOTE = {
  waiting_customer: {
    label: "statusNote.waitingLabel",
    help: "statusNote.waitingHelp",
    required: "statusNote.waitingRequired",
  },
  resolved: {
    label: "statusNote.resolvedLabel",
    help: "statusNote.resolvedHelp",
    required: "statusNote.resolvedRequired",
  },
};
const OPTIONAL_NOTE = { label: "statusNote.optionalLabel", help: "statusNote.optionalHelp" };

let formsFor = null; // the ticket whose number the forms were last filled for
const corrected = { category: null, severity: null }; // what the correction form was filled with

function hintFor(t) {
  if (!t) return state.ticketNumber !== null ? tr("ticket.hintLoading") : tr("ticket.hintNone");
  const channel = CHANNEL_LABEL[t.channel || t.customer?.channel] || tr("ticket.theirChannel");
  if (t.status === "resolved") return tr("ticket.hintResolved");
  if (t.status === "closed") return tr("ticket.hintClosed");
  if (ticketIsMine(t)) {
    return t.status === "waiting_customer" ? tr("ticket.hintMineWaiting") : tr("ticket.hintMine", { channel });
  }
  if (t.assignee && !mayActOnTicket(t)) return tr("ticket.hintHeld", { who: assigneeText(t) });
  if (t.assignee) return tr("ticket.hintOther", { who: assigneeText(t) });
  return tr("ticket.hintNobody", { channel });
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
  ui.ticketTake.title = mayActOnTicket(t) ? "" : takeOverSenior();
  ui.ticketTake.textContent = t.assignee ? tr("ticket.takeOver", { name: t.assignee.name }) : tr("ticket.take");
  ui.ticketOpenChat.hidden = !(t.conversation_id && ["queued", "assigned"].includes(t.conversation_status));
  ui.ticketOpenChat.textContent = t.conversation_status === "queued" ? tr("ticket.openChatWaiting") : tr("ticket.openChat");

  renderTicketComposer();
  renderStatusForm(t, busy);
  renderCorrectForm(t, busy);

  ui.ticketTier.hidden = !isSenior();
  const vip = t.customer?.tier === "vip";
  const name = t.customer?.name || tr("tier.thisCustomer");
  ui.ticketTierText.textContent = vip ? tr("tier.isVip", { name }) : tr("tier.isStandard", { name });
  ui.ticketVip.textContent = vip ? tr("tier.markStandard") : tr("tier.markVip");
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
  ui.ticketCorrectCategory.dataset.lang = lang(); // the names are redrawn after a language switch
  ui.ticketCorrectCategory.replaceChildren(
    ...(current ? [] : [el("option", { value: "", text: tr("ticket.noCategory") })]),
    ...codes.map((code) => el("option", { value: code, text: categoryText(code) })),
  );
  if (selected && codes.includes(selected)) ui.ticketCorrectCategory.value = selected;
}

function renderStatusForm(t, busy) {
  const allowed = Array.isArray(t.allowed_status) ? t.allowed_status : [];
  const chosen = ui.ticketStatus.value;
  const reopening = ["resolved", "closed"].includes(t.status);
  const key = `${t.number}:${t.status}:${allowed.join(",")}:${lang()}`;
  if (ui.ticketStatus.dataset.options !== key) {
    // rebuilt only when the choice changes (an open list is not closed under the agent)
    ui.ticketStatus.dataset.options = key;
    ui.ticketStatus.replaceChildren(
      el("option", { value: "", text: allowed.length ? tr("ticket.chooseStatus") : tr("ticket.noStatusChange") }),
      ...allowed.map((s) =>
        el("option", { value: s, text: s === "open" && reopening ? tr("ticket.reopen") : ticketStatusText(s) }),
      ),
    );
    ui.ticketStatus.value = allowed.includes(chosen) ? chosen : "";
  }
  const locked = !mayActOnTicket(t); // an agent, on a colleague's ticket
  ui.ticketStatus.disabled = busy || !allowed.length || locked;
  ui.ticketStatus.title = locked ? notYourTicket() : "";
  ui.ticketStatusApply.title = locked ? notYourTicket() : "";
  renderStatusNote();
}

/** The note's label and help follow the chosen status. */
export function renderStatusNote() {
  const note = STATUS_NOTE[ui.ticketStatus.value] || OPTIONAL_NOTE;
  ui.ticketStatusNoteLabel.textContent = tr(note.label);
  ui.ticketStatusHelp.textContent = tr(note.help);
  if (note.required) ui.ticketStatusNote.setAttribute("aria-required", "true");
  else ui.ticketStatusNote.removeAttribute("aria-required");
  const locked = Boolean(state.ticket) && !mayActOnTicket(state.ticket);
  ui.ticketStatusApply.disabled = state.ticketBusy || !ui.ticketStatus.value || locked;
}

function renderCorrectForm(t, busy) {
  if (
    ui.ticketCorrectCategory.dataset.lang !== lang() ||
    (t.category && ![...ui.ticketCorrectCategory.options].some((o) => o.value === t.category))
  ) {
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
  const result = await actOnTicket((t) => post(t, "take"), { success: (r, t) => tr("ticket.taken", { n: t.number }) });
  if (result) ui.ticketReply.focus();
}

export async function onStatusSubmit(event) {
  event?.preventDefault();
  const status = ui.ticketStatus.value;
  if (!status || state.ticketBusy) return;
  if (!mayActOnTicket(state.ticket)) {
    showTicketError(notYourTicket(), "status");
    return;
  }
  const note = ui.ticketStatusNote.value.trim();
  const needs = STATUS_NOTE[status]?.required;
  if (needs && !note) {
    ui.ticketStatusNote.setAttribute("aria-invalid", "true");
    showTicketError(tr(needs), "status");
    ui.ticketStatusNote.focus();
    return;
  }
  ui.ticketStatusNote.removeAttribute("aria-invalid");
  const result = await actOnTicket((t) => post(t, "status", { status, note }), {
    where: "status",
    success: (r, t) => {
      const now = ticketStatusText(r?.status || status);
      return tr("ticket.statusNow", { n: t.number, status: lang() === "en" ? now.toLowerCase() : now });
    },
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
    showTicketError(tr("ticket.chooseCorrection"), "correct");
    ui.ticketCorrectCategory.focus();
    return;
  }
  if (!reason) {
    ui.ticketCorrectReason.setAttribute("aria-invalid", "true");
    showTicketError(tr("ticket.sayWhy"), "correct");
    ui.ticketCorrectReason.focus();
    return;
  }
  ui.ticketCorrectReason.removeAttribute("aria-invalid");
  const result = await actOnTicket((ticket) => post(ticket, "correct", { ...body, reason }), {
    where: "correct",
    success: (r, ticket) => tr("ticket.corrected", { n: ticket.number }),
  });
  if (result) ui.ticketCorrectReason.value = "";
}

export async function onToggleVip() {
  if (!isSenior()) return;
  const t = state.ticket;
  const customer = t?.customer;
  if (!customer?.id) return;
  const tier = customer.tier === "vip" ? "standard" : "vip";
  const name = customer.name || tr("tier.theCustomer");
  const result = await actOnTicket(() => api("PUT", `/api/console/customers/${customer.id}/tier`, { tier }), {
    success: (r) => tr(r?.tier === "vip" ? "tier.nowVip" : "tier.nowStandard", { name: r?.name || name }),
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
