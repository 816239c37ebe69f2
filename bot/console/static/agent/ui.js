/* The console page's elements, found once (collect) and named in camelCase after their ids. */

import { $ } from "/static/shared/dom.js";

export const ui = {};

const IDS = [
  "booting", "login-view", "main-view", "login-error", "connection", "connection-text",
  "presence", "presence-dot", "me-name", "me-role", "signout", "queue-queued",
  "queue-assigned", "queue-queued-empty", "queue-assigned-empty", "count-queued",
  "count-assigned", "queue-updated", "conversation-title", "conversation-meta",
  "conversation-status", "conversation-empty", "conversation-body", "ticket-panel",
  "ticket-summary-text", "ticket-details", "transcript", "action-hint", "action-error",
  "action-status", "claim", "composer", "reply", "reply-label", "private", "send", "transfer",
  "handback", "resolve", "canned-search", "canned-list", "canned-empty", "toasts",
];

export function collect() {
  for (const id of IDS) ui[id.replace(/-(\w)/g, (_, c) => c.toUpperCase())] = document.getElementById(id);
  ui.loginForm = $('[data-console="login"]');
  ui.email = $('[data-console="email"]');
  ui.password = $('[data-console="password"]');
  ui.signin = $('[data-console="signin"]');
}

/** "login" or "main"; the boot message goes. */
export function showView(name) {
  ui.booting.hidden = true;
  ui.loginView.hidden = name !== "login";
  ui.mainView.hidden = name !== "main";
}
