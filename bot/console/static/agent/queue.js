/* The queue pane: chats waiting for an agent and chats in progress, reloaded from the API
 * whenever the live updates say the queue changed. */

import { $, el } from "/static/shared/dom.js";
import { api } from "../common/api.js";
import { channelText, fullTime, sinceText } from "../common/format.js";
import { t } from "../common/i18n.js";
import { reasonChips, severityChip, vipBadge } from "./chips.js";
import { openConversation, reloadOpen } from "./conversation.js";
import { agentName, freshFor, isVip, queued, severityOf, state } from "./store.js";
import { ui } from "./ui.js";

let queueRequest = null;
let queueAgain = false;

/** Reloads the queue; calls made while a request runs are folded into one more request. */
export function refreshQueue() {
  if (!state.signedIn) return Promise.resolve();
  if (queueRequest) {
    queueAgain = true;
    return queueRequest;
  }
  queueRequest = (async () => {
    try {
      do {
        queueAgain = false;
        const queue = await api("GET", "/api/console/queue");
        if (!state.signedIn) return;
        state.queue = Array.isArray(queue) ? queue : [];
        ui.queueUpdated.textContent = "";
        renderQueue();
        syncOpenWithQueue();
      } while (queueAgain && state.signedIn);
    } catch (error) {
      if (error.status !== 401) ui.queueUpdated.textContent = t("queue.refreshFailed");
    } finally {
      queueRequest = null;
    }
  })();
  return queueRequest;
}

function queueRow(summary) {
  const severity = severityOf(summary);
  const unread = state.unread.has(summary.id);
  const mine = summary.status !== "queued" && summary.assigned_agent_id === state.me?.id;
  const owner =
    summary.status === "queued"
      ? t("queue.waitingForAgent")
      : mine
        ? t("chat.withYou")
        : t("chat.with", { name: agentName(summary.assigned_agent_id) || t("who.anAgent") });
  const channel = summary.channel || summary.customer?.channel;
  const since = summary.queued_at;
  const waitLabel = summary.status === "queued" ? t("queue.waiting") : t("queue.sinceHandOff");
  const fresh = freshFor(summary.id);

  const button = el(
    "button",
    {
      type: "button",
      class: "queue-item",
      "data-console": "queue-item",
      "data-conversation-id": summary.id,
      "data-status": summary.status,
      "data-severity": severity || "none",
      "data-unread": unread ? "true" : "false",
      "data-fresh": fresh !== null ? "true" : "false",
      "aria-current": summary.id === state.openId ? "true" : null,
      onclick: () => openConversation(summary.id, { fromUser: true }),
    },
    el(
      "span",
      { class: "qi-top" },
      el("span", { class: "qi-name", text: summary.customer?.name || t("conversation.chat", { id: summary.id }) }),
      isVip(summary) ? vipBadge() : null,
      unread ? el("span", { class: "qi-new", text: t("queue.new") }) : null,
      el(
        "span",
        {
          class: "qi-wait",
          "data-since": since || null,
          title: since ? t("queue.waitTitle", { label: waitLabel, time: fullTime(since) }) : null,
        },
        since ? sinceText(since) : "",
      ),
    ),
    el(
      "span",
      { class: "qi-meta" },
      severityChip(severity),
      el("span", { class: "qi-channel", text: channelText(channel) }),
      summary.customer?.language
        ? el("span", { class: "qi-lang", text: summary.customer.language.toUpperCase() })
        : null,
    ),
    summary.reasons?.length ? el("span", { class: "qi-reasons" }, reasonChips(summary.reasons)) : null,
    el(
      "span",
      { class: "qi-last" },
      summary.last_message
        ? summary.last_message
        : el("span", { class: "muted", text: t("queue.noMessage") }),
    ),
    el(
      "span",
      { class: "qi-owner", "data-mine": mine ? "true" : "false" },
      owner,
      summary.ticket ? el("span", { class: "qi-ticket", text: `#${summary.ticket.number}` }) : null,
    ),
  );
  // a re-rendered row continues its pulse instead of starting it again (set as a property:
  // the page's CSP allows no style attributes)
  if (fresh !== null) button.style.animationDelay = `-${fresh}ms`;
  return el("li", {}, button);
}

/** The queue row of a conversation, if it is shown. */
export const queueItem = (id) => $(`[data-console="queue-item"][data-conversation-id="${CSS.escape(String(id))}"]`);

export function renderQueue() {
  const focused = document.activeElement?.closest?.('[data-console="queue-item"]');
  const focusedId = focused ? focused.dataset.conversationId : null;
  const waiting = state.queue.filter((c) => c.status === "queued");
  const assigned = state.queue.filter((c) => c.status === "assigned");
  ui.queueQueued.replaceChildren(...waiting.map(queueRow));
  ui.queueAssigned.replaceChildren(...assigned.map(queueRow));
  ui.queueQueuedEmpty.hidden = waiting.length > 0;
  ui.queueAssignedEmpty.hidden = assigned.length > 0;
  ui.countQueued.textContent = String(waiting.length);
  ui.countAssigned.textContent = String(assigned.length);
  ui.countTabChats.textContent = String(waiting.length); // on the Chats tab, seen from Tickets too
  ui.countTabChats.hidden = waiting.length === 0;
  document.title = waiting.length ? t("page.titleWaiting", { n: waiting.length }) : t("page.title");
  if (focusedId) queueItem(focusedId)?.focus();
}

const openKey = (c) => (c ? [c.status, c.assigned_agent_id, c.ticket?.status, c.ticket?.severity].join("|") : "");

/** Reloads the open conversation when the queue says it changed (claimed, moved, resolved…). */
function syncOpenWithQueue() {
  const open = state.open;
  if (!open || state.busy) return;
  const summary = queued(open.id);
  const changed = summary ? openKey(summary) !== openKey(open) : open.status === "queued" || open.status === "assigned";
  if (changed) reloadOpen();
}
