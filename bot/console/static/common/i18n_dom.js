/* A page's static texts in the current language: every element with data-i18n="key" gets the
 * key's text as its content; data-i18n-placeholder, data-i18n-title and data-i18n-aria-label
 * set those attributes. Call it once at start and again after each language switch
 * (onLangChange). An element whose text is drawn by a script has no data-i18n (the script
 * draws it with t()); an element with children to keep wraps its words in a <span data-i18n>.
 */

import { t } from "./i18n.js";

const ATTRIBUTES = [
  ["data-i18n-placeholder", "placeholder"],
  ["data-i18n-title", "title"],
  ["data-i18n-aria-label", "aria-label"],
];

export function translateDom(root = document) {
  for (const node of root.querySelectorAll("[data-i18n]")) node.textContent = t(node.dataset.i18n);
  for (const [marker, attribute] of ATTRIBUTES) {
    for (const node of root.querySelectorAll(`[${marker}]`)) node.setAttribute(attribute, t(node.getAttribute(marker)));
  }
}
