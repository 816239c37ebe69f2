/* A ticket's audit trail as people read it: who did what, when, and the details of each kind
 * of change ("Pending → Waiting on customer: a photo of the receipt", "Severity Medium →
 * Severe — reason: …"). Shown in the chat's ticket panel and in the open ticket. */

import { el } from "/static/shared/dom.js";
import {
  categoryText,
  clock,
  fullTime,
  humanize,
  labelOf,
  reasonText,
  roleText,
  severityText,
  ticketStatusText,
  tierText,
} from "../common/format.js";
import { t } from "../common/i18n.js";
import { actorName } from "./store.js";

const present = (value) => value !== null && value !== undefined && value !== "";
const yesNo = (value) => (value === true ? t("history.yes") : value === false ? t("history.no") : "");
/** "a, b, c" (Chinese: "a、b、c"). */
const list = (items) => items.reduce((joined, item) => (joined ? t("history.list", { a: joined, b: item }) : item), "");

/** Anything else: "key: value · key: value" (ids left out). */
function genericDetails(data) {
  return Object.entries(data)
    .filter(([key, value]) => !key.endsWith("_id") && key !== "previous" && present(value))
    .map(([key, value]) => {
      const shown = Array.isArray(value)
        ? list(value.map(humanize))
        : typeof value === "object"
          ? "from" in value || "to" in value
            ? `${humanize(value.from)} → ${humanize(value.to)}`
            : JSON.stringify(value)
          : String(value);
      return t("history.keyValue", { key: humanize(key), value: shown });
    })
    .join(" · ");
}

const change = (label, pair, text) =>
  pair && typeof pair === "object"
    ? t("history.change", { label, from: text(pair.from) || "—", to: text(pair.to) || "—" })
    : "";

/** The details of one event, in words; "" when there is nothing to add. */
export function eventDetails(event) {
  const d = event.data && typeof event.data === "object" ? event.data : {};
  const join = (...parts) => parts.filter(Boolean).join(" · ");
  switch (event.action) {
    case "created":
    case "queued":
      return join(
        d.severity ? severityText(d.severity) : "",
        d.category ? categoryText(d.category) : "",
        d.reasons?.length ? t("history.reasons", { list: list(d.reasons.map(reasonText)) }) : "",
      );
    case "status": {
      const move = d.from || d.to ? `${ticketStatusText(d.from)} → ${ticketStatusText(d.to)}` : "";
      return d.note ? t("history.moveNote", { move, note: d.note }) : move;
    }
    case "corrected":
      return join(
        change(t("history.category"), d.category, categoryText),
        change(t("history.severity"), d.severity, severityText),
        d.reason ? t("history.reason", { reason: d.reason }) : "",
      );
    case "taken":
    case "assigned":
      return ""; // the actor is who took it
    case "transferred":
    case "routed":
      return join(d.to ? t("history.to", { who: d.to }) : "", d.role ? roleText(d.role) : "");
    case "note":
      return d.text || "";
    case "resolved":
      return d.solution ? t("history.solution", { text: d.solution }) : "";
    case "reopened":
      return join(d.reason || "", d.count ? `×${d.count}` : "");
    case "survey":
      return join(
        present(d.csat) ? `CSAT ${d.csat}/5` : "",
        present(d.solved) ? t("history.solved", { answer: yesNo(d.solved) }) : "",
        present(d.nps) ? `NPS ${d.nps}/10` : "",
        d.comment ? t("history.quote", { text: d.comment }) : "",
      );
    case "repeat_of":
      return d.number ? t("history.of", { n: d.number }) : "";
    case "tier":
      return d.tier ? t("history.now", { tier: tierText(d.tier) }) : "";
    case "sla_breached":
      return d.due_at ? t("history.wasDue", { time: clock(d.due_at) }) : "";
    default:
      return genericDetails(d);
  }
}

export const actionText = (action) => labelOf("action", action);

/** One entry of the trail: time, who, what (details in brackets). */
export function eventItem(event) {
  const details = eventDetails(event);
  return el(
    "li",
    { class: "ticket-event", "data-action": event.action },
    el("time", {
      class: "event-time",
      datetime: event.at || null,
      title: fullTime(event.at),
      text: clock(event.at),
    }),
    el(
      "span",
      { class: "event-what" },
      el("span", { class: "event-actor", text: actorName(event.actor) }),
      " — ",
      el("span", { class: "event-action", text: actionText(event.action) }),
      details ? el("span", { class: "event-data", text: t("history.details", { details }) }) : null,
    ),
  );
}
