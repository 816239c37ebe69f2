/* LERA Desk — the admin pages (/console/admin). Native ES modules, no build step; every server
 * or customer text is inserted as text.
 *
 *   main.js      boot (who is signed in, the CSRF token), sign-in, the views, the tabs, languages
 *   strings.js   the page's texts in English and Chinese     lang.js     those texts on drawn elements
 *   request.js   the admin API (keeps a 422's problems)      store.js    shared state, go(action)
 *   widgets.js   fields, buttons, busy buttons, tables       feedback.js the saved / error banners
 *   problems.js  a refused change's problems                 entities.js entity markup, "mark entity"
 *   intents.js · responses.js · phrases.js · shop.js · canned.js · agents.js · policy.js ·
 *   changes.js · training.js   the tabs
 *
 * API: GET /api/console/me (the session; the role must be "admin"), POST /api/console/login
 * (signing in here), and /api/console/admin/… (see each tab). 401 → the sign-in form; 403 or
 * another role → "Admins only". */

import "./strings.js";
import { $ } from "/static/shared/dom.js";
import { api, onUnauthorized, setCsrfToken } from "../common/api.js";
import { roleText } from "../common/format.js";
import { lang, onLangChange, setLang, t } from "../common/i18n.js";
import { mountAgents, showAgents } from "./agents.js";
import { mountCanned, showCanned } from "./canned.js";
import { mountChanges, showChanges } from "./changes.js";
import { clearFeedback, errorText, setFeedbackSlot } from "./feedback.js";
import { intentsLanguage, mountIntents, openIntent, showIntents } from "./intents.js";
import { applyTexts } from "./lang.js";
import { mountPhrases, showPhrases } from "./phrases.js";
import { mountPolicy, showPolicy } from "./policy.js";
import { mountResponses, openResponse, responsesLanguage, showResponses } from "./responses.js";
import { mountShop, showShop } from "./shop.js";
import { define, state } from "./store.js";
import { hideTraining, mountTraining, showTraining } from "./training.js";

const TABS = {
  intents: { mount: mountIntents, show: showIntents, language: intentsLanguage },
  responses: { mount: mountResponses, show: showResponses, language: responsesLanguage },
  phrases: { mount: mountPhrases, show: showPhrases },
  shop: { mount: mountShop, show: showShop },
  canned: { mount: mountCanned, show: showCanned },
  agents: { mount: mountAgents, show: showAgents },
  policy: { mount: mountPolicy, show: showPolicy },
  changes: { mount: mountChanges, show: showChanges },
  training: { mount: mountTraining, show: showTraining, hide: hideTraining },
};
const ORDER = Object.keys(TABS);
const DEFAULT_TAB = "intents";

const page = { view: "booting", tab: null, mounted: new Set(), entered: false, signinMessage: "" };

/* ---------- the views ---------- */

function showView(name) {
  page.view = name;
  $("#booting").hidden = name !== "booting";
  $("#topbar").hidden = name === "booting";
  $("#signin-view").hidden = name !== "signin";
  $("#denied-view").hidden = name !== "denied";
  $("#boot-error-view").hidden = name !== "boot-error";
  $("#admin-view").hidden = name !== "admin";
  if (name !== "admin" && page.tab) TABS[page.tab].hide?.();
}

function renderMe() {
  const me = state.me;
  $("#me").hidden = !me;
  $("#reports-link").hidden = !me || me.role === "agent";
  if (!me) return;
  $("#me-name").textContent = me.name || me.email || "";
  $("#me-role").textContent = roleText(me.role);
}

function renderSigninMessage() {
  const box = $("#signin-error");
  const key = page.signinMessage;
  box.textContent = key ? (key.startsWith("!") ? key.slice(1) : t(key)) : "";
  box.hidden = !key;
}

/** Signed out (a 401 anywhere): the sign-in form; the page under it is kept as it was. */
function signedOut() {
  if (page.view === "signin") return;
  setCsrfToken("");
  page.signinMessage = page.entered ? "signin.ended" : "";
  renderSigninMessage();
  showView("signin");
  $("#signin-email").focus();
}

function denied() {
  showView("denied");
}

/* ---------- the tabs ---------- */

function tabButton(name) {
  return $(`#tab-${name}`);
}

