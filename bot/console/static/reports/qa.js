/* QA sampling: draw a stratified sample of the period's closed conversations, open one (its
 * transcript with the assistant's analysis of each customer message), score it on the
 * seven-part rubric (0 = no, 1 = partly, 2 = yes) and save the review; the conversation's
 * earlier reviews are listed under the form.
 *
 * Hooks: qa (the section), qa-size, qa-draw, qa-list, qa-item (data-conversation,
 * data-reviewed), qa-detail, qa-transcript, qa-message (data-author), qa-analysis, qa-rubric,
 * qa-score-<part> (a select, "" | 0 | 1 | 2), qa-note, qa-save, qa-result, qa-reviews,
 * qa-review. */

import { $, el, fill } from "/static/shared/dom.js";
import { api } from "../common/api.js";
import { formatNumber, t } from "../common/i18n.js";
import {
  DASH,
  agentLabel,
  categoryLabel,
  channelLabel,
  codeLabel,
  count,
  decimal,
  languageLabel,
  moment,
  outcomeLabel,
  severityLabel,
  statusLabel,
} from "./labels.js";

export const QA_PARTS = ["listen", "empathize", "resolve", "action", "correct_answer", "tone", "resolution"];
const BASE = "/api/console/reports/qa";
const MAX_SIZE = 50;

const state = {
  items: null, // the sample (null: none drawn yet)
  selected: null, // conversation id
  detail: null, // {conversation, loading, error}
  draft: {}, // part -> "0" | "1" | "2", and note
  note: "",
  result: null, // {kind: "ok" | "error", key, vars}: said in the language of the moment
  invalid: new Set(), // parts left unscored at the last save
  saving: false,
  drawing: false,
  agentNames: new Map(),
  namesAsked: false,
};

let options = { filters: () => ({}), errorText: (error) => String(error?.message || error), onReviewed: () => {} };
let openToken = 0;

/** Names for agent ids in transcripts (the summary's agents table; the team list once). */
export function knowAgents(agents) {
  for (const agent of agents || []) {
    if (agent && agent.agent_id !== null && agent.agent_id !== undefined && agent.name) {
      state.agentNames.set(agent.agent_id, agent.name);
    }
  }
}

async function askAgentNames() {
  if (state.namesAsked) return;
  state.namesAsked = true;
  try {
    const team = await api("GET", "/api/console/agents");
    for (const agent of Array.isArray(team) ? team : []) {
      if (agent && agent.id !== undefined && agent.name) state.agentNames.set(agent.id, agent.name);
    }
  } catch {
    /* names fall back to the sample's or "Agent #id" */
  }
}

let shownError = null; // {key, error?}: the section's error, redrawn in a new language

function showError(key, error) {
  shownError = key ? { key, error } : null;
  renderError();
}

function renderError() {
  const node = $("#qa-error");
  const text = shownError
    ? shownError.error
      ? t(shownError.key, { detail: options.errorText(shownError.error) })
      : t(shownError.key)
    : "";
  node.textContent = text;
  node.hidden = !text;
}

/* ---------- the sample ---------- */

function sizeValue() {
  const input = $("#qa-size");
  const size = Number(input.value);
  const ok = Number.isInteger(size) && size >= 1 && size <= MAX_SIZE;
  input.setAttribute("aria-invalid", ok ? "false" : "true");
  return ok ? size : null;
}

async function drawSample(event) {
  event?.preventDefault();
  if (state.drawing) return;
  const size = sizeValue();
  if (size === null) {
    $("#qa-size").focus();
    return;
  }
  const filters = options.filters();
  const problem = options.filtersProblem?.(filters);
  if (problem) {
    showError(problem);
    return;
  }
  showError(null);
  state.drawing = true;
  renderControls();
  try {
    const answer = await api("POST", `${BASE}/sample`, {
      start: filters.start,
      end: filters.end,
      size,
      channel: filters.channel,
      language: filters.language,
    });
    state.items = Array.isArray(answer?.items) ? answer.items : [];
    state.selected = null;
    state.detail = null;
    resetDraft();
  } catch (error) {
    if (error?.status !== 401) showError("qa.sample_error", error);
  } finally {
    state.drawing = false;
    renderQa();
  }
}

