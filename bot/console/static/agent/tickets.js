/* The ticket list (the Tickets tab): every ticket, not only chats in the queue, filtered
 * (status — active by default —, severity, category, SLA state, assignee, channel, language)
 * and searched (number, customer, text), reloaded when the live updates say a ticket or the
 * queue changed. Up/Down move between the rows; a row opens its ticket. */

import { $, $$, el } from "/static/shared/dom.js";
import { api } from "../common/api.js";
import { categoryText, channelText, debounce } from "../common/format.js";
import { t } from "../common/i18n.js";
import { reopenedBadge, repeatBadge, severityChip, slaChip, ticketStatusChip, vipBadge } from "./chips.js";
import { TICKET_FILTER, TICKET_PAGE, assigneeText, customerLabel, state, ticketIsMine } from "./store.js";
import { openTicket } from "./ticket_detail.js";
import { ui } from "./ui.js";

const MAX_LIMIT = 200; // the most the API returns at once
const MORE_FILTERS = ["severity", "category", "sla", "channel", "language"];

let sequence = 0; // the newest request wins
let loading = false;
let stale = true; // something changed while the list was not shown

function query() {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(state.ticketFilter)) {
    if (value) params.set(key, value);
  }
  params.set("limit", String(Math.min(state.ticketLimit, MAX_LIMIT)));
  params.set("offset", "0");
  return params.toString();
}

/** Loads the list for the current filters now. */
export async function loadTickets() {
  if (!state.signedIn) return;
  const mine = ++sequence;
  loading = true;
  renderCount();
  try {
    const data = await api("GET", `/api/console/tickets?${query()}`);
    if (mine !== sequence || !state.signedIn) return;
    state.tickets = Array.isArray(data?.items) ? data.items : [];
    state.ticketsTotal = Number.isFinite(data?.total) ? data.total : state.tickets.length;
    state.ticketsLoaded = true;
    state.ticketsError = "";
    stale = false;
  } catch (error) {
    if (mine !== sequence || error.status === 401) return;
    state.ticketsError = t("tickets.loadFailed", { error: error.message });
  } finally {
    if (mine === sequence) {
      loading = false;
      renderTickets();
    }
  }
}

/** Reloads the list (once for a burst of live events); while it is not shown, later. */
export const refreshTickets = debounce(() => {
  if (!state.signedIn) return;
  if (state.work !== "tickets") {
    stale = true;
    return;
  }
  loadTickets();
}, 150);

export function loadTicketsIfStale() {
  if (stale || !state.ticketsLoaded) loadTickets();
}

/** A TicketRow from a live event, shown at once (the reload that follows may move it). */
export function patchTicketRow(row) {
  if (!row || row.number === undefined) return;
  const index = state.tickets.findIndex((t) => t.number === row.number);
  if (index < 0) return;
  state.tickets[index] = { ...state.tickets[index], ...row };
  renderTickets();
}

// filters -----------------------------------------------------------------------------------

function setFilter(key, value) {
  if (state.ticketFilter[key] === value) return;
  state.ticketFilter = { ...state.ticketFilter, [key]: value };
  state.ticketLimit = TICKET_PAGE;
  loadTickets();
}

export function onTicketFilter(event) {
  const key = event.target.dataset.filter;
  if (key) setFilter(key, event.target.value);
}

/** Searching waits until typing pauses (250 ms); Enter searches at once, Escape clears. */
const searchSoon = debounce(() => setFilter("q", ui.ticketSearch.value.trim()), 250);

export function onTicketSearchInput() {
  searchSoon();
}

export function onTicketSearchKey(event) {
  if (event.key === "Enter") {
    event.preventDefault();
    setFilter("q", ui.ticketSearch.value.trim());
  } else if (event.key === "Escape" && ui.ticketSearch.value) {
    event.preventDefault();
    ui.ticketSearch.value = "";
    setFilter("q", "");
  }
}

/** Puts the filter controls in line with the state (after "Clear filters", a sign-out). */
export function syncTicketFilters() {
  for (const select of ui.ticketFilterSelects) select.value = state.ticketFilter[select.dataset.filter] ?? "";
  ui.ticketSearch.value = state.ticketFilter.q;
}

export function onClearTicketFilters() {
  state.ticketFilter = { ...TICKET_FILTER };
  state.ticketLimit = TICKET_PAGE;
  syncTicketFilters();
  loadTickets();
  ui.ticketSearch.focus();
}

export function onMoreTickets() {
  state.ticketLimit = Math.min(state.ticketLimit + TICKET_PAGE, MAX_LIMIT);
  loadTickets();
}

