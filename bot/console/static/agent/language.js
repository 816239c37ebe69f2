/* The console's language: the switch (English | 中文, remembered by common/i18n.js in this
 * browser; on the sign-in page and in the top bar), the page's static texts (data-i18n), and
 * redrawing every view in the new language without a reload. */

import { lang, onLangChange, setLang } from "../common/i18n.js";
import { translateDom } from "../common/i18n_dom.js";
import { tick } from "../common/ticker.js";
import { renderMe } from "./agents.js";
import { renderConversation } from "./conversation.js";
import { renderConnection } from "./live.js";
import { renderLoginError } from "./session.js";
import { render } from "./store.js";
import { ui } from "./ui.js";

/** Everything drawn again in the current language (what is on screen stays where it is). */
export function renderLanguage() {
  translateDom();
  if (ui.langSwitch) ui.langSwitch.value = lang();
  renderLoginError();
  renderConnection();
  renderMe();
  render("queue"); // also the page's title
  renderConversation({ keepScroll: true });
  render("actions");
  render("work");
  render("tickets");
  render("ticketDetail", { keepScroll: true });
  render("ticketActions");
  tick(); // the relative times ("3 min", "due in 2 h")
}

/** Once, after collect(): the static texts now, the switch wired, a change redraws. */
export function startLanguage() {
  translateDom();
  if (ui.langSwitch) {
    ui.langSwitch.value = lang();
    ui.langSwitch.addEventListener("change", () => setLang(ui.langSwitch.value));
  }
  onLangChange(renderLanguage);
}
