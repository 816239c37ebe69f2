/* The Intents tab: what customers say, per intent (data/nlu/{en,zh}/*.yml).
 *
 *   the list    every intent with its examples per language, filtered by the search box (names
 *               and titles); two letters or more also search every example's text
 *               (GET /api/console/admin/examples?q=)
 *   one intent  its examples by language, each edited in place (the entity marks read out as
 *               chips, the "mark entity" helper), moved to another intent (the select: it moves
 *               once the choice has settled, or at Save), deleted (confirmed); an example added
 *   FAQ         a new question answered by one response (POST /api/console/admin/intents)
 *
 * Every change is a knowledge change: the banner says to train and activate a model. */

import { el } from "/static/shared/dom.js";
import { debounce } from "../common/format.js";
import { t } from "../common/i18n.js";
import { liveChips, markHelper, parseMarks } from "./entities.js";
import { clearFeedback, fail, showSaved } from "./feedback.js";
import { inLanguage, setTx, ta, tx } from "./lang.js";
import { adminPath, call } from "./request.js";
import { go, state as shared, takeStale } from "./store.js";
import {
  busy,
  button,
  chip,
  confirmed,
  field,
  languageSelect,
  lines,
  note,
  panelHead,
  select,
  textArea,
  textInput,
  uid,
} from "./widgets.js";

const LANGUAGES = ["en", "zh"];
const MOVE_SETTLE_MS = 700; // a keyboard walking through the move select does not move at each step
const htmlLang = (language) => (language === "zh" ? "zh-CN" : "en");

const view = {
  intents: [],
  query: "",
  openName: null,
  open: null, // the intent shown: {name, title, response, faq, examples}
  loaded: false,
  openToken: 0,
  searchToken: 0,
};
const ui = {};

/* ---------- the list ---------- */

function matches(intent, query) {
  if (!query) return true;
  const q = query.toLowerCase();
  return [intent.name, intent.title?.en, intent.title?.zh].some((text) => String(text || "").toLowerCase().includes(q));
}

function intentItem(intent) {
  const counts = intent.examples || {};
  return el(
    "li",
    {},
    el(
      "button",
      {
        type: "button",
        class: "intent-row list-row",
        "data-testid": "intent-row",
        "data-name": intent.name,
        "aria-current": intent.name === view.openName ? "true" : null,
        onclick: () => openIntent(intent.name),
      },
      el(
        "span",
        { class: "list-row-top" },
        el("span", { class: "list-row-name mono", text: intent.name }),
        intent.faq ? chip({ class: "chip-faq", ...tx("intents.faq") }) : null,
      ),
      inLanguage(intent.title) ? el("span", { class: "list-row-text", text: inLanguage(intent.title) }) : null,
      el(
        "span",
        { class: "list-row-meta" },
        chip({ class: "chip-count", ...tx("intents.countEn", { n: counts.en ?? 0 }) }),
        chip({ class: "chip-count", ...tx("intents.countZh", { n: counts.zh ?? 0 }) }),
      ),
    ),
  );
}

function renderList() {
  const query = view.query.trim();
  const shown = view.intents.filter((intent) => matches(intent, query));
  ui.list.replaceChildren(...shown.map(intentItem));
  ui.listEmpty.hidden = shown.length > 0 || !view.loaded;
  setTx(ui.listCount, query ? "intents.countFiltered" : "intents.count", { n: shown.length, total: view.intents.length });
}

function markCurrent() {
  for (const row of ui.list.querySelectorAll(".intent-row")) {
    if (row.dataset.name === view.openName) row.setAttribute("aria-current", "true");
    else row.removeAttribute("aria-current");
  }
}

/** An intent's count of examples in one language, moved by `by`. */
function bump(name, language, by) {
  const intent = view.intents.find((i) => i.name === name);
  if (!intent) return;
  const counts = { ...(intent.examples || {}) };
  counts[language] = Math.max(0, (counts[language] || 0) + by);
  intent.examples = counts;
  const row = ui.list.querySelector(`.intent-row[data-name="${CSS.escape(name)}"]`);
  if (row) row.closest("li").replaceWith(intentItem(intent));
}

/* ---------- the example search ---------- */