async function selectTab(name, { focus = false } = {}) {
  const wanted = TABS[name] ? name : DEFAULT_TAB;
  if (page.tab && page.tab !== wanted) TABS[page.tab].hide?.();
  clearFeedback();
  page.tab = wanted;
  for (const other of ORDER) {
    const selected = other === wanted;
    const button = tabButton(other);
    button.setAttribute("aria-selected", String(selected));
    button.tabIndex = selected ? 0 : -1;
    $(`#panel-${other}`).hidden = !selected;
  }
  if (focus) tabButton(wanted).focus();
  tabButton(wanted).scrollIntoView({ block: "nearest", inline: "nearest" });
  if (window.location.hash !== `#${wanted}`) history.replaceState(null, "", `#${wanted}`);
  const panel = $(`#panel-${wanted}`);
  if (!page.mounted.has(wanted)) {
    page.mounted.add(wanted);
    TABS[wanted].mount(panel);
    applyTexts(panel);
  }
  panel.setAttribute("aria-busy", "true");
  try {
    await TABS[wanted].show();
  } finally {
    panel.removeAttribute("aria-busy");
  }
}

function wireTabs() {
  const list = $("#admin-tabs");
  list.addEventListener("click", (event) => {
    const button = event.target.closest("[role=tab]");
    if (button) selectTab(button.dataset.tab);
  });
  list.addEventListener("keydown", (event) => {
    const at = ORDER.indexOf(page.tab);
    let next = null;
    if (event.key === "ArrowRight") next = ORDER[(at + 1) % ORDER.length];
    else if (event.key === "ArrowLeft") next = ORDER[(at - 1 + ORDER.length) % ORDER.length];
    else if (event.key === "Home") next = ORDER[0];
    else if (event.key === "End") next = ORDER[ORDER.length - 1];
    if (!next) return;
    event.preventDefault();
    selectTab(next, { focus: true });
  });
  window.addEventListener("hashchange", () => {
    const name = window.location.hash.slice(1);
    if (page.view === "admin" && TABS[name] && name !== page.tab) selectTab(name);
  });
}

define("tab", (name) => selectTab(name, { focus: true }));
define("denied", denied);
define("openResponse", async (name) => {
  await selectTab("responses");
  await openResponse(name);
});
define("openIntent", async (name) => {
  await selectTab("intents");
  await openIntent(name);
});

/* ---------- signing in, booting ---------- */

async function enter(me) {
  const { csrf_token: token, ...agent } = me || {};
  setCsrfToken(token);
  const sameAdmin = page.entered && state.me && String(state.me.id) === String(agent.id);
  state.me = agent;
  renderMe();
  if (agent.role !== "admin") {
    showView("denied");
    return;
  }
  showView("admin");
  if (sameAdmin && page.tab) return; // back from a sign-in: the page is as it was left
  page.entered = true;
  const wanted = window.location.hash.slice(1);
  await selectTab(TABS[wanted] ? wanted : page.tab || DEFAULT_TAB);
}

async function onSignin(event) {
  event.preventDefault();
  const email = $("#signin-email").value.trim();
  const password = $("#signin-password").value;
  if (!email || !password) {
    page.signinMessage = "signin.missing";
    renderSigninMessage();
    (email ? $("#signin-password") : $("#signin-email")).focus();
    return;
  }
  const submit = $("#signin-submit");
  submit.disabled = true;
  page.signinMessage = "";
  renderSigninMessage();
  try {
    const me = await api("POST", "/api/console/login", { email, password });
    $("#signin-password").value = "";
    await enter(me);
  } catch (error) {
    if (error?.status === 401) page.signinMessage = "signin.wrong";
    else if (error?.status === 429) page.signinMessage = "signin.tooMany";
    else page.signinMessage = `!${errorText(error)}`;
    renderSigninMessage();
    $("#signin-password").select();
  } finally {
    submit.disabled = false;
  }
}

async function boot() {
  showView("booting");
  let me;
  try {
    me = await api("GET", "/api/console/me");
  } catch (error) {
    if (error?.status === 401) {
      signedOut();
      return;
    }
    if (error?.status === 403) {
      denied();
      return;
    }
    $("#boot-error-text").textContent = errorText(error);
    showView("boot-error");
    return;
  }
  await enter(me);
}

/* ---------- languages ---------- */

function wireLangSwitch() {
  const select = $("#lang-switch");
  select.value = lang();
  select.addEventListener("change", () => setLang(select.value));
}

function onLanguage() {
  document.title = t("page.title");
  $("#lang-switch").value = lang();
  applyTexts(document);
  renderMe();
  renderSigninMessage();
  for (const name of page.mounted) TABS[name].language?.();
}

function start() {
  document.title = t("page.title");
  applyTexts(document);
  wireLangSwitch();
  onLangChange(onLanguage);
  setFeedbackSlot($("#admin-feedback"));
  onUnauthorized(signedOut);
  wireTabs();
  $("#signin-form").addEventListener("submit", onSignin);
  $("#boot-retry").addEventListener("click", boot);
  boot();
}

start();
