/* The actions pane: what the agent may do with the open chat (claim, transfer, hand back,
 * resolve), and the state of the reply box for it. On a chat a colleague has, an agent's reply,
 * transfer, hand back and resolve are greyed out with the reason as their title (supervisors
 * and admins may act on any chat); the server enforces it either way. */

import { $$, el } from "/static/shared/dom.js";
import { api } from "../common/api.js";
import { presenceText, roleText } from "../common/format.js";
import { t } from "../common/i18n.js";
import { renderCannedList } from "./canned.js";
import { reloadOpen, setOpen } from "./conversation.js";
import { announce, hideActionError, showActionError } from "./feedback.js";
import { refreshQueue } from "./queue.js";
import {
  agentName,
  isMine,
  mayActOnChat,
  mayReply,
  notYourChat,
  state,
  statusText,
} from "./store.js";
import { ui } from "./ui.js";

const ticketIsOpen = (c) => Boolean(c?.ticket) && !["resolved", "closed"].includes(c.ticket.status);

function hintFor(c) {
  if (!c) return state.openId !== null ? t("actions.hintLoading") : t("actions.hintNone");
  if (c.status === "queued") return t("actions.hintQueued");
  if (isMine(c)) return t("actions.hintMine");
  if (mayReply(c)) return t("actions.hintStepIn", { status: statusText(c) });
  if (c.status === "assigned") return t("actions.hintOthers", { status: statusText(c) });
  if (c.status === "bot") return t("actions.hintBot");
  return t("actions.hintClosed");
}

function placeholderFor(c, privateOn) {
  if (!c) return t("composer.placeholderNone");
  if (privateOn) return t("composer.placeholderNote");
  if (mayReply(c)) return t("composer.placeholderReply");
  return c.status === "queued" ? t("composer.placeholderClaim") : t("composer.placeholderSwitch");
}

export function renderActions() {
  const c = state.open;
  const replying = mayReply(c);
  const active = Boolean(c) && (c.status === "queued" || c.status === "assigned");
  const locked = Boolean(c) && !mayActOnChat(c); // an agent, on a colleague's chat
  const lockedTitle = locked ? notYourChat() : "";
  const privateOn = ui.private.checked;

  ui.actionHint.textContent = hintFor(c);

  ui.claim.hidden = !(c && c.status === "queued");
  ui.claim.disabled = state.busy;

  ui.reply.disabled = !c;
  ui.private.disabled = !c;
  ui.send.disabled = !c || state.busy || state.sending || (!privateOn && !replying);
  ui.send.title = privateOn ? "" : lockedTitle;
  ui.send.textContent = privateOn ? t("composer.addNote") : t("composer.send");
  ui.composer.dataset.private = privateOn ? "true" : "false";
  ui.replyLabel.textContent = privateOn ? t("composer.noteLabel") : t("composer.replyLabel");
  ui.reply.placeholder = placeholderFor(c, privateOn);

  renderTransferOptions();
  ui.transfer.disabled = !active || state.busy || locked;
  ui.transfer.title = lockedTitle;
  ui.handback.disabled = !active || state.busy || locked;
  ui.handback.title = lockedTitle;
  ui.resolve.disabled = !ticketIsOpen(c) || state.busy || locked;
  ui.resolve.title = c && !c.ticket ? t("actions.noTicket") : lockedTitle;

  renderCannedList();
}

function renderTransferOptions() {
  const c = state.open;
  const selected = ui.transfer.value;
  const others = state.agents.filter((a) => !state.me || a.id !== state.me.id);
  const options = [
    el("option", { value: "", text: t("actions.transferTo") }),
    el("option", { value: "supervisor", text: t("actions.toSupervisor") }),
  ];
  if (others.length) {
    options.push(
      el(
        "optgroup",
        { label: t("actions.agents") },
        others.map((a) =>
          el("option", {
            value: String(a.id),
            disabled: c && c.status === "assigned" && c.assigned_agent_id === a.id ? true : null,
            text: t("actions.agentOption", { name: a.name, role: roleText(a.role), presence: presenceText(a.presence) }),
          }),
        ),
      ),
    );
  }
  ui.transfer.replaceChildren(...options);
  ui.transfer.value = selected && $$("option", ui.transfer).some((o) => o.value === selected) ? selected : "";
}

/** Runs an action on the open conversation; its answer (the conversation) is shown. */
async function act(run, { success } = {}) {
  const c = state.open;
  if (!c || state.busy) return null;
  state.busy = true;
  hideActionError();
  renderActions();
  try {
    const result = await run(c);
    if (result && typeof result === "object" && "messages" in result && state.openId === c.id) {
      setOpen(result);
    }
    if (success) announce(success);
    refreshQueue();
    return result;
  } catch (error) {
    if (error.status !== 401) {
      showActionError(error.message);
      if (error.status === 409 || error.status === 404) {
        reloadOpen();
        refreshQueue();
      }
    }
    return null;
  } finally {
    state.busy = false;
    renderActions();
  }
}

const post = (c, action, body) => api("POST", `/api/console/conversations/${c.id}/${action}`, body);

export async function onClaim() {
  const result = await act((c) => post(c, "claim"), { success: t("actions.claimed") });
  if (result) ui.reply.focus();
}

export async function onTransfer() {
  const value = ui.transfer.value;
  if (!value) return;
  if (!mayActOnChat(state.open)) {
    ui.transfer.value = "";
    showActionError(notYourChat());
    return;
  }
  const agentId = value === "supervisor" ? null : Number(value);
  const target = agentId === null ? t("actions.aSupervisor") : agentName(agentId);
  await act((c) => post(c, "transfer", { agent_id: agentId }), { success: t("actions.transferred", { target }) });
  ui.transfer.value = "";
}

/** Arrow keys on a closed select would transfer at once: open the list instead. */
export function onTransferKey(event) {
  const keys = ["ArrowUp", "ArrowDown", "PageUp", "PageDown", "Home", "End"];
  const typeahead =
    event.key.length === 1 && event.key !== " " && !event.ctrlKey && !event.metaKey && !event.altKey;
  if ((keys.includes(event.key) && !event.altKey) || typeahead) {
    event.preventDefault();
    try {
      ui.transfer.showPicker();
    } catch {
      /* not supported: Space or Alt+Down open the list */
    }
  }
}

export async function onHandBack() {
  if (!mayActOnChat(state.open)) return;
  await act((c) => post(c, "handback"), { success: t("actions.handedBack") });
}

export async function onResolve() {
  const c = state.open;
  if (!c?.ticket || !mayActOnChat(c)) return;
  const solution = window.prompt(t("actions.resolvePrompt", { n: c.ticket.number }), "");
  if (solution === null) return; // cancelled
  await act((conv) => post(conv, "resolve", { solution: solution.trim() }), {
    success: t("actions.resolved", { n: c.ticket.number }),
  });
}
