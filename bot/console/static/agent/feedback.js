/* What the actions pane says back: an error (role=alert) or a short confirmation (a polite
 * live region under the action buttons). */

import { ui } from "./ui.js";

let announceTimer = null;

/** A short confirmation under the action buttons; it goes after 5 s. */
export function announce(text) {
  clearTimeout(announceTimer);
  ui.actionStatus.textContent = text;
  announceTimer = setTimeout(() => {
    ui.actionStatus.textContent = "";
  }, 5000);
}

export function showActionError(message) {
  if (message) {
    clearTimeout(announceTimer);
    ui.actionStatus.textContent = "";
  }
  ui.actionError.textContent = message;
  ui.actionError.hidden = !message;
}

export const hideActionError = () => showActionError("");
