/* What the widget keeps in the browser: the customer's identity as the server issued it (sender
 * id and customer token, kept together) and the messages not yet acknowledged by the server
 * (kept across reloads). Falls back to memory when storage is off. */

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
  remove(key) {
    memory.delete(key);
    try {
      window.localStorage.removeItem(key);
    } catch (_) {
      /* storage disabled: the memory copy is gone */
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
const TOKEN_KEY = "lera.token";
const OUTBOX_KEY = "lera.outbox";
const STARTED_KEY = "lera.started";
const SENDER_PATTERN = /^[A-Za-z0-9._:@-]{1,128}$/; // what the gateway accepts
const TOKEN_PATTERN = /^[\x21-\x7e]{1,2048}$/; // printable ASCII, no spaces

/** {sender, token} when both look like what the gateway issues (POST /api/web/customers), else null. */
export function asIdentity(sender, token) {
  const valid =
    typeof sender === "string" && SENDER_PATTERN.test(sender) && typeof token === "string" && TOKEN_PATTERN.test(token);
  return valid ? { sender, token } : null;
}

/**
 * The identity the server gave this browser, {sender, token}, or null (then ask for one).
 * A sender kept without its token (an older widget made its own) is of no use: it is dropped.
 */
export function loadIdentity() {
  const sender = store.get(SENDER_KEY);
  const token = store.get(TOKEN_KEY);
  const identity = asIdentity(sender, token);
  if (!identity && (sender !== null || token !== null)) {
    store.remove(SENDER_KEY);
    store.remove(TOKEN_KEY);
  }
  return identity;
}

/** Keeps a new identity from the server (replacing the stored one). */
export function saveIdentity({ sender, token }) {
  store.set(TOKEN_KEY, token);
  store.set(SENDER_KEY, sender);
}

/** The server refused this identity: forget it (unless another tab has stored a newer one). */
export function forgetIdentity({ sender, token }) {
  if (store.get(SENDER_KEY) !== sender || store.get(TOKEN_KEY) !== token) return;
  store.remove(SENDER_KEY);
  store.remove(TOKEN_KEY);
}

/**
 * Messages not yet acknowledged by the server, oldest first:
 * {client_id, message, title, after, sender}; `after` is the newest stored message id this
 * client had seen when the message was first sent (null: never sent yet). The outbox is per
 * sender: these are the given sender's (null: none known yet) and the ones written before any
 * identity was known (sender null), which go to the sender's outbox once it is known.
 */
export function loadOutbox(sender) {
  const owner = sender || null;
  try {
    const saved = JSON.parse(store.get(OUTBOX_KEY) || "[]");
    return Array.isArray(saved)
      ? saved.filter(
          (e) =>
            e &&
            (e.sender === owner || e.sender === null) &&
            typeof e.client_id === "string" &&
            typeof e.message === "string",
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
