/*!
 * LERA Desk web chat widget for Lumen Home (路明家居).
 *
 * Embed with one tag:  <script src="https://HOST/widget.js" defer></script>
 *   data-server="https://HOST"  where the gateway runs (default: the origin this script came from)
 *   data-lang="en" | "zh"       interface language (default: the browser's, zh* -> zh, else en)
 *
 * Plain JavaScript, no dependencies, nothing loaded from elsewhere: the only requests are
 * <server>/widget.css and the WebSocket <server>/ws/web (protocol: bot/channels/web.py).
 * Message texts are always inserted as text nodes, never as HTML.
 *
 * window.LeraWidget = {open(), close(), send(text) -> client_id, sender, state}
 * Test hooks: [data-lera="launcher" | "panel" | "input" | "send" | "message" | "button" |
 *             "typing" | "status"]; messages carry data-author="customer|bot|agent|system".
 */
(() => {
  "use strict";

  if (window.LeraWidget) return; // embedded twice: keep the first

  // ---------------------------------------------------------------- configuration
  const script =
    document.currentScript || document.querySelector('script[src$="widget.js"], script[src*="/widget.js?"]');
  const SERVER = resolveServer(script);
  const WS_BASE = SERVER.replace(/^http/i, "ws"); // http -> ws, https -> wss
  const LANG = resolveLang(script);
  const MAX_LENGTH = 4000; // the gateway refuses longer messages
  const BACKOFF_FIRST_MS = 500;
  const BACKOFF_MAX_MS = 10000;
  const TYPING_TIMEOUT_MS = 30000; // hide the dots if the "typing off" never arrives
  const AUTHORS = ["customer", "bot", "agent", "system"];

  const STRINGS = {
    en: {
      title: "Lumen Home support",
      openChat: "Chat with Lumen Home support",
      closeChat: "Close chat",
      inputLabel: "Your message",
      placeholder: "Type your message…",
      send: "Send",
      online: "Online",
      connecting: "Connecting…",
      reconnecting: "reconnecting…",
      convBot: "Virtual assistant",
      convQueued: "Waiting for a colleague…",
      convAssigned: "A colleague has joined",
      convClosed: "Conversation closed",
      ticket: "Ticket #{n}",
      agentLabel: "A colleague from our team",
      typing: "Typing…",
      pendingOffline: "Will be sent when the connection is back",
      failed: "Not sent",
      tooLong: "messages can be at most {n} characters",
      image: "Image",
      unread: "{n} new",
      introTitle: "Hi, how can we help?",
      introText:
        "Ask about orders, delivery, returns, payment or our products. A person from our team can join whenever you need one.",
      suggestions: ["Where is my order?", "What is your return policy?", "Which payment methods do you accept?"],
      suggestionsLabel: "Suggested questions",
      buttonsLabel: "Options",
    },
    zh: {
      title: "路明家居客服",
      openChat: "打开路明家居在线客服",
      closeChat: "关闭聊天",
      inputLabel: "您的消息",
      placeholder: "请输入您的问题…",
      send: "发送",
      online: "在线",
      connecting: "连接中…",
      reconnecting: "重新连接中…",
      convBot: "智能助手",
      convQueued: "等待人工客服接入…",
      convAssigned: "客服同事已加入",
      convClosed: "会话已结束",
      ticket: "工单 #{n}",
      agentLabel: "人工客服同事",
      typing: "正在输入…",
      pendingOffline: "恢复连接后自动发送",
      failed: "发送失败",
      tooLong: "消息最多 {n} 个字符",
      image: "图片",
      unread: "{n} 条新消息",
      introTitle: "您好，有什么可以帮您？",
      introText: "订单、配送、退换货、支付和商品问题都可以问我。如有需要，人工客服同事随时可以为您服务。",
      suggestions: ["我的订单到哪了？", "退货政策是什么？", "支持哪些付款方式？"],
      suggestionsLabel: "常见问题",
      buttonsLabel: "选项",
    },
  };
  const T = STRINGS[LANG];

  function resolveServer(tag) {
    const explicit = tag && tag.getAttribute("data-server");
    if (explicit) return explicit.trim().replace(/\/+$/, "");
    try {
      return new URL(tag.src, location.href).origin;
    } catch (_) {
      return location.origin;
    }
  }

  function resolveLang(tag) {
    // The page decides (data-lang); the demo page sets it from its own ?lang= before this runs.
    const explicit = ((tag && tag.getAttribute("data-lang")) || "").trim().toLowerCase();
    if (explicit === "en" || explicit === "zh") return explicit;
    const preferred = (navigator.languages && navigator.languages[0]) || navigator.language || "en";
    return /^zh/i.test(preferred) ? "zh" : "en";
  }

  function format(template, n) {
    return template.replace("{n}", String(n));
  }

  // ---------------------------------------------------------------- storage and ids
  const memory = new Map();
  const store = {
    get(key) {
      try {
        return window.localStorage.getItem(key);
      } catch (_) {
        return memory.has(key) ? memory.get(key) : null; // storage disabled (private mode, policies)
      }
    },
    set(key, value) {
      try {
        window.localStorage.setItem(key, value);
      } catch (_) {
        memory.set(key, value);
      }
    },
  };

  function uuid() {
    const c = window.crypto;
    if (c && typeof c.randomUUID === "function") {
      try {
        return c.randomUUID(); // only in secure contexts (https, localhost)
      } catch (_) {
        /* fall through */
      }
    }
    const bytes = new Uint8Array(16);
    if (c && typeof c.getRandomValues === "function") c.getRandomValues(bytes);
    else for (let i = 0; i < 16; i++) bytes[i] = Math.floor(Math.random() * 256);
    bytes[6] = (bytes[6] & 0x0f) | 0x40; // version 4
    bytes[8] = (bytes[8] & 0x3f) | 0x80; // RFC 4122 variant
    const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }

  const SENDER_KEY = "lera.sender";
  const OUTBOX_KEY = "lera.outbox";
  const SENDER_PATTERN = /^[A-Za-z0-9._:@-]{1,128}$/; // what the gateway accepts

  const sender = (() => {
    const saved = store.get(SENDER_KEY);
    if (saved && SENDER_PATTERN.test(saved)) return saved;
    const fresh = uuid();
    store.set(SENDER_KEY, fresh);
    return fresh;
  })();

  // Messages not yet acknowledged by the server, oldest first; kept across reloads.
  // {client_id, message, title, after, sender}: `after` is the newest stored message id this
  // client had seen when the message was first sent (null: never sent yet).
  let outbox = (() => {
    try {
      const saved = JSON.parse(store.get(OUTBOX_KEY) || "[]");
      return Array.isArray(saved)
        ? saved.filter((e) => e && e.sender === sender && typeof e.client_id === "string" && typeof e.message === "string")
        : [];
    } catch (_) {
      return [];
    }
  })();

  function saveOutbox() {
    store.set(OUTBOX_KEY, JSON.stringify(outbox));
  }

  // ---------------------------------------------------------------- DOM helpers
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      node.setAttribute(name, value === true ? "" : String(value));
    }
    for (const child of children) {
      if (child === null || child === undefined) continue;
      node.append(typeof child === "string" ? document.createTextNode(child) : child);
    }
    return node;
  }

  const SVG_NS = "http://www.w3.org/2000/svg";
  function icon(paths, cls) {
    const svg = document.createElementNS(SVG_NS, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    svg.setAttribute("class", cls || "lera-icon");
    for (const d of paths) {
      const path = document.createElementNS(SVG_NS, "path");
      path.setAttribute("d", d);
      svg.append(path);
    }
    return svg;
  }
  const ICON_CHAT = [
    "M4 5.5A2.5 2.5 0 0 1 6.5 3h11A2.5 2.5 0 0 1 20 5.5v8a2.5 2.5 0 0 1-2.5 2.5H10l-4.2 3.6c-.5.4-1.3.1-1.3-.6V16A2.5 2.5 0 0 1 4 13.5z",
  ];
  const ICON_CLOSE = ["M6 6l12 12", "M18 6L6 18"];
  const ICON_SEND = ["M4 12l16-8-6 16-2.5-6.5z", "M11.5 13.5L20 4"];

  // Links in message texts: http(s) URLs and e-mail addresses, built as elements (no HTML parsing).
  const LINK_PATTERN = /(https?:\/\/[^\s<>"'，。；！？）】]+)|([A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,})/g;
  function appendText(parent, text) {
    let last = 0;
    for (const match of text.matchAll(LINK_PATTERN)) {
      let raw = match[0];
      const trailing = /[.,;:!?)\]]+$/.exec(raw); // "see https://x.example/orders." -> no dot
      if (trailing) raw = raw.slice(0, -trailing[0].length);
      if (!raw) continue;
      parent.append(document.createTextNode(text.slice(last, match.index)));
      const href = match[1] ? raw : `mailto:${raw}`;
      parent.append(el("a", { href, target: match[1] ? "_blank" : null, rel: "noopener noreferrer nofollow" }, raw));
      last = match.index + raw.length;
    }
    parent.append(document.createTextNode(text.slice(last)));
  }

  function safeImageUrl(value) {
    if (typeof value !== "string" || !value) return null;
    try {
      const url = new URL(value, SERVER + "/");
      if (url.protocol === "https:" || url.protocol === "http:") return url.href;
      if (url.protocol === "data:" && /^data:image\/(png|jpe?g|gif|webp);/i.test(value)) return value;
    } catch (_) {
      /* not a URL */
    }
    return null;
  }

  // ---------------------------------------------------------------- the widget's DOM
  const ids = { panel: "lera-panel", title: "lera-title", input: "lera-input", log: "lera-log" };

  const root = el("div", { class: "lera-root", "data-lang": LANG, "data-state": "offline", hidden: true });
  root.setAttribute("lang", LANG === "zh" ? "zh-CN" : "en");

  const badge = el("span", { class: "lera-badge", "aria-hidden": "true", hidden: true });
  const launcher = el(
    "button",
    {
      type: "button",
      class: "lera-launcher",
      "data-lera": "launcher",
      "aria-label": T.openChat,
      "aria-expanded": "false",
      "aria-controls": ids.panel,
      title: T.openChat,
    },
    icon(ICON_CHAT, "lera-icon lera-icon--chat"),
    icon(ICON_CLOSE, "lera-icon lera-icon--close"),
    badge,
  );

  const statusText = el("span", { class: "lera-status-text" }, T.connecting);
  const status = el(
    "span",
    { class: "lera-status", "data-lera": "status", "data-state": "offline", role: "status" },
    el("span", { class: "lera-dot", "aria-hidden": "true" }),
    statusText,
  );
  const convText = el("span", { class: "lera-conv" });
  const closeButton = el(
    "button",
    { type: "button", class: "lera-close", "aria-label": T.closeChat, title: T.closeChat },
    icon(ICON_CLOSE),
  );
  const header = el(
    "div",
    { class: "lera-header" },
    el("div", { class: "lera-avatar", "aria-hidden": "true" }, icon(ICON_CHAT)),
    el("div", { class: "lera-heading" }, el("h2", { class: "lera-title", id: ids.title }, T.title), el("div", { class: "lera-sub" }, status, convText)),
    closeButton,
  );

  const intro = el(
    "div",
    { class: "lera-intro" },
    el("p", { class: "lera-intro-title" }, T.introTitle),
    el("p", { class: "lera-intro-text" }, T.introText),
    el(
      "div",
      { class: "lera-suggestions", role: "group", "aria-label": T.suggestionsLabel },
      ...T.suggestions.map((text) =>
        el("button", { type: "button", class: "lera-chip lera-chip--suggestion", "data-lera": "suggestion" }, text),
      ),
    ),
  );
  const log = el("div", { class: "lera-log", id: ids.log, role: "log", "aria-live": "polite", "data-lera": "messages" });
  const scroller = el("div", { class: "lera-scroll" }, intro, log);

  const input = el("textarea", {
    class: "lera-input",
    id: ids.input,
    "data-lera": "input",
    rows: "1",
    maxlength: String(MAX_LENGTH),
    placeholder: T.placeholder,
    autocomplete: "off",
    enterkeyhint: "send",
  });
  const sendButton = el(
    "button",
    { type: "submit", class: "lera-send", "data-lera": "send", "aria-label": T.send, title: T.send },
    icon(ICON_SEND),
    el("span", { class: "lera-send-text" }, T.send),
  );
  const form = el(
    "form",
    { class: "lera-composer", novalidate: true },
    el("label", { class: "lera-sr-only", for: ids.input }, T.inputLabel),
    input,
    sendButton,
  );

  const panel = el(
    "div",
    {
      class: "lera-panel",
      id: ids.panel,
      "data-lera": "panel",
      role: "dialog",
      "aria-label": T.title,
      "aria-modal": "false",
      hidden: true,
    },
    header,
    scroller,
    form,
  );
  root.append(panel, launcher);

  // The stylesheet comes from the same server; the widget stays hidden until it is there
  // (or has failed: then it is shown unstyled rather than not at all).
  const stylesheet = el("link", { rel: "stylesheet", href: `${SERVER}/widget.css`, "data-lera": "stylesheet" });
  let revealed = false;
  const reveal = () => {
    if (revealed) return;
    revealed = true;
    root.hidden = false;
  };
  stylesheet.addEventListener("load", reveal);
  stylesheet.addEventListener("error", reveal);
  setTimeout(reveal, 4000);
  document.head.append(stylesheet);

  // ---------------------------------------------------------------- state
  let isOpen = false;
  let unread = 0;
  let connection = "offline";
  let conversation = null;
  let typingNode = null;
  let typingTimer = null;
  let newestId = null; // newest stored message id seen in a history

  // ---------------------------------------------------------------- rendering
  function messages() {
    return log.querySelectorAll('[data-lera="message"]');
  }

  // Follow new messages only while the reader is at the bottom (not while reading older ones).
  let pinned = true;
  scroller.addEventListener(
    "scroll",
    () => {
      pinned = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 80;
    },
    { passive: true },
  );

  function scrollToBottom() {
    scroller.scrollTop = scroller.scrollHeight;
    pinned = true;
  }

  /** One message element. m: {author, text, buttons, image, created_at}; display overrides text. */
  function renderMessage(m, display) {
    const author = AUTHORS.includes(m.author) ? m.author : "bot";
    const node = el("div", { class: `lera-msg lera-msg--${author}`, "data-lera": "message", "data-author": author });
    const text = display !== undefined && display !== null ? display : m.text;
    const image = safeImageUrl(m.image);
    if (text || image) {
      const bubble = el("div", { class: "lera-bubble" });
      if (text) appendText(bubble, String(text));
      if (image) {
        const img = el("img", { class: "lera-image", src: image, alt: T.image, loading: "lazy", decoding: "async" });
        img.addEventListener("load", () => {
          if (pinned) scrollToBottom();
        });
        bubble.append(img);
      }
      node.append(bubble);
    }
    const buttons = Array.isArray(m.buttons) ? m.buttons.filter((b) => b && (b.title || b.payload)) : [];
    if (buttons.length && author !== "customer") {
      const group = el("div", { class: "lera-chips", role: "group", "aria-label": T.buttonsLabel });
      for (const b of buttons) {
        const title = String(b.title || b.payload);
        const chip = el("button", { type: "button", class: "lera-chip", "data-lera": "button" }, title);
        chip.addEventListener("click", () => {
          if (chip.disabled) return;
          chip.classList.add("lera-chip--chosen");
          send(String(b.payload || b.title), title);
        });
        group.append(chip);
      }
      node.append(group);
    }
    if (m.created_at) {
      const when = new Date(m.created_at);
      if (!Number.isNaN(when.getTime())) node.title = when.toLocaleString(LANG === "zh" ? "zh-CN" : "en");
    }
    return node;
  }

  // Pending / failed notes are CSS generated content (from data-note), so that a message
  // element's textContent stays exactly the message.
  function markPending(node, clientId) {
    node.setAttribute("data-client-id", clientId);
    node.setAttribute("data-pending", "true");
    node.setAttribute("data-note", T.pendingOffline);
  }

  /** Adds a message to the log; a run of messages from a colleague is labelled once, above it. */
  function addToLog(node) {
    if (node.getAttribute("data-author") === "agent") {
      const all = messages();
      const previous = all[all.length - 1];
      if (!(previous && previous.getAttribute("data-author") === "agent")) {
        log.append(
          el("div", { class: "lera-label", "data-lera": "label" }, el("span", { class: "lera-person", "aria-hidden": "true" }), T.agentLabel),
        );
      }
    }
    log.append(node);
  }

  function append(node, { stick } = {}) {
    const follow = stick || pinned;
    addToLog(node);
    refreshChips();
    refreshIntro();
    if (follow) scrollToBottom();
  }

  /** Only the newest message's buttons can be pressed: older choices are stale. */
  function refreshChips() {
    const all = messages();
    const newest = all[all.length - 1];
    for (const chip of log.querySelectorAll('[data-lera="button"]')) {
      const live = chip.closest('[data-lera="message"]') === newest;
      chip.disabled = !live;
    }
  }

  function refreshIntro() {
    intro.hidden = messages().length > 0;
  }

  function showTyping(on) {
    clearTimeout(typingTimer);
    if (on) {
      if (!typingNode) {
        typingNode = el(
          "div",
          { class: "lera-typing", "data-lera": "typing", role: "img", "aria-label": T.typing },
          el("span", { class: "lera-typing-dot" }),
          el("span", { class: "lera-typing-dot" }),
          el("span", { class: "lera-typing-dot" }),
        );
        scroller.append(typingNode); // outside the live log: not read out on every message
        if (pinned) scrollToBottom();
      }
      typingTimer = setTimeout(() => showTyping(false), TYPING_TIMEOUT_MS);
    } else if (typingNode) {
      typingNode.remove();
      typingNode = null;
    }
  }

  function setConnection(state, text) {
    connection = state;
    root.setAttribute("data-state", state);
    status.setAttribute("data-state", state);
    statusText.textContent = text || (state === "online" ? T.online : T.reconnecting);
  }

  function setConversation(view) {
    conversation = view && typeof view === "object" ? view : null;
    const parts = [];
    const state = conversation && conversation.status;
    if (state === "queued") parts.push(T.convQueued);
    else if (state === "assigned") parts.push(T.convAssigned);
    else if (state === "closed") parts.push(T.convClosed);
    else parts.push(T.convBot);
    const ticket = conversation && conversation.ticket;
    if (ticket && ticket.number !== undefined && state !== "closed") parts.push(format(T.ticket, ticket.number));
    convText.textContent = parts.join(" · ");
    root.setAttribute("data-conversation", state || "bot");
  }
  setConversation(null);

  function bumpUnread() {
    if (isOpen) return;
    unread += 1;
    badge.textContent = unread > 9 ? "9+" : String(unread);
    badge.hidden = false;
    launcher.setAttribute("aria-label", `${T.openChat} (${format(T.unread, unread)})`);
  }

  function clearUnread() {
    unread = 0;
    badge.hidden = true;
    launcher.setAttribute("aria-label", T.openChat);
  }

  // ---------------------------------------------------------------- server events
  function onHistory(event) {
    const history = Array.isArray(event.messages) ? event.messages : [];
    log.setAttribute("aria-busy", "true"); // a re-render after a reconnect is not news
    log.replaceChildren();
    const titles = new Map(); // button payload -> title, so pressed buttons show their title
    let newest = null;
    for (const m of history) {
      if (!m || typeof m !== "object") continue;
      if (typeof m.id === "number" && (newest === null || m.id > newest)) newest = m.id;
      let display;
      if (m.author === "customer") {
        display = m.title || titles.get(m.text);
      } else if (Array.isArray(m.buttons)) {
        for (const b of m.buttons) if (b && b.payload) titles.set(b.payload, b.title || b.payload);
      }
      addToLog(renderMessage(m, display));
    }
    newestId = newest;

    // Unacknowledged messages: the ones the server already stored (the ack got lost) are in the
    // history now; the others are shown as pending and sent again. Re-sending is always safe:
    // the server ignores a client_id it has seen.
    const claimed = new Set();
    for (const entry of outbox) {
      if (entry.after === null || entry.after === undefined) {
        entry.after = newest === null ? 0 : newest;
      } else {
        const index = history.findIndex(
          (m, i) => !claimed.has(i) && m && m.author === "customer" && typeof m.id === "number" && m.id > entry.after && m.text === entry.message,
        );
        if (index >= 0) {
          claimed.add(index);
          continue;
        }
      }
      const node = renderMessage({ author: "customer", text: entry.message }, entry.title);
      markPending(node, entry.client_id);
      addToLog(node);
    }
    saveOutbox();
    refreshChips();
    refreshIntro();
    scrollToBottom();
    log.removeAttribute("aria-busy");
    if ("conversation" in event) setConversation(event.conversation);
  }

  function onAck(clientId) {
    const before = outbox.length;
    outbox = outbox.filter((e) => e.client_id !== clientId);
    if (outbox.length !== before) saveOutbox();
    for (const node of log.querySelectorAll('[data-lera="message"][data-client-id]')) {
      if (node.getAttribute("data-client-id") !== clientId) continue;
      node.removeAttribute("data-pending");
      node.removeAttribute("data-note");
    }
  }

  function onError(event) {
    const text = typeof event.message === "string" && event.message ? event.message : "";
    if (event.client_id) {
      outbox = outbox.filter((e) => e.client_id !== event.client_id);
      saveOutbox();
      for (const node of log.querySelectorAll('[data-lera="message"][data-client-id]')) {
        if (node.getAttribute("data-client-id") !== event.client_id) continue;
        node.removeAttribute("data-pending");
        node.setAttribute("data-failed", "true");
        node.setAttribute("data-note", text ? `${T.failed}: ${text}` : T.failed);
        return;
      }
    }
    append(el("div", { class: "lera-notice", "data-lera": "notice", role: "alert" }, text ? `${T.failed}: ${text}` : T.failed));
  }

  function onEvent(event) {
    if (!event || typeof event !== "object") return;
    switch (event.type) {
      case "history":
        onHistory(event);
        ready = true;
        attempts = 0;
        setConnection("online");
        flushOutbox();
        break;
      case "ack":
        onAck(event.client_id);
        break;
      case "typing":
        showTyping(Boolean(event.on));
        break;
      case "bot_uttered": {
        if (typeof event.id === "number" && (newestId === null || event.id > newestId)) newestId = event.id;
        showTyping(false);
        append(renderMessage(event));
        bumpUnread();
        break;
      }
      case "conversation":
        setConversation(event.conversation);
        break;
      case "error":
        showTyping(false);
        onError(event);
        break;
      default:
        break; // newer server, older widget: ignore what we do not know
    }
  }

  // ---------------------------------------------------------------- connection
  let socket = null;
  let ready = false; // the history has arrived on the current socket
  let attempts = 0;
  let retryTimer = null;
  let started = false;

  function connect() {
    clearTimeout(retryTimer);
    retryTimer = null;
    if (socket && (socket.readyState === WebSocket.CONNECTING || socket.readyState === WebSocket.OPEN)) return;
    started = true;
    const url = `${WS_BASE}/ws/web?sender=${encodeURIComponent(sender)}&lang=${LANG}`;
    let ws;
    try {
      ws = new WebSocket(url);
    } catch (_) {
      scheduleReconnect();
      return;
    }
    socket = ws;
    ready = false;
    setConnection("offline", attempts ? T.reconnecting : T.connecting);
    ws.addEventListener("message", (e) => {
      if (socket !== ws) return;
      let event;
      try {
        event = JSON.parse(e.data);
      } catch (_) {
        return;
      }
      onEvent(event);
    });
    ws.addEventListener("close", () => {
      if (socket !== ws) return;
      socket = null;
      ready = false;
      showTyping(false);
      setConnection("offline", T.reconnecting);
      scheduleReconnect();
    });
  }

  /** Exponential backoff: 0.5 s, 1 s, 2 s, ... at most 10 s, each randomised to 50-100 %. */
  function scheduleReconnect() {
    if (retryTimer) return;
    const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_FIRST_MS * 2 ** attempts);
    attempts += 1;
    const delay = ceiling / 2 + Math.random() * (ceiling / 2);
    retryTimer = setTimeout(connect, delay);
  }

  function reconnectNow() {
    if (!started) return;
    if (socket && socket.readyState <= WebSocket.OPEN) return;
    attempts = 0;
    connect();
  }

  window.addEventListener("online", reconnectNow);
  window.addEventListener("offline", () => {
    // The socket may take a long time to notice; say so now and let "online" bring it back.
    if (!started) return;
    setConnection("offline", T.reconnecting);
    if (socket) socket.close();
  });
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") reconnectNow();
  });

  function transmit(entry) {
    if (!socket || !ready || socket.readyState !== WebSocket.OPEN) return false;
    const event = { type: "user_uttered", message: entry.message, client_id: entry.client_id };
    if (entry.title) event.title = entry.title;
    if (entry.after === null || entry.after === undefined) entry.after = newestId === null ? 0 : newestId;
    try {
      socket.send(JSON.stringify(event));
      return true;
    } catch (_) {
      return false;
    }
  }

  function flushOutbox() {
    for (const entry of outbox) transmit(entry);
    saveOutbox();
  }

  // ---------------------------------------------------------------- actions
  /** Sends a message (or a button's payload, shown as its title). Returns its client_id. */
  function send(text, title) {
    const message = String(text === undefined || text === null ? "" : text).trim();
    if (!message) return null;
    if (message.length > MAX_LENGTH) {
      onError({ message: format(T.tooLong, MAX_LENGTH) });
      return null;
    }
    const entry = { client_id: uuid(), message, title: title ? String(title) : null, after: null, sender };
    outbox.push(entry);
    store.set("lera.started", "1");
    const node = renderMessage({ author: "customer", text: message }, entry.title);
    markPending(node, entry.client_id);
    append(node, { stick: true });
    transmit(entry);
    saveOutbox();
    if (!started) connect();
    return entry.client_id;
  }

  function open() {
    reveal(); // even if the stylesheet is still on its way
    if (!isOpen) {
      isOpen = true;
      panel.hidden = false;
      root.classList.add("lera-open");
      launcher.setAttribute("aria-expanded", "true");
      clearUnread();
      launcher.setAttribute("aria-label", T.closeChat);
      scrollToBottom();
    }
    if (!started) connect();
    input.focus({ preventScroll: true });
  }

  function close() {
    if (!isOpen) return;
    const hadFocus = panel.contains(document.activeElement);
    isOpen = false;
    panel.hidden = true;
    root.classList.remove("lera-open");
    launcher.setAttribute("aria-expanded", "false");
    launcher.setAttribute("aria-label", T.openChat);
    if (hadFocus) launcher.focus({ preventScroll: true });
  }

  function submitInput() {
    if (send(input.value) !== null) {
      input.value = "";
      autosize();
    }
    input.focus({ preventScroll: true });
  }

  function autosize() {
    input.style.height = "auto";
    input.style.height = `${Math.min(input.scrollHeight, 132)}px`;
  }

  launcher.addEventListener("click", () => (isOpen ? close() : open()));
  closeButton.addEventListener("click", close);
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    submitInput();
  });
  input.addEventListener("keydown", (e) => {
    // Enter sends, Shift+Enter is a new line; never while an IME (pinyin) is composing.
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing && e.keyCode !== 229) {
      e.preventDefault();
      submitInput();
    }
  });
  input.addEventListener("input", autosize);
  panel.addEventListener("keydown", (e) => {
    if (e.key === "Escape" && !e.isComposing) {
      e.stopPropagation();
      close();
    }
  });
  for (const chip of intro.querySelectorAll('[data-lera="suggestion"]')) {
    chip.addEventListener("click", () => send(chip.textContent));
  }

  // ---------------------------------------------------------------- public API
  window.LeraWidget = Object.freeze({
    open,
    close,
    send: (text) => send(text),
    get sender() {
      return sender;
    },
    /** A snapshot: {open, connection: "online"|"offline", lang, pending, conversation}. */
    get state() {
      return {
        open: isOpen,
        connection,
        lang: LANG,
        pending: outbox.length,
        typing: Boolean(typingNode),
        conversation,
      };
    },
  });

  function mount() {
    document.body.append(root);
    // A returning customer connects at once: replies from a colleague can arrive while the
    // panel is closed (they show as a badge). A first-time visitor connects on first open.
    if (outbox.length || store.get("lera.started") === "1") connect();
  }
  if (document.body) mount();
  else document.addEventListener("DOMContentLoaded", mount, { once: true });
})();
