/*!
 * LERA Desk web chat widget for Lumen Home (路明家居) — the loader.
 *
 * Embed with one tag:  <script src="https://HOST/widget.js" defer></script>
 *   data-server="https://HOST"  where the gateway runs (default: the origin this script came from)
 *   data-lang="en" | "zh"       interface language (default: the browser's, zh* -> zh, else en)
 *   data-identity="<token>"     optional: a token the shop's server signed for its logged-in
 *                               customer; the widget sends it to POST <server>/api/web/customers
 *                               and gets that customer's sender (the same conversation on any
 *                               device). Without it the customer is an anonymous one of this
 *                               browser. Either way the server issues the identity
 *                               ({sender, customer_token}), which the widget keeps in
 *                               localStorage (lera.sender, lera.token); see static/widget/main.js.
 *
 * This classic script reads its tag, then imports the widget's ES modules from the same gateway
 * (<server>/static/widget/main.js, which imports <server>/static/shared/…; served with CORS).
 * Nothing is loaded from anywhere else. Message texts are always inserted as text nodes.
 *
 * window.LeraWidget = {open(), close(), send(text) -> client_id, sender, state, ready}
 * Until the modules are in, open/close/send are remembered and done then (send returns null),
 * sender is null and state says {loading: true}; `ready` is a promise of the widget's API.
 * sender stays null until the server's identity is known (it is asked for on first connect).
 */
(() => {
  "use strict";

  if (window.LeraWidget) return; // embedded twice: keep the first

  const script =
    document.currentScript || document.querySelector('script[src$="widget.js"], script[src*="/widget.js?"]');

  function resolveServer(tag) {
    const explicit = tag && tag.getAttribute("data-server");
    if (explicit) return explicit.trim().replace(/\/+$/, "");
    try {
      return new URL(tag.src, location.href).origin;
    } catch (_) {
      return location.origin;
    }
  }

  const server = resolveServer(script);
  // Read now, as the widget always has: a page may set data-lang (data-identity) until this tag runs.
  const lang = (script && script.getAttribute("data-lang")) || undefined;
  const identity = (script && script.getAttribute("data-identity")) || undefined;

  const waiting = []; // [method, args] called before the modules were in
  let widget = null;
  const ready = import(`${server}/static/widget/main.js`).then((module) => {
    widget = module.start({ server, lang, identity });
    for (const [method, args] of waiting.splice(0)) widget[method](...args);
    return widget;
  });
  ready.catch((error) => console.error("LERA Desk widget: could not load", error));

  const later =
    (method) =>
    (...args) => {
      if (widget) return widget[method](...args);
      waiting.push([method, args]);
      return null;
    };

  window.LeraWidget = Object.freeze({
    open: later("open"),
    close: later("close"),
    send: later("send"),
    ready,
    get sender() {
      return widget ? widget.sender : null;
    },
    get state() {
      return widget ? widget.state : { loading: true, open: false, connection: "offline", pending: 0 };
    },
  });
})();