function hitItem(hit) {
  return el(
    "li",
    {},
    el(
      "button",
      {
        type: "button",
        class: "example-hit list-row",
        "data-testid": "example-hit",
        "data-id": hit.id,
        "data-intent": hit.intent,
        onclick: () => openIntent(hit.intent, { focusId: hit.id }),
      },
      el(
        "span",
        { class: "list-row-top" },
        el("span", { class: "list-row-name mono", text: hit.intent }),
        chip({ class: "chip-lang", ...tx(`lang.short.${hit.language}`) }),
      ),
      el("span", { class: "list-row-text", lang: htmlLang(hit.language), text: parseMarks(hit.text).plain }),
    ),
  );
}

async function searchExamples() {
  const query = view.query.trim();
  const token = ++view.searchToken;
  if (query.length < 2) {
    ui.hits.hidden = true;
    ui.hitList.replaceChildren();
    return;
  }
  ui.hits.hidden = false;
  setTx(ui.hitsTitle, "intents.hitsTitle", { q: query });
  setTx(ui.hitsStatus, "intents.searching");
  const params = new URLSearchParams({ q: query, language: ui.hitLanguage.value });
  try {
    const hits = await call("GET", `${adminPath("examples")}?${params}`);
    if (token !== view.searchToken) return;
    const list = Array.isArray(hits) ? hits : [];
    ui.hitList.replaceChildren(...list.map(hitItem));
    setTx(ui.hitsStatus, list.length >= 200 ? "intents.hitsMany" : list.length ? "intents.hitsCount" : "intents.hitsNone", { n: list.length });
  } catch (error) {
    if (token !== view.searchToken) return;
    if (error?.status === 401) return;
    if (error?.status === 403) {
      fail(error);
      return;
    }
    setTx(ui.hitsStatus, "intents.searchFailed");
  }
}

const searchSoon = debounce(searchExamples, 300);

/* ---------- one intent ---------- */

function groupTitle(language, n) {
  return tx(`intent.group.${language}`, { n });
}

function updateGroupCounts() {
  for (const group of ui.detail.querySelectorAll(".example-group")) {
    const n = group.querySelectorAll(".example-row:not(.is-moved)").length;
    setTx(group.querySelector(".group-title"), `intent.group.${group.dataset.language}`, { n });
    group.querySelector(".group-empty").hidden = n > 0;
  }
}

function moveSelect(current) {
  const names = view.intents.map((intent) => intent.name);
  if (!names.includes(current)) names.push(current);
  return select(
    {
      class: "example-move",
      "data-testid": "example-move",
      "data-field": "intent",
      ...ta({ "aria-label": "example.move", title: "example.move" }),
    },
    names.sort().map((name) => [name, { text: name }]),
    current,
  );
}