function renderControls() {
  const button = $("#qa-draw");
  button.disabled = state.drawing;
  button.textContent = state.drawing ? t("qa.drawing") : t("qa.draw");
  $("#qa-status").textContent =
    state.items && !state.drawing ? t("qa.sample_count", { n: count(state.items.length) }) : "";
}

function itemButton(item) {
  const id = item.conversation_id;
  const selected = id === state.selected;
  return el(
    "li",
    { class: "qa-list-row" },
    el(
      "button",
      {
        type: "button",
        class: `qa-item${selected ? " is-selected" : ""}`,
        "data-testid": "qa-item",
        "data-conversation": id,
        "data-reviewed": item.reviewed ? "true" : "false",
        "aria-current": selected ? "true" : null,
        onclick: () => openConversation(id),
      },
      el(
        "span",
        { class: "qa-item-top" },
        el("span", { class: "qa-item-id", text: `#${id}` }),
        el("span", {
          class: `chip qa-reviewed${item.reviewed ? " is-reviewed" : ""}`,
          "data-testid": "qa-item-reviewed",
          text: item.reviewed ? t("qa.reviewed") : t("qa.not_reviewed"),
        }),
      ),
      el(
        "span",
        { class: "qa-item-meta" },
        el("span", { "data-field": "channel", text: channelLabel(item.channel) }),
        " · ",
        el("span", { "data-field": "outcome", text: outcomeLabel(item.outcome) }),
        item.language ? [" · ", el("span", { "data-field": "language", text: languageLabel(item.language) })] : null,
      ),
      el(
        "span",
        { class: "qa-item-meta" },
        el("span", { class: "qa-item-agent", "data-field": "agent", text: agentLabel(item.agent_id, item.agent_name) }),
        " · ",
        el("time", { "data-field": "closed", datetime: item.closed_at || null, text: moment(item.closed_at) }),
      ),
    ),
  );
}

function renderList() {
  const items = state.items;
  const list = $("#qa-list");
  fill(list, (items || []).map(itemButton));
  const empty = $("#qa-list-empty");
  empty.hidden = Boolean(items && items.length);
  empty.textContent = items ? t("qa.sample_empty") : t("qa.none_yet");
  const counter = $("#qa-count");
  counter.hidden = !items;
  counter.textContent = items ? formatNumber(items.length) : "0";
}

/* ---------- one conversation ---------- */

function resetDraft() {
  state.draft = {};
  state.note = "";
  state.result = null;
  state.invalid = new Set();
}

async function openConversation(id) {
  if (state.selected !== id) resetDraft();
  state.selected = id;
  state.detail = { conversation: null, loading: true, error: null };
  const token = ++openToken;
  renderQa();
  askAgentNames().then(() => {
    if (token === openToken && state.detail?.conversation) renderDetail();
  });
  try {
    const conversation = await api("GET", `${BASE}/conversations/${encodeURIComponent(id)}`);
    if (token !== openToken) return;
    state.detail = { conversation, loading: false, error: null };
  } catch (error) {
    if (token !== openToken) return;
    state.detail = {
      conversation: null,
      loading: false,
      error: error?.status === 401 ? null : error,
    };
  }
  renderDetail();
  $("#qa-detail-title")?.focus();
}

const sampleItem = () => (state.items || []).find((i) => i.conversation_id === state.selected) || null;

function authorLabel(message, conversation) {
  switch (message.author) {
    case "customer":
      return conversation?.customer?.name || t("author.customer");
    case "bot":
      return t("author.bot");
    case "agent": {
      const id = message.agent_id;
      if (id === null || id === undefined) return t("author.agent");
      const item = sampleItem();
      const name = state.agentNames.get(id) || (item && item.agent_id === id ? item.agent_name : null);
      return name || t("agent.unknown", { id });
    }
    case "system":
      return t("author.system");
    default:
      return codeLabel("author", message.author);
  }
}

const chip = (key, value, extra = {}) =>
  el(
    "span",
    { ...extra, class: `chip chip-analysis${extra.class ? ` ${extra.class}` : ""}` },
    el("span", { class: "chip-key", text: t(`analysis.${key}`) }),
    ` ${value}`,
  );

