/* The open ticket (the Tickets tab): opening one (with the draft typed for each ticket), its
 * header, the case's fields, the transcript, the surveys and the audit trail. What the agent
 * does with it is ticket_actions.js. */

import { fieldCells, moment } from "./fields.js";
import { el, fill } from "/static/shared/dom.js";
import { api } from "../common/api.js";
import {
  categoryText,
  channelText,
  debounce,
  emotionText,
  humanize,
  intensityText,
  knownText,
  languageText,
  problemText,
  productText,
  ticketStatusText,
} from "../common/format.js";
import { t as tr } from "../common/i18n.js"; // `t` is the ticket here
import { reasonChips, reopenedBadge, severityChip, slaChip, vipBadge } from "./chips.js";
import { hideTicketErrors, showTicketError } from "./feedback.js";
import { eventItem } from "./history.js";
import { messageItem } from "./messages.js";
import { assigneeText, customerLabel, render, state, ticketActive, ticketIsMine } from "./store.js";
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
    showTicketError(tr("ticket.openFailed", { n: number, error: error.message }), "load");
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
    ui.ticketTitle.textContent = loading ? tr("ticket.loadingNumber", { n: state.ticketNumber }) : tr("ticket.label");
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
  const channel = t.channel || customer.channel;
  const language = t.language || customer.language;
  fill(
    ui.ticketTitle,
    el("span", { class: "td-number", text: `#${t.number}` }),
    " ",
    // the subject as the ticket has it, in its own language (never translated)
    t.subject
      ? el("span", { class: "td-subject", lang: language === "zh" ? "zh-CN" : language === "en" ? "en" : null, text: t.subject })
      : el("span", { class: "td-subject", text: categoryText(t.category) || tr("ticket.noSubject") }),
  );
  fill(
    ui.ticketMeta,
    el("span", { class: "td-customer", text: customer.name || customerLabel(customer) }),
    customer.tier === "vip" ? vipBadge() : null,
    severityChip(t.severity),
    slaChip(t),
    el("span", { class: "meta-item", text: channelText(channel) }),
    el("span", { class: "meta-item", text: languageText(language) || tr("conversation.languageUnknown") }),
    el("span", {
      class: "meta-item",
      "data-mine": ticketIsMine(t) ? "true" : "false",
      text: tr("ticket.assignee", { name: assigneeText(t) }),
    }),
  );
  ui.ticketStatusPill.textContent = ticketStatusText(t.status);
  ui.ticketStatusPill.dataset.status = ticketIsMine(t) && ticketActive(t) ? "mine" : t.status;

  renderFields(t);
  renderTranscript(t, keepScroll);
  fill(ui.ticketSurveys, surveyList(t.surveys || []));
  const events = t.events || [];
  ui.ticketEvents.replaceChildren(
    ...(events.length ? events.map(eventItem) : [el("li", { class: "empty small", text: tr("ticket.noEvents") })]),
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
      : [el("li", { class: "empty small", text: tr("ticket.noMessages") })]),
  );
  list.scrollTop = keepScroll && !nearBottom ? previousTop : list.scrollHeight;
}

function renderFields(t) {
  const active = ticketActive(t);
  const { cells, cell } = fieldCells();
  const when = (iso, { relative = false, late = false } = {}) => moment(iso, { active, relative, late });
  cell(tr("field.waitingFor"), t.waiting_for || null, { wide: true, key: "waiting-for" });
  cell(tr("field.solution"), t.solution || null, { wide: true, key: "solution" });
  cell(
    tr("field.description"),
    t.description ? el("span", { class: "ticket-description td-description", text: t.description }) : null,
    { wide: true, key: "description" },
  );
  if (t.reasons?.length) {
    cell(tr("field.reasons"), el("span", { class: "chip-row" }, reasonChips(t.reasons)), { wide: true, key: "reasons" });
  }
  cell(tr("field.category"), categoryText(t.category) || null, { key: "category" });
  cell(tr("field.due"), when(t.due_at, { relative: true, late: true }), { key: "due" });
  if (t.first_response_at) {
    cell(tr("field.firstReply"), when(t.first_response_at), { key: "first-response" });
  } else {
    const due = when(t.first_response_due_at, { relative: true, late: true });
    cell(tr("field.firstReplyDue"), due, { key: "first-response" });
  }
  cell(tr("field.opened"), when(t.created_at), { key: "opened" });
  cell(tr("field.resolved"), when(t.resolved_at), { key: "resolved" });
  cell(tr("field.closed"), when(t.closed_at), { key: "closed" });
  cell(tr("field.priority"), t.priority ?? null, { key: "priority" });
  cell(tr("field.reopened"), reopenedBadge(t.reopen_count), { key: "reopened" });
  if (t.repeat_of) {
    cell(
      tr("field.repeatOf"),
      el("button", {
        type: "button",
        class: "link-button",
        "data-testid": "ticket-repeat-of",
        text: `#${t.repeat_of}`,
        title: tr("ticket.openNumber", { n: t.repeat_of }),
        onclick: () => openTicket(t.repeat_of, { focus: true }),
      }),
      { key: "repeat-of" },
    );
  }
  const analysis = analysisChips(t.analysis);
  if (analysis) cell(tr("ticket.reading"), analysis, { wide: true, key: "analysis" });
  ui.ticketFields.replaceChildren(...cells);
}

const isShare = (value) => typeof value === "number" && value > 0 && value < 1; // a confidence

/** One of the assistant's values in words: categories, emotions, strengths from the catalogue. */
function readingText(key, value) {
  if (isShare(value)) return `${Math.round(value * 100)}%`;
  if (key === "category") return categoryText(value);
  if (key === "emotion") return emotionText(value);
  if (key === "intensity_level") return intensityText(value);
  if (key === "product") return productText(value);
  if (key === "problem") return problemText(value);
  return humanize(value);
}

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
        el("span", { class: "chip-key", text: knownText("analysis", key) ?? humanize(key) }),
        ` ${readingText(key, value)}`,
      ),
    );
  return chips.length ? el("span", { class: "chip-row" }, chips) : null;
}
