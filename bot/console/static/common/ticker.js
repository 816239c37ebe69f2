/* Relative times that stay current: every element with data-since="<iso>" shows how long ago
 * that was, every element with data-due="<iso>" how long until (or since) it is due, and every
 * element with data-sla-due="<iso>" the ticket list's "due in 3 h" / "overdue 20 min" — in the
 * agent's language (tick() again after a language switch). */

import { $$ } from "/static/shared/dom.js";
import { dueParenText, sinceText, slaDueText } from "./format.js";

const TICK_MS = 15000;
let timer = null;

export function tick() {
  for (const node of $$("[data-since]")) node.textContent = sinceText(node.dataset.since);
  for (const node of $$("[data-due]")) {
    const due = node.dataset.due;
    // data-due-paren (or the older " (" start): the bracketed "(in 3 h)" after a clock time
    const paren = "dueParen" in node.dataset || node.textContent.startsWith(" (");
    node.textContent = paren ? dueParenText(due) : slaDueText(due);
  }
  for (const node of $$("[data-sla-due]")) node.textContent = slaDueText(node.dataset.slaDue);
}

export function startTicking() {
  stopTicking();
  timer = setInterval(tick, TICK_MS);
}

export function stopTicking() {
  clearInterval(timer);
  timer = null;
}
