/* The gateway's JSON API for the staff pages (session cookie). Errors are ApiError with the
 * HTTP status (0: the server can't be reached) and a sentence to show (the server's detail as
 * it sent it, else the client's own words in the agent's language). A 401 outside the
 * sign-in itself calls the handler given to onUnauthorized (the page shows its sign-in form).
 *
 * State-changing requests (POST, PUT, PATCH, DELETE; not the sign-in) carry the session's CSRF
 * token in X-CSRF-Token. The page hands the token over (setCsrfToken) from the sign-in and
 * /api/console/me answers. A 403 that mentions CSRF re-reads /api/console/me once for a fresh
 * token and tries the request once more.
 */

import { capitalize } from "./format.js";
import { t } from "./i18n.js";

const LOGIN_PATH = "/api/console/login";
const ME_PATH = "/api/console/me";
const UNSAFE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export class ApiError extends Error {
  /** `detail`: the server's own words (""), `retryAfter`: its Retry-After in seconds (null),
   * `problems`: a refused change's problems by field ([{field, message}], a 422). */
  constructor(status, message, { detail = "", retryAfter = null, problems = [] } = {}) {
    super(message);
    this.status = status;
    this.detail = detail;
    this.retryAfter = retryAfter;
    this.problems = problems;
  }
}

let unauthorized = () => {};

/** Sets what a 401 does (once per page). */
export function onUnauthorized(handler) {
  unauthorized = handler;
}

let csrfToken = "";
let tokenGeneration = 0; // a refresh answered after a sign-out must not bring the old token back
let refreshing = null;

/** The token sent with every state-changing request ("" or null: none, e.g. signed out). */
export function setCsrfToken(token) {
  csrfToken = typeof token === "string" ? token : "";
  tokenGeneration += 1;
}

function detailOf(data) {
  if (!data) return "";
  const detail = data.detail;
  if (typeof detail === "string") return detail;
  if (Array.isArray(detail)) return detail.map((d) => d.msg || "").filter(Boolean).join("; ");
  return "";
}

/** The server's detail as a sentence: a capital first, a full stop unless it has one. */
const sentence = (text) => {
  const trimmed = text.trim();
  return /[.!?]$/.test(trimmed) ? capitalize(trimmed) : `${capitalize(trimmed)}.`;
};

/** A refused change's problems ([{field, message}]): the admin API's, or FastAPI's own
 * validation answer (detail: [{loc, msg}]). */
function problemsOf(data) {
  if (Array.isArray(data?.problems)) {
    return data.problems.map((p) => ({ field: String(p?.field ?? ""), message: String(p?.message ?? "") }));
  }
  if (Array.isArray(data?.detail)) {
    return data.detail.map((d) => ({
      field: Array.isArray(d?.loc) ? d.loc.filter((part) => part !== "body").join(".") : "",
      message: String(d?.msg ?? ""),
    }));
  }
  return [];
}

/** Retry-After in seconds (it may be a number of seconds or an HTTP date), or null. */
function retryAfterOf(response) {
  const value = (response.headers.get("Retry-After") || "").trim();
  if (!value) return null;
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value);
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, Math.round((at - Date.now()) / 1000));
}

async function send(method, path, body) {
  const init = { method, credentials: "same-origin", headers: { Accept: "application/json" } };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  if (UNSAFE_METHODS.has(method) && path !== LOGIN_PATH && csrfToken) {
    init.headers["X-CSRF-Token"] = csrfToken;
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch {
    throw new ApiError(0, t("api.unreachable"));
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
  if (response.status === 401 && path !== LOGIN_PATH) {
    unauthorized();
    throw new ApiError(401, t("api.signIn"));
  }
  if (!response.ok) {
    const detail = detailOf(data);
    throw new ApiError(
      response.status,
      detail ? sentence(detail) : t("api.failed", { status: response.status }),
      { detail, retryAfter: retryAfterOf(response), problems: problemsOf(data) },
    );
  }
  return data;
}

/** Re-reads /api/console/me for a fresh CSRF token (one request for simultaneous callers). */
function refreshCsrfToken() {
  if (!refreshing) {
    const generation = tokenGeneration;
    refreshing = send("GET", ME_PATH)
      .then((me) => {
        if (generation === tokenGeneration && typeof me?.csrf_token === "string") setCsrfToken(me.csrf_token);
      })
      .finally(() => {
        refreshing = null;
      });
  }
  return refreshing;
}

const isCsrfRefusal = (error) => error instanceof ApiError && error.status === 403 && /csrf/i.test(error.detail);

export async function api(method, path, body) {
  const verb = String(method).toUpperCase();
  try {
    return await send(verb, path, body);
  } catch (error) {
    if (!(UNSAFE_METHODS.has(verb) && path !== LOGIN_PATH && isCsrfRefusal(error))) throw error;
  }
  // the token was stale (a new session, a rotated token): once more with a fresh one, no loop
  await refreshCsrfToken();
  return send(verb, path, body);
}
