/* Canned responses: the searchable list in the actions pane and "/shortcut" in the reply box.
 * A response is put in the reply box in the open chat's language. */

import { $, $$, el } from "/static/shared/dom.js";
import { api } from "../common/api.js";
import { debounce } from "../common/format.js";
import { customerLanguage, render, state } from "./store.js";
import { ui } from "./ui.js";

export async function loadCanned() {
  try {
    const list = await api("GET", "/api/console/canned?q=");
    state.canned = Array.isArray(list) ? list : [];
    showCanned(state.canned);
  } catch {
    /* the list stays empty; the search box retries */
  }
}

/** Asks the gateway for what matches the search box (once typing pauses). */
export const searchCanned = debounce(async () => {
  const q = ui.cannedSearch.value.trim();
  try {
    const list = await api("GET", `/api/console/canned?q=${encodeURIComponent(q)}`);
    if (ui.cannedSearch.value.trim() !== q) return;
    if (!q) state.canned = list;
    showCanned(Array.isArray(list) ? list : []);
  } catch {
    /* keep what is shown */
  }
}, 150);

/** The "/shortcut" being typed just before the caret, if any. */
export function slashToken() {
  const value = ui.reply.value;
  const end = ui.reply.selectionEnd ?? value.length;
  const match = /(^|\s)\/([\p{L}\p{N}_-]*)$/u.exec(value.slice(0, end));
  if (!match) return null;
  return { start: end - match[2].length - 1, end, query: match[2].toLowerCase() };
}

/** Shortcuts starting with the query first, then responses containing it anywhere. */
export function cannedMatches(query) {
  const q = (query || "").toLowerCase();
  if (!q) return state.canned.slice();
  const starts = state.canned.filter((c) => c.shortcut.toLowerCase().startsWith(q));
  const contains = state.canned.filter(
    (c) =>
      !starts.includes(c) &&
      [c.shortcut, c.title, c.text_en, c.text_zh].some((v) => String(v || "").toLowerCase().includes(q)),
  );
  return [...starts, ...contains];
}

/** The canned list follows what is typed: the "/shortcut" in the reply box, else the search box. */
export function filterCannedFromReply() {
  const token = slashToken();
  if (token) {
    showCanned(cannedMatches(token.query), token.query);
  } else if (ui.cannedSearch.value.trim()) {
    searchCanned();
  } else {
    showCanned(state.canned);
  }
}

const cannedText = (item) =>
  customerLanguage() === "zh" ? item.text_zh || item.text_en : item.text_en || item.text_zh;

export function showCanned(list, highlight = "") {
  state.cannedShown = list;
  ui.cannedList.replaceChildren(
    ...list.map((item, index) =>
      el(
        "li",
        {},
        el(
          "button",
          {
            type: "button",
            class: "canned-item",
            "data-console": "canned-item",
            "data-shortcut": item.shortcut,
            "data-first": highlight && index === 0 ? "true" : null,
            disabled: state.open ? null : true,
            onclick: () => insertCanned(item, slashToken()),
          },
          el(
            "span",
            { class: "canned-head" },
            el("span", { class: "canned-shortcut", text: `/${item.shortcut}` }),
            el("span", { class: "canned-title", text: item.title }),
          ),
          el("span", { class: "canned-text", lang: customerLanguage() === "zh" ? "zh-CN" : "en", text: cannedText(item) }),
        ),
      ),
    ),
  );
  ui.cannedEmpty.hidden = list.length > 0;
}

/** Enables the list for an open chat and shows each response in that chat's language. */
export function renderCannedList() {
  const lang = customerLanguage();
  for (const button of $$('[data-console="canned-item"]', ui.cannedList)) {
    button.disabled = !state.open;
    const item = state.cannedShown.find((c) => c.shortcut === button.dataset.shortcut);
    const text = $(".canned-text", button);
    if (item && text) {
      text.textContent = cannedText(item);
      text.lang = lang === "zh" ? "zh-CN" : "en";
    }
  }
}

/** Puts a canned response in the reply box (in the customer's language), replacing "/token". */
export function insertCanned(item, token = null) {
  if (!state.open || ui.reply.disabled) return;
  const text = cannedText(item);
  const value = ui.reply.value;
  let start;
  let end;
  if (token) {
    ({ start, end } = token);
  } else {
    start = ui.reply.selectionStart ?? value.length;
    end = ui.reply.selectionEnd ?? value.length;
    if (document.activeElement !== ui.reply) start = end = value.length;
  }
  const before = value.slice(0, start);
  const after = value.slice(end);
  const lead = before && !/\s$/.test(before) ? " " : "";
  const trail = after && !/^\s/.test(after) ? " " : "";
  ui.reply.value = before + lead + text + trail + after;
  const caret = (before + lead + text).length;
  ui.reply.focus();
  ui.reply.setSelectionRange(caret, caret);
  showCanned(ui.cannedSearch.value.trim() ? state.cannedShown : state.canned);
  render("actions");
}
