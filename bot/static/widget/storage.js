/* What the widget keeps in the browser: the customer's sender id and the messages not yet
 * acknowledged by the server (kept across reloads). Falls back to memory when storage is off. */

const memory = new Map();

export const store = {
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

export function uuid() {
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
const STARTED_KEY = "lera.started";
const SENDER_PATTERN = /^[A-Za-z0-9._:@-]{1,128}$/; // what the gateway accepts

/** This browser's sender id (made once, then kept). */
export function loadSender() {
  const saved = store.get(SENDER_KEY);
  if (saved && SENDER_PATTERN.test(saved)) return saved;
  const fresh = uuid();
  store.set(SENDER_KEY, fresh);
  return fresh;
}

/**
 * Messages not yet acknowledged by the server, oldest first:
 * {client_id, message, title, after, sender}; `after` is the newest stored message id this
 * client had seen when the message was first sent (null: never sent yet).
 */
export function loadOutbox(sender) {
  try {
    const saved = JSON.parse(store.get(OUTBOX_KEY) || "[]");
    return Array.isArray(saved)
      ? saved.filter(
          (e) => e && e.sender === sender && typeof e.client_id === "string" && typeof e.message === "string",
        )
      : [];
  } catch (_) {
    return [];
  }
}

export function saveOutbox(outbox) {
  store.set(OUTBOX_KEY, JSON.stringify(outbox));
}

/** The customer has written before: a returning customer connects at once. */
export const hasStarted = () => store.get(STARTED_KEY) === "1";
export const markStarted = () => store.set(STARTED_KEY, "1");
