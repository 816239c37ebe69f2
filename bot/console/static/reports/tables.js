/* The tables: per agent (data-testid="agents-table"), the voice of the customer — the most
 * frequent products and problems (data-testid="voice-table") — and escalations by reason.
 * Every cell is text (textContent). */

import { el, fill } from "/static/shared/dom.js";
import { t } from "../common/i18n.js";
import {
  DASH,
  agentLabel,
  count,
  decimal,
  minutes,
  missing,
  percent,
  problemLabel,
  productLabel,
  reasonLabel,
} from "./labels.js";

const cell = (text, attrs = {}) => el("td", { ...attrs, text: text ?? DASH });
const num = (text, attrs = {}) => cell(text, { ...attrs, class: `num${attrs.class ? ` ${attrs.class}` : ""}` });

function emptyRow(columns, key) {
  return el("tr", { class: "empty-row" }, el("td", { colspan: columns, class: "empty", text: t(key) }));
}

function qaCell(agent) {
  if (missing(agent.qa_score)) return num(DASH);
  const reviews = agent.qa_reviews ?? 0;
  const note = reviews === 1 ? t("agents.qa_review") : t("agents.qa_reviews", { n: count(reviews) });
  return el(
    "td",
    { class: "num" },
    el("span", { text: decimal(agent.qa_score, 1) }),
    el("span", { class: "cell-note", text: ` (${note})` }),
  );
}

export function renderAgents(tbody, agents) {
  const rows = (agents || []).map((agent) =>
    el(
      "tr",
      {
        "data-testid": "agent-row",
        "data-agent": agent.agent_id ?? "assistant",
        class: agent.agent_id === null || agent.agent_id === undefined ? "is-assistant" : null,
      },
      el("th", { scope: "row", text: agentLabel(agent.agent_id, agent.name) }),
      num(count(agent.chats)),
      num(count(agent.tickets)),
      num(minutes(agent.first_response_median_minutes)),
      num(minutes(agent.resolution_median_minutes)),
      num(decimal(agent.csat_mean, 2)),
      num(percent(agent.reopen_rate)),
      qaCell(agent),
    ),
  );
  fill(tbody, rows.length ? rows : emptyRow(8, "agents.empty"));
}

/** Products and problems side by side, rank by rank (each list at most 10). */
export function renderVoice(tbody, voice) {
  const products = Array.isArray(voice?.products) ? voice.products : [];
  const problems = Array.isArray(voice?.problems) ? voice.problems : [];
  const length = Math.max(products.length, problems.length);
  const rows = [];
  for (let i = 0; i < length; i += 1) {
    const [product, productCount] = products[i] || [];
    const [problem, problemCount] = problems[i] || [];
    rows.push(
      el(
        "tr",
        { "data-testid": "voice-row" },
        num(String(i + 1), { class: "rank" }),
        cell(product === undefined ? DASH : productLabel(product), { "data-code": product ?? null, title: product ?? null }),
        num(product === undefined ? DASH : count(productCount)),
        cell(problem === undefined ? DASH : problemLabel(problem), {
          class: "split",
          "data-code": problem ?? null,
          title: problem ?? null,
        }),
        num(problem === undefined ? DASH : count(problemCount)),
      ),
    );
  }
  fill(tbody, rows.length ? rows : emptyRow(5, "voice.empty"));
}

export function renderEscalations(tbody, escalation) {
  const byReason = Object.entries(escalation?.by_reason || {}).sort((a, b) => b[1] - a[1]);
  const total = byReason.reduce((a, [, n]) => a + (Number(n) || 0), 0);
  const rows = byReason.map(([reason, n]) =>
    el(
      "tr",
      { "data-testid": "escalation-row", "data-reason": reason },
      el("th", { scope: "row", text: reasonLabel(reason) }),
      num(count(n)),
      num(total ? percent(n / total) : DASH),
    ),
  );
  fill(tbody, rows.length ? rows : emptyRow(3, "esc.empty"));
}
