/* The Training tab: the assistant only changes once a model trained on the new files is
 * activated. "Train now" starts a run (POST /api/console/admin/training; a 409 while one runs);
 * while it goes, its progress — a progress bar, the stages with their share of the work, the
 * current one marked, the last lines of its log — is read every 2 s
 * (GET /api/console/admin/training/{id}). The runs: status, who, when, how long, the figures
 * (intent accuracy per language, escalation precision and recall, test stories passed); a
 * ready or retired run can be activated ("Roll back to this" for one older than the active
 * model). A ready run measured against the active model shows both side by side, every figure
 * that got worse in red with an arrow and the word, not colour alone. */

import { el } from "/static/shared/dom.js";
import { formatNumber, t } from "../common/i18n.js";
import { clearFeedback, errorText, fail, showSaved } from "./feedback.js";
import { codeTx, setTx, ta, tx, when } from "./lang.js";
import { adminPath, call } from "./request.js";
import { busy, button, cell, chip, note, panelHead } from "./widgets.js";

const POLL_MS = 2000;
const GOING = new Set(["queued", "training", "evaluating"]);
const ACTIVATABLE = new Set(["ready", "retired"]);

/** The figures, in table order: [group, sub, kind]. */
const FIGURES = [
  ["intent_accuracy", "en", "share"],
  ["intent_accuracy", "zh", "share"],
  ["escalation", "precision", "share"],
  ["escalation", "recall", "share"],
  ["stories", "passed", "stories"],
];

const view = {
  data: { running: null, active: null, runs: [] },
  visible: false,
  pollId: null, // the run followed
  pollTimer: null,
  polling: false, // a request under way
  pollFailures: 0,
  loaded: false,
};
const ui = {};

/* ---------- numbers ---------- */

function share(value) {
  if (typeof value !== "number" || !Number.isFinite(value)) return "—";
  const fraction = value > 1 ? value / 100 : value;
  return formatNumber(fraction, { style: "percent", maximumFractionDigits: 1 });
}

function seconds(value) {
  if (typeof value !== "number" || !Number.isFinite(value)) return { text: "—" };
  const total = Math.round(value);
  if (total < 60) return tx("training.seconds", { s: total });
  const minutes = Math.floor(total / 60);
  if (minutes < 60) return tx("training.minutesSeconds", { m: minutes, s: total % 60 });
  return tx("training.hoursMinutes", { h: Math.floor(minutes / 60), m: minutes % 60 });
}

/** The comparison's keys for a figure: dot-joined ("intent_accuracy.en"); the stories are
 * compared as the share passed. */
const compareKeys = (group, sub) => (group === "stories" ? ["stories.passed_share", "stories.passed"] : [`${group}.${sub}`]);

/** {active, new, worse, key} for one figure of a run's comparison (flat or nested keys). */
function compared(run, group, sub) {
  const table = run?.compared;
  if (!table || typeof table !== "object") return null;
  const isEntry = (value) => value && typeof value === "object" && ("new" in value || "worse" in value);
  for (const key of compareKeys(group, sub)) {
    const [first, second] = key.split(".");
    if (isEntry(table[key])) return { ...table[key], key };
    if (isEntry(table[first]?.[second])) return { ...table[first][second], key };
  }
  if (isEntry(table[group])) return { ...table[group], key: group };
  return null;
}

function figureText(run, group, sub, kind) {
  const figures = run?.figures;
  if (!figures) return "—";
  if (kind === "stories") {
    const stories = figures.stories || {};
    if (typeof stories.passed !== "number") return "—";
    return typeof stories.total === "number" ? `${stories.passed}/${stories.total}` : String(stories.passed);
  }
  return share(figures[group]?.[sub]);
}

function comparedText(value, kind, total, key) {
  if (typeof value !== "number") return "—";
  if (kind === "stories" && key !== "stories.passed_share") return typeof total === "number" ? `${value}/${total}` : String(value);
  return share(value);
}

const worseMark = () => [
  el("span", { class: "worse-icon", "aria-hidden": "true", text: "▼" }),
  el("span", { class: "visually-hidden", ...tx("training.worseHidden") }),
];

/* ---------- the run going ---------- */

const runTitle = (run) => tx("training.runTitle", { id: run.id });