/** One example, edited in place. */
function exampleRow(example) {
  const record = {
    id: example.id,
    intent: example.intent || view.open?.name,
    language: example.language,
    text: example.text ?? "",
  };
  const home = view.open?.name; // the intent this list shows
  const row = el("li", { class: "example-row", "data-testid": "example-row", "data-id": record.id, "data-language": record.language });
  const input = textInput(
    { class: "example-text", "data-testid": "example-text", "data-field": "text", lang: htmlLang(record.language), spellcheck: "false" },
    record.text,
  );
  const chips = el("div", { class: "chips example-chips" });
  const drawChips = liveChips(input, chips);
  const move = moveSelect(record.intent);
  const save = button("example.save", { class: "btn btn-small", "data-testid": "example-save" });
  const remove = button("example.delete", { class: "btn btn-small btn-quiet btn-danger-text", "data-testid": "example-delete" });
  const mark = markHelper(input);
  const status = el("p", { class: "row-status small muted", role: "status" });
  const moved = el("p", { class: "moved-note small", hidden: true });
  let moveTimer = null;

  const showMoved = () => {
    const away = record.intent !== home;
    row.classList.toggle("is-moved", away);
    moved.hidden = !away;
    if (away) {
      moved.replaceChildren(
        el("span", tx("example.movedTo", { intent: record.intent })),
        " ",
        el("button", { type: "button", class: "link-button", ...tx("example.openMoved", { intent: record.intent }), onclick: () => openIntent(record.intent, { focusId: record.id }) }),
      );
    }
    updateGroupCounts();
  };

  async function saveRow() {
    clearTimeout(moveTimer);
    const target = move.value || record.intent;
    const text = input.value;
    status.textContent = "";
    if (text === record.text && target === record.intent) {
      setTx(status, "example.unchanged");
      return;
    }
    clearFeedback();
    await busy([save, remove, move], async () => {
      try {
        const answer = await call("PUT", adminPath("examples", record.id), { intent: target, language: record.language, text });
        const saved = answer?.example || {};
        const from = record.intent;
        record.id = saved.id ?? record.id;
        record.intent = saved.intent || target;
        record.text = saved.text ?? text;
        row.dataset.id = record.id;
        input.value = record.text;
        drawChips();
        row.classList.remove("is-dirty");
        move.value = record.intent;
        if (from !== record.intent) {
          bump(from, record.language, -1);
          bump(record.intent, record.language, 1);
          showMoved();
        }
        showSaved("retrain", { change: answer?.change, where: { after: row } });
      } catch (error) {
        move.value = record.intent;
        fail(error, { where: { after: row }, scope: row });
      }
    });
  }

  async function deleteRow() {
    clearTimeout(moveTimer);
    if (!confirmed("example.confirmDelete", { text: parseMarks(record.text).plain })) return;
    clearFeedback();
    await busy([save, remove, move], async () => {
      try {
        const answer = await call("DELETE", adminPath("examples", record.id));
        const list = row.parentElement;
        const siblings = [...list.querySelectorAll(".example-row")];
        const at = siblings.indexOf(row);
        const next = siblings[at + 1] || siblings[at - 1] || null;
        row.remove();
        bump(record.intent, record.language, -1);
        updateGroupCounts();
        if (next) next.querySelector(".example-text")?.focus();
        else ui.addText?.focus();
        showSaved("retrain", { change: answer?.change, where: next ? { before: next } : { after: list } });
      } catch (error) {
        fail(error, { where: { after: row }, scope: row });
      }
    });
  }

  input.addEventListener("input", () => row.classList.toggle("is-dirty", input.value !== record.text));
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.isComposing) {
      event.preventDefault();
      saveRow();
    }
  });
  move.addEventListener("change", () => {
    clearTimeout(moveTimer);
    if (move.value !== record.intent) moveTimer = setTimeout(saveRow, MOVE_SETTLE_MS);
  });
  save.addEventListener("click", saveRow);
  remove.addEventListener("click", deleteRow);

  row.append(
    el(
      "div",
      { class: "example-line" },
      field("example.label", input, { hideLabel: true, className: "example-field" }),
      el(
        "div",
        { class: "example-tools" },
        mark.toggle,
        el("label", { class: "move-label" }, el("span", { class: "move-caption small muted", "aria-hidden": "true", ...tx("example.moveShort") }), move),
        save,
        remove,
      ),
    ),
    el("div", { class: "example-under" }, chips, mark.box, moved, status),
  );
  if (record.intent !== home) showMoved();
  return row;
}

function exampleGroup(language, examples) {
  const list = el("ul", { class: "example-list", "data-language": language }, examples.map(exampleRow));
  const titleId = uid("group");
  return el(
    "section",
    { class: "example-group", "data-language": language, "aria-labelledby": titleId },
    el("h4", { class: "group-title section-title", id: titleId, ...groupTitle(language, examples.length) }),
    el("p", { class: "group-empty empty small", hidden: examples.length > 0, ...tx("intent.noExamples") }),
    list,
  );
}

