/* DOM helpers shared by the chat widget and the staff pages (agent console, later admin and
 * reports). Served by the gateway at /static/shared/dom.js; the widget imports it from the
 * gateway it was loaded from, on any shop page. Text is always inserted as text, never as markup.
 */

const SVG_NS = "http://www.w3.org/2000/svg";
const empty = (value) => value === null || value === undefined || value === false;

/** Children to append: nested arrays flattened, empty ones (null, undefined, false) dropped. */
const present = (children) => children.flat(Infinity).filter((child) => !empty(child));

/**
 * Builds an element. props: attributes (null/undefined/false are left out, true is ""), plus
 * "class", "text" (its text content) and "onX" functions (event listeners). Children are nodes
 * or strings (strings become text nodes), in arrays or not.
 */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (empty(value)) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = String(value);
    else if (key.startsWith("on") && typeof value === "function") {
      node.addEventListener(key.slice(2), value);
    } else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of present(children)) node.append(child instanceof Node ? child : String(child));
  return node;
}

/** Builds an SVG element (attributes as for el, children SVG elements). */
export function svg(tag, attrs = {}, ...children) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (!empty(value)) node.setAttribute(key, value === true ? "" : String(value));
  }
  node.append(...present(children));
  return node;
}

/** A decorative icon: an <svg> hidden from assistive technology. */
export const icon = (attrs, ...shapes) =>
  svg("svg", { "aria-hidden": "true", focusable: "false", ...attrs }, ...shapes);

/** Replaces a node's children, skipping empty ones (replaceChildren would print "null"). */
export function fill(node, ...children) {
  node.replaceChildren(...present(children));
}

export const $ = (selector, root = document) => root.querySelector(selector);
export const $$ = (selector, root = document) => Array.from(root.querySelectorAll(selector));