function renderProgress(run) {
  const going = run && GOING.has(run.status);
  ui.progressCard.hidden = !run || !(going || run.log);
  if (!run) return;
  if (ui.progressRunId !== run.id) {
    ui.progressRunId = run.id;
    ui.log.textContent = "";
    ui.logEmpty.hidden = false;
  }
  const progress = run.progress || {};
  const percent = Math.max(0, Math.min(100, Math.round(Number(progress.percent) || 0)));
  ui.progressTitle.replaceChildren(el("span", runTitle(run)), " ", chip({ class: `chip-run chip-run-${run.status}`, ...codeTx("runStatus", run.status) }));
  ui.progressMeta.replaceChildren(
    el("span", tx("training.startedBy", { name: run.started_by?.name || "—" })),
    " · ",
    el("time", when(run.started_at)),
  );
  ui.bar.setAttribute("aria-valuenow", String(percent));
  const stageName = progress.stage ? codeTx("stage", progress.stage).text : "";
  ui.bar.setAttribute("aria-valuetext", stageName ? `${percent}% · ${stageName}` : `${percent}%`);
  ui.bar.dataset.status = run.status;
  ui.barFill.style.width = `${percent}%`;
  ui.percent.textContent = `${percent}%`;
  const stages = Array.isArray(progress.stages) ? progress.stages : [];
  ui.stages.replaceChildren(
    ...stages.map((stage) => {
      const state = stage.state || "waiting";
      const current = state === "running" || (!stages.some((s) => s.state === "running") && stage.name === progress.stage && going);
      return el(
        "li",
        { class: "train-stage", "data-testid": "train-stage", "data-state": state, "data-name": stage.name, "aria-current": current ? "step" : null },
        el("span", { class: "stage-mark", "aria-hidden": "true", text: state === "done" ? "✓" : state === "running" ? "●" : "○" }),
        el("span", { class: "stage-name", ...codeTx("stage", stage.name) }),
        el("span", { class: "stage-share small muted", ...tx("training.stageShare", { share: share(Number(stage.share) || 0) }) }),
        el("span", { class: "stage-state small", ...tx(`stageState.${state}`) }),
      );
    }),
  );
  ui.stagesEmpty.hidden = stages.length > 0;
  if (Array.isArray(run.log)) {
    const atEnd = ui.log.scrollHeight - ui.log.scrollTop - ui.log.clientHeight < 24;
    ui.log.textContent = run.log.join("\n");
    ui.logEmpty.hidden = run.log.length > 0;
    if (atEnd || going) ui.log.scrollTop = ui.log.scrollHeight;
  }
  ui.error.hidden = !run.error;
  ui.error.textContent = run.error || "";
}

function stopPolling() {
  clearTimeout(view.pollTimer);
  view.pollTimer = null;
}

function schedulePoll(delay = POLL_MS) {
  stopPolling();
  if (view.polling) return; // the request under way schedules the next one
  if (view.pollId !== null && view.visible) view.pollTimer = setTimeout(poll, delay);
}

async function poll() {
  view.pollTimer = null;
  const id = view.pollId;
  if (id === null || !view.visible) return;
  view.polling = true;
  try {
    const run = await call("GET", adminPath("training", id));
    if (id !== view.pollId) return;
    view.pollFailures = 0;
    ui.pollNote.textContent = "";
    renderProgress(run);
    updateRunRow(run);
    if (!GOING.has(run.status)) {
      view.pollId = null;
      await load({ keepProgress: run });
      setTx(ui.status, run.status === "failed" ? "training.finishedFailed" : "training.finishedReady", { id: run.id });
      return;
    }
  } catch (error) {
    if (error?.status === 401 || error?.status === 403) {
      fail(error);
      return;
    }
    view.pollFailures += 1;
    ui.pollNote.textContent = t("training.pollFailed", { detail: errorText(error) });
  } finally {
    view.polling = false;
  }
  schedulePoll(view.pollFailures ? Math.min(POLL_MS * 2 ** view.pollFailures, 30000) : POLL_MS);
}

/** Follows a run going (none: stops). */
function follow(run) {
  if (run && GOING.has(run.status)) {
    if (view.pollId !== run.id) view.pollId = run.id;
    schedulePoll(view.pollTimer ? POLL_MS : 0);
  } else {
    view.pollId = null;
    stopPolling();
  }
}

async function startRun() {
  clearFeedback();
  ui.status.textContent = "";
  await busy([ui.start], async () => {
    try {
      const run = await call("POST", adminPath("training"));
      view.data.running = run;
      renderProgress(run);
      setTx(ui.status, "training.started", { id: run?.id ?? "" });
      follow(run);
      await load({ keepProgress: run });
    } catch (error) {
      fail(error, { where: { after: ui.startCard } });
      if (error?.status === 409) await load();
    }
  });
  renderStart();
}