function analysisChips(analysis) {
  if (!analysis || typeof analysis !== "object") return null;
  const chips = [];
  if (analysis.intent) {
    const confidence =
      typeof analysis.confidence === "number"
        ? ` · ${formatNumber(analysis.confidence, { style: "percent", maximumFractionDigits: 0 })}`
        : "";
    chips.push(chip("intent", `${codeLabel("intent", analysis.intent)}${confidence}`, { "data-key": "intent" }));
  }
  if (analysis.emotion) {
    const level = analysis.intensity_level && analysis.intensity_level !== "none"
      ? ` · ${codeLabel("level", analysis.intensity_level)}`
      : "";
    chips.push(
      chip("emotion", `${codeLabel("emotion", analysis.emotion)}${level}`, {
        class: "chip-emotion",
        "data-key": "emotion",
        "data-level": analysis.intensity_level || "none",
      }),
    );
  }
  if (analysis.category) chips.push(chip("category", categoryLabel(analysis.category), { "data-key": "category" }));
  if (analysis.severity) chips.push(chip("severity", severityLabel(analysis.severity), { "data-key": "severity" }));
  if (analysis.product) chips.push(chip("product", codeLabel("product", analysis.product), { "data-key": "product" }));
  if (analysis.problem) chips.push(chip("problem", codeLabel("problem", analysis.problem), { "data-key": "problem" }));
  if (!chips.length) return null;
  return el("div", { class: "qa-analysis", "data-testid": "qa-analysis", "aria-label": t("analysis.label") }, chips);
}

function messageItem(message, conversation) {
  const author = message.author || "system";
  const isPrivate = Boolean(message.private);
  const buttons = (Array.isArray(message.buttons) ? message.buttons : []).filter((b) => b && b.title);
  const text = message.title || message.text || "";
  return el(
    "li",
    {
      class: `qa-msg qa-msg-${author}${isPrivate ? " is-private" : ""}`,
      "data-testid": "qa-message",
      "data-author": author,
      "data-private": isPrivate ? "true" : "false",
    },
    el(
      "div",
      { class: "qa-msg-meta" },
      el("span", { class: "qa-msg-author", text: authorLabel(message, conversation) }),
      isPrivate ? el("span", { class: "qa-msg-private", text: t("msg.private") }) : null,
      el("time", { class: "qa-msg-time", datetime: message.created_at || null, text: moment(message.created_at) }),
    ),
    text ? el("p", { class: "qa-msg-text", text }) : null,
    message.image ? el("p", { class: "qa-msg-extra muted small", text: t("msg.image") }) : null,
    buttons.length
      ? el("div", { class: "qa-msg-buttons" }, buttons.map((b) => el("span", { class: "chip", text: b.title })))
      : null,
    author === "customer" ? analysisChips(message.analysis) : null,
  );
}

function ticketLine(ticket) {
  if (!ticket) return null;
  return el("p", {
    class: "qa-ticket small",
    "data-testid": "qa-ticket",
    text: t("qa.ticket", {
      number: ticket.number ?? DASH,
      category: categoryLabel(ticket.category),
      severity: severityLabel(ticket.severity),
      status: statusLabel(ticket.status),
    }),
  });
}

function scoreNow() {
  const values = QA_PARTS.map((p) => state.draft[p]);
  if (values.some((v) => v === undefined || v === "")) return null;
  const total = values.reduce((a, v) => a + Number(v), 0);
  return Math.round((1000 * total) / (2 * QA_PARTS.length)) / 10;
}

function partialScore() {
  const chosen = QA_PARTS.filter((p) => state.draft[p] !== undefined && state.draft[p] !== "");
  return chosen.length;
}

function resultText(result) {
  if (result.error) return t(result.key, { detail: options.errorText(result.error) });
  const vars = { ...result.vars };
  if ("score" in vars) vars.score = decimal(vars.score, 1);
  return t(result.key, vars);
}

