/* The Agents tab: the staff accounts (the database). A table — name, e-mail, role, capacity,
 * presence, active — each row's name, role and capacity edited in place and saved; a password
 * reset; deactivate / activate (confirmed). Inviting someone makes the account and a one-time
 * temporary password, shown once here (with a copy button) to hand over; a reset shows the
 * new one the same way. In effect at once. */

import { el } from "/static/shared/dom.js";
import { t } from "../common/i18n.js";
import { clearFeedback, fail, showSaved } from "./feedback.js";
import { setTx, ta, tx } from "./lang.js";
import { adminPath, call } from "./request.js";
import { state as shared, takeStale } from "./store.js";
import { busy, button, cell, chip, confirmed, field, note, panelHead, select, table, textInput } from "./widgets.js";

const ROLES = ["agent", "supervisor", "admin"];
const view = { agents: [], loaded: false };
const ui = {};

const roleSelect = (props, chosen) => select({ ...props }, ROLES.map((role) => [role, tx(`role.${role}`)]), chosen);
const capacityInput = (props, value) => {
  const input = el("input", { type: "number", min: "0", max: "50", step: "1", inputmode: "numeric", class: "number-input", ...props });
  input.value = value ?? "";
  return input;
};
const isMe = (agent) => shared.me && String(shared.me.id) === String(agent.id);
const activeOf = (agent) => agent.active !== false;

/* ---------- the one-time password ---------- */

function showPassword(agent, password, kind) {
  setTx(ui.passwordTitle, kind === "reset" ? "agents.passwordResetTitle" : "agents.passwordTitle", { name: agent?.name || agent?.email || "" });
  ui.password.textContent = password || "";
  ui.copyStatus.textContent = "";
  ui.passwordPanel.hidden = false;
  ui.passwordPanel.scrollIntoView({ block: "nearest" });
  ui.copy.focus();
}

function hidePassword() {
  ui.password.textContent = "";
  ui.passwordPanel.hidden = true;
}

async function copyPassword() {
  const text = ui.password.textContent;
  try {
    await navigator.clipboard.writeText(text);
    setTx(ui.copyStatus, "agents.copied");
  } catch {
    const range = document.createRange();
    range.selectNodeContents(ui.password);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    setTx(ui.copyStatus, "agents.copyManually");
  }
}

function passwordPanel() {
  ui.passwordTitle = el("h3", { class: "detail-title", id: "agent-password-title" });
  ui.password = el("code", { class: "one-time-password", "data-testid": "agent-password" });
  ui.copy = button("agents.copy", { class: "btn btn-primary btn-small", "data-testid": "agent-password-copy" });
  ui.copyStatus = el("span", { class: "small copy-status", role: "status" });
  const done = button("agents.passwordDone", { class: "btn btn-small", "data-testid": "agent-password-done" });
  ui.copy.addEventListener("click", copyPassword);
  done.addEventListener("click", () => {
    hidePassword();
    ui.inviteName.focus();
  });
  ui.passwordPanel = el(
    "section",
    { class: "password-panel card", hidden: true, "aria-labelledby": "agent-password-title" },
    ui.passwordTitle,
    el("p", { class: "password-warning" }, el("span", { class: "warning-icon", "aria-hidden": "true", text: "⚠" }), el("span", tx("agents.passwordWarning"))),
    el("div", { class: "password-line" }, ui.password, ui.copy, ui.copyStatus),
    el("div", { class: "form-actions" }, done),
  );
  return ui.passwordPanel;
}

/* ---------- the table ---------- */