function renderStart() {
  const running = view.data.running && GOING.has(view.data.running.status);
  ui.start.disabled = Boolean(running);
  setTx(ui.startHint, running ? "training.runningHint" : "training.startHint");
}

/* ---------- the comparison ---------- */

function renderComparison() {
  const runs = view.data.runs || [];
  const run = runs.find((r) => r.status === "ready" && r.compared);
  ui.compareCard.hidden = !run;
  if (!run) return;
  const active = view.data.active;
  setTx(ui.compareTitle, active ? "training.compareTitle" : "training.compareTitleNoActive", { id: run.id, active: active?.id ?? "" });
  const rows = FIGURES.map(([group, sub, kind]) => {
    const entry = compared(run, group, sub);
    const worse = Boolean(entry?.worse);
    const totalNew = run.figures?.stories?.total;
    const totalActive = active?.figures?.stories?.total;
    const newValue = entry ? comparedText(entry.new, kind, totalNew, entry.key) : figureText(run, group, sub, kind);
    const activeValue = entry ? comparedText(entry.active, kind, totalActive, entry.key) : figureText(active, group, sub, kind);
    let verdict;
    if (!entry) verdict = el("span", { class: "muted", text: "—" });
    else if (worse) verdict = el("span", { class: "verdict verdict-worse" }, el("span", { "aria-hidden": "true", text: "▼ " }), el("span", tx("training.worse")));
    else if (typeof entry.new === "number" && typeof entry.active === "number" && entry.new > entry.active)
      verdict = el("span", { class: "verdict verdict-better" }, el("span", { "aria-hidden": "true", text: "▲ " }), el("span", tx("training.better")));
    else verdict = el("span", { class: "verdict verdict-same" }, el("span", { "aria-hidden": "true", text: "= " }), el("span", tx("training.same")));
    return el(
      "tr",
      { class: worse ? "is-worse" : null, "data-testid": "compare-figure", "data-figure": `${group}.${sub}`, "data-worse": String(worse) },
      el("th", { scope: "row", ...tx(`figure.${group}.${sub}`) }),
      el("td", { class: "num" }, activeValue),
      el("td", { class: "num figure-new" }, newValue),
      el("td", {}, verdict),
    );
  });
  ui.compareBody.replaceChildren(...rows);
  const anyWorse = rows.some((row) => row.dataset.worse === "true");
  ui.compareVerdict.hidden = !anyWorse;
}

/* ---------- the runs ---------- */

function activateLabel(run) {
  const runs = view.data.runs || [];
  const active = view.data.active || runs.find((r) => r.status === "active");
  if (!active) return "training.activate";
  const at = runs.findIndex((r) => r.id === run.id);
  const activeAt = runs.findIndex((r) => r.id === active.id);
  const older = at >= 0 && activeAt >= 0 ? at > activeAt : Date.parse(run.started_at) < Date.parse(active.started_at);
  return older ? "training.rollBack" : "training.activate";
}

async function activate(run, row, control) {
  clearFeedback();
  const controls = [...ui.body.querySelectorAll('[data-testid="run-activate"]'), ui.start];
  setTx(ui.status, "training.activating", { id: run.id });
  control.classList.add("is-busy");
  await busy(controls, async () => {
    try {
      await call("POST", adminPath("training", run.id, "activate"));
      await load();
      const fresh = ui.body.querySelector(`.run-row[data-id="${CSS.escape(String(run.id))}"]`);
      setTx(ui.status, "training.activated", { id: run.id });
      showSaved("activated", { where: fresh ? { after: fresh } : { after: ui.startCard } });
    } catch (error) {
      ui.status.textContent = "";
      fail(error, { where: { after: row } });
    } finally {
      control.classList.remove("is-busy");
    }
  });
  renderStart();
}

