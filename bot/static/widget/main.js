/*!
 * LERA Desk web chat widget for Lumen Home (路明家居) — the widget itself, as ES modules.
 *
 * Shop pages embed it with the classic loader, one tag:  <script src="https://HOST/widget.js" defer>
 * (see bot/static/widget.js), which imports this module from the same gateway and calls start().
 * A page may also load it as a module:  <script type="module" src="https://HOST/static/widget/main.js">
 * with the same data-server / data-lang / data-identity attributes.
 *
 * Everything comes from the gateway: these modules, the DOM helpers and reconnect backoff it
 * shares with the agent console (../shared/), <server>/widget.css, the customer's identity
 * (POST <server>/api/web/customers) and the WebSocket <server>/ws/web (protocol:
 * bot/channels/web.py).
 *
 * The identity: the server issues it, {sender, customer_token}, kept together in localStorage
 * (lera.sender, lera.token; in memory when storage is off). Before the first socket the widget
 * uses the stored one, or asks for one: POST /api/web/customers with {} (anonymous), or with
 * {"identity": "<token the shop signed for its logged-in customer>"} when the page gives one
 * (data-identity="…" on the tag, or start({identity})). A page's identity is always sent to the
 * server (the same shop customer gets the same sender on any device) and replaces what was
 * stored; a stored sender without a token (an older widget's) is dropped. The socket is
 * <server>/ws/web?sender=…&token=…&lang=…. If the server closes it with 4403 (token refused),
 * the identity is forgotten and a new one asked for, once per page load; with 4429 (too many
 * connections) the widget reconnects with the usual backoff. A failed identity request
 * (network, 429, 5xx) shows the reconnecting state and is retried with the same backoff. A
 * second 4403, or another 4xx to the identity request (the shop's token refused), stops the
 * retries ("unavailable") until the page is back online or visible again. The identity is
 * asked for when the widget first connects (first open or message; at once for a returning
 * customer). Messages written before it is known wait in the outbox and go out under it.
 *
 * window.LeraWidget = {open(), close(), send(text) -> client_id, sender, state}
 * sender is null until the server's identity is known.
 * Test hooks: [data-lera="launcher" | "panel" | "input" | "send" | "message" | "button" |
 *             "typing" | "status"]; messages carry data-author="customer|bot|agent|system".
 */

import { Connection, requestIdentity } from "./connection.js";
import {
  forgetIdentity,
  hasStarted,
  loadIdentity,
  loadOutbox,
  markStarted,
  saveIdentity,
  saveOutbox,
  uuid,
} from "./storage.js";
import { STRINGS, format, resolveLang } from "./strings.js";
import { MAX_LENGTH, createView } from "./view.js";

/**
 * Builds the widget, puts it on the page and returns its public API (also window.LeraWidget).
 * options.server: the gateway's origin (default: where this module came from);
 * options.lang: "en" | "zh" (default: the browser's language);
 * options.identity: a token the shop signed for its logged-in customer (default: none, an
 * anonymous customer of this browser).
 */
