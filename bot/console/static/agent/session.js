/* Signing in and out: the login form, entering the console (live updates, queue, team, canned
 * responses; the ticket list when its tab is shown) and leaving it (everything of the agent
 * forgotten, back to the form). */

import { api } from "../common/api.js";
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

export function showLoginError(message) {
  ui.loginError.textContent = message;
  ui.loginError.hidden = !message;
  ui.loginForm.classList.toggle("has-error", Boolean(message));
  ui.email.setAttribute("aria-invalid", message ? "true" : "false");
  ui.password.setAttribute("aria-invalid", message ? "true" : "false");
}

export async function onLogin(event) {
  event.preventDefault();
  unlockAudio(); // the sign-in click lets the page play the notification sound later
  const email = ui.email.value.trim();
  const password = ui.password.value;
  if (!email || !password) {
    showLoginError("Enter your e-mail and password.");
    (email ? ui.password : ui.email).focus();
    return;
  }
  showLoginError("");
  ui.signin.disabled = true;
  ui.signin.textContent = "Signing in…";
  try {
    const me = await api("POST", "/api/console/login", { email, password });
    ui.password.value = "";
    await enterConsole(me);
  } catch (error) {
    showLoginError(
      error.status === 401
        ? "Wrong e-mail or password. Please try again."
        : error.message || "Signing in failed. Please try again.",
    );
    ui.password.select();
    ui.password.focus();
  } finally {
    ui.signin.disabled = false;
    ui.signin.textContent = "Sign in";
  }
}

export async function enterConsole(me) {
  state.signedIn = true;
  state.me = me;
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

/** Back to the login form (401 anywhere, or sign out). */
export function signedOut(message = "") {
  state.signedIn = false;
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
