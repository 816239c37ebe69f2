/* Toasts: a card for each chat that was just escalated, newest on top, four at most. A click
 * opens the chat; a toast goes by itself after 8 s, unless the keyboard is on it. */

import { $$, el } from "/static/shared/dom.js";
import { reasonChips, severityChip, vipBadge } from "./chips.js";
import { openConversation } from "./conversation.js";
import { isVip, severityOf, state } from "./store.js";
import { ui } from "./ui.js";

const TOAST_MS = 8000;
const MAX_TOASTS = 4;

/** Opens the chat a toast was about and puts the focus where the agent acts next. */
async function openFromToast(id) {
  await openConversation(id, { fromUser: true });
  if (state.openId !== id) return;
  if (!ui.claim.hidden) ui.claim.focus();
  else if (!ui.reply.disabled) ui.reply.focus();
}

export function escalationToast(summary) {
  const severity = severityOf(summary);
  const name = summary.customer?.name || `Chat ${summary.id}`;
  let timer = null;
  const toast = el(
    "div",
    {
      class: "toast",
      role: "status",
      "data-console": "toast",
      "data-conversation-id": summary.id,
      "data-severity": severity || "none",
      title: "Open this chat",
    },
    el(
      "div",
      { class: "toast-head" },
      el("span", { class: "toast-kicker", text: "New chat waiting" }),
      el("button", { type: "button", class: "toast-close", "aria-label": "Dismiss notification", text: "×" }),
    ),
    el(
      "div",
      { class: "toast-name" },
      el("span", { text: name }),
      isVip(summary) ? vipBadge() : null,
      severityChip(severity),
    ),
    summary.reasons?.length ? el("div", { class: "toast-reasons" }, reasonChips(summary.reasons)) : null,
    summary.last_message ? el("p", { class: "toast-text", text: summary.last_message }) : null,
    el("button", { type: "button", class: "toast-open", text: "Open chat" }),
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
    if (!event.target.closest(".toast-close")) openFromToast(summary.id);
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

export function clearToasts() {
  for (const toast of $$(".toast", ui.toasts)) toast.remove();
}
