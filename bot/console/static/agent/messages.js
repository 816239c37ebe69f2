/* One message of a transcript as the console shows it — the open chat's and an open ticket's:
 * who wrote it and when, private notes marked, buttons offered, and the assistant's analysis
 * of each customer message. */

import { el } from "/static/shared/dom.js";
import {
  capitalize,
  categoryText,
  clock,
  cueText,
  emotionText,
  fullTime,
  intensityText,
  problemText,
  productText,
} from "../common/format.js";
import { t } from "../common/i18n.js";
import { lockIcon } from "./chips.js";
import { agentName } from "./store.js";

function authorLabel(message, owner) {
  switch (message.author) {
    case "customer":
      return owner?.customer?.name || t("author.customer");
    case "bot":
      return t("author.bot");
    case "agent":
      return agentName(message.agent_id) || t("author.agent");
    case "system":
      return t("author.system");
    default:
      return capitalize(message.author || "");
  }
}

const analysisChip = (key, value, attrs = {}) =>
  el("span", { ...attrs, class: `chip chip-analysis${attrs.class ? ` ${attrs.class}` : ""}` },
    el("span", { class: "chip-key", text: key }), ` ${value}`);

function analysisChips(analysis) {
  if (!analysis) return null;
  const chips = [];
  if (analysis.intent) {
    const confidence =
      typeof analysis.confidence === "number" ? ` · ${Math.round(analysis.confidence * 100)}%` : "";
    chips.push(analysisChip(t("analysis.intent"), `${analysis.intent}${confidence}`, {
      class: "chip-intent",
      title: t("analysis.intentTitle"),
    }));
  }
  if (analysis.emotion) {
    const level =
      analysis.intensity_level && analysis.intensity_level !== "none" ? ` · ${intensityText(analysis.intensity_level)}` : "";
    chips.push(analysisChip(t("analysis.emotion"), `${emotionText(analysis.emotion)}${level}`, {
      class: "chip-emotion",
      "data-level": analysis.intensity_level || "none",
      title: t("analysis.emotionTitle"),
    }));
  }
  if (analysis.category) {
    const category = categoryText(analysis.category).toLowerCase();
    chips.push(analysisChip(t("analysis.category"), category, { title: t("analysis.categoryTitle") }));
  }
  if (analysis.product) {
    chips.push(analysisChip(t("analysis.product"), productText(analysis.product), { title: t("analysis.productTitle") }));
  }
  if (analysis.problem) {
    chips.push(analysisChip(t("analysis.problem"), problemText(analysis.problem), { title: t("analysis.problemTitle") }));
  }
  for (const cue of analysis.cues || []) {
    chips.push(analysisChip(t("analysis.cue"), cueText(cue), { class: "chip-cue", title: t("analysis.cueTitle") }));
  }
  if (!chips.length) return null;
  const label = t("analysis.label");
  return el("div", { class: "msg-analysis", "data-console": "analysis", "aria-label": label }, chips);
}

function safeUrl(value) {
  try {
    const url = new URL(String(value), location.href);
    return url.protocol === "https:" || url.protocol === "http:" ? url.href : null;
  } catch {
    return null;
  }
}

/** The transcript item of a message; `owner` (a conversation or a ticket) names the customer. */
export function messageItem(message, owner) {
  const isPrivate = Boolean(message.private);
  const author = message.author || "system";
  const buttons = (message.buttons || []).filter((b) => b && b.title);
  const image = message.image ? safeUrl(message.image) : null;
  const bubble = el(
    "div",
    { class: "msg-bubble" },
    isPrivate ? el("span", { class: "private-label" }, lockIcon(), t("message.private")) : null,
    // a pressed button shows as its title, as the customer saw it (the payload on hover)
    message.text
      ? el("p", { class: "msg-text", text: message.title || message.text, title: message.title ? message.text : "" })
      : null,
    image
      ? el("a", {
          class: "msg-image",
          href: image,
          target: "_blank",
          rel: "noopener noreferrer",
          text: t("message.image"),
        })
      : null,
    buttons.length
      ? el(
          "div",
          { class: "msg-buttons", "aria-label": t("message.buttons") },
          buttons.map((b) => el("span", { class: "chip chip-button", title: b.payload || "", text: b.title })),
        )
      : null,
  );
  return el(
    "li",
    {
      class: `msg msg-${author}${isPrivate ? " msg-private" : ""}`,
      "data-console": "message",
      "data-author": author,
      "data-private": isPrivate ? "true" : "false",
      "data-message-id": message.id ?? null,
    },
    el(
      "div",
      { class: "msg-meta" },
      el("span", { class: "msg-author", text: authorLabel(message, owner) }),
      el("time", {
        class: "msg-time",
        datetime: message.created_at || null,
        title: fullTime(message.created_at),
        text: clock(message.created_at),
      }),
    ),
    bubble,
    author === "customer" ? analysisChips(message.analysis) : null,
  );
}
