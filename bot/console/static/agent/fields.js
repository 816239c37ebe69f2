/* The label-and-value fields of a ticket, shared by the chat's ticket panel (ticket.js) and the
 * ticket view (ticket_detail.js). */

import { el } from "/static/shared/dom.js";
import { clock, dueParenText, fullTime, parseTime } from "../common/format.js";

/** A field collector: `cell(label, value, {wide, key})` adds a field unless the value is empty. */
export function fieldCells() {
  const cells = [];
  const cell = (label, value, { wide = false, key = null } = {}) => {
    if (value === null || value === undefined || value === "") return;
    cells.push(
      el(
        "div",
        { class: `tf${wide ? " tf-wide" : ""}`, "data-field": key },
        el("span", { class: "tf-label", text: label }),
        el("span", { class: "tf-value" }, value),
      ),
    );
  };
  return { cells, cell };
}

/** A moment as a field shows it: the clock time (full on hover), with how long until it when
 * `relative`, marked overdue when `late` and the ticket is still `active`. */
export function moment(iso, { active = true, relative = false, late = false } = {}) {
  if (!iso) return null;
  const overdue = late && active && parseTime(iso) < Date.now();
  return el(
    "span",
    { class: overdue ? "overdue" : null, title: fullTime(iso) },
    clock(iso),
    relative && active
      ? el("span", { class: "muted", "data-due": iso, "data-due-paren": "", text: dueParenText(iso) })
      : null,
  );
}
