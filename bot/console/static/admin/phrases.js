/* The LERA phrases tab: the phrase bank of the assistant's LERA replies
 * (actions/lera_phrases.yml), each leaf with its English and Chinese variations (one per line),
 * grouped by the first part of its path, saved one entry at a time
 * (PUT /api/console/admin/phrases). The placeholders an entry may use are listed with it (a
 * click puts one at the caret). Read by the action server as it answers: in effect at once. */

import { el } from "/static/shared/dom.js";
import { clearFeedback, fail, showSaved } from "./feedback.js";
import { codeTx, setTx, ta, tx } from "./lang.js";
import { adminPath, call } from "./request.js";
import { takeStale } from "./store.js";
import { busy, button, field, insertAtCaret, lines, note, panelHead, rowsFor, textArea, textInput } from "./widgets.js";

const LANGUAGES = ["en", "zh"];
const htmlLang = (language) => (language === "zh" ? "zh-CN" : "en");

const view = { entries: [], loaded: false, query: "", lastText: null };
const ui = {};

const groupOf = (path) => String(path).split(".")[0];

function entryMatches(entry, query) {
  if (!query) return true;
  const q = query.toLowerCase();
  return [entry.path, ...(entry.en || []), ...(entry.zh || [])].some((text) => String(text).toLowerCase().includes(q));
}

function phraseEntry(entry) {
  const single = Boolean(entry.single);
  const controls = {};
  const fields = LANGUAGES.map((language) => {
    const values = entry[language] || [];
    const control = single
      ? textInput({ class: "phrase-text", "data-testid": `phrase-${language}`, "data-field": language, lang: htmlLang(language) }, values[0] || "")
      : textArea({ class: "phrase-text", "data-testid": `phrase-${language}`, "data-field": language, lang: htmlLang(language), rows: rowsFor(values.join("\n"), 2, 8) }, values.join("\n"));
    control.addEventListener("focus", () => {
      view.lastText = control;
    });
    controls[language] = control;
    return field(`phrases.${language}`, control, { hint: single ? "phrases.singleHint" : "phrases.linesHint" });
  });
  const save = button("phrases.save", { class: "btn btn-small btn-primary", "data-testid": "phrase-save" });
  const placeholders = (entry.placeholders || []).map((name) =>
    el("button", {
      type: "button",
      class: "chip chip-button mono",
      text: `{${name}}`,
      ...ta({ title: "responses.insertPlaceholder" }, { key: name }),
      onmousedown: (event) => event.preventDefault(),
      onclick: () => {
        const target = view.lastText && item.contains(view.lastText) ? view.lastText : controls.en;
        insertAtCaret(target, `{${name}}`);
      },
    }),
  );
  const actions = el("div", { class: "form-actions" }, save);
  const item = el(
    "li",
    { class: "phrase-entry", "data-testid": "phrase-entry", "data-path": entry.path },
    el(
      "div",
      { class: "phrase-head" },
      el("code", { class: "phrase-path", text: entry.path }),
      placeholders.length ? el("div", { class: "chips phrase-placeholders" }, el("span", { class: "small muted", ...tx("phrases.placeholders") }), placeholders) : null,
    ),
    el("div", { class: "phrase-fields" }, fields),
    actions,
  );
  save.addEventListener("click", async () => {
    clearFeedback();
    const body = {
      path: entry.path,
      en: single ? [controls.en.value.trim()].filter(Boolean) : lines(controls.en.value),
      zh: single ? [controls.zh.value.trim()].filter(Boolean) : lines(controls.zh.value),
    };
    await busy([save], async () => {
      try {
        const answer = await call("PUT", adminPath("phrases"), body);
        const saved = answer?.entry || { ...entry, ...body };
        Object.assign(entry, saved);
        showSaved("now", { change: answer?.change, where: { after: actions } });
      } catch (error) {
        fail(error, { where: { before: actions }, scope: item });
      }
    });
  });
  return item;
}

function render() {
  const groups = new Map();
  for (const entry of view.entries) {
    const name = groupOf(entry.path);
    if (!groups.has(name)) groups.set(name, []);
    groups.get(name).push(entry);
  }
  ui.groups.replaceChildren(
    ...[...groups].map(([name, entries]) => {
      const summary = el(
        "summary",
        { class: "phrase-group-summary" },
        el("span", { class: "phrase-group-name", ...codeTx("phraseGroup", name) }),
        el("code", { class: "small muted", text: name }),
        el("span", { class: "count", text: String(entries.length) }),
      );
      return el(
        "details",
        { class: "phrase-group card", "data-group": name },
        summary,
        el("ul", { class: "phrase-list" }, entries.map(phraseEntry)),
      );
    }),
  );
  ui.empty.hidden = view.entries.length > 0;
  filter();
}

function filter() {
  const query = view.query.trim();
  let shown = 0;
  for (const group of ui.groups.querySelectorAll(".phrase-group")) {
    let inGroup = 0;
    for (const item of group.querySelectorAll(".phrase-entry")) {
      const entry = view.entries.find((e) => e.path === item.dataset.path);
      const visible = !entry || entryMatches(entry, query);
      item.hidden = !visible;
      if (visible) inGroup += 1;
    }
    group.hidden = inGroup === 0;
    if (query) group.open = inGroup > 0;
    shown += inGroup;
  }
  setTx(ui.count, query ? "phrases.countFiltered" : "phrases.count", { n: shown, total: view.entries.length });
}

async function load() {
  setTx(ui.count, "phrases.loading");
  try {
    const answer = await call("GET", adminPath("phrases"));
    view.entries = Array.isArray(answer?.entries) ? answer.entries : [];
    view.loaded = true;
    render();
  } catch (error) {
    setTx(ui.count, "phrases.loadFailed");
    fail(error, { where: { into: ui.panel } });
  }
}

export function mountPhrases(panel) {
  ui.panel = panel;
  ui.search = el("input", { type: "search", class: "list-search", "data-testid": "phrase-search", autocomplete: "off", ...ta({ placeholder: "phrases.searchPlaceholder" }) });
  ui.count = el("p", { class: "list-count muted small", role: "status" });
  ui.groups = el("div", { class: "phrase-groups" });
  ui.empty = note("phrases.none", null, "empty");
  ui.empty.hidden = true;
  ui.search.addEventListener("input", () => {
    view.query = ui.search.value;
    filter();
  });
  panel.append(
    panelHead("phrases.title", "phrases.intro"),
    el("div", { class: "toolbar card" }, field("phrases.search", ui.search, { className: "list-search-field" }), ui.count),
    ui.groups,
    ui.empty,
  );
}

export async function showPhrases() {
  if (!view.loaded || takeStale("phrases")) await load();
}
