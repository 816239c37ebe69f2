/* What the page says after a request: the success banner (data-testid="admin-saved") and the
 * error banner (data-testid="admin-error"), each one element moved beside what was saved (a
 * row, a form), and a refused change's problems (problems.js). `where`: {after: node},
 * {before: node} or {into: node} (first inside); without one (or once that node is gone) the
 * banners go to the top of the page's content. */

import { el } from "/static/shared/dom.js";
import { t } from "../common/i18n.js";
import { tx, ta } from "./lang.js";
import { clearProblems, problemsBox, showProblems } from "./problems.js";
import { go } from "./store.js";

export const savedBox = el("div", { class: "admin-banner admin-saved", "data-testid": "admin-saved", role: "status", hidden: true });
export const errorBox = el("div", { class: "admin-banner admin-error", "data-testid": "admin-error", role: "alert", hidden: true });

let slot = null;

/** The fallback place of the banners (the top of the content). */
export function setFeedbackSlot(node) {
  slot = node;
}

/** Takes node out of the page (and the table row or list item holding it, if it had one). */
function detach(node) {
  const holder = node.closest?.(".feedback-row");
  node.remove();
  if (holder && !holder.querySelector(".admin-banner, .admin-problems")) holder.remove();
}

/** A table row's or list item's own row for the banners, beside it (made when missing). */
function holderBeside(target, after) {
  const near = after ? target.nextElementSibling : target.previousElementSibling;
  if (near?.classList.contains("feedback-row")) return near.tagName === "TR" ? near.firstElementChild : near;
  const holder =
    target.tagName === "TR"
      ? el("tr", { class: "feedback-row" }, el("td", { colspan: String(target.cells.length || 1) }))
      : el("li", { class: "feedback-row" });
  if (after) target.after(holder);
  else target.before(holder);
  return holder.tagName === "TR" ? holder.firstElementChild : holder;
}

/** Puts node where asked: beside a table row or list item, in a row or item of its own. */
export function place(node, where = {}) {
  const target = where.after || where.before || where.into;
  detach(node);
  if (!target || !target.isConnected) {
    slot?.prepend(node);
    return;
  }
  if ((target.tagName === "TR" || target.tagName === "LI") && !where.into) {
    holderBeside(target, Boolean(where.after)).append(node);
    return;
  }
  if (where.into) target.prepend(node);
  else if (where.after) target.after(node);
  else target.before(node);
}

export function hideSaved() {
  savedBox.hidden = true;
  savedBox.replaceChildren();
  detach(savedBox);
}

export function hideError() {
  errorBox.hidden = true;
  errorBox.replaceChildren();
  detach(errorBox);
}

/** Before a request: nothing said from the last one. */
export function clearFeedback() {
  hideSaved();
  hideError();
  clearProblems();
  detach(problemsBox);
}

const closeButton = (onClose) =>
  el("button", { type: "button", class: "banner-close", ...ta({ "aria-label": "banner.dismiss", title: "banner.dismiss" }), onclick: onClose }, el("span", { "aria-hidden": "true", text: "×" }));

/**
 * The success banner. kind: "retrain" (the assistant changes once a model trained on it is
 * activated: a link to the Training tab), "now" (in effect at once), "deleted", "activated",
 * "invited", "reset". change: the server's Change (its summary is shown as it comes).
 */
export function showSaved(kind, { change = null, where } = {}) {
  hideError();
  clearProblems();
  detach(problemsBox);
  place(savedBox, where);
  savedBox.dataset.kind = kind;
  savedBox.replaceChildren(
    el("span", { class: "banner-icon", "aria-hidden": "true", text: "✓" }),
    el(
      "div",
      { class: "banner-body" },
      el("p", { class: "banner-title", ...tx(`saved.${kind}`) }),
      change?.summary ? el("p", { class: "banner-detail", text: change.summary }) : null,
      kind === "retrain"
        ? el("button", { type: "button", class: "link-button banner-link", ...tx("saved.toTraining"), onclick: () => go("tab", "training") })
        : null,
    ),
    closeButton(hideSaved),
  );
  savedBox.hidden = false;
  savedBox.scrollIntoView({ block: "nearest" });
}

/** A sentence for an error: the server's detail as it sent it, else the page's own words. */
export function errorText(error) {
  if (!error) return "";
  if (error.status === 0) return t("error.offline");
  if (error.detail) return error.message;
  if (error.status === 409) return t("error.conflict");
  if (error.status) return t("error.generic", { status: error.status });
  return String(error.message || error);
}

export function showError(error, { where } = {}) {
  hideSaved();
  place(errorBox, where);
  errorBox.replaceChildren(
    el("span", { class: "banner-icon", "aria-hidden": "true", text: "!" }),
    el("div", { class: "banner-body" }, el("p", { class: "banner-title", text: typeof error === "string" ? error : errorText(error) })),
    closeButton(hideError),
  );
  errorBox.hidden = false;
  errorBox.scrollIntoView({ block: "nearest" });
}

/**
 * A failed request said where it belongs: 401 nothing (the sign-in form is up), 403 the
 * admins-only message, 422 the problems (scope: where the fields are), else the error banner.
 */
export function fail(error, { where, scope } = {}) {
  if (error?.status === 401) return;
  if (error?.status === 403 && !/csrf/i.test(error.detail || "")) {
    go("denied");
    return;
  }
  if (error?.status === 422) {
    hideSaved();
    hideError();
    place(problemsBox, where);
    const first = showProblems(error.problems || [], { scope: scope || document, detail: error.message });
    problemsBox.scrollIntoView({ block: "nearest" });
    if (first && !first.disabled) first.focus({ preventScroll: true });
    return;
  }
  showError(error, { where });
}
