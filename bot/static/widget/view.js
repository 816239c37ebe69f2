/* The widget's DOM: the launcher, the panel (header, messages, composer) and how messages,
 * typing dots, the connection and the conversation's state are shown. Message texts are always
 * inserted as text nodes (links built as elements), never parsed as HTML. */

import { el, icon, svg } from "../shared/dom.js";
import { format } from "./strings.js";

export const MAX_LENGTH = 4000; // the gateway refuses longer messages
const AUTHORS = ["customer", "bot", "agent", "system"];
const TYPING_TIMEOUT_MS = 30000; // hide the dots if the "typing off" never arrives
const IDS = { panel: "lera-panel", title: "lera-title", input: "lera-input", log: "lera-log" };

const ICON_CHAT = [
  "M4 5.5A2.5 2.5 0 0 1 6.5 3h11A2.5 2.5 0 0 1 20 5.5v8a2.5 2.5 0 0 1-2.5 2.5H10l-4.2 3.6c-.5.4-1.3.1-1.3-.6V16A2.5 2.5 0 0 1 4 13.5z",
];
const ICON_CLOSE = ["M6 6l12 12", "M18 6L6 18"];
const ICON_SEND = ["M4 12l16-8-6 16-2.5-6.5z", "M11.5 13.5L20 4"];

const lineIcon = (paths, cls) =>
  icon({ viewBox: "0 0 24 24", class: cls || "lera-icon" }, ...paths.map((d) => svg("path", { d })));

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

function safeImageUrl(value, server) {
  if (typeof value !== "string" || !value) return null;
  try {
    const url = new URL(value, server + "/");
    if (url.protocol === "https:" || url.protocol === "http:") return url.href;
    if (url.protocol === "data:" && /^data:image\/(png|jpe?g|gif|webp);/i.test(value)) return value;
  } catch (_) {
    /* not a URL */
  }
  return null;
}

/**
 * Builds the widget (not yet on the page: mount it with document.body.append(view.root)).
 * onButton(payload, title) is called when the customer presses one of a message's buttons.
 */
