/* The Responses tab: what the assistant says (the responses of domain.yml). A searchable list
 * (names and texts); one response open: its variations per language, each a text and its
 * buttons (title, payload), added and removed here and saved together
 * (PUT /api/console/admin/responses/{name}). The shop's facts are the {placeholders} a text
 * may use: listed as help, a click puts one at the caret. A knowledge change: the banner says
 * to train and activate a model. */

import { el } from "/static/shared/dom.js";
import { lang } from "../common/i18n.js";
import { setTx, ta, tx } from "./lang.js";
import { clearFeedback, fail, showSaved } from "./feedback.js";
import { adminPath, call } from "./request.js";
import { state as shared, takeStale } from "./store.js";
import { busy, button, chip, field, insertAtCaret, languageSelect, note, panelHead, rowsFor, textArea, textInput, uid } from "./widgets.js";

const LANGUAGES = ["en", "zh"];
const htmlLang = (language) => (language === "zh" ? "zh-CN" : "en");

const view = { responses: [], query: "", openName: null, loaded: false, lastText: null };
const ui = {};

/* ---------- the list ---------- */

function matches(response, query) {
  if (!query) return true;
  const q = query.toLowerCase();
  if (response.name.toLowerCase().includes(q)) return true;
  return (response.variations || []).some((variation) => String(variation.text || "").toLowerCase().includes(q));
}

function preview(response) {
  const variations = response.variations || [];
  const mine = variations.find((variation) => variation.language === lang());
  return (mine || variations[0])?.text || "";
}

function responseItem(response) {
  const count = (language) => (response.variations || []).filter((variation) => variation.language === language).length;
  return el(
    "li",
    {},
    el(
      "button",
      {
        type: "button",
        class: "response-row list-row",
        "data-testid": "response-row",
        "data-name": response.name,
        "aria-current": response.name === view.openName ? "true" : null,
        onclick: () => openResponse(response.name),
      },
      el("span", { class: "list-row-top" }, el("span", { class: "list-row-name mono", text: response.name })),
      preview(response) ? el("span", { class: "list-row-text clamp-2", text: preview(response) }) : null,
      el(
        "span",
        { class: "list-row-meta" },
        chip({ class: "chip-count", ...tx("intents.countEn", { n: count("en") }) }),
        chip({ class: "chip-count", ...tx("intents.countZh", { n: count("zh") }) }),
      ),
    ),
  );
}

function renderList() {
  const query = view.query.trim();
  const shown = view.responses.filter((response) => matches(response, query));
  ui.list.replaceChildren(...shown.map(responseItem));
  ui.listEmpty.hidden = shown.length > 0 || !view.loaded;
  setTx(ui.listCount, query ? "responses.countFiltered" : "responses.count", { n: shown.length, total: view.responses.length });
}

function markCurrent() {
  for (const row of ui.list.querySelectorAll(".response-row")) {
    if (row.dataset.name === view.openName) row.setAttribute("aria-current", "true");
    else row.removeAttribute("aria-current");
  }
}

/* ---------- the editor ---------- */

function buttonRow(given = {}) {
  const title = textInput({ class: "button-title", "data-testid": "button-title", "data-field": "title" }, given.title || "");
  const payload = textInput({ class: "button-payload mono", "data-testid": "button-payload", "data-field": "payload", spellcheck: "false" }, given.payload || "");
  const remove = el(
    "button",
    { type: "button", class: "btn btn-small btn-quiet btn-icon", "data-testid": "button-remove", ...ta({ "aria-label": "variation.buttonRemove", title: "variation.buttonRemove" }) },
    el("span", { "aria-hidden": "true", text: "×" }),
  );
  const row = el(
    "li",
    { class: "button-row" },
    field("variation.buttonTitle", title, { className: "button-title-field" }),
    field("variation.buttonPayload", payload, { className: "button-payload-field" }),
    remove,
  );
  remove.addEventListener("click", () => {
    const list = row.parentElement;
    const next = row.nextElementSibling || row.previousElementSibling;
    row.remove();
    (next?.querySelector("input") || list.closest(".variation-row")?.querySelector(".button-add"))?.focus();
  });
  return row;
}

function numberRows() {
  for (const group of ui.editor.querySelectorAll(".variation-group")) {
    const rows = [...group.querySelectorAll(".variation-row")];
    rows.forEach((row, i) => setTx(row.querySelector(".variation-number"), "variation.number", { n: i + 1 }));
    group.querySelector(".group-empty").hidden = rows.length > 0;
    setTx(group.querySelector(".group-title"), `responses.group.${group.dataset.language}`, { n: rows.length });
  }
}

