/* The admin API (/api/console/admin/…) through the staff pages' JSON API (common/api.js: the
 * session cookie, the CSRF token, ApiError — with a refused change's `problems`). */

import { api } from "../common/api.js";

/** One request; the answer's JSON (null when empty). */
export const call = (method, path, body) => api(method, path, body);

/** `/api/console/admin/` + the parts, each one encoded. */
export const adminPath = (...parts) =>
  `/api/console/admin/${parts.map((part) => encodeURIComponent(String(part))).join("/")}`;
