/* The Canned responses tab: the agents' standard replies (the database; the console's
 * "/shortcut"). A table, a form to add one, each row edited in place (Edit → Save / Cancel) or
 * deleted (confirmed). In effect at once. */

import { el } from "/static/shared/dom.js";
import { clearFeedback, fail, showSaved } from "./feedback.js";
import { setTx, ta, tx } from "./lang.js";
import { adminPath, call } from "./request.js";
import { takeStale } from "./store.js";
import { busy, button, cell, confirmed, field, note, panelHead, table, textArea, textInput } from "./widgets.js";

const FIELDS = ["shortcut", "title", "text_en", "text_zh"];
const view = { rows: [], loaded: false };
const ui = {};

function inputsFor(prefix, values = {}) {
  return {
    shortcut: textInput({ "data-testid": `${prefix}-shortcut`, "data-field": "shortcut", class: "mono", spellcheck: "false", autocapitalize: "off", maxlength: "40" }, values.shortcut),
    title: textInput({ "data-testid": `${prefix}-title`, "data-field": "title", maxlength: "120" }, values.title),
    text_en: textArea({ "data-testid": `${prefix}-text-en`, "data-field": "text_en", rows: 3, lang: "en" }, values.text_en),
    text_zh: textArea({ "data-testid": `${prefix}-text-zh`, "data-field": "text_zh", rows: 3, lang: "zh-CN" }, values.text_zh),
  };
}