export function createView({ T, lang, server, onButton }) {
  const root = el("div", { class: "lera-root", "data-lang": lang, "data-state": "offline", hidden: true });
  root.setAttribute("lang", lang === "zh" ? "zh-CN" : "en");

  const badge = el("span", { class: "lera-badge", "aria-hidden": "true", hidden: true });
  const launcher = el(
    "button",
    {
      type: "button",
      class: "lera-launcher",
      "data-lera": "launcher",
      "aria-label": T.openChat,
      "aria-expanded": "false",
      "aria-controls": IDS.panel,
      title: T.openChat,
    },
    lineIcon(ICON_CHAT, "lera-icon lera-icon--chat"),
    lineIcon(ICON_CLOSE, "lera-icon lera-icon--close"),
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
    lineIcon(ICON_CLOSE),
  );
  const header = el(
    "div",
    { class: "lera-header" },
    el("div", { class: "lera-avatar", "aria-hidden": "true" }, lineIcon(ICON_CHAT)),
    el(
      "div",
      { class: "lera-heading" },
      el("h2", { class: "lera-title", id: IDS.title }, T.title),
      el("div", { class: "lera-sub" }, status, convText),
    ),
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
  const log = el("div", { class: "lera-log", id: IDS.log, role: "log", "aria-live": "polite", "data-lera": "messages" });
  const scroller = el("div", { class: "lera-scroll" }, intro, log);

  const input = el("textarea", {
    class: "lera-input",
    id: IDS.input,
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
    lineIcon(ICON_SEND),
    el("span", { class: "lera-send-text" }, T.send),
  );
  const form = el(
    "form",
    { class: "lera-composer", novalidate: true },
    el("label", { class: "lera-sr-only", for: IDS.input }, T.inputLabel),
    input,
    sendButton,
  );

  const panel = el(
    "div",
    {
      class: "lera-panel",
      id: IDS.panel,
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
  const stylesheet = el("link", { rel: "stylesheet", href: `${server}/widget.css`, "data-lera": "stylesheet" });
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

  const view = {
    root, launcher, panel, closeButton, intro, log, input, form, reveal,
    connection: "offline",
    conversation: null,
    typing: false,
  };
  let typingNode = null;
  let typingTimer = null;
  let unread = 0;

  const messages = () => log.querySelectorAll('[data-lera="message"]');

  // Follow new messages only while the reader is at the bottom (not while reading older ones).
  let pinned = true;
  scroller.addEventListener(
    "scroll",
    () => {
      pinned = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 80;
    },
    { passive: true },
  );

  view.scrollToBottom = () => {
    scroller.scrollTop = scroller.scrollHeight;
    pinned = true;
  };

  /** One message element. m: {author, text, buttons, image, created_at}; display overrides text. */
  view.renderMessage = (m, display) => {
    const author = AUTHORS.includes(m.author) ? m.author : "bot";
    const node = el("div", { class: `lera-msg lera-msg--${author}`, "data-lera": "message", "data-author": author });
    const text = display !== undefined && display !== null ? display : m.text;
    const image = safeImageUrl(m.image, server);
    if (text || image) {
      const bubble = el("div", { class: "lera-bubble" });
      if (text) appendText(bubble, String(text));
      if (image) {
        const img = el("img", { class: "lera-image", src: image, alt: T.image, loading: "lazy", decoding: "async" });
        img.addEventListener("load", () => {
          if (pinned) view.scrollToBottom();
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
          onButton(String(b.payload || b.title), title);
        });
        group.append(chip);
      }
      node.append(group);
    }
    if (m.created_at) {
      const when = new Date(m.created_at);
      if (!Number.isNaN(when.getTime())) node.title = when.toLocaleString(lang === "zh" ? "zh-CN" : "en");
    }
    return node;
  };

  // Pending / failed notes are CSS generated content (from data-note), so that a message
  // element's textContent stays exactly the message.
  view.markPending = (node, clientId) => {
    node.setAttribute("data-client-id", clientId);
    node.setAttribute("data-pending", "true");
    node.setAttribute("data-note", T.pendingOffline);
  };

  /** The shown messages sent under this client id (pending or failed). */
  view.sentAs = (clientId) =>
    Array.from(log.querySelectorAll('[data-lera="message"][data-client-id]')).filter(
      (node) => node.getAttribute("data-client-id") === clientId,
    );

  /** Adds a message to the log; a run of messages from a colleague is labelled once, above it. */
  view.addToLog = (node) => {
    if (node.getAttribute("data-author") === "agent") {
      const all = messages();
      const previous = all[all.length - 1];
      if (!(previous && previous.getAttribute("data-author") === "agent")) {
        log.append(
          el(
            "div",
            { class: "lera-label", "data-lera": "label" },
            el("span", { class: "lera-person", "aria-hidden": "true" }),
            T.agentLabel,
          ),
        );
      }
    }
    log.append(node);
  };

  /** A notice in the log (a message that could not be sent, and no message to mark). */
  view.notice = (text) => el("div", { class: "lera-notice", "data-lera": "notice", role: "alert" }, text);

  view.append = (node, { stick } = {}) => {
    const follow = stick || pinned;
    view.addToLog(node);
    view.refresh();
    if (follow) view.scrollToBottom();
  };

  /** Only the newest message's buttons can be pressed (older choices are stale); the intro
   * shows while there is no message. */
  view.refresh = () => {
    const all = messages();
    const newest = all[all.length - 1];
    for (const chip of log.querySelectorAll('[data-lera="button"]')) {
      chip.disabled = chip.closest('[data-lera="message"]') !== newest;
    }
    intro.hidden = all.length > 0;
  };

  view.showTyping = (on) => {
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
        if (pinned) view.scrollToBottom();
      }
      typingTimer = setTimeout(() => view.showTyping(false), TYPING_TIMEOUT_MS);
    } else if (typingNode) {
      typingNode.remove();
      typingNode = null;
    }
    view.typing = Boolean(typingNode);
  };

  view.setConnection = (state, text) => {
    view.connection = state;
    root.setAttribute("data-state", state);
    status.setAttribute("data-state", state);
    statusText.textContent = text || (state === "online" ? T.online : T.reconnecting);
  };

  view.setConversation = (conversation) => {
    view.conversation = conversation && typeof conversation === "object" ? conversation : null;
    const parts = [];
    const state = view.conversation && view.conversation.status;
    if (state === "queued") parts.push(T.convQueued);
    else if (state === "assigned") parts.push(T.convAssigned);
    else if (state === "closed") parts.push(T.convClosed);
    else parts.push(T.convBot);
    const ticket = view.conversation && view.conversation.ticket;
    if (ticket && ticket.number !== undefined && state !== "closed") parts.push(format(T.ticket, ticket.number));
    convText.textContent = parts.join(" · ");
    root.setAttribute("data-conversation", state || "bot");
  };
  view.setConversation(null);

  /** A message arrived while the panel is closed: count it on the launcher. */
  view.bumpUnread = () => {
    unread += 1;
    badge.textContent = unread > 9 ? "9+" : String(unread);
    badge.hidden = false;
    launcher.setAttribute("aria-label", `${T.openChat} (${format(T.unread, unread)})`);
  };

  view.clearUnread = () => {
    unread = 0;
    badge.hidden = true;
    launcher.setAttribute("aria-label", T.openChat);
  };

  return view;
}
