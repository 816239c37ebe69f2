/* Toasts, newest on top, four at most: a card for each chat that was just escalated, and for
 * tickets — an SLA warning (for the assignee, or everyone when the ticket has none), an SLA
 * breach (for supervisors, admins and the assignee), a case reopened after a low survey score
 * (for the colleague it was routed to). A click opens the chat or the ticket; a toast goes by
 * itself after 8 s, unless the keyboard is on it. */

import { $$, el } from "/static/shared/dom.js";
import { clock, slaDueText } from "../common/format.js";
import { t as tr } from "../common/i18n.js"; // `t` is the ticket here
import { reasonChips, severityChip, vipBadge } from "./chips.js";
import { openConversation } from "./conversation.js";
import { customerLabel, isSenior, isVip, severityOf, state } from "./store.js";
import { openTicket } from "./ticket_detail.js";
import { ui } from "./ui.js";
import { showWork } from "./work.js";

const TOAST_MS = 8000;
const MAX_TOASTS = 4;

/** Opens the chat a toast was about and puts the focus where the agent acts next. */
async function openFromToast(id) {
  showWork("chats");
  await openConversation(id, { fromUser: true });
  if (state.openId !== id) return;
  if (!ui.claim.hidden) ui.claim.focus();
  else if (!ui.reply.disabled) ui.reply.focus();
}

function openTicketFromToast(number) {
  showWork("tickets");
  openTicket(number, { fromUser: true, focus: true });
}

/** A toast card: `attrs` go on the card, `body` under its head, `onOpen` runs on a click. */
function showToast({ attrs, kicker, body, openLabel, title, onOpen }) {
  let timer = null;
  const toast = el(
    "div",
    { class: "toast", role: "status", "data-console": "toast", "data-testid": "toast", title, ...attrs },
    el(
      "div",
      { class: "toast-head" },
      el("span", { class: "toast-kicker", text: kicker }),
      el("button", { type: "button", class: "toast-close", "aria-label": tr("toast.dismiss"), text: "×" }),
    ),
    body,
    el("button", { type: "button", class: "toast-open", text: openLabel }),
  );
  const dismiss = () => {
    clearTimeout(timer);
    toast.classList.add("leaving");
    setTimeout(() => toast.remove(), 200);
  };
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(dismiss, TOAST_MS);
  };
  toast.addEventListener("click", (event) => {
    dismiss();
    if (!event.target.closest(".toast-close")) onOpen();
  });
  toast.addEventListener("keydown", (event) => {
    if (event.key === "Escape") dismiss();
  });
  // keyboard users reading it keep it on screen; it hides 8 s after they leave
  toast.addEventListener("focusin", () => clearTimeout(timer));
  toast.addEventListener("focusout", (event) => {
    if (!toast.contains(event.relatedTarget)) arm();
  });
  ui.toasts.prepend(toast);
  while (ui.toasts.childElementCount > MAX_TOASTS) ui.toasts.lastElementChild.remove();
  arm();
  return toast;
}

export function escalationToast(summary) {
  const severity = severityOf(summary);
  const name = summary.customer?.name || tr("conversation.chat", { id: summary.id });
  return showToast({
    attrs: { "data-kind": "escalated", "data-conversation-id": summary.id, "data-severity": severity || "none" },
    kicker: tr("toast.newChat"),
    title: tr("toast.openChatTitle"),
    openLabel: tr("toast.openChat"),
    onOpen: () => openFromToast(summary.id),
    body: [
      el(
        "div",
        { class: "toast-name" },
        el("span", { text: name }),
        isVip(summary) ? vipBadge() : null,
        severityChip(severity),
      ),
      summary.reasons?.length ? el("div", { class: "toast-reasons" }, reasonChips(summary.reasons)) : null,
      summary.last_message ? el("p", { class: "toast-text", text: summary.last_message }) : null,
    ],
  });
}

// tickets -----------------------------------------------------------------------------------

const TICKET_TOASTS = {
  sla_warning: {
    kicker: () => tr("toast.dueSoon"),
    text: (t) => tr("toast.dueSoonText", { n: t.number, due: t.due_at ? slaDueText(t.due_at) : tr("toast.nearlyDue") }),
  },
  sla_breached: {
    kicker: () => tr("toast.breached"),
    text: (t) =>
      t.due_at
        ? tr("toast.breachedTextDue", { n: t.number, time: clock(t.due_at) })
        : tr("toast.breachedText", { n: t.number }),
  },
  ticket_reopened: {
    kicker: () => tr("toast.reopened"),
    text: (t) => tr("toast.reopenedText", { n: t.number }),
  },
};

/** Whether the signed-in agent hears of this ticket event. */
function isForMe(event) {
  const me = state.me;
  const ticket = event.ticket;
  if (!me || !ticket) return false;
  switch (event.type) {
    case "sla_warning":
      return event.agent_id === null || event.agent_id === undefined || event.agent_id === me.id;
    case "sla_breached":
      return isSenior() || ticket.assignee?.id === me.id;
    case "ticket_reopened":
      return event.agent_id === me.id;
    default:
      return false;
  }
}

/** The toast for an SLA warning, a breach or a reopened case, if it is for this agent. */
export function ticketToast(event) {
  const kind = TICKET_TOASTS[event?.type];
  if (!kind || !isForMe(event)) return null;
  const t = event.ticket;
  // one toast per ticket and kind: a newer one replaces it
  for (const old of $$(".toast[data-number]", ui.toasts)) {
    if (old.dataset.number === String(t.number) && old.dataset.kind === event.type) old.remove();
  }
  const customer = t.customer || {};
  return showToast({
    attrs: { "data-kind": event.type, "data-number": t.number, "data-severity": t.severity || "none" },
    kicker: kind.kicker(),
    title: tr("toast.openTicketTitle"),
    openLabel: tr("toast.openTicket"),
    onOpen: () => openTicketFromToast(t.number),
    body: [
      el("p", { class: "toast-title", text: kind.text(t) }),
      el(
        "div",
        { class: "toast-name toast-name-small" },
        el("span", { text: customer.name || customerLabel(customer) }),
        customer.tier === "vip" ? vipBadge() : null,
        severityChip(t.severity),
      ),
      t.subject ? el("p", { class: "toast-text", text: t.subject }) : null,
    ],
  });
}

export function clearToasts() {
  for (const toast of $$(".toast", ui.toasts)) toast.remove();
}
