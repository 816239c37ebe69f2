/* The open ticket (the Tickets tab): opening one (with the draft typed for each ticket), its
 * header, the case's fields, the transcript, the surveys and the audit trail. What the agent
 * does with it is ticket_actions.js. */

import { fieldCells, moment } from "./fields.js";
import { el, fill } from "/static/shared/dom.js";
import { api } from "../common/api.js";
import {
  CHANNEL_LABEL,
  LANGUAGE_LABEL,
  capitalize,
  categoryText,
  debounce,
  humanize,
  ticketStatusText,
} from "../common/format.js";
import { reasonChips, reopenedBadge, severityChip, slaChip, vipBadge } from "./chips.js";
import { hideTicketErrors, showTicketError } from "./feedback.js";
import { eventItem } from "./history.js";
import { messageItem } from "./messages.js";
import { assigneeText, render, state, ticketActive, ticketIsMine } from "./store.js";
import { surveyList } from "./surveys.js";
import { ui } from "./ui.js";

let openSequence = 0;

export async function openTicket(number, { fromUser = false, focus = false } = {}) {
  if (!state.signedIn || number === null || number === undefined) return;
  const switching = state.ticketNumber !== number;
  if (switching) {
    saveTicketDraft();
    state.ticketNumber = number;
    state.ticket = null;
    restoreTicketDraft(number);
    hideTicketErrors();
    renderTicketDetail();
    render("ticketActions");
    render("tickets");
  }
  const sequence = ++openSequence;
  try {
    const ticket = await api("GET", `/api/console/tickets/${encodeURIComponent(number)}`);
    if (sequence !== openSequence || state.ticketNumber !== number) return; // a newer request won
    hideTicketErrors("load");
    setTicket(ticket, { keepScroll: !switching });
    if (fromUser && window.matchMedia("(max-width: 900px)").matches) {
      ui.ticketPane.scrollIntoView({ behavior: "smooth", block: "start" });
    }
    if (focus) ui.ticketTitle.focus();
  } catch (error) {
    if (error.status === 401 || sequence !== openSequence) return;
    if (switching) {
      state.ticketNumber = null;
      renderTicketDetail();
      render("ticketActions");
      render("tickets");
    }
    showTicketError(`Ticket #${number} could not be opened: ${error.message}`, "load");
  }
}

/** Reloads the open ticket (once for a burst of calls). */
export const reloadTicket = debounce(() => {
  if (state.ticketNumber !== null) openTicket(state.ticketNumber);
}, 150);

function saveTicketDraft() {
  if (state.ticketNumber === null) return;
  if (ui.ticketReply.value || ui.ticketNoteToggle.checked) {
    const draft = { text: ui.ticketReply.value, private: ui.ticketNoteToggle.checked };
    state.ticketDrafts.set(state.ticketNumber, draft);
  } else {
    state.ticketDrafts.delete(state.ticketNumber);
  }
}

function restoreTicketDraft(number) {
  const draft = state.ticketDrafts.get(number);
  ui.ticketReply.value = draft ? draft.text : "";
  ui.ticketNoteToggle.checked = draft ? draft.private : false;
}

/** Shows a ticket the API returned (opened, taken, moved, corrected); its list row follows. */
export function setTicket(ticket, { keepScroll = false } = {}) {
  state.ticket = ticket;
  state.ticketNumber = ticket.number;
  const index = state.tickets.findIndex((t) => t.number === ticket.number);
  if (index >= 0) {
    const row = state.tickets[index];
    const fresh = Object.keys(row).map((key) => [key, key in ticket ? ticket[key] : row[key]]);
    state.tickets[index] = Object.fromEntries(fresh);
  }
  renderTicketDetail({ keepScroll });
  render("ticketActions");
  render("tickets");
}

/** Adds one message to the open ticket's transcript (live event or own reply), once. */
export function appendTicketMessage(message, { scroll = false } = {}) {
  const t = state.ticket;
  if (!t || !message) return;
  t.messages = t.messages || [];
  if (message.id !== undefined && t.messages.some((m) => m.id === message.id)) return;
  t.messages.push(message);
  const list = ui.ticketTranscript;
  const nearBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 120;
  if (t.messages.length === 1) list.replaceChildren();
  list.append(messageItem(message, t));
  if (nearBottom || scroll) list.scrollTop = list.scrollHeight;
}