function addForm() {
  const language = languageSelect({ "data-testid": "example-add-language", "data-field": "language" }, ui.lastAddLanguage || "en");
  const text = textInput({ "data-testid": "example-add-text", "data-field": "text", spellcheck: "false", ...ta({ placeholder: "example.addPlaceholder" }) });
  const chips = el("div", { class: "chips example-chips" });
  liveChips(text, chips);
  const mark = markHelper(text);
  const add = el("button", { type: "submit", class: "btn btn-primary", "data-testid": "example-add", ...tx("example.add") });
  const form = el(
    "form",
    { class: "example-add-form card-inset", novalidate: true, "aria-labelledby": "example-add-title" },
    el("h4", { id: "example-add-title", class: "section-title", ...tx("example.addTitle") }),
    el(
      "div",
      { class: "example-add-line" },
      field("example.addLanguage", language, { className: "example-add-language" }),
      field("example.addText", text, { className: "example-add-text", hint: "example.addHint" }),
      el("div", { class: "example-add-actions" }, mark.toggle, add),
    ),
    el("div", { class: "example-under" }, chips, mark.box),
  );
  language.addEventListener("change", () => {
    ui.lastAddLanguage = language.value;
    text.lang = htmlLang(language.value);
  });
  text.lang = htmlLang(language.value);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearFeedback();
    const intent = view.open?.name;
    if (!intent) return;
    if (!text.value.trim()) {
      fail({ status: 422, problems: [{ field: "text", message: t("example.emptyProblem") }] }, { where: { after: form }, scope: form });
      return;
    }
    await busy([add], async () => {
      try {
        const answer = await call("POST", adminPath("examples"), { intent, language: language.value, text: text.value });
        const example = answer?.example || { id: "", intent, language: language.value, text: text.value };
        const group = ui.detail.querySelector(`.example-group[data-language="${CSS.escape(example.language)}"] .example-list`);
        if (group && view.open?.name === intent) {
          const row = exampleRow(example);
          row.classList.add("is-new");
          group.append(row);
          updateGroupCounts();
        }
        bump(intent, example.language, 1);
        text.value = "";
        text.dispatchEvent(new Event("input"));
        text.focus();
        showSaved("retrain", { change: answer?.change, where: { after: form } });
      } catch (error) {
        fail(error, { where: { after: form }, scope: form });
      }
    });
  });
  ui.addText = text;
  return form;
}

async function deleteIntent(name, control) {
  if (!confirmed("intent.confirmDelete", { name })) return;
  clearFeedback();
  await busy([control], async () => {
    try {
      const answer = await call("DELETE", adminPath("intents", name));
      view.intents = view.intents.filter((intent) => intent.name !== name);
      view.open = null;
      view.openName = null;
      renderList();
      renderDetail();
      ui.search.focus();
      showSaved("retrain", { change: answer?.change, where: { into: ui.detail } });
    } catch (error) {
      fail(error, { where: { after: control.closest(".intent-head") || ui.detail } });
    }
  });
}

function renderDetail() {
  const intent = view.open;
  if (!intent) {
    ui.detail.replaceChildren(el("div", { class: "empty-state" }, el("p", { class: "empty-title", ...tx("intents.pickTitle") }), el("p", { class: "muted", ...tx("intents.pick") })));
    return;
  }
  const examples = Array.isArray(intent.examples) ? intent.examples : [];
  const remove = intent.faq ? button("intent.delete", { class: "btn btn-small btn-danger-text", "data-testid": "intent-delete" }) : null;
  remove?.addEventListener("click", () => deleteIntent(intent.name, remove));
  const head = el(
    "header",
    { class: "intent-head" },
    el(
      "div",
      { class: "intent-head-text" },
      el("h3", { class: "detail-title", id: "intent-detail-title", tabindex: "-1" }, el("span", { class: "mono", text: intent.name }), intent.faq ? chip({ class: "chip-faq", ...tx("intents.faq") }) : null),
      el(
        "dl",
        { class: "intent-titles" },
        LANGUAGES.map((language) => [el("dt", tx(`lang.${language}`)), el("dd", { lang: htmlLang(language), text: intent.title?.[language] || "—" })]),
      ),
      intent.response
        ? el(
            "p",
            { class: "intent-response small" },
            el("span", tx("intent.answeredBy")),
            " ",
            el("button", { type: "button", class: "link-button mono", text: intent.response, onclick: () => go("openResponse", intent.response) }),
          )
        : null,
    ),
    remove,
  );
  ui.detail.replaceChildren(
    el(
      "article",
      { class: "intent-card", "aria-labelledby": "intent-detail-title" },
      head,
      el("p", { class: "muted small intent-hint", ...tx("intent.hint") }),
      LANGUAGES.map((language) => exampleGroup(language, examples.filter((example) => example.language === language))),
      addForm(),
    ),
  );
}

