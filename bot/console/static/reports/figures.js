/* The figure cards: one per key of the summary's `figures` (data-testid="figure-<key>"), its
 * value, a line or two of what it is made of, and a "?" that shows its definition
 * (data-testid="definition-<key>"). Which definitions are open survives a re-render. */

import { el, fill } from "/static/shared/dom.js";
import { t } from "../common/i18n.js";
import {
  DASH,
  count,
  decimal,
  minutes,
  missing,
  percent,
  reasonLabel,
  severityLabel,
  signed,
} from "./labels.js";

export const FIGURE_ORDER = [
  "containment",
  "escalation_rate",
  "first_response",
  "resolution",
  "sla",
  "csat",
  "nps",
  "survey_response_rate",
  "reopen_rate",
  "repeat_rate",
];

const open = new Set(); // keys whose definition is shown

const ofTotal = (key, n, total) =>
  missing(n) && missing(total) ? null : t(key, { n: count(n), total: count(total) });

function times(figure) {
  return {
    value: minutes(figure.median_minutes),
    unit: t("sub.median"),
    lines: [
      t("sub.times", { p90: minutes(figure.p90_minutes) }),
      t("sub.business", {
        median: minutes(figure.median_business_minutes),
        p90: minutes(figure.p90_business_minutes),
      }),
      missing(figure.count) ? null : t("sub.tickets", { n: count(figure.count) }),
    ],
  };
}

function slaLine(key, part) {
  if (!part) return null;
  const value = percent(part.value);
  const detail = missing(part.due) ? "" : ` · ${t("sub.met_of", { met: count(part.met), due: count(part.due) })}`;
  return t("sub.sla_line", { name: t(key), value, detail });
}

/** What each figure's card shows: {value, unit?, lines: [text…]}. */
const SHOW = {
  containment: (f) => ({ value: percent(f.value), lines: [ofTotal("sub.containment", f.bot_alone, f.conversations)] }),
  escalation_rate: (f) => {
    const reasons = Object.entries(f.by_reason || {}).sort((a, b) => b[1] - a[1]);
    return {
      value: percent(f.value),
      lines: [
        ofTotal("sub.escalation_rate", f.escalated, f.conversations),
        reasons.length ? t("sub.top_reason", { reason: reasonLabel(reasons[0][0]), n: count(reasons[0][1]) }) : null,
      ],
    };
  },
  first_response: times,
  resolution: times,
  sla: (f) => {
    const first = f.first_response || {};
    const breaches = Object.entries(f.breaches_by_severity || {}).filter(([, n]) => n > 0);
    return {
      value: percent(first.value),
      unit: t("sub.sla_first"),
      lines: [
        slaLine("sub.sla_first", f.first_response),
        slaLine("sub.sla_resolution", f.resolution),
        f.breaches_by_severity
          ? breaches.length
            ? t("sub.breaches", { list: breaches.map(([s, n]) => `${severityLabel(s)} ${count(n)}`).join(" · ") })
            : t("sub.no_breaches")
          : null,
      ],
    };
  },
  csat: (f) => ({
    value: decimal(f.mean, 2),
    lines: [missing(f.count) ? null : t("sub.csat", { n: count(f.count) })],
  }),
  nps: (f) => ({
    value: signed(f.value),
    lines: [
      missing(f.count)
        ? null
        : t("sub.nps", {
            promoters: count(f.promoters),
            passives: count(f.passives),
            detractors: count(f.detractors),
          }),
    ],
  }),
  survey_response_rate: (f) => ({ value: percent(f.value), lines: [ofTotal("sub.survey_response_rate", f.answered, f.asked)] }),
  reopen_rate: (f) => ({ value: percent(f.value), lines: [ofTotal("sub.reopen_rate", f.reopened, f.resolved)] }),
  repeat_rate: (f) => ({ value: percent(f.value), lines: [ofTotal("sub.repeat_rate", f.repeats, f.tickets)] }),
};

/** A figure the page does not know yet: its `value` as a number. */
const unknownFigure = (f) => ({
  value: typeof f?.value === "number" ? decimal(f.value, 2) : DASH,
  lines: [],
});

function label(key) {
  const text = t(`figure.${key}`);
  return text === `figure.${key}` ? key.replace(/_/g, " ") : text;
}

function card(key, figure) {
  const shown = figure ? (SHOW[key] || unknownFigure)(figure) : { value: DASH, lines: [] };
  // nothing to count: the dash alone, not a row of dashes
  const lines = shown.value === DASH ? [] : shown.lines.filter(Boolean);
  const name = label(key);
  const titleId = `figure-${key}-title`;
  const definitionId = `definition-${key}`;
  const definition = t(`def.${key}`);
  const hasDefinition = definition !== `def.${key}`;
  const isOpen = open.has(key) && hasDefinition;
  const toggle = hasDefinition
    ? el("button", {
        type: "button",
        class: "definition-toggle",
        "data-testid": `definition-toggle-${key}`,
        "aria-expanded": isOpen ? "true" : "false",
        "aria-controls": definitionId,
        "aria-label": t("figure.what", { name }),
        title: t("figure.what", { name }),
        text: "?",
        onclick: (event) => {
          const button = event.currentTarget;
          const panel = document.getElementById(definitionId);
          const nowOpen = panel.hidden;
          panel.hidden = !nowOpen;
          button.setAttribute("aria-expanded", nowOpen ? "true" : "false");
          if (nowOpen) open.add(key);
          else open.delete(key);
        },
      })
    : null;
  return el(
    "article",
    {
      class: "figure-card",
      "data-testid": `figure-${key}`,
      "data-empty": shown.value === DASH ? "true" : "false",
      "aria-labelledby": titleId,
    },
    el("div", { class: "figure-head" }, el("h3", { class: "figure-name", id: titleId, text: name }), toggle),
    el(
      "p",
      { class: "figure-value", "data-testid": `figure-value-${key}` },
      el("span", { class: "figure-number", text: shown.value }),
      shown.unit && shown.value !== DASH ? el("span", { class: "figure-unit", text: ` ${shown.unit}` }) : null,
    ),
    lines.length
      ? el("ul", { class: "figure-lines" }, lines.map((line) => el("li", { text: line })))
      : shown.value === DASH
        ? el("p", { class: "figure-lines muted", text: t("sub.nothing") })
        : null,
    hasDefinition
      ? el("p", {
          class: "figure-definition",
          id: definitionId,
          "data-testid": definitionId,
          hidden: !isOpen,
          text: definition,
        })
      : null,
  );
}

/** Draws the cards of `figures` (the summary's object), known figures first, in their order. */
export function renderFigures(container, figures) {
  const keys = Object.keys(figures || {});
  const ordered = [...FIGURE_ORDER.filter((k) => keys.includes(k)), ...keys.filter((k) => !FIGURE_ORDER.includes(k))];
  fill(container, ordered.map((key) => card(key, figures[key])));
}

/** Placeholder cards before the first summary: "…" while it loads, "—" when it failed. */
export function renderFigurePlaceholders(container, loading = true) {
  fill(
    container,
    FIGURE_ORDER.map((key) =>
      el(
        "article",
        { class: "figure-card is-placeholder", "aria-hidden": "true" },
        el("div", { class: "figure-head" }, el("h3", { class: "figure-name", text: label(key) })),
        el("p", { class: "figure-value" }, el("span", { class: "figure-number", text: loading ? "…" : DASH })),
      ),
    ),
  );
}