export function start({ server, lang, identity } = {}) {
  const SERVER = (server || new URL(import.meta.url).origin).trim().replace(/\/+$/, "");
  const LANG = resolveLang(lang);
  const T = STRINGS[LANG];
  const pageIdentity = typeof identity === "string" && identity.trim() ? identity.trim() : null;
  const stored = loadIdentity();
  let customer = null; // {sender, token} from the server; null until known
  let refused = null; // the identity the server refused (4403), whose unsent messages carry over
  let outbox = loadOutbox(stored && stored.sender);
  let isOpen = false;
  let newestId = null; // newest stored message id seen in a history

  const view = createView({ T, lang: LANG, server: SERVER, onButton: (payload, title) => send(payload, title) });
  const connection = new Connection(address, {
    onEvent,
    onConnecting: (again) => view.setConnection("offline", again ? T.reconnecting : T.connecting),
    onClose: () => {
      view.showTyping(false);
      view.setConnection("offline", T.reconnecting);
    },
    onForbidden: () => {
      if (customer) {
        refused = customer;
        forgetIdentity(customer);
      }
      customer = null;
    },
    onGiveUp: (reason) => {
      view.setConnection("offline", T.unavailable);
      console.error("LERA Desk widget: cannot connect", reason);
    },
  });

  // ------------------------------------------------------------------ identity
  /**
   * The identity is known: it is this page's from now on, and the messages written before it
   * (or under the identity it replaces after a 4403) move to its outbox. Those of a different
   * stored customer, replaced by the page's identity, are not sent under someone else's name.
   */
  function useIdentity(fresh) {
    customer = fresh;
    const carried = refused ? refused.sender : null;
    const kept = outbox.filter((e) => e.sender === null || e.sender === fresh.sender || e.sender === carried);
    const moved = kept.some((e) => e.sender !== fresh.sender);
    if (kept.length !== outbox.length || moved) {
      for (const entry of kept) entry.sender = fresh.sender;
      outbox = kept;
      saveOutbox(outbox);
    }
  }

  /** The socket's URL; asks the server for an identity first if none is known. */
  async function address() {
    if (!customer && !pageIdentity) {
      // another tab of this browser may have been given one meanwhile
      const saved = loadIdentity();
      if (saved && !(refused && saved.token === refused.token)) useIdentity(saved);
    }
    if (!customer) {
      const fresh = await requestIdentity(SERVER, pageIdentity);
      saveIdentity(fresh);
      useIdentity(fresh);
    }
    const { sender, token } = customer;
    const base = SERVER.replace(/^http/i, "ws");
    return `${base}/ws/web?sender=${encodeURIComponent(sender)}&token=${encodeURIComponent(token)}&lang=${LANG}`;
  }

  if (stored && !pageIdentity) useIdentity(stored);

  // ------------------------------------------------------------------ server events
  function onHistory(event) {
    const history = Array.isArray(event.messages) ? event.messages : [];
    view.log.setAttribute("aria-busy", "true"); // a re-render after a reconnect is not news
    view.log.replaceChildren();
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
      view.addToLog(view.renderMessage(m, display));
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
          (m, i) =>
            !claimed.has(i) && m && m.author === "customer" && typeof m.id === "number" && m.id > entry.after && m.text === entry.message,
        );
        if (index >= 0) {
          claimed.add(index);
          continue;
        }
      }
      const node = view.renderMessage({ author: "customer", text: entry.message }, entry.title);
      view.markPending(node, entry.client_id);
      view.addToLog(node);
    }
    saveOutbox(outbox);
    view.refresh();
    view.scrollToBottom();
    view.log.removeAttribute("aria-busy");
    if ("conversation" in event) view.setConversation(event.conversation);
  }

  function onAck(clientId) {
    const before = outbox.length;
    outbox = outbox.filter((e) => e.client_id !== clientId);
    if (outbox.length !== before) saveOutbox(outbox);
    for (const node of view.sentAs(clientId)) {
      node.removeAttribute("data-pending");
      node.removeAttribute("data-note");
    }
  }

  function onError(event) {
    const text = typeof event.message === "string" && event.message ? event.message : "";
    const note = text ? `${T.failed}: ${text}` : T.failed;
    if (event.client_id) {
      outbox = outbox.filter((e) => e.client_id !== event.client_id);
      saveOutbox(outbox);
      const [node] = view.sentAs(event.client_id);
      if (node) {
        node.removeAttribute("data-pending");
        node.setAttribute("data-failed", "true");
        node.setAttribute("data-note", note);
        return;
      }
    }
    view.append(view.notice(note));
  }

  function onEvent(event) {
    if (!event || typeof event !== "object") return;
    switch (event.type) {
      case "history":
        onHistory(event);
        connection.markReady();
        view.setConnection("online");
        flushOutbox();
        break;
      case "ack":
        onAck(event.client_id);
        break;
      case "typing":
        view.showTyping(Boolean(event.on));
        break;
      case "bot_uttered": {
        if (typeof event.id === "number" && (newestId === null || event.id > newestId)) newestId = event.id;
        view.showTyping(false);
        view.append(view.renderMessage(event));
        if (!isOpen) view.bumpUnread();
        break;
      }
      case "conversation":
        view.setConversation(event.conversation);
        break;
      case "error":
        view.showTyping(false);
        onError(event);
        break;
      default:
        break; // newer server, older widget: ignore what we do not know
    }
  }

  // ------------------------------------------------------------------ sending
  function transmit(entry) {
    if (!connection.usable) return false;
    const event = { type: "user_uttered", message: entry.message, client_id: entry.client_id };
    if (entry.title) event.title = entry.title;
    if (entry.after === null || entry.after === undefined) entry.after = newestId === null ? 0 : newestId;
    return connection.send(event);
  }

  function flushOutbox() {
    for (const entry of outbox) transmit(entry);
    saveOutbox(outbox);
  }

  /** Sends a message (or a button's payload, shown as its title). Returns its client_id. */
  function send(text, title) {
    const message = String(text === undefined || text === null ? "" : text).trim();
    if (!message) return null;
    if (message.length > MAX_LENGTH) {
      onError({ message: format(T.tooLong, MAX_LENGTH) });
      return null;
    }
    const sender = customer ? customer.sender : null; // null: goes to the sender's outbox once known
    const entry = { client_id: uuid(), message, title: title ? String(title) : null, after: null, sender };
    outbox.push(entry);
    markStarted();
    const node = view.renderMessage({ author: "customer", text: message }, entry.title);
    view.markPending(node, entry.client_id);
    view.append(node, { stick: true });
    transmit(entry);
    saveOutbox(outbox);
    if (!connection.started) connection.connect();
    return entry.client_id;
  }

  // ------------------------------------------------------------------ opening and closing
  const { input, launcher, panel, root } = view;

  function open() {
    view.reveal(); // even if the stylesheet is still on its way
    if (!isOpen) {
      isOpen = true;
      panel.hidden = false;
      root.classList.add("lera-open");
      launcher.setAttribute("aria-expanded", "true");
      view.clearUnread();
      launcher.setAttribute("aria-label", T.closeChat);
      view.scrollToBottom();
    }
    if (!connection.started) connection.connect();
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
  view.closeButton.addEventListener("click", close);
  view.form.addEventListener("submit", (e) => {
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
  for (const chip of view.intro.querySelectorAll('[data-lera="suggestion"]')) {
    chip.addEventListener("click", () => send(chip.textContent));
  }

  window.addEventListener("online", () => connection.reconnectNow());
  window.addEventListener("offline", () => {
    // The socket may take a long time to notice; say so now and let "online" bring it back.
    if (!connection.started) return;
    view.setConnection("offline", T.reconnecting);
    connection.drop();
  });
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") connection.reconnectNow();
  });

  // ------------------------------------------------------------------ public API
  const api = Object.freeze({
    open,
    close,
    send: (text) => send(text),
    get ready() {
      return Promise.resolve(api);
    },
    get sender() {
      return customer ? customer.sender : null;
    },
    /** A snapshot: {open, connection: "online"|"offline", lang, pending, typing, conversation}. */
    get state() {
      return {
        open: isOpen,
        connection: view.connection,
        lang: LANG,
        pending: outbox.length,
        typing: view.typing,
        conversation: view.conversation,
      };
    },
  });
  window.LeraWidget = api;

  function mount() {
    document.body.append(root);
    // A returning customer connects at once: replies from a colleague can arrive while the
    // panel is closed (they show as a badge). A first-time visitor connects on first open.
    if (outbox.length || hasStarted()) connection.connect();
  }
  if (document.body) mount();
  else document.addEventListener("DOMContentLoaded", mount, { once: true });
  return api;
}

// Loaded with <script type="module" src=".../static/widget/main.js">: start from that tag.
const tag = Array.from(document.querySelectorAll("script[type=module][src]")).find((s) => s.src === import.meta.url);
if (tag && !window.LeraWidget) {
  start({
    server: tag.getAttribute("data-server") || undefined,
    lang: tag.getAttribute("data-lang") || undefined,
    identity: tag.getAttribute("data-identity") || undefined,
  });
}