/** Opens an intent (focusId: an example to put the focus on). */
export async function openIntent(name, { focusId } = {}) {
  const token = ++view.openToken;
  view.openName = name;
  markCurrent();
  ui.detail.setAttribute("aria-busy", "true");
  ui.detail.replaceChildren(note("intents.loading", null, "muted loading-line"));
  try {
    if (!shared.entities) shared.entities = await loadEntities();
    const intent = await call("GET", adminPath("intents", name));
    if (token !== view.openToken) return;
    view.open = intent || null;
    renderDetail();
    const row = focusId !== undefined ? ui.detail.querySelector(`.example-row[data-id="${CSS.escape(String(focusId))}"]`) : null;
    if (row) {
      row.classList.add("is-found");
      row.scrollIntoView({ block: "center" });
      row.querySelector(".example-text")?.focus({ preventScroll: true });
    } else {
      ui.detail.querySelector("#intent-detail-title")?.focus();
    }
  } catch (error) {
    if (token !== view.openToken) return;
    view.open = null;
    renderDetail();
    fail(error, { where: { into: ui.detail } });
  } finally {
    if (token === view.openToken) ui.detail.removeAttribute("aria-busy");
  }
}

/* ---------- a new question (FAQ) ---------- */

function faqForm() {
  const name = textInput({ "data-testid": "faq-name", "data-field": "name", spellcheck: "false", autocapitalize: "off", pattern: "[a-z0-9_]+", ...ta({ placeholder: "faq.namePlaceholder" }) });
  const parts = {};
  const column = (language) => {
    const title = textInput({ "data-testid": `faq-title-${language}`, "data-field": `title.${language}`, lang: htmlLang(language) });
    const examples = textArea({ "data-testid": `faq-examples-${language}`, "data-field": `examples.${language}`, rows: 5, lang: htmlLang(language), spellcheck: "false" });
    const answer = textArea({ "data-testid": `faq-answer-${language}`, "data-field": `response.${language} answer.${language}`, rows: 4, lang: htmlLang(language) });
    parts[language] = { title, examples, answer };
    return el(
      "fieldset",
      { class: "faq-column" },
      el("legend", { class: "faq-legend", ...tx(`lang.${language}`) }),
      field(`faq.title.${language}`, title, { hint: "faq.titleHint" }),
      field(`faq.examples.${language}`, examples, { hint: "faq.examplesHint" }),
      field(`faq.answer.${language}`, answer, { hint: "faq.answerHint" }),
    );
  };
  const save = el("button", { type: "submit", class: "btn btn-primary", "data-testid": "faq-save", ...tx("faq.save") });
  const cancel = button("faq.cancel", { class: "btn btn-quiet" });
  const actions = el("div", { class: "form-actions" }, save, cancel);
  const form = el(
    "form",
    { id: "faq-form", class: "faq-form card", novalidate: true, hidden: true, "aria-labelledby": "faq-form-title" },
    el("h3", { id: "faq-form-title", class: "detail-title", tabindex: "-1", ...tx("faq.title") }),
    el("p", { class: "muted small", ...tx("faq.intro") }),
    field("faq.name", name, { hint: "faq.nameHint", className: "faq-name-field" }),
    el("div", { class: "faq-columns" }, column("en"), column("zh")),
    actions,
  );
  cancel.addEventListener("click", () => closeFaq(true));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearFeedback();
    const body = {
      name: name.value.trim(),
      title: { en: parts.en.title.value.trim(), zh: parts.zh.title.value.trim() },
      examples: { en: lines(parts.en.examples.value), zh: lines(parts.zh.examples.value) },
      response: { en: lines(parts.en.answer.value), zh: lines(parts.zh.answer.value) },
    };
    await busy([save, cancel], async () => {
      try {
        const answer = await call("POST", adminPath("intents"), body);
        form.reset();
        closeFaq(false);
        if (!matches({ name: body.name, title: body.title }, view.query.trim())) {
          view.query = ""; // the new question shows in the list
          ui.search.value = "";
          searchExamples();
        }
        await loadList();
        const created = answer?.intent?.name || body.name;
        await openIntent(created);
        showSaved("retrain", { change: answer?.change, where: { into: ui.detail } });
      } catch (error) {
        fail(error, { where: { before: actions }, scope: form });
      }
    });
  });
  ui.faqName = name;
  return form;
}

