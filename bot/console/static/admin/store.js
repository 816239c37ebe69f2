/* What the admin page's modules share, and how one asks for another part of the page without
 * importing it (imports go one way: main.js defines the actions, the tabs call them).
 *
 *   define("tab", (name) => …)   main.js                 go("tab", "training")   any module
 *
 * Actions: "tab" (show a tab), "openResponse" (the Responses tab, one response open),
 * "openIntent", "denied" (a 403: the admins-only message). */

export const state = {
  me: null, // the signed-in admin (GET /api/console/me)
  entities: null, // entity names, once loaded (GET /api/console/admin/entities)
  factKeys: null, // the shop facts' keys, the responses' {placeholders}
  stale: new Set(), // tabs to load again when next shown (a change elsewhere touched them)
};

const actions = new Map();

export function define(name, action) {
  actions.set(name, action);
}

export function go(name, ...args) {
  const action = actions.get(name);
  return action ? action(...args) : undefined;
}

/** The tabs whose data a change of these files touched (a revert, mostly). */
export function markStale(...tabs) {
  for (const tab of tabs) state.stale.add(tab);
}

/** Whether the tab must load again (and forgets that it must). */
export function takeStale(tab) {
  const stale = state.stale.has(tab);
  state.stale.delete(tab);
  return stale;
}
