/* Signing in and out: the login form, entering the console (live updates, queue, team, canned
 * responses; the ticket list when its tab is shown) and leaving it (everything of the agent
 * forgotten, back to the form). The session's CSRF token (in the sign-in and /api/console/me
 * answers) is handed to common/api.js on the way in and forgotten on the way out. */

import { api, setCsrfToken } from "../common/api.js";
import { t } from "../common/i18n.js";
import { startTicking, stopTicking } from "../common/ticker.js";
import { renderActions } from "./actions.js";
import { loadAgents, renderMe } from "./agents.js";
import { loadCanned } from "./canned.js";
import { renderConversation } from "./conversation.js";
import { hideActionError, hideTicketErrors } from "./feedback.js";
import { connectSocket, disconnectSocket, resetConnection } from "./live.js";
import { refreshQueue, renderQueue } from "./queue.js";
import { unlockAudio } from "./sound.js";
import { clearState, render, state } from "./store.js";
import { syncTicketFilters } from "./tickets.js";
import { clearToasts } from "./toasts.js";
import { showView, ui } from "./ui.js";

let loginError = ""; // what the form says: a text, or a function giving it in the current language

/** `message`: a text ("" for none), or a function returning it (redrawn after a language
 * switch: renderLoginError). */
export function showLoginError(message) {
  loginError = message || "";
  renderLoginError();
}

export function renderLoginError() {
  const message = typeof loginError === "function" ? loginError() : loginError;
  ui.loginError.textContent = message;
  ui.loginError.hidden = !message;
  ui.loginForm.classList.toggle("has-error", Boolean(message));
  ui.email.setAttribute("aria-invalid", message ? "true" : "false");
  ui.password.setAttribute("aria-invalid", message ? "true" : "false");
}

/** What the form says when the sign-in failed. */
function loginErrorText(error) {
  if (error.status === 401) return () => t("login.wrong");
  if (error.status === 429) return () => tooManyAttemptsText(error.retryAfter);
  return error.message || (() => t("login.failed"));
}

/** A 429 on the sign-in: how long to wait, from Retry-After (seconds) when the server sent it. */
export function tooManyAttemptsText(retryAfter) {
  if (typeof retryAfter !== "number" || !Number.isFinite(retryAfter)) {
    return t("login.tooMany");
  }
  const minutes = Math.max(1, Math.ceil(retryAfter / 60));
  return minutes === 1 ? t("login.tooManyWaitOne") : t("login.tooManyWaitOther", { n: minutes });
}

export async function onLogin(event) {
  event.preventDefault();
  unlockAudio(); // the sign-in click lets the page play the notification sound later
  const email = ui.email.value.trim();
  const password = ui.password.value;
  if (!email || !password) {
    showLoginError(() => t("login.missing"));
    (email ? ui.password : ui.email).focus();
    return;
  }
  showLoginError("");
  ui.signin.disabled = true;
  ui.signin.textContent = t("login.signingIn");
  try {
    const me = await api("POST", "/api/console/login", { email, password });
    ui.password.value = "";
    await enterConsole(me);
  } catch (error) {
    showLoginError(loginErrorText(error));
    ui.password.select();
    ui.password.focus();
  } finally {
    ui.signin.disabled = false;
    ui.signin.textContent = t("login.submit");
  }
}

/** `me`: the sign-in answer or /api/console/me (the page restoring its session on load). */
export async function enterConsole(me) {
  const { csrf_token: csrfToken, ...agent } = me || {};
  setCsrfToken(csrfToken);
  state.signedIn = true;
  state.me = agent;
  resetConnection();
  renderMe();
  showView("main");
  renderConversation();
  renderActions();
  render("work");
  render("ticketDetail");
  render("ticketActions");
  startTicking();
  connectSocket();
  await Promise.allSettled([loadAgents(), refreshQueue(), loadCanned()]);
}

/** Back to the login form (401 anywhere, the live updates saying the session ended, or sign
 * out); `message` as for showLoginError. */
export function signedOut(message = "") {
  state.signedIn = false;
  setCsrfToken("");
  disconnectSocket();
  stopTicking();
  clearState();
  clearToasts();
  ui.reply.value = "";
  ui.private.checked = false;
  ui.cannedSearch.value = "";
  ui.actionStatus.textContent = "";
  hideActionError();
  ui.ticketReply.value = "";
  ui.ticketNoteToggle.checked = false;
  ui.ticketFeedback.textContent = "";
  hideTicketErrors();
  syncTicketFilters();
  renderQueue();
  renderConversation();
  renderActions();
  render("work");
  render("tickets");
  render("ticketDetail");
  render("ticketActions");
  showView("login");
  showLoginError(message);
  ui.email.focus();
}

export async function onSignOut() {
  // stop live updates first: the sign-out itself publishes events whose follow-up requests
  // would otherwise meet a 401 and report an "ended session"
  state.signedIn = false;
  disconnectSocket();
  try {
    await api("POST", "/api/console/logout");
  } catch {
    /* signed out locally either way */
  }
  signedOut("");
}