function openFaq() {
  ui.faqForm.hidden = false;
  ui.faqNew.setAttribute("aria-expanded", "true");
  ui.faqForm.scrollIntoView({ block: "nearest" });
  ui.faqName.focus();
}

function closeFaq(focusBack) {
  ui.faqForm.hidden = true;
  ui.faqNew.setAttribute("aria-expanded", "false");
  if (focusBack) ui.faqNew.focus();
}

/* ---------- loading ---------- */

async function loadEntities() {
  try {
    const names = await call("GET", adminPath("entities"));
    return Array.isArray(names) ? names.map(String) : [];
  } catch (error) {
    if (error?.status === 401 || error?.status === 403) throw error;
    return [];
  }
}

async function loadList() {
  const intents = await call("GET", adminPath("intents"));
  view.intents = (Array.isArray(intents) ? intents : []).slice().sort((a, b) => String(a.name).localeCompare(String(b.name)));
  view.loaded = true;
  renderList();
}

async function load() {
  ui.list.setAttribute("aria-busy", "true");
  setTx(ui.listCount, "intents.loading");
  try {
    const [, entities] = await Promise.all([loadList(), shared.entities ? Promise.resolve(shared.entities) : loadEntities()]);
    shared.entities = entities;
    if (view.openName) await openIntent(view.openName);
  } catch (error) {
    setTx(ui.listCount, "intents.loadFailed");
    fail(error, { where: { into: ui.panel } });
  } finally {
    ui.list.removeAttribute("aria-busy");
  }
}

/* ---------- the tab ---------- */

export function mountIntents(panel) {
  ui.panel = panel;
  ui.search = el("input", {
    type: "search",
    class: "list-search",
    "data-testid": "intent-search",
    autocomplete: "off",
    spellcheck: "false",
    ...ta({ placeholder: "intents.searchPlaceholder" }),
  });
  ui.listCount = el("p", { class: "list-count muted small", role: "status" });
  ui.list = el("ul", { class: "row-list intent-list", ...ta({ "aria-label": "intents.listLabel" }) });
  ui.listEmpty = note("intents.none", null, "empty small");
  ui.listEmpty.hidden = true;
  ui.hitLanguage = languageSelect({ class: "hit-language" });
  ui.hitLanguage.prepend(el("option", { value: "", ...tx("intents.anyLanguage") }));
  ui.hitLanguage.value = "";
  ui.hitsTitle = el("h3", { class: "section-title hits-title" });
  ui.hitsStatus = el("p", { class: "muted small", role: "status" });
  ui.hitList = el("ul", { class: "row-list hit-list" });
  ui.hits = el(
    "section",
    { class: "hits", hidden: true, "data-testid": "example-hits" },
    el("div", { class: "hits-head" }, ui.hitsTitle, field("intents.hitLanguage", ui.hitLanguage, { hideLabel: true, className: "hit-language-field" })),
    ui.hitsStatus,
    ui.hitList,
  );
  ui.faqNew = button("faq.new", { class: "btn", "data-testid": "faq-new", "aria-expanded": "false", "aria-controls": "faq-form" });
  ui.faqForm = faqForm();
  ui.detail = el("div", { class: "detail-body", "aria-live": "off" });

  ui.search.addEventListener("input", () => {
    view.query = ui.search.value;
    renderList();
    searchSoon();
  });
  ui.hitLanguage.addEventListener("change", searchExamples);
  ui.faqNew.addEventListener("click", openFaq);

  panel.append(
    panelHead("intents.title", "intents.intro", ui.faqNew),
    el(
      "div",
      { class: "split" },
      el(
        "aside",
        { class: "split-list card", ...ta({ "aria-label": "intents.listLabel" }) },
        field("intents.search", ui.search, { hint: "intents.searchHint", className: "list-search-field" }),
        ui.listCount,
        el("div", { class: "list-scroll" }, ui.list, ui.listEmpty, ui.hits),
      ),
      el("div", { class: "split-detail" }, ui.faqForm, el("div", { class: "card detail-card" }, ui.detail)),
    ),
  );
  renderDetail();
}

export async function showIntents() {
  if (!view.loaded || takeStale("intents")) await load();
}

/** After a language switch: the titles shown are the language's. */
export function intentsLanguage() {
  if (view.loaded) renderList();
}
