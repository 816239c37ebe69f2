/* A refused change (422): every problem the server found, listed in one alert region
 * (data-testid="admin-problems") placed beside the form that was sent, and each one also said
 * under its own field when the form has it (data-field="<the problem's field>"; a field
 * "examples.en.1" lands on the control marked "examples.en"). What the admin typed is left as
 * it is, to be fixed and sent again. */

import { el } from "/static/shared/dom.js";
import { capitalize } from "../common/format.js";
import { t } from "../common/i18n.js";
import { tx } from "./lang.js";
import { describe, uid, undescribe } from "./widgets.js";

export const problemsBox = el("div", {
  id: "admin-problems",
  class: "admin-problems",
  "data-testid": "admin-problems",
  role: "alert",
  tabindex: "-1",
  hidden: true,
});

const normal = (field) =>
  String(field ?? "")
    .trim()
    .replace(/\[(\d+)\]/g, ".$1")
    .replace(/^(body|query|path)\./, "");

/** The server's message as a sentence: a capital first (not on a code such as utter_x), a stop. */
const sentence = (text) => {
  const trimmed = String(text ?? "").trim();
  if (!trimmed) return "";
  const first = trimmed.split(/\s/, 1)[0];
  const start = /^[a-z]+[,:;]?$/.test(first) ? capitalize(trimmed) : trimmed;
  return /[.!?。！？]$/.test(start) ? start : `${start}.`;
};

/** The visible control of scope that a problem's field names (the longest match wins). */
function controlFor(field, scope) {
  const wanted = normal(field);
  if (!wanted) return null;
  let best = null;
  let longest = -1;
  for (const control of scope.querySelectorAll("[data-field]")) {
    if (control.closest("[hidden]")) continue;
    for (const key of control.dataset.field.split(/\s+/).filter(Boolean)) {
      if ((wanted === key || wanted.startsWith(`${key}.`)) && key.length > longest) {
        best = control;
        longest = key.length;
      }
    }
  }
  return best;
}

const labelOf = (control) =>
  (control.labels?.[0]?.textContent || control.getAttribute("aria-label") || "").trim();

/** Takes every problem away: the list and the marks on the fields. */
export function clearProblems() {
  problemsBox.hidden = true;
  problemsBox.replaceChildren();
  for (const node of document.querySelectorAll(".field-problem")) node.remove();
  for (const control of document.querySelectorAll("[data-field][aria-invalid]")) {
    control.removeAttribute("aria-invalid");
    if (control.dataset.problemId) {
      undescribe(control, control.dataset.problemId);
      delete control.dataset.problemId;
    }
  }
}

/**
 * Shows the problems ([{field, message}]); with none, the server's detail as the one problem.
 * scope: where to look for the fields. Returns the first field marked (or null).
 */
export function showProblems(problems, { scope = document, detail = "" } = {}) {
  clearProblems();
  const list = problems?.length ? problems : [{ field: "", message: detail || t("problems.generic") }];
  const perControl = new Map();
  const items = list.map((problem) => {
    const control = controlFor(problem.field, scope);
    const message = sentence(problem.message);
    if (control) {
      if (!perControl.has(control)) perControl.set(control, []);
      perControl.get(control).push(message);
    }
    const label = control ? labelOf(control) : "";
    const field = normal(problem.field);
    return el(
      "li",
      { class: "problem" },
      label ? [el("strong", { class: "problem-label", text: label }), " "] : null,
      field ? [el("code", { class: "problem-field", text: field }), " "] : null,
      el("span", { class: "problem-message", text: message }),
    );
  });
  problemsBox.replaceChildren(
    el("p", { class: "problems-title" }, el("span", { class: "problems-icon", "aria-hidden": "true", text: "!" }), el("span", tx("problems.title"))),
    el("ul", { class: "problems-list" }, items),
  );
  for (const [control, messages] of perControl) {
    const id = uid("problem");
    control.setAttribute("aria-invalid", "true");
    control.dataset.problemId = id;
    describe(control, id);
    control.after(el("p", { class: "field-problem", id, text: messages.join(" ") }));
  }
  problemsBox.hidden = false;
  return perControl.size ? perControl.keys().next().value : null;
}
