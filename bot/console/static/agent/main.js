/* LERA Desk — the agent console. Native ES modules, no framework, no build step; served by the
 * gateway under /console/ (this folder: agent/; console-wide helpers: common/; DOM helpers and
 * the reconnect backoff shared with the chat widget: /static/shared/).
 *
 * Talks to the gateway's JSON API under /api/console/… (session cookie) and listens on the
 * WebSocket /ws/console for live events. Every piece of customer or agent text is inserted as
 * text (textContent), never as markup.
 *
 *   store.js         state, the questions asked of it, the view registry
 *   session.js       sign-in and sign-out            live.js      the WebSocket and its events
 *   queue.js         the queue pane                  conversation.js  the open chat, transcript
 *   ticket.js        the ticket panel                actions.js   claim, transfer, hand back, resolve
 *   composer.js      the reply box                   canned.js    canned responses
 *   agents.js        me and the team                 toasts.js    escalation and ticket toasts
 *   feedback.js      errors and confirmations        sound.js     the notification sound
 *   messages.js      one transcript message          history.js   a ticket's audit trail
 *   work.js          the Chats | Tickets switch      tickets.js   the ticket list, filters, search
 *   ticket_detail.js the open ticket                 surveys.js   a ticket's surveys
 *   ticket_actions.js take, status, correct, VIP     ticket_composer.js  a ticket's reply box
 *   chips.js, ui.js  small view pieces, the page's elements
 *   strings.js       the console's texts (English, Chinese)   language.js  the language switch
 */

import "./strings.js"; // the console's texts in English and Chinese, before anything is drawn
import { $ } from "/static/shared/dom.js";
import { onUnauthorized, api } from "../common/api.js";
import { t } from "../common/i18n.js";
import { tick } from "../common/ticker.js";
import { onClaim, onHandBack, onResolve, onTransfer, onTransferKey, renderActions } from "./actions.js";
import { onPresence } from "./agents.js";
import { filterCannedFromReply, searchCanned, showCanned } from "./canned.js";
import { onReplyInput, onReplyKey, sendReply } from "./composer.js";
import { openConversation } from "./conversation.js";
import { hideActionError, hideTicketErrors } from "./feedback.js";
import { startLanguage } from "./language.js";
import { handleEvent, onSessionEnded, reconnectIfDown } from "./live.js";
import { refreshQueue, renderQueue } from "./queue.js";
import { enterConsole, onLogin, onSignOut, showLoginError, signedOut } from "./session.js";
import { unlockAudio } from "./sound.js";
import { defineViews, state } from "./store.js";
import {
  onCorrectSubmit,
  onOpenTicketChat,
  onStatusNoteKey,
  onStatusSubmit,
  onTakeTicket,
  onToggleVip,
  renderStatusNote,
  renderTicketActions,
} from "./ticket_actions.js";
import { onTicketNoteToggle, onTicketReplyKey, sendTicketReply } from "./ticket_composer.js";
import { openTicket, renderTicketDetail } from "./ticket_detail.js";
import {
  onClearTicketFilters,
  onMoreTickets,
  onTicketFilter,
  onTicketListKey,
  onTicketSearchInput,
  onTicketSearchKey,
  refreshTickets,
  renderTickets,
} from "./tickets.js";
import { collect, showView, ui } from "./ui.js";
import { onWorkTabKey, renderWork, showWork } from "./work.js";

defineViews({
  queue: renderQueue,
  actions: renderActions,
  work: renderWork,
  tickets: renderTickets,
  ticketDetail: renderTicketDetail,
  ticketActions: renderTicketActions,
});

const SESSION_ENDED = () => t("session.ended"); // in the language shown (also after a switch)
onUnauthorized(() => signedOut(state.signedIn ? SESSION_ENDED : ""));
onSessionEnded(() => signedOut(SESSION_ENDED)); // the live updates closed with 4401

