/* The widget's link to the gateway (protocol: bot/channels/web.py). Each attempt first gets the
 * WebSocket URL, which may mean asking the server for the customer's identity
 * (requestIdentity: POST /api/web/customers), then opens the socket and hands each event to
 * onEvent. After a drop, or an identity request that failed, it tries again with the backoff
 * shared with the agent console (0.5 s, 1 s, 2 s, … at most 10 s, each randomised to 50–100 %).
 *
 * Close codes from the server: 4403, the identity's token was refused: onForbidden (forget it),
 * then at once a new attempt (so a new identity), at most once per page load; a second 4403
 * gives up. 4429, too many connections from this address: the usual backoff. */

import { Backoff } from "../shared/backoff.js";
import { asIdentity } from "./storage.js";

const CLOSE_FORBIDDEN = 4403;
const IDENTITY_TIMEOUT_MS = 15000;

/** An identity request that failed; `permanent`: asking again the same way will not help. */
export class IdentityError extends Error {
  constructor(message, permanent) {
    super(message);
    this.name = "IdentityError";
    this.permanent = Boolean(permanent);
  }
}

/**
 * Asks the gateway for a customer identity: anonymous, or (identity: a token the shop signed
 * for one of its customers) that customer's, the same on any device. Resolves to
 * {sender, token}; rejects on a network error or timeout, an error status or a malformed answer.
 * 429 and 5xx are worth retrying; another 4xx (the shop's token refused, say) is permanent.
 */
export async function requestIdentity(server, identity) {
  const controller = typeof AbortController === "function" ? new AbortController() : null;
  const timer = controller ? setTimeout(() => controller.abort(), IDENTITY_TIMEOUT_MS) : null;
  let response;
  let body = null;
  try {
    response = await fetch(`${server}/api/web/customers`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(identity ? { identity } : {}),
      credentials: "omit", // no cookie: the identity is the answer's token
      cache: "no-store",
      signal: controller ? controller.signal : undefined,
    });
    if (response.ok) body = await response.json().catch(() => null);
  } finally {
    clearTimeout(timer);
  }
  if (!response.ok) {
    const status = response.status;
    const permanent = status >= 400 && status < 500 && status !== 408 && status !== 429;
    throw new IdentityError(`HTTP ${status} from /api/web/customers`, permanent);
  }
  const fresh = body && typeof body === "object" ? asIdentity(body.sender, body.customer_token) : null;
  if (!fresh) throw new IdentityError("malformed answer from /api/web/customers", false);
  return fresh;
}

export class Connection {
  /**
   * @param {() => Promise<string> | string} address  the WebSocket URL for the next attempt (it
   *   may have to ask for an identity first); a rejection is a failed attempt, retried with the
   *   backoff unless the error is `permanent`
   * @param {object} hooks
   * @param {(event: object) => void} hooks.onEvent  a parsed server event
   * @param {(reconnecting: boolean) => void} hooks.onConnecting  an attempt has begun
   * @param {() => void} hooks.onClose   the socket is gone, or the attempt failed
   * @param {() => void} hooks.onForbidden  the server refused the identity (4403): forget it
   * @param {(reason: unknown) => void} hooks.onGiveUp  no more attempts until reconnectNow()
   */
  constructor(address, { onEvent, onConnecting, onClose, onForbidden, onGiveUp }) {
    this.address = address;
    this.hooks = { onEvent, onConnecting, onClose, onForbidden, onGiveUp };
    this.socket = null;
    this.opening = false; // waiting for the URL (an identity request)
    this.ready = false; // the history has arrived on the current socket
    this.started = false;
    this.renewed = false; // this page load's one identity renewal (after a 4403) is used
    this.backoff = new Backoff(() => this.connect(), { firstMs: 500, maxMs: 10000, spread: [0.5, 1] });
  }

  connect() {
    this.backoff.cancel();
    if (this.opening) return;
    const current = this.socket;
    if (current && (current.readyState === WebSocket.CONNECTING || current.readyState === WebSocket.OPEN)) return;
    this.started = true;
    this.ready = false;
    this.opening = true;
    this.hooks.onConnecting(this.backoff.attempts > 0);
    Promise.resolve()
      .then(() => this.address())
      .then(
        (url) => {
          this.opening = false;
          this.open(url);
        },
        (error) => {
          this.opening = false;
          this.failed(error);
        },
      );
  }

  /** Opens the socket for this attempt. */
  open(url) {
    let ws;
    try {
      ws = new WebSocket(url);
    } catch (error) {
      this.failed(error);
      return;
    }
    this.socket = ws;
    this.ready = false;
    ws.addEventListener("message", (e) => {
      if (this.socket !== ws) return;
      let event;
      try {
        event = JSON.parse(e.data);
      } catch (_) {
        return;
      }
      this.hooks.onEvent(event);
    });
    ws.addEventListener("close", (e) => {
      if (this.socket !== ws) return;
      this.socket = null;
      this.ready = false;
      this.hooks.onClose();
      if (e.code === CLOSE_FORBIDDEN) {
        if (this.renewed) {
          this.giveUp(`the gateway refused the customer's identity again (close code ${e.code})`);
          return;
        }
        this.renewed = true;
        this.hooks.onForbidden();
        this.connect(); // with a new identity, at once
        return;
      }
      this.backoff.schedule(); // 4429 (too many connections) and any other drop
    });
  }

  /** An attempt failed before it had a socket: try again later, unless that cannot help. */
  failed(error) {
    this.hooks.onClose();
    if (error && error.permanent) this.giveUp(error);
    else this.backoff.schedule();
  }

  giveUp(reason) {
    this.backoff.cancel();
    this.hooks.onGiveUp(reason);
  }

  /** The history arrived: the connection is usable, and the next drop starts the backoff over. */
  markReady() {
    this.ready = true;
    this.backoff.reset();
  }

  /** Back online or visible again: try at once instead of waiting out the backoff. */
  reconnectNow() {
    if (!this.started || this.opening) return;
    if (this.socket && this.socket.readyState <= WebSocket.OPEN) return;
    this.backoff.reset();
    this.connect();
  }

  /** The browser says it is offline: drop the socket now rather than when it notices. */
  drop() {
    if (this.socket) this.socket.close();
  }

  /** The socket is open and the history has arrived on it. */
  get usable() {
    return Boolean(this.socket && this.ready && this.socket.readyState === WebSocket.OPEN);
  }

  /** Sends an event if the connection is usable; returns whether it did. */
  send(event) {
    if (!this.usable) return false;
    try {
      this.socket.send(JSON.stringify(event));
      return true;
    } catch (_) {
      return false;
    }
  }
}