function variationRow(variation) {
  const language = variation.language;
  const text = textArea(
    { class: "variation-text", "data-testid": "variation-text", lang: htmlLang(language), rows: rowsFor(variation.text, 2, 8) },
    variation.text || "",
  );
  text.addEventListener("focus", () => {
    view.lastText = text;
  });
  const buttons = el("ul", { class: "button-list" }, (variation.buttons || []).map(buttonRow));
  const addButton = button("variation.buttonAdd", { class: "btn btn-small btn-quiet button-add", "data-testid": "variation-button-add" });
  addButton.addEventListener("click", () => {
    const row = buttonRow();
    buttons.append(row);
    row.querySelector("input").focus();
  });
  const remove = button("variation.remove", { class: "btn btn-small btn-quiet btn-danger-text", "data-testid": "variation-remove" });
  const number = el("span", { class: "variation-number" });
  const row = el(
    "li",
    { class: "variation-row", "data-testid": "variation-row", "data-language": language },
    el("div", { class: "variation-head" }, number, remove),
    field("variation.text", text, { hideLabel: true }),
    el("div", { class: "buttons-block" }, el("p", { class: "buttons-title small muted", ...tx("variation.buttons") }), buttons, addButton),
  );
  remove.addEventListener("click", () => {
    const group = row.closest(".variation-group");
    const rows = [...group.querySelectorAll(".variation-row")];
    const at = rows.indexOf(row);
    const next = rows[at + 1] || rows[at - 1];
    row.remove();
    numberRows();
    (next?.querySelector(".variation-text") || ui.addButton).focus();
  });
  return row;
}

function variationGroup(language, variations) {
  const titleId = uid("vgroup");
  return el(
    "section",
    { class: "variation-group", "data-language": language, "aria-labelledby": titleId },
    el("h4", { class: "group-title section-title", id: titleId }),
    el("p", { class: "group-empty empty small", ...tx("responses.noVariation") }),
    el("ol", { class: "variation-list" }, variations.map(variationRow)),
  );
}

function placeholderHelp() {
  const keys = shared.factKeys || [];
  if (!keys.length) return null;
  return el(
    "div",
    { class: "placeholders" },
    el("p", { class: "small muted", ...tx("responses.placeholders") }),
    el(
      "div",
      { class: "chips" },
      keys.map((key) =>
        el("button", {
          type: "button",
          class: "chip chip-button mono",
          "data-testid": "placeholder",
          text: `{${key}}`,
          ...ta({ title: "responses.insertPlaceholder" }, { key }),
          onmousedown: (event) => event.preventDefault(),
          onclick: () => {
            const target = view.lastText?.isConnected ? view.lastText : ui.editor.querySelector(".variation-text");
            if (target) insertAtCaret(target, `{${key}}`);
          },
        }),
      ),
    ),
  );
}

/** The variations as typed (en first, then zh), each text marked with its index for problems. */
function readVariations() {
  const rows = [...ui.editor.querySelectorAll(".variation-row")];
  return rows.map((row, i) => {
    row.querySelector(".variation-text").dataset.field = `variations.${i}.text variations.${i} responses.${view.openName}.${i}`;
    const buttons = [...row.querySelectorAll(".button-row")].map((buttonNode, j) => {
      buttonNode.querySelector(".button-title").dataset.field = `variations.${i}.buttons.${j}.title variations.${i}.buttons.${j}`;
      buttonNode.querySelector(".button-payload").dataset.field = `variations.${i}.buttons.${j}.payload`;
      return { title: buttonNode.querySelector(".button-title").value, payload: buttonNode.querySelector(".button-payload").value };
    });
    return { language: row.dataset.language, text: row.querySelector(".variation-text").value, buttons };
  });
}

async function save() {
  const name = view.openName;
  clearFeedback();
  const variations = readVariations();
  await busy([ui.save, ui.addButton], async () => {
    try {
      const answer = await call("PUT", adminPath("responses", name), { variations });
      const saved = answer?.response || { name, variations };
      const at = view.responses.findIndex((response) => response.name === name);
      if (at >= 0) view.responses[at] = { name, variations: saved.variations || variations };
      const row = ui.list.querySelector(`.response-row[data-name="${CSS.escape(name)}"]`);
      if (row && at >= 0) row.closest("li").replaceWith(responseItem(view.responses[at]));
      showSaved("retrain", { change: answer?.change, where: { after: ui.actions } });
    } catch (error) {
      fail(error, { where: { before: ui.actions }, scope: ui.editor });
    }
  });
}