const bodyOf = (inputs) => Object.fromEntries(FIELDS.map((name) => [name, name === "shortcut" ? inputs[name].value.trim().replace(/^\//, "") : inputs[name].value]));

/* ---------- a row: shown, or edited ---------- */

function shownCells(row, item) {
  const edit = button("canned.edit", { class: "btn btn-small", "data-testid": "canned-edit" });
  const remove = button("canned.delete", { class: "btn btn-small btn-quiet btn-danger-text", "data-testid": "canned-delete" });
  edit.addEventListener("click", () => editRow(row, item));
  remove.addEventListener("click", () => deleteRow(row, item, [edit, remove]));
  row.classList.remove("is-editing");
  row.replaceChildren(
    el("th", { scope: "row", ...ta({ "data-label": "canned.shortcut" }) }, el("code", { class: "canned-shortcut", text: `/${item.shortcut}` })),
    cell("canned.titleLabel", { class: "canned-title-cell" }, item.title || ""),
    cell("canned.textEn", { class: "canned-text-cell", lang: "en" }, el("span", { class: "clamp-3", text: item.text_en || "" })),
    cell("canned.textZh", { class: "canned-text-cell", lang: "zh-CN" }, el("span", { class: "clamp-3", text: item.text_zh || "" })),
    cell("canned.actions", { class: "row-actions" }, edit, remove),
  );
  return edit;
}

function cannedRow(item) {
  const row = el("tr", { class: "canned-row", "data-testid": "canned-row", "data-id": item.id });
  shownCells(row, item);
  return row;
}

function editRow(row, item) {
  const inputs = inputsFor("canned", item);
  const save = button("canned.save", { class: "btn btn-small btn-primary", "data-testid": "canned-save" });
  const cancel = button("canned.cancel", { class: "btn btn-small btn-quiet", "data-testid": "canned-cancel" });
  row.classList.add("is-editing");
  row.replaceChildren(
    cell("canned.shortcut", {}, field("canned.shortcut", inputs.shortcut, { hideLabel: true })),
    cell("canned.titleLabel", {}, field("canned.titleLabel", inputs.title, { hideLabel: true })),
    cell("canned.textEn", {}, field("canned.textEn", inputs.text_en, { hideLabel: true })),
    cell("canned.textZh", {}, field("canned.textZh", inputs.text_zh, { hideLabel: true })),
    cell("canned.actions", { class: "row-actions" }, save, cancel),
  );
  inputs.shortcut.focus();
  cancel.addEventListener("click", () => shownCells(row, item).focus());
  save.addEventListener("click", async () => {
    clearFeedback();
    await busy([save, cancel], async () => {
      try {
        const answer = await call("PUT", adminPath("canned", item.id), bodyOf(inputs));
        Object.assign(item, answer && typeof answer === "object" && "id" in answer ? answer : bodyOf(inputs));
        shownCells(row, item).focus();
        showSaved("now", { where: { after: row } });
      } catch (error) {
        fail(error, { where: { after: row }, scope: row });
      }
    });
  });
}

async function deleteRow(row, item, controls) {
  if (!confirmed("canned.confirmDelete", { title: item.title || item.shortcut })) return;
  clearFeedback();
  await busy(controls, async () => {
    try {
      await call("DELETE", adminPath("canned", item.id));
      const next = row.nextElementSibling?.classList.contains("canned-row") ? row.nextElementSibling : row.previousElementSibling;
      view.rows = view.rows.filter((r) => r !== item);
      row.remove();
      renderCount();
      (next?.querySelector("button") || ui.inputs.shortcut).focus();
      showSaved("deleted", { where: next?.classList.contains("canned-row") ? { before: next } : { after: ui.tableNode } });
    } catch (error) {
      fail(error, { where: { after: row } });
    }
  });
}

function renderCount() {
  setTx(ui.count, "canned.count", { n: view.rows.length });
  ui.empty.hidden = view.rows.length > 0;
}

/* ---------- adding ---------- */

async function add(event) {
  event.preventDefault();
  clearFeedback();
  await busy([ui.add], async () => {
    try {
      const item = await call("POST", adminPath("canned"), bodyOf(ui.inputs));
      const saved = item && typeof item === "object" && "id" in item ? item : { id: "", ...bodyOf(ui.inputs) };
      view.rows.push(saved);
      const row = cannedRow(saved);
      row.classList.add("is-new");
      ui.body.append(row);
      renderCount();
      ui.form.reset();
      ui.inputs.shortcut.focus();
      showSaved("now", { where: { after: row } });
    } catch (error) {
      fail(error, { where: { before: ui.addActions }, scope: ui.form });
    }
  });
}

async function load() {
  setTx(ui.count, "canned.loading");
  try {
    const rows = await call("GET", adminPath("canned"));
    view.rows = Array.isArray(rows) ? rows : [];
    view.loaded = true;
    ui.body.replaceChildren(...view.rows.map(cannedRow));
    renderCount();
  } catch (error) {
    setTx(ui.count, "canned.loadFailed");
    fail(error, { where: { into: ui.panel } });
  }
}

export function mountCanned(panel) {
  ui.panel = panel;
  ui.inputs = inputsFor("canned-new");
  ui.add = el("button", { type: "submit", class: "btn btn-primary", "data-testid": "canned-add", ...tx("canned.add") });
  ui.addActions = el("div", { class: "form-actions" }, ui.add);
  ui.form = el(
    "form",
    { class: "card canned-form", novalidate: true, "aria-labelledby": "canned-form-title" },
    el("h3", { id: "canned-form-title", class: "detail-title", ...tx("canned.addTitle") }),
    el(
      "div",
      { class: "canned-form-grid" },
      field("canned.shortcut", ui.inputs.shortcut, { hint: "canned.shortcutHint" }),
      field("canned.titleLabel", ui.inputs.title),
      field("canned.textEn", ui.inputs.text_en),
      field("canned.textZh", ui.inputs.text_zh),
    ),
    ui.addActions,
  );
  ui.form.addEventListener("submit", add);
  const { table: node, body } = table({
    caption: "canned.caption",
    className: "canned-table stack-narrow",
    heads: [["canned.shortcut"], ["canned.titleLabel"], ["canned.textEn"], ["canned.textZh"], ["", { class: "col-actions" }]],
  });
  node.querySelector("thead th:last-child").append(el("span", { class: "visually-hidden", ...tx("canned.actions") }));
  ui.tableNode = node;
  ui.body = body;
  ui.count = el("p", { class: "list-count muted small", role: "status" });
  ui.empty = note("canned.none", null, "empty");
  ui.empty.hidden = true;
  panel.append(
    panelHead("canned.title", "canned.intro"),
    ui.form,
    el("div", { class: "card table-card" }, el("div", { class: "table-head" }, el("h3", { class: "detail-title", ...tx("canned.listTitle") }), ui.count), el("div", { class: "table-scroll" }, node), ui.empty),
  );
}

export async function showCanned() {
  if (!view.loaded || takeStale("canned")) await load();
}
