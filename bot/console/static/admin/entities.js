/* Rasa's entity markup in an example's text, read and written:
 *   [12345](order_number)   [NYC](city:New York)   [12345]{"entity": "order_number", "role": "…"}
 * read out as chips "value → entity", and the "mark entity" helper: the words selected in an
 * example's input wrapped as [words](entity). */

import { el } from "/static/shared/dom.js";
import { setTx, tx, ta } from "./lang.js";
import { state } from "./store.js";
import { button, chip, select, uid } from "./widgets.js";

const MARK = /\[([^\]\n]+)\](?:\(([^)\n]+)\)|(\{[^{}\n]*\}))/g;

/** {plain, marks: [{start, end, text, value, entity, role}]} (offsets into the plain text). */
export function parseMarks(text) {
  const source = String(text ?? "");
  const marks = [];
  let plain = "";
  let last = 0;
  for (const match of source.matchAll(MARK)) {
    const [whole, words, paren, json] = match;
    let entity = "";
    let value = words;
    let role = "";
    if (paren !== undefined) {
      const colon = paren.indexOf(":");
      entity = (colon >= 0 ? paren.slice(0, colon) : paren).trim();
      if (colon >= 0) value = paren.slice(colon + 1).trim() || words;
    } else {
      try {
        const data = JSON.parse(json);
        entity = String(data.entity ?? "");
        if (data.value !== undefined) value = String(data.value);
        if (data.role) role = String(data.role);
      } catch {
        continue; // not markup after all: left as text
      }
    }
    if (!entity) continue;
    plain += source.slice(last, match.index);
    const start = plain.length;
    plain += words;
    marks.push({ start, end: plain.length, text: words, value, entity, role });
    last = match.index + whole.length;
  }
  plain += source.slice(last);
  return { plain, marks };
}

/** The chips of an example's marks (a text's own, or the server's entities list). */
export function markChips(marks) {
  if (!marks?.length) return [];
  return marks.map((mark) =>
    chip(
      { class: "chip-entity", title: mark.role ? `${mark.entity} (${mark.role})` : mark.entity },
      el("span", { class: "chip-entity-value", text: mark.value ?? mark.text ?? "" }),
      el("span", { class: "chip-entity-arrow", "aria-hidden": "true", text: " → " }),
      el("span", { class: "visually-hidden", ...tx("entity.is") }),
      el("span", { class: "chip-entity-name", text: mark.role ? `${mark.entity} (${mark.role})` : mark.entity }),
    ),
  );
}

/** Keeps a chips box in step with an input's text. */
export function liveChips(input, box) {
  const draw = () => box.replaceChildren(...markChips(parseMarks(input.value).marks));
  input.addEventListener("input", draw);
  draw();
  return draw;
}

/**
 * Wraps the input's selection as [words](entity). Returns "" when done, else the key of what
 * is wrong (nothing selected, the words already marked).
 */
export function wrapSelection(input, entity) {
  let start = input.selectionStart ?? 0;
  let end = input.selectionEnd ?? 0;
  const value = input.value;
  while (start < end && /\s/.test(value[start])) start += 1;
  while (end > start && /\s/.test(value[end - 1])) end -= 1;
  if (start >= end) return "entity.selectFirst";
  const words = value.slice(start, end);
  if (/[[\]()]/.test(words)) return "entity.alreadyMarked";
  for (const match of value.matchAll(MARK)) {
    const from = match.index;
    const to = from + match[0].length;
    if (start < to && end > from) return "entity.alreadyMarked";
  }
  const wrapped = `[${words}](${entity})`;
  input.setRangeText(wrapped, start, end, "end");
  input.dispatchEvent(new Event("input", { bubbles: true }));
  input.focus();
  input.setSelectionRange(start, start + wrapped.length);
  return "";
}

/**
 * The "mark entity" helper for one input: a toggle button that shows an entity select and a
 * Mark button (the selection in the input is kept while the focus is on them).
 */
export function markHelper(input) {
  const names = state.entities || [];
  const box = el("div", { class: "mark-helper", hidden: true });
  const message = el("p", { class: "mark-message small", role: "status" });
  const choice = select(
    { class: "mark-entity", "data-testid": "entity-select", ...ta({ "aria-label": "entity.choose", title: "entity.choose" }) },
    names.map((name) => [name, { text: name }]),
  );
  const apply = button("entity.apply", { class: "btn btn-small", "data-testid": "entity-apply" });
  const cancel = button("entity.cancel", { class: "btn btn-small btn-quiet" });
  const toggle = button("entity.mark", {
    class: "btn btn-small btn-quiet mark-toggle",
    "data-testid": "entity-mark",
    "aria-expanded": "false",
    ...ta({ title: "entity.markHint" }),
  });
  toggle.setAttribute("aria-controls", (box.id = uid("mark")));
  const close = () => {
    box.hidden = true;
    toggle.setAttribute("aria-expanded", "false");
    message.textContent = "";
  };
  toggle.addEventListener("mousedown", (event) => event.preventDefault()); // the selection stays
  toggle.addEventListener("click", () => {
    if (!box.hidden) return close();
    box.hidden = false;
    toggle.setAttribute("aria-expanded", "true");
    const selected = (input.selectionEnd ?? 0) > (input.selectionStart ?? 0);
    if (selected) message.textContent = "";
    else setTx(message, "entity.selectFirst");
    choice.focus();
  });
  apply.addEventListener("click", () => {
    if (!choice.value) return;
    const problem = wrapSelection(input, choice.value);
    if (problem) {
      setTx(message, problem);
      return;
    }
    close();
  });
  cancel.addEventListener("click", () => {
    close();
    input.focus();
  });
  box.append(choice, apply, cancel, message);
  if (!names.length) toggle.hidden = true;
  return { toggle, box };
}