function renderEditor() {
  const response = view.responses.find((r) => r.name === view.openName);
  if (!response) {
    ui.editor.replaceChildren(el("div", { class: "empty-state" }, el("p", { class: "empty-title", ...tx("responses.pickTitle") }), el("p", { class: "muted", ...tx("responses.pick") })));
    return;
  }
  const variations = response.variations || [];
  ui.addLanguage = languageSelect({ "data-testid": "variation-add-language" }, "en");
  ui.addButton = button("variation.add", { class: "btn btn-small", "data-testid": "variation-add" });
  ui.save = button("responses.save", { class: "btn btn-primary", "data-testid": "response-save" });
  ui.actions = el("div", { class: "form-actions" }, ui.save, el("p", { class: "muted small", ...tx("responses.saveHint") }));
  ui.addButton.addEventListener("click", () => {
    const language = ui.addLanguage.value;
    const list = ui.editor.querySelector(`.variation-group[data-language="${language}"] .variation-list`);
    const row = variationRow({ language, text: "", buttons: [] });
    list.append(row);
    numberRows();
    row.querySelector(".variation-text").focus();
  });
  ui.save.addEventListener("click", save);
  ui.editor.replaceChildren(
    el(
      "article",
      { class: "response-card", "aria-labelledby": "response-detail-title" },
      el("header", { class: "intent-head" }, el("h3", { class: "detail-title", id: "response-detail-title", tabindex: "-1" }, el("span", { class: "mono", text: response.name }))),
      placeholderHelp(),
      LANGUAGES.map((language) => variationGroup(language, variations.filter((variation) => variation.language === language))),
      el("div", { class: "variation-add-bar" }, field("variation.addLanguage", ui.addLanguage, { className: "inline-field" }), ui.addButton),
      ui.actions,
    ),
  );
  numberRows();
}

/** Opens a response (also from the Intents tab: "answered by …"). */
export async function openResponse(name) {
  if (!view.loaded) await load();
  view.openName = name;
  markCurrent();
  renderEditor();
  ui.list.querySelector(`.response-row[data-name="${CSS.escape(name)}"]`)?.scrollIntoView({ block: "nearest" });
  ui.editor.querySelector("#response-detail-title")?.focus();
}

/* ---------- loading ---------- */

async function load() {
  setTx(ui.listCount, "responses.loading");
  try {
    const [responses, shop] = await Promise.all([
      call("GET", adminPath("responses")),
      shared.factKeys ? Promise.resolve(null) : call("GET", adminPath("shop")).catch(() => null),
    ]);
    if (shop?.facts) shared.factKeys = shop.facts.map((fact) => fact.key);
    view.responses = (Array.isArray(responses) ? responses : []).slice().sort((a, b) => String(a.name).localeCompare(String(b.name)));
    view.loaded = true;
    renderList();
    if (view.openName) renderEditor();
  } catch (error) {
    setTx(ui.listCount, "responses.loadFailed");
    fail(error, { where: { into: ui.panel } });
  }
}

export function mountResponses(panel) {
  ui.panel = panel;
  ui.search = el("input", { type: "search", class: "list-search", "data-testid": "response-search", autocomplete: "off", spellcheck: "false", ...ta({ placeholder: "responses.searchPlaceholder" }) });
  ui.listCount = el("p", { class: "list-count muted small", role: "status" });
  ui.list = el("ul", { class: "row-list response-list", ...ta({ "aria-label": "responses.listLabel" }) });
  ui.listEmpty = note("responses.none", null, "empty small");
  ui.listEmpty.hidden = true;
  ui.editor = el("div", { class: "detail-body" });
  ui.search.addEventListener("input", () => {
    view.query = ui.search.value;
    renderList();
  });
  panel.append(
    panelHead("responses.title", "responses.intro"),
    el(
      "div",
      { class: "split" },
      el(
        "aside",
        { class: "split-list card", ...ta({ "aria-label": "responses.listLabel" }) },
        field("responses.search", ui.search, { className: "list-search-field" }),
        ui.listCount,
        el("div", { class: "list-scroll" }, ui.list, ui.listEmpty),
      ),
      el("div", { class: "split-detail" }, el("div", { class: "card detail-card" }, ui.editor)),
    ),
  );
  renderEditor();
}

export async function showResponses() {
  if (!view.loaded || takeStale("responses")) await load();
}

export function responsesLanguage() {
  if (view.loaded) renderList();
}
