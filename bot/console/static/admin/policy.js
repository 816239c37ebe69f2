/* The Hours & SLA tab: the desk policy (data/desk.yml) — when the team works (time zone,
 * weekday and weekend hours, holidays) and the service levels (first response per severity,
 * the due hours of major, general and complex cases, when an agent is warned). One form, saved
 * whole (PUT /api/console/admin/policy); the holidays are added and removed in the form and
 * saved with it. Read by the desk as it goes: in effect at once. */

import { el } from "/static/shared/dom.js";
import { clearFeedback, fail, showSaved } from "./feedback.js";
import { setTx, ta, tx, when } from "./lang.js";
import { adminPath, call } from "./request.js";
import { takeStale } from "./store.js";
import { busy, button, field, note, panelHead, textInput, uid } from "./widgets.js";

const SEVERITIES = ["critical", "severe", "medium", "light"];
const DAY = /^\d{4}-\d{2}-\d{2}$/;

const view = { policy: null, holidays: [], loaded: false };
const ui = {};

function timeInput(testid, fieldName) {
  return el("input", { type: "time", class: "time-input", "data-testid": testid, "data-field": fieldName, step: "60", required: true });
}

function numberInput(testid, fieldName, { min = 0, max, step = 1 } = {}) {
  return el("input", { type: "number", class: "number-input", "data-testid": testid, "data-field": fieldName, min, max, step, inputmode: "decimal" });
}

function timezones() {
  try {
    return Intl.supportedValuesOf("timeZone");
  } catch {
    return ["Asia/Shanghai", "Asia/Hong_Kong", "Asia/Singapore", "Asia/Tokyo", "Europe/London", "Europe/Berlin", "America/New_York", "UTC"];
  }
}

/* ---------- holidays ---------- */

function renderHolidays() {
  ui.holidays.replaceChildren(
    ...view.holidays.map((day, i) => {
      const remove = el(
        "button",
        { type: "button", class: "btn btn-small btn-quiet btn-icon", "data-testid": "policy-holiday-remove", ...ta({ "aria-label": "policy.holidayRemove", title: "policy.holidayRemove" }, { day }) },
        el("span", { "aria-hidden": "true", text: "×" }),
      );
      remove.addEventListener("click", () => {
        view.holidays = view.holidays.filter((d) => d !== day);
        renderHolidays();
        const items = ui.holidays.querySelectorAll(".policy-holiday button");
        (items[Math.min(i, items.length - 1)] || ui.holidayDate).focus();
      });
      return el(
        "li",
        { class: "policy-holiday", "data-testid": "policy-holiday", "data-date": day },
        el("time", { class: "holiday-day", ...when(day, "day") }),
        el("code", { class: "small muted", text: day }),
        remove,
      );
    }),
  );
  ui.holidaysEmpty.hidden = view.holidays.length > 0;
  setTx(ui.holidaysCount, "policy.holidayCount", { n: view.holidays.length });
}

function addHoliday() {
  const day = ui.holidayDate.value;
  ui.holidayMessage.textContent = "";
  ui.holidayDate.removeAttribute("aria-invalid");
  if (!DAY.test(day)) {
    setTx(ui.holidayMessage, "policy.holidayPick");
    ui.holidayDate.setAttribute("aria-invalid", "true");
    ui.holidayDate.focus();
    return;
  }
  if (view.holidays.includes(day)) {
    setTx(ui.holidayMessage, "policy.holidayTwice");
  } else {
    view.holidays = [...view.holidays, day].sort();
    renderHolidays();
    setTx(ui.holidayMessage, "policy.holidayAdded");
  }
  ui.holidayDate.value = "";
  ui.holidayDate.focus();
}

/* ---------- the form ---------- */

