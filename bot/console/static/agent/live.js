/* Live updates: the WebSocket /ws/console and what its events change (escalated, message,
 * queue_changed, agents_changed, hello; for tickets ticket_changed, sla_warning, sla_breached,
 * ticket_reopened). After a drop it reconnects with the backoff shared with the widget, and
 * reloads what may have been missed. Closed with code 4401 (the session ended: signed out
 * elsewhere, account deactivated, password changed, expired) it does not reconnect: the page
 * goes back to its sign-in form (the handler given to onSessionEnded). */

import { Backoff } from "/static/shared/backoff.js";
import { api, setCsrfToken } from "../common/api.js";
import { t } from "../common/i18n.js";
import { loadAgents, renderMe } from "./agents.js";
import { appendMessage, reloadOpen } from "./conversation.js";
import { queueItem, refreshQueue, renderQueue } from "./queue.js";
import { chime } from "./sound.js";
import { FRESH_MS, queued, render, state } from "./store.js";
import { appendTicketMessage, reloadTicket } from "./ticket_detail.js";
import { patchTicketRow, refreshTickets } from "./tickets.js";
import { escalationToast, ticketToast } from "./toasts.js";
import { ui } from "./ui.js";

const PING_MS = 25000;
const SESSION_ENDED = 4401; // the server's close code: this session is over, sign in again
const CONNECTION_STATES = ["connecting", "live", "reconnecting", "offline"];

let socket = null;
let pingTimer = null;
let everConnected = false;
const backoff = new Backoff(connectSocket, { firstMs: 1000, maxMs: 30000, spread: [0.8, 1.2] });
let sessionEnded = () => {};

/** Sets what a 4401 close does (once per page; main.js: back to the sign-in form). */
export function onSessionEnded(handler) {
  sessionEnded = handler;
}

function setConnection(status) {
  state.connection = status;
  ui.connection.dataset.state = status;
  renderConnection();
}

/** The connection's state in words (again after a language switch). */
export function renderConnection() {
  const status = state.connection;
  ui.connectionText.textContent = CONNECTION_STATES.includes(status) ? t(`connection.${status}`) : status;
}

export function connectSocket() {
  if (!state.signedIn) return;
  backoff.cancel();
  if (socket && (socket.readyState === WebSocket.OPEN || socket.readyState === WebSocket.CONNECTING)) return;
  const url = `${location.protocol === "https:" ? "wss:" : "ws:"}//${location.host}/ws/console`;
  let ws;
  try {
    ws = new WebSocket(url);
  } catch {
    scheduleReconnect();
    return;
  }
  socket = ws;
  setConnection(backoff.attempts ? "reconnecting" : "connecting");
  ws.addEventListener("open", () => {
    if (socket !== ws) return;
    const reconnected = everConnected;
    everConnected = true;
    backoff.reset();
    state.retries = 0;
    setConnection("live");
    clearInterval(pingTimer);
    pingTimer = setInterval(() => {
      if (ws.readyState === WebSocket.OPEN) ws.send("ping");
    }, PING_MS);
    if (reconnected) {
      // events may have been missed while the socket was down
      refreshQueue();
      loadAgents();
      reloadOpen();
      refreshTickets();
      reloadTicket();
    }
  });
  ws.addEventListener("message", (event) => {
    if (socket !== ws) return;
    let data;
    try {
      data = JSON.parse(event.data);
    } catch {
      return;
    }
    handleEvent(data);
  });
  ws.addEventListener("close", (event) => {
    if (socket !== ws) return;
    socket = null;
    clearInterval(pingTimer);
    if (!state.signedIn) return;
    if (event.code === SESSION_ENDED) {
      backoff.cancel(); // no reconnection: the sign-in form comes next
      sessionEnded();
      return;
    }
    if (event.code === 1008) {
      // "sign in first": find out whether the session is gone (api() shows the login on 401)
      api("GET", "/api/console/me").then(
        (me) => {
          if (typeof me?.csrf_token === "string") setCsrfToken(me.csrf_token);
          scheduleReconnect();
        },
        (error) => {
          if (error.status !== 401) scheduleReconnect();
        },
      );
      return;
    }
    scheduleReconnect();
  });
}

function scheduleReconnect() {
  if (!state.signedIn || !backoff.schedule()) return;
  state.retries = backoff.attempts;
  setConnection("reconnecting");
}

/** The browser is back online: try at once, without waiting out the backoff. */
export function reconnectIfDown() {
  if (state.signedIn && !socket) {
    backoff.reset();
    state.retries = 0;
    connectSocket();
  }
}

/** Signed in again from scratch: the first connection is not a reconnection. */
export function resetConnection() {
  backoff.reset();
  state.retries = 0;
}

export function disconnectSocket() {
  backoff.cancel();
  clearInterval(pingTimer);
  const ws = socket;
  socket = null;
  everConnected = false;
  if (ws) {
    try {
      ws.close(1000, "signed out");
    } catch {
      /* already closed */
    }
  }
  setConnection("offline");
}

export function handleEvent(event) {
  if (!event || typeof event !== "object") return;
  state.lastEvent = event;
  switch (event.type) {
    case "hello":
      if (event.agent && state.me && event.agent.id === state.me.id) {
        state.me = { ...state.me, name: event.agent.name, role: event.agent.role };
        renderMe();
        // what the role allows: acting on others' chats and tickets, the VIP switch
        render("actions");
        render("ticketActions");
      }
      break;
    case "escalated":
      onEscalated(event.conversation);
      break;
    case "message":
      onMessageEvent(event.conversation_id, event.message);
      break;
    case "queue_changed":
      refreshQueue();
      refreshTickets();
      break;
    case "ticket_changed":
      onTicketChanged(event.ticket);
      break;
    case "sla_warning":
    case "sla_breached":
    case "ticket_reopened":
      onTicketChanged(event.ticket);
      if (ticketToast(event)) chime();
      break;
    case "agents_changed":
      loadAgents();
      refreshQueue();
      break;
    default:
      break;
  }
}

function onEscalated(summary) {
  if (summary && summary.id !== undefined) {
    state.fresh.set(summary.id, Date.now());
    setTimeout(() => {
      state.fresh.delete(summary.id);
      const row = queueItem(summary.id);
      if (row) {
        row.dataset.fresh = "false";
        row.style.animationDelay = "";
      }
    }, FRESH_MS + 100);
    escalationToast(summary);
    chime();
    if (state.openId === summary.id) reloadOpen();
  }
  refreshQueue();
}

/** A ticket changed: its row at once, the list and the open ticket reloaded. */
function onTicketChanged(row) {
  patchTicketRow(row);
  refreshTickets();
  if (row && row.number === state.ticketNumber) reloadTicket();
}

function onMessageEvent(conversationId, message) {
  if (conversationId === undefined || !message) return;
  if (state.ticket && state.ticket.conversation_id === conversationId) appendTicketMessage(message);
  const summary = queued(conversationId);
  if (summary && message.author === "customer" && message.text) summary.last_message = message.text;
  if (state.open && state.open.id === conversationId) {
    appendMessage(message);
  } else if (!(message.author === "agent" && state.me && message.agent_id === state.me.id)) {
    state.unread.add(conversationId);
  }
  renderQueue();
}
