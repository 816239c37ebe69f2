/* LERA Desk — agent console. Plain JavaScript, no framework, no build step.
 *
 * Talks to the gateway's JSON API under /api/console/… (session cookie) and listens on the
 * WebSocket /ws/console for live events: escalated, message, queue_changed, agents_changed, hello.
 * Every piece of customer or agent text is inserted as text (textContent), never as markup.
 */
"use strict";

(() => {
  // ---------------------------------------------------------------------------------------------
  // state
  // ---------------------------------------------------------------------------------------------

  const state = {
    signedIn: false,
    me: null, // agent_dict of the signed-in agent
    queue: [], // conversation summaries, in the order the API returns them
    agents: [], // agent_dict list
    canned: [], // every canned response (loaded once per sign-in)
    cannedShown: [], // what the canned list shows right now
    openId: null, // id of the open conversation
    open: null, // the open conversation (GET /api/console/conversations/<id>)
    unread: new Set(), // conversation ids with messages not yet seen
    fresh: new Map(), // conversation id -> when it was escalated (the row pulses briefly)
    drafts: new Map(), // conversation id -> {text, private}: what was typed, kept per chat
    busy: false, // an action on the open conversation is running
    connection: "offline", // connecting | live | reconnecting | offline
    retries: 0,
    sounds: 0, // notification sounds played (for debugging)
    lastEvent: null,
  };

  const SEVERITIES = ["light", "medium", "severe", "critical"];
  const SEVERITY_LABEL = { light: "Light", medium: "Medium", severe: "Severe", critical: "Critical" };
  const CHANNEL_LABEL = { web: "Web chat", telegram: "Telegram" };
  const LANGUAGE_LABEL = { en: "English", zh: "Chinese (中文)" };
  const ROLE_LABEL = { agent: "Agent", supervisor: "Supervisor", admin: "Admin" };
  const ACTION_LABEL = {
    created: "Ticket opened",
    queued: "Queued for an agent",
    assigned: "Assigned",
    first_response: "First reply sent",
    note: "Private note added",
    transferred: "Transferred",
    handed_back: "Handed back to the bot",
    resolved: "Resolved",
    reopened: "Reopened",
    status: "Status changed",
  };
  const TOAST_MS = 8000;
  const TICK_MS = 15000;

  // ---------------------------------------------------------------------------------------------
  // small helpers
  // ---------------------------------------------------------------------------------------------

  const $ = (selector, root = document) => root.querySelector(selector);
  const $$ = (selector, root = document) => Array.from(root.querySelectorAll(selector));

  /** Builds an element; children are nodes or strings (strings become text nodes). */
  function el(tag, props = {}, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props)) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "class") node.className = value;
      else if (key === "text") node.textContent = String(value);
      else if (key.startsWith("on") && typeof value === "function") {
        node.addEventListener(key.slice(2), value);
      } else node.setAttribute(key, value === true ? "" : String(value));
    }
    for (const child of children.flat(Infinity)) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : String(child));
    }
    return node;
  }

  /** Replaces a node's children, skipping empty ones (replaceChildren would print "null"). */
  function fill(node, ...children) {
    node.replaceChildren(
      ...children.flat(Infinity).filter((c) => c !== null && c !== undefined && c !== false),
    );
  }

  function lockIcon() {
    const ns = "http://www.w3.org/2000/svg";
    const svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 16 16");
    svg.setAttribute("width", "12");
    svg.setAttribute("height", "12");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    const body = document.createElementNS(ns, "rect");
    for (const [k, v] of Object.entries({ x: 3, y: 7, width: 10, height: 8, rx: 1.5 })) {
      body.setAttribute(k, String(v));
    }
    body.setAttribute("fill", "currentColor");
    const shackle = document.createElementNS(ns, "path");
    shackle.setAttribute("d", "M5 7V5a3 3 0 0 1 6 0v2");
    shackle.setAttribute("fill", "none");
    shackle.setAttribute("stroke", "currentColor");
    shackle.setAttribute("stroke-width", "1.6");
    svg.append(body, shackle);
    return svg;
  }

  const humanize = (code) => String(code ?? "").replace(/[_-]+/g, " ").trim();
  const capitalize = (text) => (text ? text.charAt(0).toUpperCase() + text.slice(1) : "");

  function parseTime(iso) {
    if (!iso) return null;
    const ms = Date.parse(iso);
    return Number.isNaN(ms) ? null : ms;
  }

  /** "<1 min", "3 min", "1 h 5 min", "2 d 3 h". */
  function duration(ms) {
    const minutes = Math.max(0, Math.floor(ms / 60000));
    if (minutes < 1) return "<1 min";
    if (minutes < 60) return `${minutes} min`;
    const hours = Math.floor(minutes / 60);
    if (hours < 24) return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
    const days = Math.floor(hours / 24);
    return hours % 24 ? `${days} d ${hours % 24} h` : `${days} d`;
  }

  const sinceText = (iso) => {
    const t = parseTime(iso);
    return t === null ? "" : duration(Date.now() - t);
  };

  function dueText(iso) {
    const t = parseTime(iso);
    if (t === null) return "";
    const diff = t - Date.now();
    return diff >= 0 ? `in ${duration(diff)}` : `overdue by ${duration(-diff)}`;
  }

  const timeFormat = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });
  const dateTimeFormat = new Intl.DateTimeFormat(undefined, {
    day: "numeric",
    month: "short",
    hour: "2-digit",
    minute: "2-digit",
  });

  function clock(iso) {
    const t = parseTime(iso);
    if (t === null) return "";
    const date = new Date(t);
    return date.toDateString() === new Date().toDateString()
      ? timeFormat.format(date)
      : dateTimeFormat.format(date);
  }

  function fullTime(iso) {
    const t = parseTime(iso);
    return t === null ? "" : new Date(t).toLocaleString();
  }

  function severityOf(summary) {
    const fromTicket = summary?.ticket?.severity;
    if (SEVERITIES.includes(fromTicket)) return fromTicket;
    const rank = (summary?.priority ?? 0) % 100; // queue.priority(): 1..4, +100 for the VIP lane
    return SEVERITIES[rank - 1] || null;
  }

  const isVip = (summary) =>
    summary?.customer?.tier === "vip" || (summary?.priority ?? 0) >= 100;

  function agentName(agentId) {
    if (agentId === null || agentId === undefined) return null;
    if (state.me && agentId === state.me.id) return "You";
    const agent = state.agents.find((a) => a.id === agentId);
    return agent ? agent.name : `Agent ${agentId}`;
  }

  function actorName(actor) {
    if (!actor) return "";
    const match = /^agent:(\d+)$/.exec(actor);
    if (match) return agentName(Number(match[1]));
    return capitalize(actor);
  }

  const isMine = (conversation) =>
    Boolean(
      conversation &&
        state.me &&
        conversation.status === "assigned" &&
        conversation.assigned_agent_id === state.me.id,
    );

  function severityChip(severity, extraClass = "") {
    if (!severity) return null;
    return el("span", {
      class: `chip sev sev-${severity} ${extraClass}`.trim(),
      "data-severity": severity,
      text: SEVERITY_LABEL[severity] || capitalize(severity),
    });
  }

  const vipBadge = () => el("span", { class: "badge-vip", title: "VIP customer", text: "VIP" });

  const reasonChips = (reasons) =>
    (reasons || [])
      .filter(Boolean)
      .map((reason) => el("span", { class: "chip chip-reason", title: reason, text: humanize(reason) }));

  function debounce(fn, ms) {
    let timer = null;
    return (...args) => {
      clearTimeout(timer);
      timer = setTimeout(() => fn(...args), ms);
    };
  }

  // ---------------------------------------------------------------------------------------------
  // the JSON API
  // ---------------------------------------------------------------------------------------------

  class ApiError extends Error {
    constructor(status, message) {
      super(message);
      this.status = status;
    }
  }

  function detailOf(data) {
    if (!data) return "";
    const detail = data.detail;
    if (typeof detail === "string") return detail;
    if (Array.isArray(detail)) return detail.map((d) => d.msg || "").filter(Boolean).join("; ");
    return "";
  }

  async function api(method, path, body) {
    const init = { method, credentials: "same-origin", headers: { Accept: "application/json" } };
    if (body !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    let response;
    try {
      response = await fetch(path, init);
    } catch {
      throw new ApiError(0, "The server can't be reached. Check the connection and try again.");
    }
    let data = null;
    const text = await response.text();
    if (text) {
      try {
        data = JSON.parse(text);
      } catch {
        data = null;
      }
    }
    if (response.status === 401 && path !== "/api/console/login") {
      signedOut(state.signedIn ? "Your session has ended. Please sign in again." : "");
      throw new ApiError(401, "Please sign in.");
    }
    if (!response.ok) {
      const detail = detailOf(data);
      throw new ApiError(
        response.status,
        detail ? capitalize(detail) + "." : `The request failed (HTTP ${response.status}).`,
      );
    }
    return data;
  }

  // ---------------------------------------------------------------------------------------------
  // DOM references
  // ---------------------------------------------------------------------------------------------

  const ui = {};
  function collect() {
    const ids = [
      "booting", "login-view", "main-view", "login-error", "connection", "connection-text",
      "presence", "presence-dot", "me-name", "me-role", "signout", "queue-queued",
      "queue-assigned", "queue-queued-empty", "queue-assigned-empty", "count-queued",
      "count-assigned", "queue-updated", "conversation-title", "conversation-meta",
      "conversation-status", "conversation-empty", "conversation-body", "ticket-panel",
      "ticket-summary-text", "ticket-details", "transcript", "action-hint", "action-error",
      "action-status", "claim", "composer", "reply", "reply-label", "private", "send", "transfer", "handback",
      "resolve", "canned-search", "canned-list", "canned-empty", "toasts",
    ];
    for (const id of ids) ui[id.replace(/-(\w)/g, (_, c) => c.toUpperCase())] = document.getElementById(id);
    ui.loginForm = $('[data-console="login"]');
    ui.email = $('[data-console="email"]');
    ui.password = $('[data-console="password"]');
    ui.signin = $('[data-console="signin"]');
  }

  // ---------------------------------------------------------------------------------------------
  // sign-in and sign-out
  // ---------------------------------------------------------------------------------------------

  function showView(name) {
    ui.booting.hidden = true;
    ui.loginView.hidden = name !== "login";
    ui.mainView.hidden = name !== "main";
  }

  function showLoginError(message) {
    ui.loginError.textContent = message;
    ui.loginError.hidden = !message;
    ui.loginForm.classList.toggle("has-error", Boolean(message));
    ui.email.setAttribute("aria-invalid", message ? "true" : "false");
    ui.password.setAttribute("aria-invalid", message ? "true" : "false");
  }

  async function onLogin(event) {
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

  async function enterConsole(me) {
    state.signedIn = true;
    state.me = me;
    state.retries = 0;
    renderMe();
    showView("main");
    renderConversation();
    renderActions();
    startTicking();
    connectSocket();
    await Promise.allSettled([loadAgents(), refreshQueue(), loadCanned()]);
  }

  /** Back to the login form (401 anywhere, or sign out). */
  function signedOut(message = "") {
    state.signedIn = false;
    disconnectSocket();
    stopTicking();
    Object.assign(state, {
      me: null,
      queue: [],
      agents: [],
      canned: [],
      cannedShown: [],
      openId: null,
      open: null,
      busy: false,
    });
    state.unread.clear();
    state.fresh.clear();
    state.drafts.clear();
    for (const toast of $$(".toast", ui.toasts)) toast.remove();
    ui.reply.value = "";
    ui.private.checked = false;
    ui.cannedSearch.value = "";
    ui.actionStatus.textContent = "";
    hideActionError();
    renderQueue();
    renderConversation();
    renderActions();
    showView("login");
    showLoginError(message);
    ui.email.focus();
  }

  async function onSignOut() {
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

  function renderMe() {
    const me = state.me;
    ui.meName.textContent = me ? me.name : "";
    ui.meRole.textContent = me ? ROLE_LABEL[me.role] || capitalize(me.role) : "";
    const presence = me?.presence || "offline";
    ui.presence.value = presence;
    ui.presenceDot.dataset.presence = presence;
  }

  async function onPresence() {
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
      showActionError(`Your status could not be changed: ${error.message}`);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // the queue
  // ---------------------------------------------------------------------------------------------

  let queueRequest = null;
  let queueAgain = false;

  /** Reloads the queue; calls made while a request runs are folded into one more request. */
  function refreshQueue() {
    if (!state.signedIn) return Promise.resolve();
    if (queueRequest) {
      queueAgain = true;
      return queueRequest;
    }
    queueRequest = (async () => {
      try {
        do {
          queueAgain = false;
          const queue = await api("GET", "/api/console/queue");
          if (!state.signedIn) return;
          state.queue = Array.isArray(queue) ? queue : [];
          ui.queueUpdated.textContent = "";
          renderQueue();
          syncOpenWithQueue();
        } while (queueAgain && state.signedIn);
      } catch (error) {
        if (error.status !== 401) ui.queueUpdated.textContent = "Couldn't refresh";
      } finally {
        queueRequest = null;
      }
    })();
    return queueRequest;
  }

  function queueRow(summary) {
    const severity = severityOf(summary);
    const unread = state.unread.has(summary.id);
    const owner =
      summary.status === "queued"
        ? "Waiting for an agent"
        : summary.assigned_agent_id === state.me?.id
          ? "With you"
          : `With ${agentName(summary.assigned_agent_id) || "an agent"}`;
    const channel = summary.channel || summary.customer?.channel;
    const since = summary.queued_at;
    const waitLabel = summary.status === "queued" ? "Waiting" : "Since hand-off";

    const button = el(
      "button",
      {
        type: "button",
        class: "queue-item",
        "data-console": "queue-item",
        "data-conversation-id": summary.id,
        "data-status": summary.status,
        "data-severity": severity || "none",
        "data-unread": unread ? "true" : "false",
        "data-fresh": freshFor(summary.id) !== null ? "true" : "false",
        // a re-rendered row continues its pulse instead of starting it again
        style: freshFor(summary.id) !== null ? `animation-delay: -${freshFor(summary.id)}ms` : null,
        "aria-current": summary.id === state.openId ? "true" : null,
        onclick: () => openConversation(summary.id, { fromUser: true }),
      },
      el(
        "span",
        { class: "qi-top" },
        el("span", { class: "qi-name", text: summary.customer?.name || `Chat ${summary.id}` }),
        isVip(summary) ? vipBadge() : null,
        unread ? el("span", { class: "qi-new", text: "New" }) : null,
        el(
          "span",
          {
            class: "qi-wait",
            "data-since": since || null,
            title: since ? `${waitLabel}: since ${fullTime(since)}` : null,
          },
          since ? sinceText(since) : "",
        ),
      ),
      el(
        "span",
        { class: "qi-meta" },
        severityChip(severity),
        el("span", { class: "qi-channel", text: CHANNEL_LABEL[channel] || capitalize(channel || "") }),
        summary.customer?.language
          ? el("span", { class: "qi-lang", text: summary.customer.language.toUpperCase() })
          : null,
      ),
      summary.reasons?.length ? el("span", { class: "qi-reasons" }, reasonChips(summary.reasons)) : null,
      el(
        "span",
        { class: "qi-last" },
        summary.last_message
          ? summary.last_message
          : el("span", { class: "muted", text: "No message from the customer" }),
      ),
      el(
        "span",
        { class: "qi-owner", "data-mine": owner === "With you" ? "true" : "false" },
        owner,
        summary.ticket ? el("span", { class: "qi-ticket", text: `#${summary.ticket.number}` }) : null,
      ),
    );
    return el("li", {}, button);
  }

  const FRESH_MS = 2400;
  function freshFor(id) {
    const since = state.fresh.get(id);
    if (since === undefined) return null;
    const elapsed = Date.now() - since;
    return elapsed < FRESH_MS ? elapsed : null;
  }

  function renderQueue() {
    const focused = document.activeElement?.closest?.('[data-console="queue-item"]');
    const focusedId = focused ? focused.dataset.conversationId : null;
    const queued = state.queue.filter((c) => c.status === "queued");
    const assigned = state.queue.filter((c) => c.status === "assigned");
    ui.queueQueued.replaceChildren(...queued.map(queueRow));
    ui.queueAssigned.replaceChildren(...assigned.map(queueRow));
    ui.queueQueuedEmpty.hidden = queued.length > 0;
    ui.queueAssignedEmpty.hidden = assigned.length > 0;
    ui.countQueued.textContent = String(queued.length);
    ui.countAssigned.textContent = String(assigned.length);
    document.title = `${queued.length ? `(${queued.length}) ` : ""}LERA Desk — Agent console`;
    if (focusedId) {
      const again = $(`[data-console="queue-item"][data-conversation-id="${CSS.escape(focusedId)}"]`);
      if (again) again.focus();
    }
  }

  const openKey = (c) =>
    c ? [c.status, c.assigned_agent_id, c.ticket?.status, c.ticket?.severity].join("|") : "";

  /** Reloads the open conversation when the queue says it changed (claimed, moved, resolved…). */
  function syncOpenWithQueue() {
    const open = state.open;
    if (!open || state.busy) return;
    const summary = state.queue.find((c) => c.id === open.id);
    const changed = summary
      ? openKey(summary) !== openKey(open)
      : open.status === "queued" || open.status === "assigned";
    if (changed) reloadOpen();
  }

  // ---------------------------------------------------------------------------------------------
  // the conversation
  // ---------------------------------------------------------------------------------------------

  let openSequence = 0;

  async function openConversation(id, { fromUser = false, keepScroll = false } = {}) {
    if (!state.signedIn) return;
    const switching = state.openId !== id;
    if (switching) saveDraft();
    state.openId = id;
    state.unread.delete(id);
    if (switching) {
      restoreDraft(id);
      hideActionError();
      state.open = null;
      ui.conversationTitle.textContent = "Loading…";
      renderQueue();
    }
    const sequence = ++openSequence;
    try {
      const conversation = await api("GET", `/api/console/conversations/${id}`);
      if (sequence !== openSequence || state.openId !== id) return; // a newer request won
      setOpen(conversation, { keepScroll: keepScroll && !switching });
      if (fromUser && window.matchMedia("(max-width: 760px)").matches) {
        $(".conversation-pane").scrollIntoView({ behavior: "smooth", block: "start" });
      }
    } catch (error) {
      if (error.status === 401 || sequence !== openSequence) return;
      if (switching) {
        state.openId = null;
        renderConversation();
        renderActions();
        renderQueue();
      }
      showActionError(`The chat could not be opened: ${error.message}`);
    }
  }

  /** Keeps what was typed for the chat being left. */
  function saveDraft() {
    if (state.openId === null) return;
    if (ui.reply.value || ui.private.checked) {
      state.drafts.set(state.openId, { text: ui.reply.value, private: ui.private.checked });
    } else {
      state.drafts.delete(state.openId);
    }
  }

  function restoreDraft(id) {
    const draft = state.drafts.get(id);
    ui.reply.value = draft ? draft.text : "";
    ui.private.checked = draft ? draft.private : false;
  }

  const reloadOpen = debounce(() => {
    if (state.openId !== null) openConversation(state.openId, { keepScroll: true });
  }, 150);

  /** Shows a conversation returned by the API (open, claim, transfer, hand back, resolve). */
  function setOpen(conversation, { keepScroll = false } = {}) {
    state.open = conversation;
    state.openId = conversation.id;
    state.unread.delete(conversation.id);
    const summary = state.queue.find((c) => c.id === conversation.id);
    if (summary) {
      for (const key of ["status", "assigned_agent_id", "priority", "reasons", "ticket", "last_message"]) {
        summary[key] = conversation[key];
      }
    }
    renderConversation({ keepScroll });
    renderActions();
    renderQueue();
  }

  function statusText(conversation) {
    switch (conversation.status) {
      case "queued":
        return "Waiting in the queue";
      case "assigned":
        return isMine(conversation)
          ? "With you"
          : `With ${agentName(conversation.assigned_agent_id) || "an agent"}`;
      case "bot":
        return "With the bot";
      case "closed":
        return "Closed";
      default:
        return capitalize(conversation.status || "");
    }
  }

  function renderConversation({ keepScroll = false } = {}) {
    const c = state.open;
    ui.conversationEmpty.hidden = Boolean(c) || state.openId !== null;
    ui.conversationBody.hidden = !c;
    ui.conversationStatus.hidden = !c;
    if (!c) {
      ui.conversationTitle.textContent = state.openId !== null ? "Loading…" : "Conversation";
      fill(ui.conversationMeta, );
      ui.transcript.replaceChildren();
      return;
    }
    const customer = c.customer || {};
    ui.conversationTitle.textContent = customer.name || `Chat ${c.id}`;
    const channel = c.channel || customer.channel;
    fill(ui.conversationMeta, 
      isVip(c) ? vipBadge() : null,
      severityChip(severityOf(c)),
      el("span", { class: "meta-item", text: CHANNEL_LABEL[channel] || capitalize(channel || "") }),
      el("span", {
        class: "meta-item",
        text: LANGUAGE_LABEL[customer.language] || (customer.language ? customer.language : "Language unknown"),
      }),
      el("span", { class: "meta-item muted", text: `Chat ${c.id}` }),
      ...reasonChips(c.reasons),
    );
    ui.conversationStatus.textContent = statusText(c);
    ui.conversationStatus.dataset.status = isMine(c) ? "mine" : c.status;

    renderTicket(c);

    const transcript = ui.transcript;
    const nearBottom =
      transcript.scrollHeight - transcript.scrollTop - transcript.clientHeight < 80;
    const previousTop = transcript.scrollTop;
    transcript.setAttribute("aria-busy", "true");
    const messages = c.messages || [];
    transcript.replaceChildren(
      ...(messages.length
        ? messages.map((m) => messageItem(m, c))
        : [el("li", { class: "empty small", text: "No messages yet." })]),
    );
    transcript.removeAttribute("aria-busy");
    transcript.scrollTop = keepScroll && !nearBottom ? previousTop : transcript.scrollHeight;
  }

  function authorLabel(message, conversation) {
    switch (message.author) {
      case "customer":
        return conversation?.customer?.name || "Customer";
      case "bot":
        return "LERA (bot)";
      case "agent":
        return agentName(message.agent_id) || "Agent";
      case "system":
        return "System";
      default:
        return capitalize(message.author || "");
    }
  }

  function analysisChips(analysis) {
    if (!analysis) return null;
    const chips = [];
    if (analysis.intent) {
      const confidence =
        typeof analysis.confidence === "number" ? ` · ${Math.round(analysis.confidence * 100)}%` : "";
      chips.push(el("span", { class: "chip chip-analysis chip-intent", title: "Intent and confidence" },
        el("span", { class: "chip-key", text: "intent" }), ` ${analysis.intent}${confidence}`));
    }
    if (analysis.emotion) {
      const level = analysis.intensity_level && analysis.intensity_level !== "none"
        ? ` · ${analysis.intensity_level}` : "";
      chips.push(el("span", {
        class: "chip chip-analysis chip-emotion",
        "data-level": analysis.intensity_level || "none",
        title: "Emotion and strength",
      }, el("span", { class: "chip-key", text: "emotion" }), ` ${analysis.emotion}${level}`));
    }
    if (analysis.category) {
      chips.push(el("span", { class: "chip chip-analysis", title: "Category" },
        el("span", { class: "chip-key", text: "category" }), ` ${humanize(analysis.category)}`));
    }
    for (const [key, label] of [["product", "product"], ["problem", "problem"]]) {
      if (analysis[key]) {
        chips.push(el("span", { class: "chip chip-analysis", title: capitalize(label) },
          el("span", { class: "chip-key", text: label }), ` ${humanize(analysis[key])}`));
      }
    }
    for (const cue of analysis.cues || []) {
      chips.push(el("span", { class: "chip chip-analysis chip-cue", title: "Cue" },
        el("span", { class: "chip-key", text: "cue" }), ` ${humanize(cue)}`));
    }
    if (!chips.length) return null;
    return el("div", { class: "msg-analysis", "data-console": "analysis", "aria-label": "The assistant's analysis" }, chips);
  }

  function safeUrl(value) {
    try {
      const url = new URL(String(value), location.href);
      return url.protocol === "https:" || url.protocol === "http:" ? url.href : null;
    } catch {
      return null;
    }
  }

  function messageItem(message, conversation) {
    const isPrivate = Boolean(message.private);
    const author = message.author || "system";
    const buttons = (message.buttons || []).filter((b) => b && b.title);
    const image = message.image ? safeUrl(message.image) : null;
    const bubble = el(
      "div",
      { class: "msg-bubble" },
      isPrivate
        ? el("span", { class: "private-label" }, lockIcon(), " Private note · agents only")
        : null,
      message.text ? el("p", { class: "msg-text", text: message.text }) : null,
      image
        ? el("a", { class: "msg-image", href: image, target: "_blank", rel: "noopener noreferrer", text: "Image attachment" })
        : null,
      buttons.length
        ? el("div", { class: "msg-buttons", "aria-label": "Buttons offered" },
          buttons.map((b) => el("span", { class: "chip chip-button", title: b.payload || "", text: b.title })))
        : null,
    );
    return el(
      "li",
      {
        class: `msg msg-${author}${isPrivate ? " msg-private" : ""}`,
        "data-console": "message",
        "data-author": author,
        "data-private": isPrivate ? "true" : "false",
        "data-message-id": message.id ?? null,
      },
      el(
        "div",
        { class: "msg-meta" },
        el("span", { class: "msg-author", text: authorLabel(message, conversation) }),
        el("time", { class: "msg-time", datetime: message.created_at || null, title: fullTime(message.created_at), text: clock(message.created_at) }),
      ),
      bubble,
      author === "customer" ? analysisChips(message.analysis) : null,
    );
  }

  /** Adds one message to the open transcript (live event or own reply), once. */
  function appendMessage(message, { scroll = false } = {}) {
    const c = state.open;
    if (!c || !message) return;
    c.messages = c.messages || [];
    if (message.id !== undefined && c.messages.some((m) => m.id === message.id)) return;
    c.messages.push(message);
    if (message.author === "customer" && message.text) c.last_message = message.text;
    const transcript = ui.transcript;
    const nearBottom =
      transcript.scrollHeight - transcript.scrollTop - transcript.clientHeight < 120;
    if (c.messages.length === 1) transcript.replaceChildren();
    transcript.append(messageItem(message, c));
    if (nearBottom || scroll) transcript.scrollTop = transcript.scrollHeight;
  }

  function renderTicket(conversation) {
    const ticket = conversation.ticket;
    ui.ticketPanel.hidden = !ticket;
    if (!ticket) {
      ui.ticketDetails.replaceChildren();
      return;
    }
    fill(ui.ticketSummaryText, 
      el("strong", { text: `Ticket #${ticket.number}` }),
      severityChip(ticket.severity),
      el("span", { class: "ticket-status", "data-status": ticket.status, text: humanize(ticket.status) }),
      ticket.due_at && !["resolved", "closed"].includes(ticket.status)
        ? el("span", { class: "muted small", "data-due": ticket.due_at, text: `due ${dueText(ticket.due_at)}` })
        : null,
    );

    const open = !["resolved", "closed"].includes(ticket.status);
    const cells = [];
    const cell = (label, value, { wide = false, key = null } = {}) => {
      if (value === null || value === undefined || value === "") return;
      cells.push(el("div", { class: `tf${wide ? " tf-wide" : ""}`, "data-field": key },
        el("span", { class: "tf-label", text: label }),
        el("span", { class: "tf-value" }, value)));
    };
    const when = (iso, { relative = open, overdueClass = false } = {}) => {
      if (!iso) return null;
      const late = overdueClass && open && parseTime(iso) < Date.now();
      return el("span", { class: late ? "overdue" : null, title: fullTime(iso) },
        clock(iso),
        relative ? el("span", { class: "muted", "data-due": iso, text: ` (${dueText(iso)})` }) : null);
    };
    cell("Subject", ticket.subject || null, { wide: true, key: "subject" });
    cell("Category", humanize(ticket.category) || null, { key: "category" });
    cell("Due", when(ticket.due_at, { overdueClass: true }), { key: "due" });
    if (ticket.first_response_at) {
      cell("First reply", when(ticket.first_response_at, { relative: false }), { key: "first-response" });
    } else {
      cell("First reply due", when(ticket.first_response_due_at, { overdueClass: true }), { key: "first-response" });
    }
    cell("Opened", when(ticket.created_at, { relative: false }), { key: "opened" });
    if (ticket.resolved_at) cell("Resolved", when(ticket.resolved_at, { relative: false }), { key: "resolved" });
    if (ticket.reasons?.length) {
      cell("Reasons", el("span", { class: "chip-row" }, reasonChips(ticket.reasons)), { wide: true, key: "reasons" });
    }
    cell("Solution", ticket.solution || null, { wide: true, key: "solution" });
    cell("Description", ticket.description
      ? el("span", { class: "ticket-description", text: ticket.description }) : null, { wide: true, key: "description" });

    const events = conversation.ticket_events || [];
    fill(ui.ticketDetails,
      el("div", { class: "ticket-fields" }, cells),
      el("div", { class: "ticket-history" },
        el("h4", { class: "section-title", text: "History" }),
        events.length
          ? el("ol", { class: "ticket-events", "data-console": "ticket-events" }, events.map(eventItem))
          : el("p", { class: "empty small", text: "No events yet." })),
    );
  }

  function eventData(data) {
    if (!data || typeof data !== "object") return "";
    return Object.entries(data)
      .filter(([key, value]) => key !== "to_id" && value !== null && value !== undefined && value !== "")
      .map(([key, value]) => {
        const shown = Array.isArray(value)
          ? value.map(humanize).join(", ")
          : typeof value === "object"
            ? JSON.stringify(value)
            : String(value);
        return `${humanize(key)}: ${shown}`;
      })
      .join(" · ");
  }

  function eventItem(event) {
    const details = eventData(event.data);
    return el(
      "li",
      { class: "ticket-event", "data-action": event.action },
      el("time", { class: "event-time", datetime: event.at || null, title: fullTime(event.at), text: clock(event.at) }),
      el("span", { class: "event-what" },
        el("span", { class: "event-actor", text: actorName(event.actor) }),
        " — ",
        el("span", { class: "event-action", text: ACTION_LABEL[event.action] || capitalize(humanize(event.action)) }),
        details ? el("span", { class: "event-data", text: ` (${details})` }) : null),
    );
  }

  // ---------------------------------------------------------------------------------------------
  // actions
  // ---------------------------------------------------------------------------------------------

  function showActionError(message) {
    if (message) {
      clearTimeout(announceTimer);
      ui.actionStatus.textContent = "";
    }
    ui.actionError.textContent = message;
    ui.actionError.hidden = !message;
  }
  const hideActionError = () => showActionError("");

  function renderActions() {
    const c = state.open;
    const mine = isMine(c);
    const active = Boolean(c) && (c.status === "queued" || c.status === "assigned");
    const privateOn = ui.private.checked;

    let hint = "Open a chat to act on it.";
    if (c) {
      if (c.status === "queued") hint = "Waiting for an agent. Claim it to reply to the customer.";
      else if (mine) hint = "You have this chat. The customer sees your replies.";
      else if (c.status === "assigned") hint = `${statusText(c)}. You can add private notes.`;
      else if (c.status === "bot") hint = "The bot is handling this chat. You can add private notes.";
      else hint = "This chat is closed.";
    } else if (state.openId !== null) hint = "Loading the chat…";
    ui.actionHint.textContent = hint;

    ui.claim.hidden = !(c && c.status === "queued");
    ui.claim.disabled = state.busy;

    ui.reply.disabled = !c;
    ui.private.disabled = !c;
    ui.send.disabled = !c || state.busy || sending || (!privateOn && !mine);
    ui.send.textContent = privateOn ? "Add note" : "Send";
    ui.composer.dataset.private = privateOn ? "true" : "false";
    ui.replyLabel.textContent = privateOn ? "Private note (only agents see it)" : "Reply to the customer";
    ui.reply.placeholder = !c
      ? "Open a chat first"
      : privateOn
        ? "Write a note for the team…"
        : mine
          ? "Write a reply… (/ for canned responses)"
          : c.status === "queued"
            ? "Claim the chat to reply — or switch on Private note"
            : "Switch on Private note to leave a note for the team";

    renderTransferOptions();
    ui.transfer.disabled = !active || state.busy;
    ui.handback.disabled = !active || state.busy;
    const ticketOpen = Boolean(c?.ticket) && !["resolved", "closed"].includes(c.ticket.status);
    ui.resolve.disabled = !ticketOpen || state.busy;
    ui.resolve.title = c && !c.ticket ? "This chat has no ticket" : "";

    for (const button of $$('[data-console="canned-item"]', ui.cannedList)) button.disabled = !c;
    if (ui.cannedList.childElementCount) renderCannedTexts();
  }

  function renderTransferOptions() {
    const c = state.open;
    const selected = ui.transfer.value;
    const others = state.agents.filter((a) => !state.me || a.id !== state.me.id);
    const options = [
      el("option", { value: "", text: "Transfer to…" }),
      el("option", { value: "supervisor", text: "To a supervisor" }),
    ];
    if (others.length) {
      options.push(
        el("optgroup", { label: "Agents" },
          others.map((a) =>
            el("option", {
              value: String(a.id),
              disabled: c && c.status === "assigned" && c.assigned_agent_id === a.id ? true : null,
              text: `${a.name} — ${ROLE_LABEL[a.role] || a.role}, ${a.presence}`,
            }))),
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

  async function onClaim() {
    const result = await act((c) => api("POST", `/api/console/conversations/${c.id}/claim`), {
      success: "You have the chat.",
    });
    if (result) ui.reply.focus();
  }

  async function onTransfer() {
    const value = ui.transfer.value;
    if (!value) return;
    const agentId = value === "supervisor" ? null : Number(value);
    const target = agentId === null ? "a supervisor" : agentName(agentId);
    await act((c) => api("POST", `/api/console/conversations/${c.id}/transfer`, { agent_id: agentId }), {
      success: `Transferred to ${target}.`,
    });
    ui.transfer.value = "";
  }

  /** Arrow keys on a closed select would transfer at once: open the list instead. */
  function onTransferKey(event) {
    const keys = ["ArrowUp", "ArrowDown", "PageUp", "PageDown", "Home", "End"];
    const typeahead = event.key.length === 1 && event.key !== " " && !event.ctrlKey && !event.metaKey && !event.altKey;
    if (keys.includes(event.key) && !event.altKey || typeahead) {
      event.preventDefault();
      try {
        ui.transfer.showPicker();
      } catch {
        /* not supported: Space or Alt+Down open the list */
      }
    }
  }

  async function onHandBack() {
    await act((c) => api("POST", `/api/console/conversations/${c.id}/handback`), {
      success: "The bot has the chat again.",
    });
  }

  async function onResolve() {
    const c = state.open;
    if (!c?.ticket) return;
    const solution = window.prompt(
      `Resolve ticket #${c.ticket.number}: how was it solved? (a short note for the ticket)`,
      "",
    );
    if (solution === null) return; // cancelled
    await act((conv) => api("POST", `/api/console/conversations/${conv.id}/resolve`, { solution: solution.trim() }), {
      success: `Ticket #${c.ticket.number} resolved.`,
    });
  }

  // replies -------------------------------------------------------------------------------------

  let sending = false;

  async function sendReply() {
    const c = state.open;
    const text = ui.reply.value.trim();
    if (!c || !text || sending) return;
    const isPrivate = ui.private.checked;
    if (!isPrivate && !isMine(c)) {
      showActionError(
        c.status === "queued"
          ? "Claim the chat before replying — or switch on Private note."
          : "Only the agent who has this chat can reply — you can add a private note.",
      );
      return;
    }
    sending = true;
    hideActionError();
    renderActions();
    try {
      const message = await api("POST", `/api/console/conversations/${c.id}/messages`, {
        text,
        private: isPrivate,
      });
      if (ui.reply.value.trim() === text && state.openId === c.id) ui.reply.value = "";
      const draft = state.drafts.get(c.id);
      if (draft && draft.text.trim() === text) state.drafts.delete(c.id);
      if (state.open && state.open.id === c.id) {
        appendMessage(message, { scroll: true });
        reloadOpen(); // the ticket changed too: first reply time, a "note" event
      }
      filterCannedFromReply();
    } catch (error) {
      if (error.status !== 401) showActionError(`Not sent: ${error.message}`);
      if (error.status === 409) reloadOpen();
    } finally {
      sending = false;
      renderActions();
      ui.reply.focus();
    }
  }

  function onReplyKey(event) {
    if (event.key !== "Enter" || event.shiftKey || event.isComposing || event.keyCode === 229) return;
    event.preventDefault();
    const token = slashToken();
    if (token) {
      const matches = cannedMatches(token.query);
      if (matches.length) {
        insertCanned(matches[0], token);
        return;
      }
    }
    sendReply();
  }

  function onReplyInput(event) {
    if (event.isComposing) return;
    const token = slashToken();
    if (token && token.query) {
      const query = token.query;
      const exact = state.canned.find((c) => c.shortcut.toLowerCase() === query);
      const longer = state.canned.some(
        (c) => c !== exact && c.shortcut.toLowerCase().startsWith(query),
      );
      if (exact && !longer) {
        insertCanned(exact, token);
        return;
      }
    }
    filterCannedFromReply();
  }

  /** The "/shortcut" being typed just before the caret, if any. */
  function slashToken() {
    const value = ui.reply.value;
    const end = ui.reply.selectionEnd ?? value.length;
    const match = /(^|\s)\/([\p{L}\p{N}_-]*)$/u.exec(value.slice(0, end));
    if (!match) return null;
    return { start: end - match[2].length - 1, end, query: match[2].toLowerCase() };
  }

  // canned responses ----------------------------------------------------------------------------

  async function loadCanned() {
    try {
      const list = await api("GET", "/api/console/canned?q=");
      state.canned = Array.isArray(list) ? list : [];
      showCanned(state.canned);
    } catch {
      /* the list stays empty; the search box retries */
    }
  }

  const searchCanned = debounce(async () => {
    const q = ui.cannedSearch.value.trim();
    try {
      const list = await api("GET", `/api/console/canned?q=${encodeURIComponent(q)}`);
      if (ui.cannedSearch.value.trim() !== q) return;
      if (!q) state.canned = list;
      showCanned(Array.isArray(list) ? list : []);
    } catch {
      /* keep what is shown */
    }
  }, 150);

  function cannedMatches(query) {
    const q = (query || "").toLowerCase();
    if (!q) return state.canned.slice();
    const starts = state.canned.filter((c) => c.shortcut.toLowerCase().startsWith(q));
    const contains = state.canned.filter(
      (c) =>
        !starts.includes(c) &&
        [c.shortcut, c.title, c.text_en, c.text_zh].some((v) => String(v || "").toLowerCase().includes(q)),
    );
    return [...starts, ...contains];
  }

  /** The canned list follows what is typed: the "/shortcut" in the reply box, else the search box. */
  function filterCannedFromReply() {
    const token = slashToken();
    if (token) {
      showCanned(cannedMatches(token.query), token.query);
    } else if (ui.cannedSearch.value.trim()) {
      searchCanned();
    } else {
      showCanned(state.canned);
    }
  }

  const customerLanguage = () => (state.open?.customer?.language === "zh" ? "zh" : "en");
  const cannedText = (item) =>
    customerLanguage() === "zh" ? item.text_zh || item.text_en : item.text_en || item.text_zh;

  function showCanned(list, highlight = "") {
    state.cannedShown = list;
    ui.cannedList.replaceChildren(
      ...list.map((item, index) =>
        el(
          "li",
          {},
          el(
            "button",
            {
              type: "button",
              class: "canned-item",
              "data-console": "canned-item",
              "data-shortcut": item.shortcut,
              "data-first": highlight && index === 0 ? "true" : null,
              disabled: state.open ? null : true,
              onclick: () => insertCanned(item, slashToken()),
            },
            el("span", { class: "canned-head" },
              el("span", { class: "canned-shortcut", text: `/${item.shortcut}` }),
              el("span", { class: "canned-title", text: item.title })),
            el("span", { class: "canned-text", lang: customerLanguage() === "zh" ? "zh-CN" : "en", text: cannedText(item) }),
          ),
        ),
      ),
    );
    ui.cannedEmpty.hidden = list.length > 0;
  }

  /** The language of the open chat may differ from the last render: refresh the previews. */
  function renderCannedTexts() {
    const lang = customerLanguage();
    for (const button of $$('[data-console="canned-item"]', ui.cannedList)) {
      const item = state.cannedShown.find((c) => c.shortcut === button.dataset.shortcut);
      const text = $(".canned-text", button);
      if (item && text) {
        text.textContent = cannedText(item);
        text.lang = lang === "zh" ? "zh-CN" : "en";
      }
    }
  }

  /** Puts a canned response in the reply box (in the customer's language), replacing "/token". */
  function insertCanned(item, token = null) {
    if (!state.open || ui.reply.disabled) return;
    const text = cannedText(item);
    const value = ui.reply.value;
    let start;
    let end;
    if (token) {
      ({ start, end } = token);
    } else {
      start = ui.reply.selectionStart ?? value.length;
      end = ui.reply.selectionEnd ?? value.length;
      if (document.activeElement !== ui.reply) start = end = value.length;
    }
    const before = value.slice(0, start);
    const after = value.slice(end);
    const lead = before && !/\s$/.test(before) ? " " : "";
    const trail = after && !/^\s/.test(after) ? " " : "";
    ui.reply.value = before + lead + text + trail + after;
    const caret = (before + lead + text).length;
    ui.reply.focus();
    ui.reply.setSelectionRange(caret, caret);
    showCanned(ui.cannedSearch.value.trim() ? state.cannedShown : state.canned);
    renderActions();
  }

  // agents --------------------------------------------------------------------------------------

  async function loadAgents() {
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

  // ---------------------------------------------------------------------------------------------
  // live updates
  // ---------------------------------------------------------------------------------------------

  let socket = null;
  let reconnectTimer = null;
  let pingTimer = null;
  let everConnected = false;

  function setConnection(status) {
    state.connection = status;
    ui.connection.dataset.state = status;
    ui.connectionText.textContent = {
      connecting: "Connecting…",
      live: "Live",
      reconnecting: "Reconnecting…",
      offline: "Offline",
    }[status] || status;
  }

  function connectSocket() {
    if (!state.signedIn) return;
    clearTimeout(reconnectTimer);
    reconnectTimer = null;
    if (socket && (socket.readyState === WebSocket.OPEN || socket.readyState === WebSocket.CONNECTING)) return;
    const url = `${location.protocol === "https:" ? "wss:" : "ws:"}//${location.host}/ws/console`;
    let ws;
    try {
      ws = new WebSocket(url);
    } catch {
      scheduleReconnect();
      return;
    }
    socket = ws;
    setConnection(state.retries ? "reconnecting" : "connecting");
    ws.addEventListener("open", () => {
      if (socket !== ws) return;
      const reconnected = everConnected;
      everConnected = true;
      state.retries = 0;
      setConnection("live");
      clearInterval(pingTimer);
      pingTimer = setInterval(() => {
        if (ws.readyState === WebSocket.OPEN) ws.send("ping");
      }, 25000);
      if (reconnected) {
        // events may have been missed while the socket was down
        refreshQueue();
        loadAgents();
        reloadOpen();
      }
    });
    ws.addEventListener("message", (event) => {
      if (socket !== ws) return;
      let data;
      try {
        data = JSON.parse(event.data);
      } catch {
        return;
      }
      handleEvent(data);
    });
    ws.addEventListener("close", (event) => {
      if (socket !== ws) return;
      socket = null;
      clearInterval(pingTimer);
      if (!state.signedIn) return;
      if (event.code === 1008) {
        // "sign in first": find out whether the session is gone (api() shows the login on 401)
        api("GET", "/api/console/me").then(scheduleReconnect, (error) => {
          if (error.status !== 401) scheduleReconnect();
        });
        return;
      }
      scheduleReconnect();
    });
  }

  function scheduleReconnect() {
    if (!state.signedIn || reconnectTimer) return;
    const base = Math.min(30000, 1000 * 2 ** state.retries);
    const delay = Math.round(base * (0.8 + Math.random() * 0.4));
    state.retries += 1;
    setConnection("reconnecting");
    reconnectTimer = setTimeout(() => {
      reconnectTimer = null;
      connectSocket();
    }, delay);
  }

  function disconnectSocket() {
    clearTimeout(reconnectTimer);
    reconnectTimer = null;
    clearInterval(pingTimer);
    const ws = socket;
    socket = null;
    everConnected = false;
    if (ws) {
      try {
        ws.close(1000, "signed out");
      } catch {
        /* already closed */
      }
    }
    setConnection("offline");
  }

  function handleEvent(event) {
    if (!event || typeof event !== "object") return;
    state.lastEvent = event;
    switch (event.type) {
      case "hello":
        if (event.agent && state.me && event.agent.id === state.me.id) {
          state.me = { ...state.me, name: event.agent.name, role: event.agent.role };
          renderMe();
        }
        break;
      case "escalated":
        onEscalated(event.conversation);
        break;
      case "message":
        onMessageEvent(event.conversation_id, event.message);
        break;
      case "queue_changed":
        refreshQueue();
        break;
      case "agents_changed":
        loadAgents();
        refreshQueue();
        break;
      default:
        break;
    }
  }

  function onEscalated(summary) {
    if (summary && summary.id !== undefined) {
      state.fresh.set(summary.id, Date.now());
      setTimeout(() => {
        state.fresh.delete(summary.id);
        const row = $(`[data-console="queue-item"][data-conversation-id="${summary.id}"]`);
        if (row) {
          row.dataset.fresh = "false";
          row.style.animationDelay = "";
        }
      }, FRESH_MS + 100);
      escalationToast(summary);
      chime();
      if (state.openId === summary.id) reloadOpen();
    }
    refreshQueue();
  }

  function onMessageEvent(conversationId, message) {
    if (conversationId === undefined || !message) return;
    const summary = state.queue.find((c) => c.id === conversationId);
    if (summary && message.author === "customer" && message.text) summary.last_message = message.text;
    if (state.open && state.open.id === conversationId) {
      appendMessage(message);
    } else if (!(message.author === "agent" && state.me && message.agent_id === state.me.id)) {
      state.unread.add(conversationId);
    }
    renderQueue();
  }

  // ---------------------------------------------------------------------------------------------
  // toasts and sound
  // ---------------------------------------------------------------------------------------------

  function escalationToast(summary) {
    const severity = severityOf(summary);
    const name = summary.customer?.name || `Chat ${summary.id}`;
    let timer = null;
    const toast = el(
      "div",
      {
        class: "toast",
        role: "status",
        "data-console": "toast",
        "data-conversation-id": summary.id,
        "data-severity": severity || "none",
        title: "Open this chat",
      },
      el("div", { class: "toast-head" },
        el("span", { class: "toast-kicker", text: "New chat waiting" }),
        el("button", { type: "button", class: "toast-close", "aria-label": "Dismiss notification", text: "×" })),
      el("div", { class: "toast-name" }, el("span", { text: name }), isVip(summary) ? vipBadge() : null, severityChip(severity)),
      summary.reasons?.length ? el("div", { class: "toast-reasons" }, reasonChips(summary.reasons)) : null,
      summary.last_message ? el("p", { class: "toast-text", text: summary.last_message }) : null,
      el("button", { type: "button", class: "toast-open", text: "Open chat" }),
    );
    const dismiss = () => {
      clearTimeout(timer);
      toast.classList.add("leaving");
      setTimeout(() => toast.remove(), 200);
    };
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(dismiss, TOAST_MS);
    };
    toast.addEventListener("click", (event) => {
      if (event.target.closest(".toast-close")) {
        dismiss();
        return;
      }
      dismiss();
      openConversation(summary.id, { fromUser: true }).then(() => {
        if (state.openId !== summary.id) return;
        if (!ui.claim.hidden) ui.claim.focus();
        else if (!ui.reply.disabled) ui.reply.focus();
      });
    });
    toast.addEventListener("keydown", (event) => {
      if (event.key === "Escape") dismiss();
    });
    // keyboard users reading it keep it on screen; it hides 8 s after they leave
    toast.addEventListener("focusin", () => clearTimeout(timer));
    toast.addEventListener("focusout", (event) => {
      if (!toast.contains(event.relatedTarget)) arm();
    });
    ui.toasts.prepend(toast);
    while (ui.toasts.childElementCount > 4) ui.toasts.lastElementChild.remove();
    arm();
    return toast;
  }

  let announceTimer = null;

  /** A short confirmation under the action buttons (a polite live region). */
  function announce(text) {
    clearTimeout(announceTimer);
    ui.actionStatus.textContent = text;
    announceTimer = setTimeout(() => {
      ui.actionStatus.textContent = "";
    }, 5000);
  }

  let audio = null;

  /** Creates/resumes the audio context inside a user gesture (browsers block it before). */
  function unlockAudio() {
    try {
      const Context = window.AudioContext || window.webkitAudioContext;
      if (!Context) return;
      if (!audio) audio = new Context();
      if (audio.state === "suspended") audio.resume().catch(() => {});
    } catch {
      audio = null;
    }
  }

  /** Two soft beeps, generated (no audio file). Fails silently when audio is blocked. */
  function chime() {
    try {
      if (!audio) return;
      if (audio.state === "suspended") audio.resume().catch(() => {});
      const start = audio.currentTime + 0.03;
      [[0, 880], [0.2, 1318.5]].forEach(([offset, frequency]) => {
        const oscillator = audio.createOscillator();
        const gain = audio.createGain();
        oscillator.type = "sine";
        oscillator.frequency.value = frequency;
        const t = start + offset;
        gain.gain.setValueAtTime(0.0001, t);
        gain.gain.exponentialRampToValueAtTime(0.12, t + 0.015);
        gain.gain.exponentialRampToValueAtTime(0.0001, t + 0.16);
        oscillator.connect(gain).connect(audio.destination);
        oscillator.start(t);
        oscillator.stop(t + 0.18);
      });
      state.sounds += 1;
    } catch {
      /* no sound, no fuss */
    }
  }

  // ---------------------------------------------------------------------------------------------
  // clocks
  // ---------------------------------------------------------------------------------------------

  let tickTimer = null;

  function tick() {
    for (const node of $$("[data-since]")) node.textContent = sinceText(node.dataset.since);
    for (const node of $$("[data-due]")) {
      const text = dueText(node.dataset.due);
      node.textContent = node.textContent.startsWith(" (") ? ` (${text})` : `due ${text}`;
    }
  }

  function startTicking() {
    stopTicking();
    tickTimer = setInterval(tick, TICK_MS);
  }

  function stopTicking() {
    clearInterval(tickTimer);
    tickTimer = null;
  }

  // ---------------------------------------------------------------------------------------------
  // start
  // ---------------------------------------------------------------------------------------------

  function bind() {
    ui.loginForm.addEventListener("submit", onLogin);
    ui.email.addEventListener("input", () => showLoginError(""));
    ui.password.addEventListener("input", () => showLoginError(""));
    ui.signout.addEventListener("click", onSignOut);
    ui.presence.addEventListener("change", onPresence);
    ui.claim.addEventListener("click", onClaim);
    ui.composer.addEventListener("submit", (event) => {
      event.preventDefault();
      sendReply();
    });
    ui.reply.addEventListener("keydown", onReplyKey);
    ui.reply.addEventListener("input", onReplyInput);
    ui.reply.addEventListener("compositionend", onReplyInput);
    ui.reply.addEventListener("click", filterCannedFromReply);
    ui.private.addEventListener("change", () => {
      hideActionError();
      renderActions();
    });
    ui.transfer.addEventListener("change", onTransfer);
    ui.transfer.addEventListener("keydown", onTransferKey);
    ui.handback.addEventListener("click", onHandBack);
    ui.resolve.addEventListener("click", onResolve);
    ui.cannedSearch.addEventListener("input", () => {
      const q = ui.cannedSearch.value.trim();
      if (!q) showCanned(state.canned);
      searchCanned();
    });
    ui.cannedSearch.addEventListener("keydown", (event) => {
      if (event.key === "Enter") {
        event.preventDefault();
        const first = $('[data-console="canned-item"]', ui.cannedList);
        if (first && !first.disabled) first.click();
      }
    });
    // any interaction may unlock audio (needed after a reload, when there is no sign-in click)
    const unlock = () => unlockAudio();
    document.addEventListener("pointerdown", unlock, { capture: true, passive: true });
    document.addEventListener("keydown", unlock, { capture: true });
    window.addEventListener("online", () => {
      if (state.signedIn && !socket) {
        state.retries = 0;
        connectSocket();
      }
    });
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "visible" && state.signedIn) tick();
    });
  }

  async function boot() {
    collect();
    bind();
    try {
      const me = await api("GET", "/api/console/me");
      await enterConsole(me);
    } catch (error) {
      if (error.status !== 401) {
        showView("login");
        showLoginError(error.message);
      }
    }
  }

  window.LeraConsole = {
    state,
    refreshQueue,
    openConversation,
    handleEvent, // lets a developer replay an event: LeraConsole.handleEvent({type: "queue_changed"})
  };

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", boot);
  else boot();
})();