function fill(policy) {
  ui.timezone.value = policy.timezone || "";
  const [weekdayOpen, weekdayClose] = policy.weekday_hours || [];
  const [weekendOpen, weekendClose] = policy.weekend_hours || [];
  ui.weekdayOpen.value = clockOf(weekdayOpen);
  ui.weekdayClose.value = clockOf(weekdayClose);
  ui.weekendOpen.value = clockOf(weekendOpen);
  ui.weekendClose.value = clockOf(weekendClose);
  view.holidays = [...(policy.holidays || [])].sort();
  renderHolidays();
  const sla = policy.sla || {};
  for (const severity of SEVERITIES) ui.first[severity].value = sla.first_response_minutes?.[severity] ?? "";
  ui.major.value = sla.major_hours ?? "";
  ui.general.value = sla.general_hours ?? "";
  ui.complex.value = sla.complex_hours ?? "";
  ui.warning.value = typeof sla.warning_share === "number" ? String(Math.round(sla.warning_share * 1000) / 10) : "";
}

/** "9:00" → "09:00" (a time input takes hh:mm only). */
const clockOf = (value) => {
  const match = /^(\d{1,2}):(\d{2})/.exec(String(value ?? ""));
  return match ? `${match[1].padStart(2, "0")}:${match[2]}` : "";
};

const numberOf = (input) => (input.value.trim() === "" ? null : Number(input.value));

function read() {
  const warning = numberOf(ui.warning);
  return {
    timezone: ui.timezone.value.trim(),
    weekday_hours: [ui.weekdayOpen.value, ui.weekdayClose.value],
    weekend_hours: [ui.weekendOpen.value, ui.weekendClose.value],
    holidays: [...view.holidays],
    sla: {
      first_response_minutes: Object.fromEntries(SEVERITIES.map((severity) => [severity, numberOf(ui.first[severity])])),
      major_hours: numberOf(ui.major),
      general_hours: numberOf(ui.general),
      complex_hours: numberOf(ui.complex),
      warning_share: warning === null ? null : Math.round(warning * 10) / 1000,
    },
  };
}

async function save(event) {
  event?.preventDefault();
  clearFeedback();
  await busy([ui.save], async () => {
    try {
      const answer = await call("PUT", adminPath("policy"), read());
      if (answer?.policy) {
        view.policy = answer.policy;
        view.holidays = [...(answer.policy.holidays || view.holidays)].sort();
        renderHolidays();
      }
      showSaved("now", { change: answer?.change, where: { after: ui.actions } });
    } catch (error) {
      fail(error, { where: { before: ui.actions }, scope: ui.form });
    }
  });
}

function hoursPair(prefix, titleKey, fieldName) {
  const open = timeInput(`policy-${prefix}-open`, `${fieldName}.0`);
  const close = timeInput(`policy-${prefix}-close`, `${fieldName}.1`);
  close.dataset.field = `${fieldName}.1 ${fieldName}`;
  return {
    open,
    close,
    node: el(
      "fieldset",
      { class: "policy-hours" },
      el("legend", { class: "field-label", ...tx(titleKey) }),
      el("div", { class: "pair" }, field("policy.opens", open), el("span", { class: "pair-dash", "aria-hidden": "true", text: "–" }), field("policy.closes", close)),
    ),
  };
}

function section(titleKey, introKey, ...children) {
  const id = uid("policy");
  return el(
    "section",
    { class: "policy-section card", "aria-labelledby": id },
    el("h3", { class: "detail-title", id, ...tx(titleKey) }),
    introKey ? el("p", { class: "muted small", ...tx(introKey) }) : null,
    ...children,
  );
}

