/* The widget's WebSocket to the gateway (protocol: bot/channels/web.py): connects, hands each
 * event to onEvent, and after a drop reconnects with the backoff shared with the agent console
 * (0.5 s, 1 s, 2 s, … at most 10 s, each randomised to 50–100 %). */

import { Backoff } from "../shared/backoff.js";

export class Connection {
  /**
   * @param {string} url                 the WebSocket URL
   * @param {object} hooks
   * @param {(event: object) => void} hooks.onEvent  a parsed server event
   * @param {(reconnecting: boolean) => void} hooks.onConnecting  a socket is being opened
   * @param {() => void} hooks.onClose   the socket is gone (a retry is scheduled)
   */
  constructor(url, { onEvent, onConnecting, onClose }) {
    this.url = url;
    this.hooks = { onEvent, onConnecting, onClose };
    this.socket = null;
    this.ready = false; // the history has arrived on the current socket
    this.started = false;
    this.backoff = new Backoff(() => this.connect(), { firstMs: 500, maxMs: 10000, spread: [0.5, 1] });
  }

  connect() {
    this.backoff.cancel();
    const current = this.socket;
    if (current && (current.readyState === WebSocket.CONNECTING || current.readyState === WebSocket.OPEN)) return;
    this.started = true;
    let ws;
    try {
      ws = new WebSocket(this.url);
    } catch (_) {
      this.backoff.schedule();
      return;
    }
    this.socket = ws;
    this.ready = false;
    this.hooks.onConnecting(this.backoff.attempts > 0);
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
    ws.addEventListener("close", () => {
      if (this.socket !== ws) return;
      this.socket = null;
      this.ready = false;
      this.hooks.onClose();
      this.backoff.schedule();
    });
  }

  /** The history arrived: the connection is usable, and the next drop starts the backoff over. */
  markReady() {
    this.ready = true;
    this.backoff.reset();
  }

  /** Back online or visible again: try at once instead of waiting out the backoff. */
  reconnectNow() {
    if (!this.started) return;
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
