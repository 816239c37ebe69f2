/* The agent console's state, the questions asked of it, and the views that draw it.
 *
 * Modules change `state` and then call render("queue"), render("actions")… The views are
 * registered once by main.js (defineViews), so that a module can redraw another part of the
 * page without importing it (the queue opens conversations, a conversation redraws the queue).
 */

import { SEVERITIES, capitalize, knownText } from "../common/format.js";
import { t } from "../common/i18n.js";

/** The ticket list's filters: status "active" unless the agent chooses otherwise. */
export const TICKET_FILTER = Object.freeze({
  status: "active",
  severity: "",
  category: "",
  sla: "",
  assignee: "",
  channel: "",
  language: "",
  q: "",
});
export const TICKET_PAGE = 50;

export const state = {
  signedIn: false,
  me: null, // agent_dict of the signed-in agent
  queue: [], // conversation summaries, in the order the API returns them
  agents: [], // agent_dict list
  canned: [], // every canned response (loaded once per sign-in)
  cannedShown: [], // what the canned list shows right now
  openId: null, // id of the open conversation
  open: null, // the open conversation (GET /api/console/conversations/<id>)
  unread: new Set(), // conversation ids with messages not yet seen
  fresh: new Map(), // conversation id -> when it was escalated (the row pulses briefly)
  drafts: new Map(), // conversation id -> {text, private}: what was typed, kept per chat
  busy: false, // an action on the open conversation is running
  sending: false, // a reply is on its way
  connection: "offline", // connecting | live | reconnecting | offline
  retries: 0,
  sounds: 0, // notification sounds played (for debugging)
  lastEvent: null,

  // tickets as work (the Tickets view)
  work: "chats", // what the console shows: chats (queue, chat, actions) | tickets (list, ticket)
  ticketFilter: { ...TICKET_FILTER },
  ticketLimit: TICKET_PAGE, // rows asked for (grows with "Show more")
  tickets: [], // TicketRows, in the order the API returns them
  ticketsTotal: 0,
  ticketsLoaded: false, // the list was loaded once for the current filter
  ticketsError: "", // why the list could not be loaded
  ticketNumber: null, // number of the open ticket
  ticket: null, // the open ticket (GET /api/console/tickets/<number>)
  ticketBusy: false, // an action on the open ticket is running
  ticketSending: false, // a reply or note on the open ticket is on its way
  ticketDrafts: new Map(), // ticket number -> {text, private}
};


/** Forgets everything of the agent who signed out. */
export function clearState() {
  Object.assign(state, {
    signedIn: false,
    me: null,
    queue: [],
    agents: [],
    canned: [],
    cannedShown: [],
    openId: null,
    open: null,
    busy: false,
    work: "chats",
    ticketFilter: { ...TICKET_FILTER },
    ticketLimit: TICKET_PAGE,
    tickets: [],
    ticketsTotal: 0,
    ticketsLoaded: false,
    ticketsError: "",
    ticketNumber: null,
    ticket: null,
    ticketBusy: false,
    ticketSending: false,
  });
  state.unread.clear();
  state.fresh.clear();
  state.drafts.clear();
  state.ticketDrafts.clear();
}

// views -------------------------------------------------------------------------------------

const views = {};

/** name -> function(options) drawing that part of the page from `state`. */
export function defineViews(map) {
  Object.assign(views, map);
}

export function render(name, options) {
  views[name](options);
}

// questions ---------------------------------------------------------------------------------

export function severityOf(summary) {
  const fromTicket = summary?.ticket?.severity;
  if (SEVERITIES.includes(fromTicket)) return fromTicket;
  const rank = (summary?.priority ?? 0) % 100; // queue.priority(): 1..4, +100 for the VIP lane
  return SEVERITIES[rank - 1] || null;
}

export const isVip = (summary) => summary?.customer?.tier === "vip" || (summary?.priority ?? 0) >= 100;

export function agentName(agentId) {
  if (agentId === null || agentId === undefined) return null;
  if (state.me && agentId === state.me.id) return t("who.you");
  const agent = state.agents.find((a) => a.id === agentId);
  return agent ? agent.name : t("who.agent", { id: agentId });
}

