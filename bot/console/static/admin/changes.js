/* The Changes tab: every knowledge change made on these pages, newest first — when, who, what
 * (the server's summary), which files — and Revert (confirmed) where the server says it can
 * be undone (a later change to the same files must be reverted first: a 409 says so). A revert
 * is itself a change: the banner says whether it needs a training run. */

import { el } from "/static/shared/dom.js";
import { clearFeedback, fail, showSaved } from "./feedback.js";
import { setTx, ta, tx, when } from "./lang.js";
import { adminPath, call } from "./request.js";
import { markStale } from "./store.js";
import { busy, button, cell, chip, confirmed, note, panelHead, table } from "./widgets.js";

/** Files read as the assistant answers (no training run needed). */
const LIVE_FILES = ["data/shop.yml", "actions/lera_phrases.yml", "data/desk.yml"];
const isLive = (file) => LIVE_FILES.some((live) => String(file).endsWith(live));

/** The tabs showing these files (loaded again when next opened). */
function tabsOf(files) {
  const tabs = new Set();
  for (const file of files || []) {
    const name = String(file);
    if (name.includes("data/nlu/")) tabs.add("intents");
    if (name.endsWith("domain.yml")) tabs.add("responses").add("intents");
    if (name.endsWith("shop.yml")) tabs.add("shop").add("responses");
    if (name.endsWith("lera_phrases.yml")) tabs.add("phrases");
    if (name.endsWith("desk.yml")) tabs.add("policy");
    if (name.includes("data/rules") || name.includes("intent_titles")) tabs.add("intents");
  }
  return [...tabs];
}

/** The banner's kind after a change touching these files. */
export const kindOfFiles = (files) => (files?.length && files.every(isLive) ? "now" : "retrain");

const view = { changes: [] };
const ui = {};

function changeRow(change) {
  const row = el("tr", { class: "change-row", "data-testid": "change-row", "data-id": change.id, "data-reverted": change.reverted_at ? "true" : "false" });
  let action = null;
  if (change.reverted_at) {
    action = el(
      "p",
      { class: "small muted reverted-note" },
      el("span", tx("changes.reverted", { name: change.reverted_by?.name || "—" })),
      " ",
      el("time", when(change.reverted_at)),
    );
  } else if (change.revertible) {
    const revert = button("changes.revert", { class: "btn btn-small", "data-testid": "change-revert" });
    revert.addEventListener("click", () => revertChange(change, row, revert));
    action = revert;
  }
  row.append(
    el("th", { scope: "row", class: "change-when", ...ta({ "data-label": "changes.when" }) }, el("time", when(change.at)), el("span", { class: "small muted change-id", text: `#${change.id}` })),
    cell("changes.who", {}, change.by?.name || "—"),
    cell(
      "changes.what",
      { class: "change-what" },
      el("span", { class: "change-summary", text: change.summary || "" }),
      change.kind ? chip({ class: "chip-kind mono", text: change.kind }) : null,
    ),
    cell("changes.files", { class: "change-files" }, el("ul", { class: "file-list" }, (change.files || []).map((file) => el("li", {}, el("code", { text: file }))))),
    cell("changes.action", { class: "row-actions" }, action),
  );
  return row;
}

async function revertChange(change, row, control) {
  if (!confirmed("changes.confirmRevert", { summary: change.summary || `#${change.id}` })) return;
  clearFeedback();
  await busy([control], async () => {
    try {
      const answer = await call("POST", adminPath("changes", change.id, "revert"));
      const made = answer?.change || null;
      markStale(...tabsOf([...(change.files || []), ...(made?.files || [])]));
      await load();
      const fresh = ui.body.querySelector(`.change-row[data-id="${CSS.escape(String(change.id))}"]`);
      showSaved(kindOfFiles(made?.files || change.files), { change: made, where: fresh ? { after: fresh } : { into: ui.panel } });
    } catch (error) {
      fail(error, { where: { after: row } });
    }
  });
}

async function load() {
  setTx(ui.count, "changes.loading");
  try {
    const changes = await call("GET", adminPath("changes"));
    view.changes = Array.isArray(changes) ? changes : [];
    ui.body.replaceChildren(...view.changes.map(changeRow));
    ui.empty.hidden = view.changes.length > 0;
    setTx(ui.count, "changes.count", { n: view.changes.length });
  } catch (error) {
    setTx(ui.count, "changes.loadFailed");
    fail(error, { where: { into: ui.panel } });
  }
}

export function mountChanges(panel) {
  ui.panel = panel;
  const { table: node, body } = table({
    caption: "changes.caption",
    className: "change-table stack-narrow",
    heads: [["changes.when"], ["changes.who"], ["changes.what"], ["changes.files"], ["", { class: "col-actions" }]],
  });
  node.querySelector("thead th:last-child").append(el("span", { class: "visually-hidden", ...tx("changes.action") }));
  ui.body = body;
  ui.count = el("p", { class: "list-count muted small", role: "status" });
  ui.empty = note("changes.none", null, "empty");
  ui.empty.hidden = true;
  const refresh = button("changes.refresh", { class: "btn btn-small" });
  refresh.addEventListener("click", () => busy([refresh], load));
  panel.append(
    panelHead("changes.title", "changes.intro", refresh),
    el("div", { class: "card table-card" }, el("div", { class: "table-head" }, ui.count), el("div", { class: "table-scroll" }, node), ui.empty),
  );
}

/** The history is loaded each time the tab is shown (changes are made in the other tabs). */
export async function showChanges() {
  await load();
}
