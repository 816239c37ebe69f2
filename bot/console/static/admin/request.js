/* The admin API (/api/console/admin/…): like common/api.js — the session cookie, the CSRF
 * token on every state-changing request, one retry with a fresh token after a CSRF refusal,
 * ApiError with the HTTP status and a sentence to show — and it keeps what common/api.js
 * drops: a refused change's `problems` ([{field, message}], a 422), on `error.problems`.
 *
 * The page hands the token over (setToken) with common/api.js's setCsrfToken; a 401 calls
 * the handler given to onSignedOut (the page shows its sign-in form). */

import { ApiError } from "../common/api.js";
import { capitalize } from "../common/format.js";
import { t } from "../common/i18n.js";

const ME_PATH = "/api/console/me";
const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

let token = "";
let generation = 0;
let refreshing = null;
let signedOut = () => {};

export function setToken(value) {
  token = typeof value === "string" ? value : "";
  generation += 1;
}

export function onSignedOut(handler) {
  signedOut = handler;
}

const sentence = (text) => {
  const trimmed = String(text).trim();
  return /[.!?。！？]$/.test(trimmed) ? capitalize(trimmed) : `${capitalize(trimmed)}.`;
};

/** FastAPI's own validation answer (detail: [{loc, msg}]) read as problems too. */
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

function detailOf(data) {
  if (typeof data?.detail === "string") return data.detail;
  if (Array.isArray(data?.detail)) return data.detail.map((d) => d?.msg || "").filter(Boolean).join("; ");
  return "";
}

async function send(method, path, body) {
  const init = { method, credentials: "same-origin", headers: { Accept: "application/json" } };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  if (UNSAFE.has(method) && token) init.headers["X-CSRF-Token"] = token;
  let response;
  try {
    response = await fetch(path, init);
  } catch {
    throw new ApiError(0, t("api.unreachable"));
  }
  const text = await response.text();
  let data = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (response.status === 401) {
    signedOut();
    throw new ApiError(401, t("api.signIn"));
  }
  if (!response.ok) {
    const detail = detailOf(data);
    const error = new ApiError(
      response.status,
      detail ? sentence(detail) : t("api.failed", { status: response.status }),
      { detail },
    );
    error.problems = problemsOf(data);
    throw error;
  }
  return data;
}

function refreshToken() {
  if (!refreshing) {
    const asked = generation;
    refreshing = send("GET", ME_PATH)
      .then((me) => {
        if (asked === generation && typeof me?.csrf_token === "string") setToken(me.csrf_token);
      })
      .finally(() => {
        refreshing = null;
      });
  }
  return refreshing;
}

const csrfRefusal = (error) => error instanceof ApiError && error.status === 403 && /csrf/i.test(error.detail);

/** One request; the answer's JSON (null when empty). */
export async function call(method, path, body) {
  const verb = String(method).toUpperCase();
  try {
    return await send(verb, path, body);
  } catch (error) {
    if (!(UNSAFE.has(verb) && csrfRefusal(error))) throw error;
  }
  await refreshToken();
  return send(verb, path, body);
}

/** `/api/console/admin/` + the parts, each one encoded. */
export const adminPath = (...parts) =>
  `/api/console/admin/${parts.map((part) => encodeURIComponent(String(part))).join("/")}`;
