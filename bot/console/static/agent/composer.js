/* The reply box: sends a reply or a private note; Enter sends, "/shortcut" inserts a canned
 * response. */

import { api } from "../common/api.js";
import { t } from "../common/i18n.js";
import { renderActions } from "./actions.js";
import { cannedMatches, filterCannedFromReply, insertCanned, slashToken } from "./canned.js";
import { appendMessage, reloadOpen } from "./conversation.js";
import { hideActionError, showActionError } from "./feedback.js";
import { heldByOther, mayReply, notYourChat, state } from "./store.js";
import { ui } from "./ui.js";

export async function sendReply() {
  const c = state.open;
  const text = ui.reply.value.trim();
  if (!c || !text || state.sending) return;
  const isPrivate = ui.private.checked;
  if (!isPrivate && !mayReply(c)) {
    // the Send button is greyed out then; Enter in the box still lands here
    let why = t("composer.onlyAssignee");
    if (c.status === "queued") why = t("composer.claimFirst");
    else if (heldByOther(c)) why = t("composer.canNote", { reason: notYourChat() });
    showActionError(why);
    return;
  }
  state.sending = true;
  hideActionError();
  renderActions();
  try {
    const message = await api("POST", `/api/console/conversations/${c.id}/messages`, {
      text,
      private: isPrivate,
    });
    if (ui.reply.value.trim() === text && state.openId === c.id) ui.reply.value = "";
    const draft = state.drafts.get(c.id);
    if (draft && draft.text.trim() === text) state.drafts.delete(c.id);
    if (state.open && state.open.id === c.id) {
      appendMessage(message, { scroll: true });
      reloadOpen(); // the ticket changed too: first reply time, a "note" event
    }
    filterCannedFromReply();
  } catch (error) {
    if (error.status !== 401) showActionError(t("composer.notSent", { error: error.message }));
    if (error.status === 409) reloadOpen();
  } finally {
    state.sending = false;
    renderActions();
    ui.reply.focus();
  }
}

export function onReplyKey(event) {
  if (event.key !== "Enter" || event.shiftKey || event.isComposing || event.keyCode === 229) return;
  event.preventDefault();
  const token = slashToken();
  if (token) {
    const matches = cannedMatches(token.query);
    if (matches.length) {
      insertCanned(matches[0], token);
      return;
    }
  }
  sendReply();
}

/** A "/shortcut" typed in full (and no longer one starting with it) is replaced at once. */
export function onReplyInput(event) {
  if (event.isComposing) return;
  const token = slashToken();
  if (token && token.query) {
    const query = token.query;
    const exact = state.canned.find((c) => c.shortcut.toLowerCase() === query);
    const longer = state.canned.some((c) => c !== exact && c.shortcut.toLowerCase().startsWith(query));
    if (exact && !longer) {
      insertCanned(exact, token);
      return;
    }
  }
  filterCannedFromReply();
}
