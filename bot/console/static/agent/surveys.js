/* A ticket's surveys as the open ticket shows them: when each was asked, and the customer's
 * answers — CSAT, solved, NPS, comment — with a low score marked. */

import { el } from "/static/shared/dom.js";
import { clock, fullTime } from "../common/format.js";
import { t } from "../common/i18n.js";

const KIND_KEY = { case: "survey.kindCase", bot: "survey.kindBot" };
const STATUS_KEY = { asked: "survey.asked", answered: "survey.answered", expired: "survey.expired" };

const present = (value) => value !== null && value !== undefined && value !== "";
const scored = (value, out) => (present(value) ? `${value} / ${out}` : null);

/** One answer: a <div> of <dt> and <dd> (a <dl> may group them so). */
function answer(label, value, { low = false, key }) {
  return el(
    "div",
    { class: "survey-answer", "data-answer": key, "data-low": low ? "true" : null },
    el("dt", { text: label }),
    el("dd", {}, present(value) ? String(value) : el("span", { class: "muted", text: "—" })),
  );
}

function surveyItem(survey) {
  const when = survey.answered_at || survey.asked_at;
  const status = STATUS_KEY[survey.status] ? t(STATUS_KEY[survey.status]) : survey.status;
  const solved = survey.solved === true ? t("survey.yes") : survey.solved === false ? t("survey.no") : null;
  const isCase = survey.kind !== "bot";
  const lowCsat = present(survey.csat) && survey.csat <= 2; // reopens the case
  const lowNps = present(survey.nps) && survey.nps <= 6; // a detractor
  return el(
    "li",
    { class: "survey", "data-kind": survey.kind, "data-status": survey.status },
    el(
      "div",
      { class: "survey-head" },
      el("span", { class: "survey-kind", text: KIND_KEY[survey.kind] ? t(KIND_KEY[survey.kind]) : survey.kind }),
      el(
        "span",
        { class: "survey-status muted small", title: when ? fullTime(when) : null },
        when ? t("survey.at", { status, time: clock(when) }) : status,
      ),
    ),
    el(
      "dl",
      { class: "survey-answers" },
      isCase ? answer(t("survey.csat"), scored(survey.csat, 5), { low: lowCsat, key: "csat" }) : null,
      answer(t(isCase ? "survey.solved" : "survey.helped"), solved, { low: survey.solved === false, key: "solved" }),
      isCase ? answer(t("survey.nps"), scored(survey.nps, 10), { low: lowNps, key: "nps" }) : null,
      isCase || survey.comment ? answer(t("survey.comment"), survey.comment || null, { key: "comment" }) : null,
    ),
  );
}

export function surveyList(surveys) {
  if (!surveys.length) {
    return el("p", { class: "empty small", text: t("survey.none") });
  }
  return el("ol", { class: "surveys", "data-testid": "ticket-surveys" }, surveys.map(surveyItem));
}