export function renderTicketDetail({ keepScroll = false } = {}) {
  const t = state.ticket;
  ui.ticketEmpty.hidden = Boolean(t) || state.ticketNumber !== null;
  ui.ticketDetail.hidden = !t;
  ui.ticketStatusPill.hidden = !t;
  if (!t) {
    const loading = state.ticketNumber !== null;
    ui.ticketTitle.textContent = loading ? `Ticket #${state.ticketNumber} — loading…` : "Ticket";
    fill(ui.ticketMeta);
    delete ui.ticketDetail.dataset.number;
    delete ui.ticketDetail.dataset.status;
    for (const part of [ui.ticketFields, ui.ticketTranscript, ui.ticketSurveys, ui.ticketEvents]) {
      part.replaceChildren();
    }
    return;
  }
  ui.ticketDetail.dataset.number = String(t.number);
  ui.ticketDetail.dataset.status = t.status;
  const customer = t.customer || {};
  fill(
    ui.ticketTitle,
    el("span", { class: "td-number", text: `#${t.number}` }),
    " ",
    el("span", { class: "td-subject", text: t.subject || categoryText(t.category) || "No subject" }),
  );
  const channel = t.channel || customer.channel;
  const language = t.language || customer.language;
  fill(
    ui.ticketMeta,
    el("span", { class: "td-customer", text: customer.name || `Customer ${customer.id ?? ""}`.trim() }),
    customer.tier === "vip" ? vipBadge() : null,
    severityChip(t.severity),
    slaChip(t),
    el("span", { class: "meta-item", text: CHANNEL_LABEL[channel] || capitalize(channel || "") }),
    el("span", { class: "meta-item", text: LANGUAGE_LABEL[language] || language || "Language unknown" }),
    el("span", {
      class: "meta-item",
      "data-mine": ticketIsMine(t) ? "true" : "false",
      text: `Assignee: ${assigneeText(t)}`,
    }),
  );
  ui.ticketStatusPill.textContent = ticketStatusText(t.status);
  ui.ticketStatusPill.dataset.status = ticketIsMine(t) && ticketActive(t) ? "mine" : t.status;

  renderFields(t);
  renderTranscript(t, keepScroll);
  fill(ui.ticketSurveys, surveyList(t.surveys || []));
  const events = t.events || [];
  ui.ticketEvents.replaceChildren(
    ...(events.length ? events.map(eventItem) : [el("li", { class: "empty small", text: "No events yet." })]),
  );
}

function renderTranscript(t, keepScroll) {
  const list = ui.ticketTranscript;
  const nearBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 80;
  const previousTop = list.scrollTop;
  const messages = t.messages || [];
  list.replaceChildren(
    ...(messages.length
      ? messages.map((m) => messageItem(m, t))
      : [el("li", { class: "empty small", text: "No messages on this ticket's chat." })]),
  );
  list.scrollTop = keepScroll && !nearBottom ? previousTop : list.scrollHeight;
}

function renderFields(t) {
  const active = ticketActive(t);
  const { cells, cell } = fieldCells();
  const when = (iso, { relative = false, late = false } = {}) => moment(iso, { active, relative, late });
  cell("Waiting on the customer for", t.waiting_for || null, { wide: true, key: "waiting-for" });
  cell("Solution", t.solution || null, { wide: true, key: "solution" });
  cell(
    "Description",
    t.description ? el("span", { class: "ticket-description td-description", text: t.description }) : null,
    { wide: true, key: "description" },
  );
  if (t.reasons?.length) {
    cell("Reasons", el("span", { class: "chip-row" }, reasonChips(t.reasons)), { wide: true, key: "reasons" });
  }
  cell("Category", categoryText(t.category) || null, { key: "category" });
  cell("Due", when(t.due_at, { relative: true, late: true }), { key: "due" });
  if (t.first_response_at) {
    cell("First reply", when(t.first_response_at), { key: "first-response" });
  } else {
    cell("First reply due", when(t.first_response_due_at, { relative: true, late: true }), { key: "first-response" });
  }
  cell("Opened", when(t.created_at), { key: "opened" });
  cell("Resolved", when(t.resolved_at), { key: "resolved" });
  cell("Closed", when(t.closed_at), { key: "closed" });
  cell("Priority", t.priority ?? null, { key: "priority" });
  cell("Reopened", reopenedBadge(t.reopen_count), { key: "reopened" });
  if (t.repeat_of) {
    cell(
      "Repeat of",
      el("button", {
        type: "button",
        class: "link-button",
        "data-testid": "ticket-repeat-of",
        text: `#${t.repeat_of}`,
        title: `Open ticket #${t.repeat_of}`,
        onclick: () => openTicket(t.repeat_of, { focus: true }),
      }),
      { key: "repeat-of" },
    );
  }
  const analysis = analysisChips(t.analysis);
  if (analysis) cell("The assistant's reading", analysis, { wide: true, key: "analysis" });
  ui.ticketFields.replaceChildren(...cells);
}

const isShare = (value) => typeof value === "number" && value > 0 && value < 1; // a confidence

/** The plain values of the assistant's analysis (intent, emotion, product…), as chips. */
function analysisChips(analysis) {
  if (!analysis || typeof analysis !== "object") return null;
  const chips = Object.entries(analysis)
    .filter(([, v]) => ["string", "number"].includes(typeof v) && v !== "")
    .slice(0, 8)
    .map(([key, value]) =>
      el(
        "span",
        { class: "chip chip-analysis" },
        el("span", { class: "chip-key", text: humanize(key) }),
        ` ${isShare(value) ? `${Math.round(value * 100)}%` : humanize(value)}`,
      ),
    );
  return chips.length ? el("span", { class: "chip-row" }, chips) : null;
}
