/* What the actions pane and the open ticket say back: an error (role=alert) or a short
 * confirmation (a polite live region under the action buttons). The open ticket has its own:
 * one for its actions in general, one in each of its forms (status, correction). */

import { ui } from "./ui.js";

const timers = new Map();

/** A short confirmation in `node`; it goes after 5 s. */
function say(node, text) {
  clearTimeout(timers.get(node));
  node.textContent = text;
  timers.set(
    node,
    setTimeout(() => {
      node.textContent = "";
    }, 5000),
  );
}

function showError(errorNode, statusNode, message) {
  if (message) {
    clearTimeout(timers.get(statusNode));
    statusNode.textContent = "";
  }
  errorNode.textContent = message;
  errorNode.hidden = !message;
}

/** A short confirmation under the action buttons; it goes after 5 s. */
export const announce = (text) => say(ui.actionStatus, text);

export const showActionError = (message) => showError(ui.actionError, ui.actionStatus, message);

export const hideActionError = () => showActionError("");

// the open ticket ---------------------------------------------------------------------------

const TICKET_ERRORS = {
  load: "ticketLoadError",
  ticket: "ticketError",
  status: "ticketStatusError",
  correct: "ticketCorrectError",
};

/** A confirmation for the open ticket ("You have ticket #131."). */
export const announceTicket = (text) => say(ui.ticketFeedback, text);

/** An error for the open ticket: `where` is "ticket" (its actions), "status" or "correct" (a
 * form), or "load" (it could not be opened: shown above the pane, ticket or not). */
export const showTicketError = (message, where = "ticket") =>
  showError(ui[TICKET_ERRORS[where] || TICKET_ERRORS.ticket], ui.ticketFeedback, message);

/** Clears the ticket's errors (all of them unless `where` is given). */
export function hideTicketErrors(where = null) {
  for (const [key, name] of Object.entries(TICKET_ERRORS)) {
    if (where === null || where === key) {
      ui[name].textContent = "";
      ui[name].hidden = true;
    }
  }
}
