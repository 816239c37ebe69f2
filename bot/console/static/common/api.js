/* The gateway's JSON API for the staff pages (session cookie). Errors are ApiError with the
 * HTTP status (0: the server can't be reached) and a sentence to show. A 401 outside the
 * sign-in itself calls the handler given to onUnauthorized (the page shows its sign-in form).
 */

import { capitalize } from "./format.js";

const LOGIN_PATH = "/api/console/login";

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

let unauthorized = () => {};

/** Sets what a 401 does (once per page). */
export function onUnauthorized(handler) {
  unauthorized = handler;
}

function detailOf(data) {
  if (!data) return "";
  const detail = data.detail;
  if (typeof detail === "string") return detail;
  if (Array.isArray(detail)) return detail.map((d) => d.msg || "").filter(Boolean).join("; ");
  return "";
}

export async function api(method, path, body) {
  const init = { method, credentials: "same-origin", headers: { Accept: "application/json" } };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch {
    throw new ApiError(0, "The server can't be reached. Check the connection and try again.");
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
    throw new ApiError(401, "Please sign in.");
  }
  if (!response.ok) {
    const detail = detailOf(data);
    throw new ApiError(
      response.status,
      detail ? capitalize(detail) + "." : `The request failed (HTTP ${response.status}).`,
    );
  }
  return data;
}
