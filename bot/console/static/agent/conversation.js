/* The open conversation: opening one (with the draft typed for each chat), the header and the
 * transcript with the assistant's analysis of each customer message (items: messages.js). */

import { $, el, fill } from "/static/shared/dom.js";
import { api } from "../common/api.js";
import { channelText, debounce, languageText } from "../common/format.js";
import { t } from "../common/i18n.js";
import { reasonChips, severityChip, vipBadge } from "./chips.js";
import { hideActionError, showActionError } from "./feedback.js";
import { messageItem } from "./messages.js";
import { isMine, isVip, queued, render, severityOf, state, statusText } from "./store.js";
import { renderTicket } from "./ticket.js";
import { ui } from "./ui.js";

let openSequence = 0;

export async function openConversation(id, { fromUser = false, keepScroll = false } = {}) {
  if (!state.signedIn) return;
  const switching = state.openId !== id;
  if (switching) saveDraft();
  state.openId = id;
  state.unread.delete(id);
  if (switching) {
    restoreDraft(id);
    hideActionError();
    state.open = null;
    ui.conversationTitle.textContent = t("conversation.loading");
    render("queue");
  }
  const sequence = ++openSequence;
  try {
    const conversation = await api("GET", `/api/console/conversations/${id}`);
    if (sequence !== openSequence || state.openId !== id) return; // a newer request won
    setOpen(conversation, { keepScroll: keepScroll && !switching });
    if (fromUser && window.matchMedia("(max-width: 760px)").matches) {
      $(".conversation-pane").scrollIntoView({ behavior: "smooth", block: "start" });
    }
  } catch (error) {
    if (error.status === 401 || sequence !== openSequence) return;
    if (switching) {
      state.openId = null;
      renderConversation();
      render("actions");
      render("queue");
    }
    showActionError(t("conversation.openFailed", { error: error.message }));
  }
}

/** Keeps what was typed for the chat being left. */
function saveDraft() {
  if (state.openId === null) return;
  if (ui.reply.value || ui.private.checked) {
    state.drafts.set(state.openId, { text: ui.reply.value, private: ui.private.checked });
  } else {
    state.drafts.delete(state.openId);
  }
}

function restoreDraft(id) {
  const draft = state.drafts.get(id);
  ui.reply.value = draft ? draft.text : "";
  ui.private.checked = draft ? draft.private : false;
}

/** Reloads the open conversation (once for a burst of calls). */
export const reloadOpen = debounce(() => {
  if (state.openId !== null) openConversation(state.openId, { keepScroll: true });
}, 150);

/** Shows a conversation returned by the API (open, claim, transfer, hand back, resolve). */
export function setOpen(conversation, { keepScroll = false } = {}) {
  state.open = conversation;
  state.openId = conversation.id;
  state.unread.delete(conversation.id);
  const summary = queued(conversation.id);
  if (summary) {
    for (const key of ["status", "assigned_agent_id", "priority", "reasons", "ticket", "last_message"]) {
      summary[key] = conversation[key];
    }
  }
  renderConversation({ keepScroll });
  render("actions");
  render("queue");
}

export function renderConversation({ keepScroll = false } = {}) {
  const c = state.open;
  ui.conversationEmpty.hidden = Boolean(c) || state.openId !== null;
  ui.conversationBody.hidden = !c;
  ui.conversationStatus.hidden = !c;
  if (!c) {
    ui.conversationTitle.textContent = state.openId !== null ? t("conversation.loading") : t("conversation.title");
    fill(ui.conversationMeta);
    ui.transcript.replaceChildren();
    return;
  }
  const customer = c.customer || {};
  ui.conversationTitle.textContent = customer.name || t("conversation.chat", { id: c.id });
  const channel = c.channel || customer.channel;
  fill(
    ui.conversationMeta,
    isVip(c) ? vipBadge() : null,
    severityChip(severityOf(c)),
    el("span", { class: "meta-item", text: channelText(channel) }),
    el("span", { class: "meta-item", text: languageText(customer.language) || t("conversation.languageUnknown") }),
    el("span", { class: "meta-item muted", text: t("conversation.chat", { id: c.id }) }),
    ...reasonChips(c.reasons),
  );
  ui.conversationStatus.textContent = statusText(c);
  ui.conversationStatus.dataset.status = isMine(c) ? "mine" : c.status;

  renderTicket(c);

  const transcript = ui.transcript;
  const nearBottom = transcript.scrollHeight - transcript.scrollTop - transcript.clientHeight < 80;
  const previousTop = transcript.scrollTop;
  transcript.setAttribute("aria-busy", "true");
  const messages = c.messages || [];
  transcript.replaceChildren(
    ...(messages.length
      ? messages.map((m) => messageItem(m, c))
      : [el("li", { class: "empty small", text: t("conversation.noMessages") })]),
  );
  transcript.removeAttribute("aria-busy");
  transcript.scrollTop = keepScroll && !nearBottom ? previousTop : transcript.scrollHeight;
}

/** Adds one message to the open transcript (live event or own reply), once. */
export function appendMessage(message, { scroll = false } = {}) {
  const c = state.open;
  if (!c || !message) return;
  c.messages = c.messages || [];
  if (message.id !== undefined && c.messages.some((m) => m.id === message.id)) return;
  c.messages.push(message);
  if (message.author === "customer" && message.text) c.last_message = message.text;
  const transcript = ui.transcript;
  const nearBottom = transcript.scrollHeight - transcript.scrollTop - transcript.clientHeight < 120;
  if (c.messages.length === 1) transcript.replaceChildren();
  transcript.append(messageItem(message, c));
  if (nearBottom || scroll) transcript.scrollTop = transcript.scrollHeight;
}