function runRow(run) {
  const isActive = run.status === "active";
  const row = el("tr", {
    class: `run-row${isActive ? " is-active" : ""}`,
    "data-testid": "run-row",
    "data-id": run.id,
    "data-status": run.status,
    "aria-current": isActive ? "true" : null,
  });
  const statusCell = cell(
    "training.status",
    { class: "run-status" },
    chip({ class: `chip-run chip-run-${run.status}`, ...codeTx("runStatus", run.status) }),
    isActive ? el("span", { class: "live-mark small", ...tx("training.liveNow") }) : null,
    isActive && run.activated_at
      ? el("span", { class: "small muted run-activated" }, el("span", tx("training.activatedBy", { name: run.activated_by?.name || "—" })), " ", el("time", when(run.activated_at)))
      : null,
    run.error ? el("span", { class: "small run-error clamp-3", title: run.error, text: run.error }) : null,
  );
  const figureCells = FIGURES.map(([group, sub, kind]) => {
    const entry = compared(run, group, sub);
    const worse = Boolean(entry?.worse);
    return cell(
      `figure.${group}.${sub}`,
      {
        class: `num run-figure${worse ? " is-worse" : ""}`,
        "data-testid": "run-figure",
        "data-figure": `${group}.${sub}`,
        "data-worse": String(worse),
        ...(worse ? ta({ title: "training.worseTitle" }) : {}),
      },
      el("span", { class: "figure-value", text: figureText(run, group, sub, kind) }),
      worse ? worseMark() : null,
    );
  });
  let action = null;
  if (ACTIVATABLE.has(run.status)) {
    action = button(activateLabel(run), { class: `btn btn-small${run.status === "ready" ? " btn-primary" : ""}`, "data-testid": "run-activate" });
    action.addEventListener("click", () => activate(run, row, action));
  }
  row.append(
    el("th", { scope: "row", class: "run-id", ...ta({ "data-label": "training.run" }) }, el("span", { class: "mono", text: `#${run.id}` })),
    statusCell,
    cell("training.startedByCol", {}, run.started_by?.name || "—"),
    cell("training.startedAt", {}, run.started_at ? el("time", when(run.started_at)) : "—"),
    cell("training.duration", { class: "num" }, el("span", seconds(run.seconds))),
    ...figureCells,
    cell("training.action", { class: "row-actions" }, action),
  );
  return row;
}

/** One run's row drawn again (its status while it goes). */
function updateRunRow(run) {
  const runs = view.data.runs || [];
  const at = runs.findIndex((r) => r.id === run.id);
  if (at < 0) return;
  const { log, ...rest } = run;
  runs[at] = { ...runs[at], ...rest };
  const row = ui.body.querySelector(`.run-row[data-id="${CSS.escape(String(run.id))}"]`);
  if (row && row.dataset.status !== run.status) row.replaceWith(runRow(runs[at]));
}

function renderRuns() {
  const runs = view.data.runs || [];
  ui.body.replaceChildren(...runs.map(runRow));
  ui.empty.hidden = runs.length > 0;
  const active = view.data.active;
  if (active) {
    ui.activeLine.replaceChildren(el("span", tx("training.activeLine", { id: active.id, model: active.model || "—" })));
  } else {
    ui.activeLine.replaceChildren(el("span", tx("training.noActive")));
  }
}

async function load({ keepProgress } = {}) {
  try {
    const data = await call("GET", adminPath("training"));
    view.data = { running: data?.running || null, active: data?.active || null, runs: Array.isArray(data?.runs) ? data.runs : [] };
    view.loaded = true;
    renderRuns();
    renderComparison();
    const running = view.data.running;
    if (running) {
      if (!keepProgress || keepProgress.id !== running.id) renderProgress(running);
      follow(running);
    } else if (!keepProgress) {
      renderProgress(null);
      follow(null);
    }
    renderStart();
  } catch (error) {
    fail(error, { where: { after: ui.startCard } });
  }
}

/* ---------- the tab ---------- */

function runsTable() {
  ui.body = el("tbody");
  const head = (key, props = {}) => el("th", { scope: "col", ...props, ...tx(key) });
  return el(
    "table",
    { class: "admin-table run-table stack-narrow", "data-testid": "run-table" },
    el("caption", { class: "visually-hidden", ...tx("training.caption") }),
    el(
      "thead",
      {},
      el(
        "tr",
        {},
        head("training.run", { rowspan: "2" }),
        head("training.status", { rowspan: "2" }),
        head("training.startedByCol", { rowspan: "2" }),
        head("training.startedAt", { rowspan: "2" }),
        head("training.duration", { rowspan: "2", class: "num" }),
        head("training.intentAccuracy", { colspan: "2", scope: "colgroup", class: "group-head" }),
        head("training.escalation", { colspan: "2", scope: "colgroup", class: "group-head" }),
        head("training.stories", { rowspan: "2", class: "num" }),
        el("th", { scope: "col", rowspan: "2", class: "col-actions" }, el("span", { class: "visually-hidden", ...tx("training.action") })),
      ),
      el("tr", {}, head("lang.short.en", { class: "num" }), head("lang.short.zh", { class: "num" }), head("training.precision", { class: "num" }), head("training.recall", { class: "num" })),
    ),
    ui.body,
  );
}

