/* What the console shows: "chats" (the queue, the open chat, its actions) or "tickets" (the
 * ticket list and the open ticket). The two tabs at the top of the left pane switch; arrow
 * keys move between them, as in any tab list. */

import { render, state } from "./store.js";
import { loadTicketsIfStale } from "./tickets.js";
import { ui } from "./ui.js";

export const WORKS = ["chats", "tickets"];

export function renderWork() {
  const tickets = state.work === "tickets";
  ui.panes.dataset.work = state.work;
  ui.chatsTab.setAttribute("aria-selected", tickets ? "false" : "true");
  ui.ticketsTab.setAttribute("aria-selected", tickets ? "true" : "false");
  ui.chatsTab.tabIndex = tickets ? -1 : 0;
  ui.ticketsTab.tabIndex = tickets ? 0 : -1;
  ui.queueBody.hidden = tickets;
  ui.ticketsBody.hidden = !tickets;
  ui.conversationPane.hidden = tickets;
  ui.actionsPane.hidden = tickets;
  ui.ticketPane.hidden = !tickets;
  ui.skipLink.href = tickets ? "#ticket-reply" : "#reply";
}

/** Switches to chats or tickets (the ticket list loads the first time it is shown). */
export function showWork(work, { focusTab = false } = {}) {
  if (!WORKS.includes(work)) return;
  const changed = state.work !== work;
  state.work = work;
  renderWork();
  if (work === "tickets") {
    loadTicketsIfStale();
    if (changed) render("ticketDetail");
  }
  if (focusTab) (work === "tickets" ? ui.ticketsTab : ui.chatsTab).focus();
}

/** Left/Right (and Home/End) move between the tabs and select them. */
export function onWorkTabKey(event) {
  const index = WORKS.indexOf(state.work);
  const step = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 }[event.key];
  let next = null;
  if (step) next = WORKS[(index + step + WORKS.length) % WORKS.length];
  else if (event.key === "Home") next = WORKS[0];
  else if (event.key === "End") next = WORKS[WORKS.length - 1];
  if (next === null) return;
  event.preventDefault();
  showWork(next, { focusTab: true });
}