function agentRow(agent) {
  const row = el("tr", { class: "agent-row", "data-testid": "agent-row", "data-id": agent.id, "data-active": String(activeOf(agent)) });
  const name = textInput({ class: "agent-name", "data-testid": "agent-name", "data-field": "name", maxlength: "120" }, agent.name);
  const role = roleSelect({ class: "agent-role", "data-testid": "agent-role", "data-field": "role" }, agent.role);
  const capacity = capacityInput({ class: "number-input agent-capacity", "data-testid": "agent-capacity", "data-field": "capacity" }, agent.capacity);
  const save = button("agents.save", { class: "btn btn-small", "data-testid": "agent-save" });
  const reset = button("agents.reset", { class: "btn btn-small btn-quiet", "data-testid": "agent-reset" });
  const toggle = activeOf(agent)
    ? button("agents.deactivate", { class: "btn btn-small btn-quiet btn-danger-text", "data-testid": "agent-deactivate" })
    : button("agents.activate", { class: "btn btn-small btn-success", "data-testid": "agent-activate" });
  const controls = [save, reset, toggle];
  if (isMe(agent)) {
    toggle.disabled = true;
    reset.disabled = true;
    role.disabled = true;
    for (const control of [toggle, reset, role]) control.setAttribute("title", t("agents.notYourself"));
    for (const control of [toggle, reset, role]) control.dataset.i18nAttr = "title=agents.notYourself";
  }
  const presence = agent.presence || "offline";
  row.append(
    el(
      "th",
      { scope: "row", class: "agent-name-cell", ...ta({ "data-label": "agents.name" }) },
      field("agents.name", name, { hideLabel: true }),
      isMe(agent) ? el("span", { class: "small muted", ...tx("agents.you") }) : null,
    ),
    cell("agents.email", { class: "agent-email" }, el("span", { class: "break", text: agent.email || "" })),
    cell("agents.role", {}, field("agents.role", role, { hideLabel: true })),
    cell("agents.capacity", {}, field("agents.capacity", capacity, { hideLabel: true })),
    cell("agents.presence", {}, el("span", { class: "presence-chip", "data-presence": presence }, el("span", { class: "presence-dot", "data-presence": presence, "aria-hidden": "true" }), el("span", tx(`presence.${presence}`)))),
    cell("agents.active", {}, chip({ class: activeOf(agent) ? "chip-active" : "chip-inactive", ...tx(activeOf(agent) ? "agents.isActive" : "agents.isInactive") })),
    cell("agents.actions", { class: "row-actions" }, save, reset, toggle),
  );

  save.addEventListener("click", async () => {
    clearFeedback();
    const body = { name: name.value.trim(), role: role.value, capacity: capacity.value === "" ? null : Number(capacity.value) };
    await busy(controls, async () => {
      try {
        const answer = await call("PUT", adminPath("agents", agent.id), body);
        Object.assign(agent, answer?.agent || body);
        showSaved("now", { where: { after: row } });
      } catch (error) {
        fail(error, { where: { after: row }, scope: row });
      }
    });
  });

  reset.addEventListener("click", async () => {
    clearFeedback();
    await busy(controls, async () => {
      try {
        const answer = await call("POST", adminPath("agents", agent.id, "password"));
        showPassword(answer?.agent || agent, answer?.password, "reset");
      } catch (error) {
        fail(error, { where: { after: row } });
      }
    });
  });

  toggle.addEventListener("click", async () => {
    const deactivating = activeOf(agent);
    if (!confirmed(deactivating ? "agents.confirmDeactivate" : "agents.confirmActivate", { name: agent.name || agent.email })) return;
    clearFeedback();
    await busy(controls, async () => {
      try {
        const answer = await call("POST", adminPath("agents", agent.id, deactivating ? "deactivate" : "activate"));
        const changed = answer?.agent || answer || {};
        Object.assign(agent, changed, { active: typeof changed.active === "boolean" ? changed.active : !deactivating });
        const fresh = agentRow(agent);
        row.replaceWith(fresh);
        fresh.querySelector(deactivating ? '[data-testid="agent-activate"]' : '[data-testid="agent-deactivate"]')?.focus();
        showSaved(deactivating ? "deactivated" : "activated_agent", { where: { after: fresh } });
      } catch (error) {
        fail(error, { where: { after: row } });
      }
    });
  });
  return row;
}

function render() {
  const sorted = view.agents.slice().sort((a, b) => Number(activeOf(b)) - Number(activeOf(a)) || String(a.name).localeCompare(String(b.name)));
  ui.body.replaceChildren(...sorted.map(agentRow));
  const active = view.agents.filter(activeOf).length;
  setTx(ui.count, "agents.count", { n: view.agents.length, active });
  ui.empty.hidden = view.agents.length > 0;
}

