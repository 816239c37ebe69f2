/* One message of a transcript as the console shows it — the open chat's and an open ticket's:
 * who wrote it and when, private notes marked, buttons offered, and the assistant's analysis
 * of each customer message. */

import { el } from "/static/shared/dom.js";
import { capitalize, clock, fullTime, humanize } from "../common/format.js";
import { lockIcon } from "./chips.js";
import { agentName } from "./store.js";

function authorLabel(message, owner) {
  switch (message.author) {
    case "customer":
      return owner?.customer?.name || "Customer";
    case "bot":
      return "LERA (bot)";
    case "agent":
      return agentName(message.agent_id) || "Agent";
    case "system":
      return "System";
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
    chips.push(analysisChip("intent", `${analysis.intent}${confidence}`, { class: "chip-intent", title: "Intent and confidence" }));
  }
  if (analysis.emotion) {
    const level =
      analysis.intensity_level && analysis.intensity_level !== "none" ? ` · ${analysis.intensity_level}` : "";
    chips.push(analysisChip("emotion", `${analysis.emotion}${level}`, {
      class: "chip-emotion",
      "data-level": analysis.intensity_level || "none",
      title: "Emotion and strength",
    }));
  }
  if (analysis.category) {
    chips.push(analysisChip("category", humanize(analysis.category), { title: "Category" }));
  }
  for (const key of ["product", "problem"]) {
    if (analysis[key]) chips.push(analysisChip(key, humanize(analysis[key]), { title: capitalize(key) }));
  }
  for (const cue of analysis.cues || []) {
    chips.push(analysisChip("cue", humanize(cue), { class: "chip-cue", title: "Cue" }));
  }
  if (!chips.length) return null;
  return el("div", { class: "msg-analysis", "data-console": "analysis", "aria-label": "The assistant's analysis" }, chips);
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
    isPrivate ? el("span", { class: "private-label" }, lockIcon(), " Private note · agents only") : null,
    // a pressed button shows as its title, as the customer saw it (the payload on hover)
    message.text
      ? el("p", { class: "msg-text", text: message.title || message.text, title: message.title ? message.text : "" })
      : null,
    image
      ? el("a", { class: "msg-image", href: image, target: "_blank", rel: "noopener noreferrer", text: "Image attachment" })
      : null,
    buttons.length
      ? el(
          "div",
          { class: "msg-buttons", "aria-label": "Buttons offered" },
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
