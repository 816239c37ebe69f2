/* The signed-in agent (name, role, presence) and the team (names, for transfers). */

import { api } from "../common/api.js";
import { roleText } from "../common/format.js";
import { t } from "../common/i18n.js";
import { renderActions } from "./actions.js";
import { renderConversation } from "./conversation.js";
import { showActionError } from "./feedback.js";
import { renderQueue } from "./queue.js";
import { state } from "./store.js";
import { ui } from "./ui.js";

export function renderMe() {
  const me = state.me;
  ui.meName.textContent = me ? me.name : "";
  ui.meRole.textContent = me ? roleText(me.role) : "";
  ui.reportsLink.hidden = !me || me.role === "agent"; // reports are for supervisors and admins
  ui.adminLink.hidden = !me || me.role !== "admin"; // the admin pages are for admins
  const presence = me?.presence || "offline";
  ui.presence.value = presence;
  ui.presenceDot.dataset.presence = presence;
}

export async function onPresence() {
  const wanted = ui.presence.value;
  const before = state.me?.presence || "offline";
  ui.presenceDot.dataset.presence = wanted;
  try {
    state.me = await api("PUT", "/api/console/me/presence", { presence: wanted });
    renderMe();
  } catch (error) {
    if (error.status === 401) return;
    ui.presence.value = before;
    ui.presenceDot.dataset.presence = before;
    showActionError(t("agents.presenceFailed", { error: error.message }));
  }
}

export async function loadAgents() {
  try {
    const agents = await api("GET", "/api/console/agents");
    state.agents = Array.isArray(agents) ? agents : [];
    const me = state.me && state.agents.find((a) => a.id === state.me.id);
    if (me) {
      state.me = { ...state.me, ...me };
      renderMe();
    }
    renderQueue();
    renderActions();
    if (state.open) renderConversation({ keepScroll: true });
  } catch {
    /* names fall back to "Agent <id>" */
  }
}
