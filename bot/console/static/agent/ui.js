/* The console page's elements, found once (collect) and named in camelCase after their ids. */

import { $ } from "/static/shared/dom.js";

export const ui = {};

const IDS = [
  "booting", "login-view", "main-view", "login-error", "connection", "connection-text",
  "presence", "presence-dot", "me-name", "me-role", "signout", "reports-link", "admin-link",
  "queue-queued", "queue-assigned", "queue-queued-empty", "queue-assigned-empty", "count-queued",
  "count-assigned", "queue-updated", "conversation-title", "conversation-meta",
  "conversation-status", "conversation-empty", "conversation-body", "ticket-panel",
  "ticket-summary-text", "ticket-details", "transcript", "action-hint", "action-error",
  "action-status", "claim", "composer", "reply", "reply-label", "private", "send", "transfer",
  "handback", "resolve", "canned-search", "canned-list", "canned-empty", "toasts",
  // the Chats | Tickets switch, the ticket list and the open ticket
  "panes", "skip-link", "conversation-pane", "actions-pane", "chats-tab", "tickets-tab",
  "count-tab-chats", "queue-body", "tickets-body", "ticket-filters", "ticket-search",
  "ticket-more-filters", "ticket-filter-count", "tickets-count", "tickets-clear", "ticket-list",
  "tickets-empty", "tickets-error", "tickets-more", "ticket-pane", "ticket-title", "ticket-meta",
  "ticket-status-pill", "ticket-load-error", "ticket-empty", "ticket-detail", "ticket-fields", "ticket-transcript",
  "ticket-surveys", "ticket-events", "ticket-hint", "ticket-error", "ticket-feedback",
  "ticket-take", "ticket-open-chat", "ticket-composer", "ticket-reply", "ticket-reply-label",
  "ticket-note-toggle", "ticket-reply-send", "ticket-status-form", "ticket-status",
  "ticket-status-note", "ticket-status-note-label", "ticket-status-help", "ticket-status-error",
  "ticket-status-apply", "ticket-correct", "ticket-correct-category", "ticket-correct-severity",
  "ticket-correct-reason", "ticket-correct-error", "ticket-correct-apply", "ticket-tier",
  "ticket-tier-text", "ticket-vip",
  // the language switch and its two places (the sign-in page, the top bar)
  "lang-switch", "lang-switch-box", "lang-slot-login", "lang-slot-main",
];

export function collect() {
  for (const id of IDS) ui[id.replace(/-(\w)/g, (_, c) => c.toUpperCase())] = document.getElementById(id);
  ui.loginForm = $('[data-console="login"]');
  ui.email = $('[data-console="email"]');
  ui.password = $('[data-console="password"]');
  ui.signin = $('[data-console="signin"]');
  ui.ticketFilterSelects = Array.from(document.querySelectorAll("#ticket-filters select[data-filter]"));
}

/** "login" or "main"; the boot message goes. The language switch goes with the view shown. */
export function showView(name) {
  const slot = name === "main" ? ui.langSlotMain : ui.langSlotLogin;
  if (ui.langSwitchBox && slot && ui.langSwitchBox.parentElement !== slot) {
    const hadFocus = ui.langSwitchBox.contains(document.activeElement);
    slot.append(ui.langSwitchBox);
    if (hadFocus) ui.langSwitch.focus();
  }
  ui.booting.hidden = true;
  ui.loginView.hidden = name !== "login";
  ui.mainView.hidden = name !== "main";
}