export function mountPolicy(panel) {
  ui.panel = panel;
  const zones = el("datalist", { id: "policy-timezones" }, timezones().map((zone) => el("option", { value: zone })));
  ui.timezone = textInput({ class: "timezone-input", "data-testid": "policy-timezone", "data-field": "timezone", list: "policy-timezones", spellcheck: "false", autocapitalize: "off", readonly: true });
  const weekday = hoursPair("weekday", "policy.weekday", "weekday_hours");
  const weekend = hoursPair("weekend", "policy.weekend", "weekend_hours");
  Object.assign(ui, { weekdayOpen: weekday.open, weekdayClose: weekday.close, weekendOpen: weekend.open, weekendClose: weekend.close });

  ui.holidays = el("ul", { class: "holiday-list", ...ta({ "aria-label": "policy.holidays" }) });
  ui.holidaysEmpty = note("policy.noHolidays", null, "empty small");
  ui.holidaysCount = el("span", { class: "count" });
  ui.holidayDate = el("input", { type: "date", class: "date-input", "data-testid": "policy-holiday-add-date", "data-field": "holidays" });
  ui.holidayAdd = button("policy.holidayAdd", { class: "btn", "data-testid": "policy-holiday-add" });
  ui.holidayMessage = el("p", { class: "small muted", role: "status" });
  ui.holidayAdd.addEventListener("click", addHoliday);
  ui.holidayDate.addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      event.preventDefault();
      addHoliday();
    }
  });

  ui.first = {};
  const firstFields = SEVERITIES.map((severity) => {
    ui.first[severity] = numberInput(`policy-first-${severity}`, `sla.first_response_minutes.${severity}`, { min: 1 });
    return field(`policy.first.${severity}`, ui.first[severity], { className: `number-field sev-field sev-field-${severity}` });
  });
  ui.major = numberInput("policy-major-hours", "sla.major_hours", { min: 1 });
  ui.general = numberInput("policy-general-hours", "sla.general_hours", { min: 1 });
  ui.complex = numberInput("policy-complex-hours", "sla.complex_hours", { min: 1 });
  ui.warning = numberInput("policy-warning-share", "sla.warning_share", { min: 1, max: 99, step: "any" });

  ui.save = el("button", { type: "submit", class: "btn btn-primary", "data-testid": "policy-save", ...tx("policy.save") });
  ui.actions = el("div", { class: "form-actions" }, ui.save, el("p", { class: "muted small", ...tx("policy.saveHint") }));
  ui.status = el("p", { class: "muted small", role: "status" });

  ui.form = el(
    "form",
    { class: "policy-form", novalidate: true },
    ui.status,
    el(
      "div",
      { class: "policy-grid" },
      section(
        "policy.hoursTitle",
        "policy.hoursIntro",
        field("policy.timezone", ui.timezone, { hint: "policy.timezoneHint" }),
        zones,
        el("div", { class: "policy-hours-pair" }, weekday.node, weekend.node),
      ),
      section(
        "policy.holidaysTitle",
        "policy.holidaysIntro",
        el("div", { class: "holiday-head" }, el("span", { class: "field-label", ...tx("policy.holidays") }), ui.holidaysCount),
        ui.holidays,
        ui.holidaysEmpty,
        el("div", { class: "holiday-add" }, field("policy.holidayDate", ui.holidayDate), ui.holidayAdd),
        ui.holidayMessage,
      ),
      section(
        "policy.slaTitle",
        "policy.slaIntro",
        el("fieldset", { class: "sla-first" }, el("legend", { class: "field-label", ...tx("policy.firstTitle") }), el("div", { class: "number-grid" }, firstFields)),
        el(
          "fieldset",
          { class: "sla-due" },
          el("legend", { class: "field-label", ...tx("policy.dueTitle") }),
          el(
            "div",
            { class: "number-grid" },
            field("policy.major", ui.major, { className: "number-field", hint: "policy.majorHint" }),
            field("policy.general", ui.general, { className: "number-field", hint: "policy.generalHint" }),
            field("policy.complex", ui.complex, { className: "number-field", hint: "policy.complexHint" }),
          ),
        ),
        field("policy.warning", ui.warning, { className: "number-field warning-field", hint: "policy.warningHint" }),
      ),
    ),
    ui.actions,
  );
  ui.form.addEventListener("submit", save);
  panel.append(panelHead("policy.title", "policy.intro"), ui.form);
}

async function load() {
  setTx(ui.status, "policy.loading");
  try {
    const policy = await call("GET", adminPath("policy"));
    view.policy = policy || {};
    view.loaded = true;
    fill(view.policy);
    ui.status.textContent = "";
  } catch (error) {
    setTx(ui.status, "policy.loadFailed");
    fail(error, { where: { into: ui.panel } });
  }
}

export async function showPolicy() {
  if (!view.loaded || takeStale("policy")) await load();
}
