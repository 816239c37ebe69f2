/* A ticket's audit trail as people read it: who did what, when, and the details of each kind
 * of change ("Pending → Waiting on customer: a photo of the receipt", "Severity Medium →
 * Severe — reason: …"). Shown in the chat's ticket panel and in the open ticket. */

import { el } from "/static/shared/dom.js";
import {
  ACTION_LABEL,
  SEVERITY_LABEL,
  TIER_LABEL,
  capitalize,
  categoryText,
  clock,
  fullTime,
  humanize,
  ticketStatusText,
} from "../common/format.js";
import { actorName } from "./store.js";

const present = (value) => value !== null && value !== undefined && value !== "";
const severityText = (s) => SEVERITY_LABEL[s] || capitalize(humanize(s));
const yesNo = (value) => (value === true ? "yes" : value === false ? "no" : "");

/** Anything else: "key: value · key: value" (ids left out). */
function genericDetails(data) {
  return Object.entries(data)
    .filter(([key, value]) => !key.endsWith("_id") && key !== "previous" && present(value))
    .map(([key, value]) => {
      const shown = Array.isArray(value)
        ? value.map(humanize).join(", ")
        : typeof value === "object"
          ? "from" in value || "to" in value
            ? `${humanize(value.from)} → ${humanize(value.to)}`
            : JSON.stringify(value)
          : String(value);
      return `${humanize(key)}: ${shown}`;
    })
    .join(" · ");
}

const change = (label, pair, text) =>
  pair && typeof pair === "object" ? `${label} ${text(pair.from) || "—"} → ${text(pair.to) || "—"}` : "";

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
        d.reasons?.length ? `reasons: ${d.reasons.map(humanize).join(", ")}` : "",
      );
    case "status": {
      const move = d.from || d.to ? `${ticketStatusText(d.from)} → ${ticketStatusText(d.to)}` : "";
      return d.note ? `${move}: ${d.note}` : move;
    }
    case "corrected":
      return join(
        change("category", d.category, categoryText),
        change("severity", d.severity, severityText),
        d.reason ? `reason: ${d.reason}` : "",
      );
    case "taken":
    case "assigned":
      return ""; // the actor is who took it
    case "transferred":
    case "routed":
      return join(d.to ? `to ${d.to}` : "", d.role ? humanize(d.role) : "");
    case "note":
      return d.text || "";
    case "resolved":
      return d.solution ? `solution: ${d.solution}` : "";
    case "reopened":
      return join(d.reason || "", d.count ? `×${d.count}` : "");
    case "survey":
      return join(
        present(d.csat) ? `CSAT ${d.csat}/5` : "",
        present(d.solved) ? `solved: ${yesNo(d.solved)}` : "",
        present(d.nps) ? `NPS ${d.nps}/10` : "",
        d.comment ? `“${d.comment}”` : "",
      );
    case "repeat_of":
      return d.number ? `of #${d.number}` : "";
    case "tier":
      return d.tier ? `now ${TIER_LABEL[d.tier] || d.tier}` : "";
    case "sla_breached":
      return d.due_at ? `was due ${clock(d.due_at)}` : "";
    default:
      return genericDetails(d);
  }
}

export const actionText = (action) => ACTION_LABEL[action] || capitalize(humanize(action));

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
      details ? el("span", { class: "event-data", text: ` (${details})` }) : null,
    ),
  );
}