/* ---------- inviting ---------- */

async function invite(event) {
  event.preventDefault();
  clearFeedback();
  const body = {
    name: ui.inviteName.value.trim(),
    email: ui.inviteEmail.value.trim(),
    role: ui.inviteRole.value,
    capacity: ui.inviteCapacity.value === "" ? null : Number(ui.inviteCapacity.value),
  };
  await busy([ui.invite], async () => {
    try {
      const answer = await call("POST", adminPath("agents"), body);
      if (answer?.agent) view.agents.push(answer.agent);
      render();
      ui.inviteForm.reset();
      ui.inviteCapacity.value = "3";
      showPassword(answer?.agent || body, answer?.password, "invite");
    } catch (error) {
      fail(error, { where: { before: ui.inviteActions }, scope: ui.inviteForm });
    }
  });
}

function inviteForm() {
  ui.inviteName = textInput({ "data-testid": "agent-invite-name", "data-field": "name", autocomplete: "off", maxlength: "120" });
  ui.inviteEmail = el("input", { type: "email", "data-testid": "agent-invite-email", "data-field": "email", autocomplete: "off", spellcheck: "false", autocapitalize: "off", maxlength: "200" });
  ui.inviteRole = roleSelect({ "data-testid": "agent-invite-role", "data-field": "role" }, "agent");
  ui.inviteCapacity = capacityInput({ "data-testid": "agent-invite-capacity", "data-field": "capacity" }, 3);
  ui.invite = el("button", { type: "submit", class: "btn btn-primary", "data-testid": "agent-invite", ...tx("agents.invite") });
  ui.inviteActions = el("div", { class: "form-actions" }, ui.invite, el("p", { class: "muted small", ...tx("agents.inviteHint") }));
  ui.inviteForm = el(
    "form",
    { class: "card invite-form", novalidate: true, "aria-labelledby": "invite-title" },
    el("h3", { id: "invite-title", class: "detail-title", ...tx("agents.inviteTitle") }),
    el(
      "div",
      { class: "invite-grid" },
      field("agents.name", ui.inviteName),
      field("agents.email", ui.inviteEmail),
      field("agents.role", ui.inviteRole),
      field("agents.capacity", ui.inviteCapacity, { hint: "agents.capacityHint" }),
    ),
    ui.inviteActions,
  );
  ui.inviteForm.addEventListener("submit", invite);
  return ui.inviteForm;
}

async function load() {
  setTx(ui.count, "agents.loading");
  try {
    const agents = await call("GET", adminPath("agents"));
    view.agents = Array.isArray(agents) ? agents : [];
    view.loaded = true;
    render();
  } catch (error) {
    setTx(ui.count, "agents.loadFailed");
    fail(error, { where: { into: ui.panel } });
  }
}

export function mountAgents(panel) {
  ui.panel = panel;
  const { table: node, body } = table({
    caption: "agents.caption",
    className: "agent-table stack-narrow",
    heads: [["agents.name"], ["agents.email"], ["agents.role"], ["agents.capacity"], ["agents.presence"], ["agents.active"], ["", { class: "col-actions" }]],
  });
  node.querySelector("thead th:last-child").append(el("span", { class: "visually-hidden", ...tx("agents.actions") }));
  ui.body = body;
  ui.count = el("p", { class: "list-count muted small", role: "status" });
  ui.empty = note("agents.none", null, "empty");
  ui.empty.hidden = true;
  panel.append(
    panelHead("agents.title", "agents.intro"),
    inviteForm(),
    passwordPanel(),
    el("div", { class: "card table-card" }, el("div", { class: "table-head" }, el("h3", { class: "detail-title", ...tx("agents.listTitle") }), ui.count), el("div", { class: "table-scroll" }, node), ui.empty),
  );
}

export async function showAgents() {
  if (!view.loaded || takeStale("agents")) await load();
}