export function mountTraining(panel) {
  ui.panel = panel;
  ui.start = button("training.start", { class: "btn btn-primary btn-large", "data-testid": "train-start" });
  ui.start.addEventListener("click", startRun);
  ui.startHint = el("p", { class: "muted small", id: "train-start-hint" });
  ui.start.setAttribute("aria-describedby", "train-start-hint");
  ui.status = el("p", { class: "train-status", role: "status", "aria-live": "polite" });
  ui.activeLine = el("p", { class: "small muted active-line" });
  ui.startCard = el(
    "section",
    { class: "card train-start-card", "aria-labelledby": "train-start-title" },
    el("div", { class: "train-start-text" }, el("h3", { id: "train-start-title", class: "detail-title", ...tx("training.startTitle") }), ui.startHint, ui.activeLine),
    el("div", { class: "train-start-action" }, ui.start),
    ui.status,
  );

  ui.progressTitle = el("h3", { class: "detail-title", id: "train-progress-title" });
  ui.progressMeta = el("p", { class: "small muted" });
  ui.barFill = el("div", { class: "progress-fill" });
  ui.bar = el(
    "div",
    { class: "progress", role: "progressbar", "data-testid": "train-progress", "aria-valuemin": "0", "aria-valuemax": "100", "aria-valuenow": "0", "aria-labelledby": "train-progress-title" },
    ui.barFill,
  );
  ui.percent = el("span", { class: "progress-percent", "aria-hidden": "true" });
  ui.stages = el("ol", { class: "stage-list", ...ta({ "aria-label": "training.stages" }) });
  ui.stagesEmpty = note("training.noStages", null, "empty small");
  ui.log = el("pre", { class: "train-log", "data-testid": "train-log", role: "log", tabindex: "0", ...ta({ "aria-label": "training.log" }) });
  ui.logEmpty = note("training.noLog", null, "empty small");
  ui.error = el("p", { class: "form-error", role: "alert", hidden: true });
  ui.pollNote = el("p", { class: "small muted", role: "status" });
  ui.progressCard = el(
    "section",
    { class: "card progress-card", hidden: true, "aria-labelledby": "train-progress-title" },
    ui.progressTitle,
    ui.progressMeta,
    el("div", { class: "progress-line" }, ui.bar, ui.percent),
    el("div", { class: "progress-body" }, el("div", { class: "stages-box" }, el("h4", { class: "section-title", ...tx("training.stages") }), ui.stages, ui.stagesEmpty), el("div", { class: "log-box" }, el("h4", { class: "section-title", ...tx("training.log") }), ui.log, ui.logEmpty)),
    ui.error,
    ui.pollNote,
  );

  ui.compareTitle = el("h3", { class: "detail-title", id: "train-compare-title" });
  ui.compareBody = el("tbody");
  ui.compareVerdict = el("p", { class: "compare-warning" }, el("span", { class: "warning-icon", "aria-hidden": "true", text: "⚠" }), el("span", tx("training.compareWarning")));
  ui.compareCard = el(
    "section",
    { class: "card compare-card", hidden: true, "aria-labelledby": "train-compare-title", "data-testid": "train-compare" },
    ui.compareTitle,
    ui.compareVerdict,
    el(
      "div",
      { class: "table-scroll" },
      el(
        "table",
        { class: "admin-table compare-table" },
        el("caption", { class: "visually-hidden", ...tx("training.compareCaption") }),
        el("thead", {}, el("tr", {}, el("th", { scope: "col", ...tx("training.figure") }), el("th", { scope: "col", class: "num", ...tx("training.activeModel") }), el("th", { scope: "col", class: "num", ...tx("training.newModel") }), el("th", { scope: "col", ...tx("training.verdict") }))),
        ui.compareBody,
      ),
    ),
  );

  ui.empty = note("training.none", null, "empty");
  ui.empty.hidden = true;
  panel.append(
    panelHead("training.title", "training.intro"),
    ui.startCard,
    ui.progressCard,
    ui.compareCard,
    el("div", { class: "card table-card" }, el("div", { class: "table-head" }, el("h3", { class: "detail-title", ...tx("training.runs") })), el("div", { class: "table-scroll" }, runsTable()), ui.empty),
  );
  renderStart();
}

export async function showTraining() {
  view.visible = true;
  await load();
}

export function hideTraining() {
  view.visible = false;
  stopPolling();
}

/** A run changed (the console WebSocket's training_changed, if the page listens). */
export function trainingChanged(run) {
  if (!view.visible || !run) return;
  if (GOING.has(run.status)) {
    renderProgress({ ...run, log: undefined });
    follow(run);
  } else load();
}