function rubricForm() {
  const preview = el("p", { class: "qa-preview small muted", "data-testid": "qa-preview", "aria-live": "polite" });
  const updatePreview = () => {
    const score = scoreNow();
    preview.textContent = score === null
      ? `${t("qa.rubric_hint")} · ${partialScore()}/${QA_PARTS.length}`
      : t("qa.preview", { score: decimal(score, 1) });
  };
  const parts = QA_PARTS.map((part) => {
    const id = `qa-score-${part}`;
    const hintId = `${id}-hint`;
    const select = el(
      "select",
      {
        id,
        name: part,
        "data-testid": id,
        "aria-describedby": hintId,
        "aria-invalid": state.invalid.has(part) ? "true" : "false",
        required: true,
        onchange: (event) => {
          state.draft[part] = event.target.value;
          state.invalid.delete(part);
          event.target.setAttribute("aria-invalid", "false");
          updatePreview();
        },
      },
      el("option", { value: "", text: t("qa.choose") }),
      el("option", { value: "2", text: t("qa.yes") }),
      el("option", { value: "1", text: t("qa.partly") }),
      el("option", { value: "0", text: t("qa.no") }),
    );
    select.value = state.draft[part] ?? "";
    return el(
      "div",
      { class: "qa-part" },
      el("label", { class: "qa-part-name", for: id, text: t(`part.${part}`) }),
      el("p", { class: "qa-part-hint muted small", id: hintId, text: t(`part_hint.${part}`) }),
      select,
    );
  });
  const note = el("textarea", {
    id: "qa-note",
    "data-testid": "qa-note",
    rows: 2,
    maxlength: 2000,
    oninput: (event) => {
      state.note = event.target.value;
    },
  });
  note.value = state.note;
  const result = state.result
    ? el("p", {
        class: state.result.kind === "ok" ? "qa-result is-ok" : "qa-result form-error",
        "data-testid": "qa-result",
        role: state.result.kind === "ok" ? "status" : "alert",
        text: resultText(state.result),
      })
    : el("p", { class: "qa-result", "data-testid": "qa-result", role: "status", hidden: true });
  const form = el(
    "form",
    { class: "qa-rubric", "data-testid": "qa-rubric", novalidate: true, "aria-labelledby": "qa-rubric-title", onsubmit: saveReview },
    el("h4", { class: "section-title", id: "qa-rubric-title", text: t("qa.rubric") }),
    el("div", { class: "qa-parts" }, parts),
    el("label", { class: "field qa-note-field" }, el("span", { class: "field-label", text: t("qa.note") }), note),
    preview,
    result,
    el("button", {
      type: "submit",
      class: "btn btn-primary",
      "data-testid": "qa-save",
      disabled: state.saving,
      text: state.saving ? t("qa.saving") : t("qa.save"),
    }),
  );
  updatePreview();
  return form;
}

function reviewItem(review) {
  const scores = review.scores && typeof review.scores === "object" ? review.scores : {};
  return el(
    "li",
    { class: "qa-review", "data-testid": "qa-review", "data-review": review.id ?? null },
    el("p", {
      class: "qa-review-head",
      text: t("qa.review_by", {
        score: decimal(review.score, 1),
        reviewer: review.reviewer || t("qa.reviewer_unknown"),
        time: moment(review.created_at),
      }),
    }),
    el(
      "p",
      { class: "qa-review-parts small muted" },
      QA_PARTS.filter((p) => p in scores)
        .map((p) => `${t(`part.${p}`)} ${scores[p]}`)
        .join(" · "),
    ),
    review.note ? el("p", { class: "qa-review-note", text: review.note }) : null,
  );
}

