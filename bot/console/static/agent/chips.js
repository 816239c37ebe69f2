/* Small pieces of the console's views: severity chips, the VIP badge, reason chips, icons. */

import { el, icon, svg } from "/static/shared/dom.js";
import { SEVERITY_LABEL, capitalize, humanize } from "../common/format.js";

export function severityChip(severity, extraClass = "") {
  if (!severity) return null;
  return el("span", {
    class: `chip sev sev-${severity} ${extraClass}`.trim(),
    "data-severity": severity,
    text: SEVERITY_LABEL[severity] || capitalize(severity),
  });
}

export const vipBadge = () => el("span", { class: "badge-vip", title: "VIP customer", text: "VIP" });

export const reasonChips = (reasons) =>
  (reasons || [])
    .filter(Boolean)
    .map((reason) => el("span", { class: "chip chip-reason", title: reason, text: humanize(reason) }));

export const lockIcon = () =>
  icon(
    { viewBox: "0 0 16 16", width: 12, height: 12 },
    svg("rect", { x: 3, y: 7, width: 10, height: 8, rx: 1.5, fill: "currentColor" }),
    svg("path", { d: "M5 7V5a3 3 0 0 1 6 0v2", fill: "none", stroke: "currentColor", "stroke-width": 1.6 }),
  );
