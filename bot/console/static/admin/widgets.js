/* Small building blocks of the admin page: labelled fields, buttons, a button busy while its
 * request runs, confirmations, one-per-line lists, chips, tables. Words come from the
 * catalogue (lang.js marks them); values are set as values or text, never as markup. */

import { el } from "/static/shared/dom.js";
import { t } from "../common/i18n.js";
import { ta, tx } from "./lang.js";

let counter = 0;

/** A fresh id for an element (labels point at their inputs). */
export const uid = (prefix = "admin") => `${prefix}-${++counter}`;

/** Adds an id to an element's aria-describedby. */
export function describe(control, id) {
  const ids = new Set((control.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean));
  ids.add(id);
  control.setAttribute("aria-describedby", [...ids].join(" "));
}

/** Removes an id from an element's aria-describedby. */
export function undescribe(control, id) {
  const ids = (control.getAttribute("aria-describedby") || "").split(/\s+/).filter((v) => v && v !== id);
  if (ids.length) control.setAttribute("aria-describedby", ids.join(" "));
  else control.removeAttribute("aria-describedby");
}

/**
 * A label and its control (and a hint under it). options: hint (a key), vars (for the label),
 * hideLabel (the label only for screen readers), className.
 */
export function field(labelKey, control, { hint, hintVars, vars, hideLabel = false, className = "" } = {}) {
  if (!control.id) control.id = uid("field");
  const label = el("label", {
    class: hideLabel ? "visually-hidden" : "field-label",
    for: control.id,
    ...tx(labelKey, vars),
  });
  let hintNode = null;
  if (hint) {
    hintNode = el("p", { class: "field-hint muted small", id: uid("hint"), ...tx(hint, hintVars) });
    describe(control, hintNode.id);
  }
  return el("div", { class: `field ${className}`.trim() }, label, control, hintNode);
}

/** A button with the catalogue's text. */
export const button = (key, props = {}, vars) => el("button", { type: "button", class: "btn", ...tx(key, vars), ...props });

/** A text input (value set as a value). */
export const textInput = (props = {}, value = "") => {
  const input = el("input", { type: "text", autocomplete: "off", ...props });
  input.value = value ?? "";
  return input;
};

/** A textarea (value set as a value). */
export const textArea = (props = {}, value = "") => {
  const area = el("textarea", { rows: 3, ...props });
  area.value = value ?? "";
  return area;
};

/** A select of [value, props] options (props: tx(…) or {text}). */
export function select(props, options, chosen) {
  const node = el("select", props, options.map(([value, label]) => el("option", { value, ...label })));
  if (chosen !== undefined && chosen !== null) node.value = String(chosen);
  return node;
}

/** The language select (en, zh) used by the add forms. */
export const languageSelect = (props, chosen = "en") =>
  select(props, [["en", tx("lang.en")], ["zh", tx("lang.zh")]], chosen);

/**
 * Runs task with the controls disabled (and aria-busy), then gives them back as they were.
 * A control that had the focus gets it back (disabling took it away).
 */
export async function busy(controls, task) {
  const list = (Array.isArray(controls) ? controls : [controls]).filter(Boolean);
  const before = list.map((control) => control.disabled);
  const focused = list.find((control) => control === document.activeElement);
  for (const control of list) {
    control.disabled = true;
    control.setAttribute("aria-busy", "true");
  }
  try {
    return await task();
  } finally {
    list.forEach((control, i) => {
      control.disabled = before[i];
      control.removeAttribute("aria-busy");
    });
    const active = document.activeElement;
    if (focused && focused.isConnected && !focused.disabled && (!active || active === document.body)) focused.focus();
  }
}

/** The browser's own confirmation, in the page's language. */
export const confirmed = (key, vars) => window.confirm(t(key, vars));

/** A textarea's lines: trimmed, the empty ones left out. */
export const lines = (text) =>
  String(text ?? "")
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);

/** A chip (text as text). */
export const chip = (props, ...children) => el("span", { ...props, class: `chip ${props?.class || ""}`.trim() }, ...children);

/** A table with a caption and column heads ([key, props]); returns {table, body}. */
export function table({ caption, heads, className = "", testid }) {
  const body = el("tbody");
  const node = el(
    "table",
    { class: `admin-table ${className}`.trim(), "data-testid": testid || null },
    caption ? el("caption", { class: "visually-hidden", ...tx(caption) }) : null,
    el("thead", {}, el("tr", {}, heads.map(([key, props = {}]) => el("th", { scope: "col", ...props, ...(key ? tx(key) : {}) })))),
    body,
  );
  return { table: node, body };
}

/** A table cell with its column's name for the narrow layout (td::before). */
export const cell = (labelKey, props = {}, ...children) =>
  el("td", { ...props, ...(labelKey ? ta({ "data-label": labelKey }) : {}) }, ...children);

/** A panel's heading row: a title and, on the right, what is given. */
export const panelHead = (titleKey, introKey, ...right) =>
  el(
    "div",
    { class: "panel-head" },
    el("div", { class: "panel-head-text" }, el("h2", { class: "panel-title", ...tx(titleKey) }), introKey ? el("p", { class: "muted panel-intro", ...tx(introKey) }) : null),
    right.length ? el("div", { class: "panel-head-tools" }, ...right) : null,
  );

/** The empty or loading line of a list. */
export const note = (key, vars, className = "empty") => el("p", { class: className, ...tx(key, vars) });

/** Inserts text at a text field's caret (replacing its selection) and tells its listeners. */
export function insertAtCaret(control, text) {
  const start = control.selectionStart ?? control.value.length;
  const end = control.selectionEnd ?? start;
  control.setRangeText(text, start, end, "end");
  control.dispatchEvent(new Event("input", { bubbles: true }));
  control.focus();
}

/** Rows for a textarea: as many as its lines, within bounds. */
export const rowsFor = (text, min = 2, max = 10) =>
  Math.max(min, Math.min(max, String(text ?? "").split("\n").length + 1));