export function actorName(actor) {
  if (!actor) return "";
  const match = /^agent:(\d+)$/.exec(actor);
  if (match) return agentName(Number(match[1]));
  return knownText("actor", actor) ?? capitalize(actor);
}

export const isMine = (conversation) =>
  Boolean(
    conversation &&
      state.me &&
      conversation.status === "assigned" &&
      conversation.assigned_agent_id === state.me.id,
  );

/** Assigned to an agent other than the signed-in one. */
export const heldByOther = (conversation) =>
  Boolean(conversation && state.me && conversation.status === "assigned" && !isMine(conversation));

/** Why an agent's buttons are greyed out on a colleague's chat (the server refuses it too). */
export const notYourChat = () => t("chat.notYours");

/** Reply, transfer, hand back, resolve: on any chat for supervisors and admins; on a chat held
 * by a colleague not for an agent. A view-level convenience — the server decides. */
export const mayActOnChat = (conversation) => Boolean(conversation) && (isSenior() || !heldByOther(conversation));

/** Reply to the customer: the agent's own chat, or (supervisors, admins) a colleague's. */
export const mayReply = (conversation) => isMine(conversation) || (heldByOther(conversation) && isSenior());

/** Where a conversation stands, from the agent's point of view. */
export function statusText(conversation) {
  switch (conversation.status) {
    case "queued":
      return t("chat.queued");
    case "assigned":
      return isMine(conversation)
        ? t("chat.withYou")
        : t("chat.with", { name: agentName(conversation.assigned_agent_id) || t("who.anAgent") });
    case "bot":
      return t("chat.bot");
    case "closed":
      return t("chat.closed");
    default:
      return capitalize(conversation.status || "");
  }
}

/** The summary of a conversation in the queue, if it is there. */
export const queued = (id) => state.queue.find((c) => c.id === id);

/** The language the open chat's customer writes in ("en" unless it is "zh"). */
export const customerLanguage = () => (state.open?.customer?.language === "zh" ? "zh" : "en");

/** Supervisors and admins: they mark customers VIP and hear of every SLA breach. */
export const isSenior = () => ["supervisor", "admin"].includes(state.me?.role);

/** A ticket still being worked (open, pending, waiting on the customer). */
export const ticketActive = (ticket) => Boolean(ticket) && !["resolved", "closed"].includes(ticket.status);

export const ticketIsMine = (ticket) =>
  Boolean(ticket?.assignee && state.me && ticket.assignee.id === state.me.id);

/** Assigned to someone other than the signed-in agent. */
export const ticketHeldByOther = (ticket) => Boolean(ticket?.assignee && state.me) && !ticketIsMine(ticket);

export const notYourTicket = () => t("ticket.notYours");
export const takeOverSenior = () => t("ticket.takeOverSenior");

/** Moving a ticket's status, and taking over a ticket a colleague has: for the assignee (anyone
 * while it is unassigned), supervisors and admins always. A view-level convenience — the server
 * decides. */
export const mayActOnTicket = (ticket) => Boolean(ticket) && (isSenior() || !ticketHeldByOther(ticket));

/** "You", the assignee's name, or "Unassigned". */
export function assigneeText(ticket) {
  if (!ticket?.assignee) return t("ticket.unassigned");
  return ticketIsMine(ticket) ? t("who.you") : ticket.assignee.name || agentName(ticket.assignee.id);
}

/** "Customer 12" for a customer without a name ("Customer" without an id either). */
export const customerLabel = (customer) =>
  customer?.id !== undefined && customer?.id !== null ? t("who.customer", { id: customer.id }) : t("who.someCustomer");

export const FRESH_MS = 2400;

/** How long ago a just-escalated chat arrived (ms), while its row still pulses; else null. */
export function freshFor(id) {
  const since = state.fresh.get(id);
  if (since === undefined) return null;
  const elapsed = Date.now() - since;
  return elapsed < FRESH_MS ? elapsed : null;
}
