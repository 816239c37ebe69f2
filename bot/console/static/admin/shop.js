/* The Shop facts tab: the shop's facts (data/shop.yml) — opening hours, shipping times, fees…
 * — that fill the {placeholders} of the responses. A table of key and value (English and
 * Chinese for a bilingual fact, one value for a plain one), saved row by row
 * (PUT /api/console/admin/shop/{key}). Read as the assistant answers: in effect at once. */

import { el } from "/static/shared/dom.js";
import { clearFeedback, fail, showSaved } from "./feedback.js";
import { setTx, ta, tx } from "./lang.js";
import { adminPath, call } from "./request.js";
import { state as shared, takeStale } from "./store.js";
import { busy, button, cell, field, note, panelHead, table, textArea } from "./widgets.js";

const view = { facts: [], loaded: false, query: "" };
const ui = {};

const bilingual = (value) => value !== null && typeof value === "object";
const rowsOf = (text) => (String(text ?? "").length > 64 ? 2 : 1);

function valueInput(testid, fieldName, value, language) {
  return textArea(
    { class: "fact-input", "data-testid": testid, "data-field": fieldName, rows: rowsOf(value), lang: language === "zh" ? "zh-CN" : language ? "en" : null },
    value ?? "",
  );
}

function factRow(fact) {
  const row = el("tr", { class: "fact-row", "data-testid": "fact-row", "data-key": fact.key });
  const save = button("shop.save", { class: "btn btn-small", "data-testid": "fact-save" });
  let inputs;
  let valueCell;
  if (bilingual(fact.value)) {
    inputs = { en: valueInput("fact-en", "value.en", fact.value.en, "en"), zh: valueInput("fact-zh", "value.zh", fact.value.zh, "zh") };
    valueCell = cell(
      "shop.value",
      { class: "fact-values" },
      field("shop.en", inputs.en, { className: "fact-field" }),
      field("shop.zh", inputs.zh, { className: "fact-field" }),
    );
  } else {
    inputs = { value: valueInput("fact-value", "value", fact.value, null) };
    valueCell = cell("shop.value", { class: "fact-values" }, field("shop.plain", inputs.value, { className: "fact-field", hint: "shop.plainHint" }));
  }
  const keyCell = el(
    "th",
    { scope: "row", class: "fact-key", ...ta({ "data-label": "shop.key" }) },
    el("code", { class: "fact-placeholder", text: `{${fact.key}}` }),
    fact.comment ? el("p", { class: "fact-comment small muted", text: fact.comment }) : null,
  );
  row.append(keyCell, valueCell, cell("shop.actions", { class: "row-actions" }, save));
  for (const input of Object.values(inputs)) {
    input.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault(); // a fact is one line: Enter saves it
        save.click();
      }
    });
  }
  save.addEventListener("click", async () => {
    clearFeedback();
    const value = inputs.value ? inputs.value.value : { en: inputs.en.value, zh: inputs.zh.value };
    await busy([save], async () => {
      try {
        const answer = await call("PUT", adminPath("shop", fact.key), { value });
        fact.value = answer?.fact?.value ?? value;
        showSaved("now", { change: answer?.change, where: { after: row } });
      } catch (error) {
        fail(error, { where: { after: row }, scope: row });
      }
    });
  });
  return row;
}

function matches(fact, query) {
  if (!query) return true;
  const q = query.toLowerCase();
  const values = bilingual(fact.value) ? [fact.value.en, fact.value.zh] : [fact.value];
  return [fact.key, fact.comment, ...values].some((text) => String(text ?? "").toLowerCase().includes(q));
}

function filter() {
  const query = view.query.trim();
  let shown = 0;
  for (const row of ui.body.querySelectorAll(".fact-row")) {
    const fact = view.facts.find((f) => f.key === row.dataset.key);
    row.hidden = Boolean(fact) && !matches(fact, query);
    if (!row.hidden) shown += 1;
  }
  setTx(ui.count, query ? "shop.countFiltered" : "shop.count", { n: shown, total: view.facts.length });
}

async function load() {
  setTx(ui.count, "shop.loading");
  try {
    const answer = await call("GET", adminPath("shop"));
    view.facts = Array.isArray(answer?.facts) ? answer.facts : [];
    shared.factKeys = view.facts.map((fact) => fact.key);
    view.loaded = true;
    ui.body.replaceChildren(...view.facts.map(factRow));
    ui.empty.hidden = view.facts.length > 0;
    filter();
  } catch (error) {
    setTx(ui.count, "shop.loadFailed");
    fail(error, { where: { into: ui.panel } });
  }
}

export function mountShop(panel) {
  ui.panel = panel;
  ui.search = el("input", { type: "search", class: "list-search", "data-testid": "fact-search", autocomplete: "off", ...ta({ placeholder: "shop.searchPlaceholder" }) });
  ui.count = el("p", { class: "list-count muted small", role: "status" });
  const { table: node, body } = table({
    caption: "shop.caption",
    className: "fact-table stack-narrow",
    heads: [["shop.key", { class: "col-key" }], ["shop.value"], ["", { class: "col-actions" }]],
  });
  node.querySelector("thead th:last-child").append(el("span", { class: "visually-hidden", ...tx("shop.actions") }));
  ui.body = body;
  ui.empty = note("shop.none", null, "empty");
  ui.empty.hidden = true;
  ui.search.addEventListener("input", () => {
    view.query = ui.search.value;
    filter();
  });
  panel.append(
    panelHead("shop.title", "shop.intro"),
    el("div", { class: "toolbar card" }, field("shop.search", ui.search, { className: "list-search-field" }), ui.count),
    el("div", { class: "card table-card" }, node, ui.empty),
  );
}

export async function showShop() {
  if (!view.loaded || takeStale("shop")) await load();
}