// the list ----------------------------------------------------------------------------------

/** The row of a ticket, if it is shown. */
export const ticketRowOf = (number) =>
  $(`[data-testid="ticket-row"][data-number="${CSS.escape(String(number))}"]`, ui.ticketList);

/** `lang` for a ticket's own words (its subject): the language it was written in. */
const langAttr = (language) => (language === "zh" ? "zh-CN" : language === "en" ? "en" : null);

function ticketRow(ticket) {
  const customer = ticket.customer || {};
  const channel = ticket.channel || customer.channel;
  const language = ticket.language || customer.language;
  const button = el(
    "button",
    {
      type: "button",
      class: "ticket-row",
      "data-testid": "ticket-row",
      "data-number": ticket.number,
      "data-status": ticket.status,
      "data-severity": ticket.severity || "none",
      "data-sla": ticket.sla_state || "ok",
      "aria-current": ticket.number === state.ticketNumber ? "true" : null,
      onclick: () => openTicket(ticket.number, { fromUser: true }),
    },
    el(
      "span",
      { class: "tr-top" },
      el("span", { class: "tr-number", text: `#${ticket.number}` }),
      // the subject as the ticket has it, in its own language (never translated)
      ticket.subject
        ? el("span", { class: "tr-subject", lang: langAttr(language), text: ticket.subject })
        : el("span", { class: "tr-subject", text: categoryText(ticket.category) || t("ticket.noSubject") }),
    ),
    el(
      "span",
      { class: "tr-meta" },
      el("span", { class: "tr-customer", text: customer.name || customerLabel(customer) }),
      customer.tier === "vip" ? vipBadge() : null,
      severityChip(ticket.severity),
      ticketStatusChip(ticket.status),
      el("span", { class: "tr-channel", text: channelText(channel) }),
      language ? el("span", { class: "qi-lang", title: t("filter.language"), text: language.toUpperCase() }) : null,
    ),
    el(
      "span",
      { class: "tr-foot" },
      el("span", {
        class: "tr-assignee",
        "data-mine": ticketIsMine(ticket) ? "true" : "false",
        "data-assigned": ticket.assignee ? "true" : "false",
        text: assigneeText(ticket),
      }),
      reopenedBadge(ticket.reopen_count),
      repeatBadge(ticket.repeat_of),
      slaChip(ticket),
    ),
  );
  return el("li", {}, button);
}

function renderCount() {
  const shown = state.tickets.length;
  const total = state.ticketsTotal;
  let text;
  if (loading && !state.ticketsLoaded) text = t("tickets.loading");
  else if (shown < total) {
    text = t(state.ticketLimit >= MAX_LIMIT ? "tickets.showingNarrow" : "tickets.showing", { shown, total });
  }
  else text = total === 1 ? t("tickets.countOne") : t("tickets.countOther", { n: total });
  ui.ticketsCount.textContent = text;
  ui.ticketList.setAttribute("aria-busy", loading ? "true" : "false");
}

export function renderTickets() {
  const focused = document.activeElement?.closest?.('[data-testid="ticket-row"]');
  const focusedNumber = focused ? focused.dataset.number : null;
  ui.ticketList.replaceChildren(...state.tickets.map(ticketRow));
  ui.ticketsEmpty.hidden = !state.ticketsLoaded || state.tickets.length > 0 || Boolean(state.ticketsError);
  ui.ticketsError.textContent = state.ticketsError;
  ui.ticketsError.hidden = !state.ticketsError;
  ui.ticketsMore.hidden = !(state.tickets.length < state.ticketsTotal && state.ticketLimit < MAX_LIMIT);
  ui.ticketsMore.disabled = loading;
  const more = MORE_FILTERS.filter((key) => state.ticketFilter[key]).length;
  ui.ticketFilterCount.textContent = String(more);
  ui.ticketFilterCount.hidden = more === 0;
  const asDefault = Object.entries(TICKET_FILTER).every(([key, value]) => state.ticketFilter[key] === value);
  ui.ticketsClear.hidden = asDefault;
  renderCount();
  if (focusedNumber) ticketRowOf(focusedNumber)?.focus();
}

/** Up/Down, Home/End move between the rows. */
export function onTicketListKey(event) {
  const rows = $$('[data-testid="ticket-row"]', ui.ticketList);
  const index = rows.indexOf(document.activeElement);
  if (index < 0) return;
  const next = { ArrowDown: index + 1, ArrowUp: index - 1, Home: 0, End: rows.length - 1 }[event.key];
  if (next === undefined || !rows[next]) return;
  event.preventDefault();
  rows[next].focus();
}