function renderDetail() {
  const container = $("#qa-detail");
  const detail = state.detail;
  if (!detail) {
    fill(container, el("p", { class: "empty qa-pick", text: t("qa.pick") }));
    container.removeAttribute("data-conversation");
    return;
  }
  container.setAttribute("data-conversation", state.selected);
  const item = sampleItem();
  const head = el(
    "div",
    { class: "qa-detail-head" },
    el("h3", {
      id: "qa-detail-title",
      class: "qa-detail-title",
      tabindex: "-1",
      text: t("qa.conversation", { id: state.selected }),
    }),
    item
      ? el("p", {
          class: "small muted",
          text: [
            channelLabel(item.channel),
            outcomeLabel(item.outcome),
            agentLabel(item.agent_id, item.agent_name),
            t("qa.closed", { time: moment(item.closed_at) }),
          ].join(" · "),
        })
      : null,
  );
  if (detail.loading) {
    fill(container, head, el("p", { class: "muted", role: "status", text: t("qa.loading") }));
    return;
  }
  if (detail.error || !detail.conversation) {
    const text = detail.error ? t("qa.error", { detail: options.errorText(detail.error) }) : null;
    fill(container, head, text ? el("p", { class: "form-error", "data-testid": "qa-detail-error", role: "alert", text }) : null);
    return;
  }
  const conversation = detail.conversation;
  const messages = Array.isArray(conversation.messages) ? conversation.messages : [];
  const reviews = Array.isArray(conversation.reviews) ? conversation.reviews : [];
  fill(
    container,
    head,
    ticketLine(conversation.ticket),
    el(
      "div",
      { class: "qa-detail-body" },
      el(
        "section",
        { class: "qa-transcript-wrap", "aria-labelledby": "qa-transcript-title" },
        el("h4", { class: "section-title", id: "qa-transcript-title", text: t("qa.transcript") }),
        messages.length
          ? el(
              "ol",
              { class: "qa-transcript", "data-testid": "qa-transcript", tabindex: "0", "aria-labelledby": "qa-transcript-title" },
              messages.map((m) => messageItem(m, conversation)),
            )
          : el("p", { class: "empty", text: t("qa.no_messages") }),
      ),
      el(
        "div",
        { class: "qa-review-wrap" },
        rubricForm(),
        el(
          "section",
          { class: "qa-reviews-wrap", "aria-labelledby": "qa-reviews-title" },
          el("h4", { class: "section-title", id: "qa-reviews-title", text: t("qa.reviews") }),
          reviews.length
            ? el("ol", { class: "qa-reviews", "data-testid": "qa-reviews" }, reviews.map(reviewItem))
            : el("p", { class: "empty small", "data-testid": "qa-reviews-empty", text: t("qa.no_reviews") }),
        ),
      ),
    ),
  );
}

async function saveReview(event) {
  event.preventDefault();
  if (state.saving || !state.detail?.conversation) return;
  const missingParts = QA_PARTS.filter((p) => !["0", "1", "2"].includes(String(state.draft[p] ?? "")));
  state.invalid = new Set(missingParts);
  if (missingParts.length) {
    state.result = { kind: "error", key: "qa.missing", vars: {} };
    renderDetail();
    $(`#qa-score-${missingParts[0]}`)?.focus();
    return;
  }
  const id = state.selected;
  const body = Object.fromEntries(QA_PARTS.map((p) => [p, Number(state.draft[p])]));
  body.note = state.note.trim();
  state.saving = true;
  state.result = null;
  renderDetail();
  try {
    const review = await api("POST", `${BASE}/conversations/${encodeURIComponent(id)}/reviews`, body);
    if (state.selected === id && state.detail?.conversation) {
      const conversation = state.detail.conversation;
      conversation.reviews = [...(Array.isArray(conversation.reviews) ? conversation.reviews : []), review];
      resetDraft();
      state.result = { kind: "ok", key: "qa.saved", vars: { score: review?.score } };
    }
    const item = (state.items || []).find((i) => i.conversation_id === id);
    if (item) item.reviewed = true;
    options.onReviewed(review);
  } catch (error) {
    if (error?.status !== 401) state.result = { kind: "error", key: "qa.save_error", error };
  } finally {
    state.saving = false;
    renderList();
    renderDetail();
    $("[data-testid=qa-result]")?.scrollIntoView?.({ block: "nearest" });
  }
}

/** Redraws the whole section (a new language, a new sample). */
export function renderQa() {
  renderError();
  renderControls();
  renderList();
  renderDetail();
}

/** Wires the section; `filters()` gives the page's filters, `errorText(error)` a sentence. */
export function initQa(given) {
  options = { ...options, ...given };
  $("#qa-controls").addEventListener("submit", drawSample);
  $("#qa-size").addEventListener("input", () => $("#qa-size").setAttribute("aria-invalid", "false"));
  renderQa();
}