function bind() {
  ui.loginForm.addEventListener("submit", onLogin);
  ui.email.addEventListener("input", () => showLoginError(""));
  ui.password.addEventListener("input", () => showLoginError(""));
  ui.signout.addEventListener("click", onSignOut);
  ui.presence.addEventListener("change", onPresence);
  ui.claim.addEventListener("click", onClaim);
  ui.composer.addEventListener("submit", (event) => {
    event.preventDefault();
    sendReply();
  });
  ui.reply.addEventListener("keydown", onReplyKey);
  ui.reply.addEventListener("input", onReplyInput);
  ui.reply.addEventListener("compositionend", onReplyInput);
  ui.reply.addEventListener("click", filterCannedFromReply);
  ui.private.addEventListener("change", () => {
    hideActionError();
    renderActions();
  });
  ui.transfer.addEventListener("change", onTransfer);
  ui.transfer.addEventListener("keydown", onTransferKey);
  ui.handback.addEventListener("click", onHandBack);
  ui.resolve.addEventListener("click", onResolve);
  ui.cannedSearch.addEventListener("input", () => {
    if (!ui.cannedSearch.value.trim()) showCanned(state.canned);
    searchCanned();
  });
  ui.cannedSearch.addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      event.preventDefault();
      const first = $('[data-console="canned-item"]', ui.cannedList);
      if (first && !first.disabled) first.click();
    }
  });
  bindTickets();
  // any interaction may unlock audio (needed after a reload, when there is no sign-in click)
  const unlock = () => unlockAudio();
  document.addEventListener("pointerdown", unlock, { capture: true, passive: true });
  document.addEventListener("keydown", unlock, { capture: true });
  window.addEventListener("online", reconnectIfDown);
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible" && state.signedIn) tick();
  });
}

function bindTickets() {
  ui.chatsTab.addEventListener("click", () => showWork("chats"));
  ui.ticketsTab.addEventListener("click", () => showWork("tickets"));
  ui.chatsTab.addEventListener("keydown", onWorkTabKey);
  ui.ticketsTab.addEventListener("keydown", onWorkTabKey);
  ui.ticketFilters.addEventListener("submit", (event) => event.preventDefault());
  for (const select of ui.ticketFilterSelects) select.addEventListener("change", onTicketFilter);
  ui.ticketSearch.addEventListener("input", onTicketSearchInput);
  ui.ticketSearch.addEventListener("keydown", onTicketSearchKey);
  ui.ticketsClear.addEventListener("click", onClearTicketFilters);
  ui.ticketsMore.addEventListener("click", onMoreTickets);
  ui.ticketList.addEventListener("keydown", onTicketListKey);
  ui.ticketTake.addEventListener("click", onTakeTicket);
  ui.ticketOpenChat.addEventListener("click", onOpenTicketChat);
  ui.ticketComposer.addEventListener("submit", (event) => {
    event.preventDefault();
    sendTicketReply();
  });
  ui.ticketReply.addEventListener("keydown", onTicketReplyKey);
  ui.ticketNoteToggle.addEventListener("change", onTicketNoteToggle);
  ui.ticketStatusForm.addEventListener("submit", onStatusSubmit);
  ui.ticketStatus.addEventListener("change", () => {
    hideTicketErrors("status");
    ui.ticketStatusNote.removeAttribute("aria-invalid");
    renderStatusNote();
  });
  ui.ticketStatusNote.addEventListener("keydown", onStatusNoteKey);
  ui.ticketCorrect.addEventListener("submit", onCorrectSubmit);
  ui.ticketCorrectReason.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.isComposing) {
      event.preventDefault();
      ui.ticketCorrect.requestSubmit();
    }
  });
  ui.ticketVip.addEventListener("click", onToggleVip);
}

async function boot() {
  collect();
  startLanguage(); // the page's texts in the agent's language, the switch, redrawing on a change
  bind();
  try {
    // the session restored (a reload): enterConsole keeps its CSRF token, as after a sign-in
    const me = await api("GET", "/api/console/me");
    await enterConsole(me);
  } catch (error) {
    if (error.status !== 401) {
      showView("login");
      showLoginError(error.message);
    }
  }
}

window.LeraConsole = {
  state,
  refreshQueue,
  openConversation,
  openTicket,
  refreshTickets,
  showWork,
  handleEvent, // lets a developer replay an event: LeraConsole.handleEvent({type: "queue_changed"})
};

// a module runs after the page is parsed
boot();
