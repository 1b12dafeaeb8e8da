/**
 * The chat widget: a launcher button and a chat panel in a shadow root (the host page's
 * styles cannot reach in, ours cannot leak out). It keeps the conversation in storage,
 * talks to Rasa through `RasaConnection` and follows the interface language's direction;
 * every message follows its own.
 */

import type { WidgetConfig } from "./config";
import { type ConnectionState, RasaConnection } from "./connection";
import { applyStrings, h, icon, type StringKey } from "./dom";
import { format, type Language, LANGUAGES, STRINGS, type Strings } from "./i18n";
import type { BotMessage } from "./protocol";
import { renderMessage, renderReplies } from "./render";
import { type Reply, type StoredMessage, WidgetStorage } from "./storage";
import { textDirection } from "./text";

function latestTimestamp(messages: readonly StoredMessage[]): number | null {
  let latest: number | null = null;
  for (const message of messages) {
    if (message.at !== undefined && (latest === null || message.at > latest)) latest = message.at;
  }
  return latest;
}

/** Longest message sent; the text box stops there and says so. */
export const MAX_MESSAGE_LENGTH = 2000;
/** The counter appears from this share of the limit. */
const COUNTER_FROM = 0.8;
/** How long the typing indicator waits for the bot before saying it is slow. */
const TYPING_TIMEOUT_MS = 25_000;
/** A first connection this slow is worth a "connecting" note. */
const CONNECTING_NOTE_DELAY_MS = 1500;
const ONLINE_NOTE_MS = 3000;
/** While an advisor holds the conversation, catch up this often (a push may have gone to another server). */
const HANDOFF_SYNC_MS = 20_000;

const ICON_CHAT =
  "M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2zm3 6a1.5 1.5 0 1 0 0 .01zm5 0a1.5 1.5 0 1 0 0 .01zm5 0a1.5 1.5 0 1 0 0 .01z";
const ICON_CLOSE = "M6.4 5 5 6.4 10.6 12 5 17.6 6.4 19l5.6-5.6 5.6 5.6 1.4-1.4-5.6-5.6L19 6.4 17.6 5 12 10.6z";
const ICON_RESTART = "M12 5V2L7 6l5 4V7a5 5 0 1 1-5 5H5a7 7 0 1 0 7-7z";
const ICON_SEND = "M3 20.5 21 12 3 3.5 3 10l12 2-12 2z";

type Tone = "info" | "warning";

export class ChatWidget {
  private readonly storage: WidgetStorage;
  private readonly connection: RasaConnection;
  private language: Language;
  private messages: StoredMessage[];
  private isOpen = false;
  private unread = 0;
  /** A user message went (or waits to go) out and the bot has not answered yet. */
  private awaitingReply = false;
  private connectionState: ConnectionState | null = null;
  private statusKey: StringKey | null = null;
  private typingTimer: number | undefined;
  private statusTimer: number | undefined;
  private connectingNote: number | undefined;
  private handoffTimer: number | undefined;
  /** The advisor holding the conversation (the bot is paused), or null. */
  private agent: string | null;
  /** The server timestamp of the last server message shown: what a reconnect catches up from. */
  private cursor: number | null;
  /** The first bot message since the user last spoke: a long turn is shown from there. */
  private turnStart: HTMLElement | null = null;

  // elements
  private readonly root = h("div", { className: "root", attrs: { hidden: "" } });
  private readonly launcher = h("button", {
    className: "launcher",
    attrs: { type: "button", "aria-expanded": "false", "aria-controls": "chat-panel" },
  });
  private readonly badge = h("span", { className: "launcher__badge", attrs: { "aria-hidden": "true", hidden: "" } });
  private readonly unreadText = h("span", { className: "sr-only" });
  /** Announces messages that arrive while the panel (and its live log) is closed. */
  private readonly announcer = h("div", { className: "sr-only", attrs: { "aria-live": "polite" } });
  private readonly panel = h("section", {
    className: "panel",
    attrs: { id: "chat-panel", role: "dialog", "aria-labelledby": "chat-title", hidden: "" },
  });
  private readonly pickerButtons = new Map<Language, HTMLButtonElement>();
  private readonly status = h("div", { className: "status", attrs: { role: "status" } });
  private readonly log = h("div", {
    className: "log",
    attrs: { role: "log", "aria-live": "polite", "aria-relevant": "additions", tabindex: "0" },
    label: "log",
  });
  private readonly welcome = h(
    "div",
    { className: "msg msg--bot msg--welcome" },
    h("div", { className: "msg__text", i18n: "welcome" }),
  );
  private readonly typing = h(
    "div",
    { className: "typing", attrs: { hidden: "" } },
    h("span", { className: "typing__dots", attrs: { "aria-hidden": "true" } }, h("span"), h("span"), h("span")),
    h("span", { i18n: "typing" }),
  );
  private readonly typingRegion = h(
    "div",
    { className: "typing-region", attrs: { "aria-live": "polite" } },
    this.typing,
  );
  private readonly form = h("form", { className: "composer", attrs: { novalidate: "" } });
  private readonly input = h("textarea", {
    className: "composer__input",
    attrs: {
      id: "chat-input",
      rows: "1",
      maxlength: String(MAX_MESSAGE_LENGTH),
      autocomplete: "off",
      enterkeyhint: "send",
      "aria-describedby": "chat-help chat-counter",
    },
    placeholder: "placeholder",
  });
  private readonly counter = h("span", { className: "counter", attrs: { id: "chat-counter", hidden: "" } });
  private readonly subtitle = h("p", { className: "panel__subtitle", i18n: "subtitle" });
  /** "An adviser is answering: <name>", in place of the subtitle while a person holds the conversation. */
  private readonly agentNote = h("p", { className: "panel__agent", attrs: { hidden: "", role: "status" } });

  constructor(
    private readonly shadow: ShadowRoot,
    private readonly config: WidgetConfig,
  ) {
    this.storage = new WidgetStorage(config.storagePrefix);
    const saved = this.storage.load();
    this.language = saved.language ?? config.language;
    this.messages = saved.messages;
    this.agent = saved.agent;
    this.cursor = latestTimestamp(this.messages);
    this.connection = new RasaConnection({
      url: config.socketUrl,
      path: config.socketPath,
      sessionId: saved.sessionId,
      onMessage: (message) => this.receive(message),
      onState: (state) => this.setConnectionState(state),
      onSession: (id) => this.storage.saveSession(id),
      cursor: () => this.cursor,
      onHandoffState: (agent) => this.setAgent(agent),
      onTurnFailed: (failure) => {
        // said in the conversation's language; the message is sent again by itself
        this.hideTyping();
        this.setStatus(failure.code === "unavailable" ? "turnUnavailable" : "turnFailed", "warning");
      },
    });
    if (this.agent !== null) this.setAgent(this.agent); // resumes catching up while a person answers
    // A conversation already exists: reconnect now, so advisor messages arrive even while closed.
    if (saved.sessionId) this.connection.start();
    if (saved.open) this.open(false);
  }

  private get strings(): Strings {
    return STRINGS[this.language];
  }

  mount(): void {
    const stylesheet = h("link", { attrs: { rel: "stylesheet", href: this.config.cssUrl } });
    // Shown once styled, so the page never flashes an unstyled panel.
    const show = (): void => this.root.removeAttribute("hidden");
    stylesheet.addEventListener("load", show, { once: true });
    stylesheet.addEventListener("error", show, { once: true });

    // The visible text is the accessible name (plus the unread count for screen readers).
    this.launcher.append(
      icon(ICON_CHAT),
      h("span", { className: "launcher__text", i18n: "launcher" }),
      this.unreadText,
      this.badge,
    );
    this.launcher.addEventListener("click", () => (this.isOpen ? this.close() : this.open(true)));

    this.panel.append(
      this.buildHeader(),
      this.buildPicker(),
      this.status,
      this.log,
      this.typingRegion,
      this.buildComposer(),
    );
    this.root.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && this.isOpen && !event.isComposing) {
        event.preventDefault();
        this.close();
        this.launcher.focus();
      }
    });

    this.root.append(this.launcher, this.announcer, this.panel);
    this.shadow.append(stylesheet, this.root);
    this.renderLog();
    this.applyLanguage();
  }

  // ------------------------------------------------------------------ building

  private buildHeader(): HTMLElement {
    const restart = h(
      "button",
      { className: "icon-button", attrs: { type: "button" }, label: "restart" },
      icon(ICON_RESTART),
    );
    restart.dataset.i18nTitle = "restart";
    restart.addEventListener("click", () => this.restart());
    const close = h(
      "button",
      { className: "icon-button", attrs: { type: "button" }, label: "close" },
      icon(ICON_CLOSE),
    );
    close.addEventListener("click", () => this.close());
    return h(
      "header",
      { className: "panel__header" },
      h(
        "div",
        { className: "panel__titles" },
        h("h2", { className: "panel__title", attrs: { id: "chat-title" }, i18n: "title" }),
        this.subtitle,
        this.agentNote,
      ),
      h("div", { className: "panel__actions" }, restart, close),
    );
  }

  private buildPicker(): HTMLElement {
    const picker = h("div", { className: "picker", attrs: { role: "group" }, label: "languagePicker" });
    for (const language of LANGUAGES) {
      const strings = STRINGS[language];
      const button = h(
        "button",
        {
          className: "picker__button",
          attrs: { type: "button", lang: language, dir: strings.dir, "aria-pressed": "false" },
        },
        strings.languageName,
      );
      button.addEventListener("click", () => this.chooseLanguage(language));
      this.pickerButtons.set(language, button);
      picker.append(button);
    }
    return picker;
  }

  private buildComposer(): HTMLElement {
    const label = h("label", { className: "sr-only", attrs: { for: "chat-input" }, i18n: "inputLabel" });
    const send = h(
      "button",
      { className: "composer__send", attrs: { type: "submit" } },
      icon(ICON_SEND),
      h("span", { className: "composer__send-text", i18n: "send" }),
    );
    const help = h("span", { className: "sr-only", attrs: { id: "chat-help" }, i18n: "inputHelp" });
    this.input.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        this.form.requestSubmit();
      }
    });
    this.input.addEventListener("input", () => {
      this.updateCounter();
      this.updateInputDirection();
    });
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      if (this.sendUserMessage(this.input.value)) {
        this.input.value = "";
        this.updateCounter();
        this.updateInputDirection();
      }
      this.input.focus();
    });
    this.form.append(
      label,
      h("div", { className: "composer__row" }, this.input, send),
      h("p", { className: "composer__meta" }, help, this.counter),
    );
    return this.form;
  }

  // ------------------------------------------------------------------ opening and closing

  open(focus: boolean): void {
    this.isOpen = true;
    this.panel.hidden = false;
    this.root.classList.add("is-open");
    this.launcher.setAttribute("aria-expanded", "true");
    this.unread = 0;
    this.announcer.textContent = "";
    this.updateLauncher();
    this.storage.saveOpen(true);
    this.connection.start();
    this.scrollToEnd();
    if (focus) this.input.focus();
  }

  close(): void {
    if (!this.isOpen) return;
    const hadFocus = this.panel.contains(this.shadow.activeElement);
    this.isOpen = false;
    this.panel.hidden = true;
    this.root.classList.remove("is-open");
    this.launcher.setAttribute("aria-expanded", "false");
    this.storage.saveOpen(false);
    if (hadFocus) this.launcher.focus(); // focus never falls back to the top of the page
  }

  // ------------------------------------------------------------------ language

  private chooseLanguage(language: Language): void {
    this.language = language;
    this.storage.saveLanguage(language);
    this.applyLanguage();
    this.sendUserMessage(`/switch_language{"language": "${language}"}`, STRINGS[language].languageName);
  }

  private applyLanguage(): void {
    const strings = this.strings;
    this.root.lang = this.language;
    this.root.dir = strings.dir;
    this.welcome.dir = strings.dir;
    applyStrings(this.shadow, strings);
    for (const element of this.shadow.querySelectorAll<HTMLElement>("[data-i18n-title]")) {
      element.title = strings[element.dataset.i18nTitle as StringKey];
    }
    for (const [language, button] of this.pickerButtons) {
      button.setAttribute("aria-pressed", String(language === this.language));
    }
    this.updateLauncher();
    this.updateCounter();
    this.updateInputDirection();
    this.renderAgent();
    if (this.statusKey) this.status.textContent = this.statusText(this.statusKey);
  }

  /** Follows the language the conversation is now in (the bot's messages say which). */
  private followLanguage(language: Language | undefined): void {
    if (!language || language === this.language) return;
    this.language = language;
    this.storage.saveLanguage(language);
    this.applyLanguage();
  }

  // ------------------------------------------------------------------ a person answering

  private setAgent(agent: string | null): void {
    this.agent = agent;
    this.storage.saveAgent(agent);
    window.clearInterval(this.handoffTimer);
    if (agent !== null) {
      this.awaitingReply = false; // the bot is paused: nobody is "typing"
      this.hideTyping();
      if (this.statusKey === "slow") this.setStatus(null);
      this.handoffTimer = window.setInterval(() => this.connection.requestSync(), HANDOFF_SYNC_MS);
    }
    this.renderAgent();
  }

  private renderAgent(): void {
    const agent = this.agent;
    this.agentNote.hidden = agent === null;
    this.subtitle.hidden = agent !== null;
    if (agent === null) {
      this.agentNote.replaceChildren();
      return;
    }
    if (!agent) {
      this.agentNote.textContent = this.strings.agentAnsweringUnnamed;
      return;
    }
    const [before, after = ""] = this.strings.agentAnswering.split("{agent}");
    this.agentNote.replaceChildren(before ?? "", h("bdi", { text: agent }), after);
  }

  // ------------------------------------------------------------------ conversation

  /** Sends what the user typed or chose; `shown` is displayed instead of a payload. */
  private sendUserMessage(text: string, shown?: string): boolean {
    const message = text.trim().slice(0, MAX_MESSAGE_LENGTH);
    if (!message) return false;
    this.clearReplies();
    this.add({ from: "user", text: shown ?? message, time: Date.now() });
    const sent = this.connection.send(message);
    // While a person holds the conversation the bot is paused: no "typing" for it.
    this.awaitingReply = this.agent === null;
    if (!sent && this.connectionState !== "connecting") this.setStatus("queued", "warning");
    else if (this.awaitingReply) this.showTyping(); // the typing indicator waits for the connection
    return true;
  }

  private chooseReply(reply: Reply): void {
    this.sendUserMessage(reply.payload, reply.title);
    this.input.focus(); // the buttons are gone: keep the keyboard in the conversation
  }

  private receive(message: BotMessage): void {
    const at = message.timestamp;
    if (at !== undefined) {
      if (this.cursor !== null && at <= this.cursor) return; // already shown (live, then caught up)
      this.cursor = at;
    }
    this.awaitingReply = false;
    this.hideTyping();
    if (this.statusKey === "slow" || this.statusKey === "turnUnavailable" || this.statusKey === "turnFailed") {
      this.setStatus(null);
    }
    if (message.turnStart) {
      // a new bot turn (e.g. the rating question once a case is closed): only its replies are offered
      this.clearReplies();
      this.turnStart = null;
    }
    this.followLanguage(message.language);
    if (message.handoff === "joined") this.setAgent(message.agent ?? "");
    else if (message.handoff === "left") this.setAgent(null);
    const role = message.handoff === "staff" ? "agent" : message.handoff ? "notice" : undefined;
    this.add({
      from: "bot",
      text: message.text,
      time: Date.now(),
      ...(message.replies.length ? { replies: message.replies } : {}),
      ...(message.image ? { image: message.image } : {}),
      ...(role ? { role } : {}),
      ...(role === "agent" ? { agent: message.agent ?? this.agent ?? "" } : {}),
      ...(at !== undefined ? { at } : {}),
    });
    if (!this.isOpen) {
      this.unread += 1;
      this.updateLauncher();
      this.announcer.textContent = format(this.strings.unread, { count: this.unread });
    }
  }

  private add(message: StoredMessage): void {
    this.messages.push(message);
    this.storage.saveMessages(this.messages);
    const element = this.appendMessage(message);
    applyStrings(element, this.strings);
    if (message.from !== "bot") {
      this.turnStart = null;
      this.scrollToEnd();
      return;
    }
    this.turnStart ??= element;
    const turnHeight = element.offsetTop + element.offsetHeight - this.turnStart.offsetTop;
    if (turnHeight > this.log.clientHeight) {
      this.log.scrollTop = this.turnStart.offsetTop - 8; // a long answer: show it from its first line
    } else {
      this.scrollToEnd();
    }
  }

  private appendMessage(message: StoredMessage): HTMLElement {
    const element = renderMessage(message);
    this.log.append(element);
    if (message.replies?.length) {
      this.log.append(renderReplies(message.replies, (reply) => this.chooseReply(reply)));
    }
    return element;
  }

  private renderLog(): void {
    this.turnStart = null;
    this.log.replaceChildren(this.welcome);
    for (const message of this.messages) this.appendMessage(message);
  }

  /** Suggested replies are offered until the user says something. */
  private clearReplies(): void {
    for (const group of this.log.querySelectorAll(".replies")) group.remove();
    let changed = false;
    for (const message of this.messages) {
      if (message.replies) {
        delete message.replies;
        changed = true;
      }
    }
    if (changed) this.storage.saveMessages(this.messages);
  }

  private restart(): void {
    if (!window.confirm(this.strings.restartConfirm)) return;
    this.hideTyping();
    this.storage.clearConversation();
    this.messages = [];
    this.cursor = null;
    this.turnStart = null;
    this.setAgent(null);
    this.renderLog();
    applyStrings(this.log, this.strings);
    this.connection.restart();
    this.storage.saveOpen(this.isOpen);
    this.input.focus();
  }

  private scrollToEnd(): void {
    this.log.scrollTop = this.log.scrollHeight;
  }

  // ------------------------------------------------------------------ typing, counter, status

  private showTyping(): void {
    this.typing.hidden = false;
    window.clearTimeout(this.typingTimer);
    this.typingTimer = window.setTimeout(() => {
      this.awaitingReply = false;
      this.hideTyping();
      if (this.connectionState === "online") this.setStatus("slow", "warning");
    }, TYPING_TIMEOUT_MS);
  }

  private hideTyping(): void {
    window.clearTimeout(this.typingTimer);
    this.typing.hidden = true;
  }

  private updateCounter(): void {
    if (this.input.value.length > MAX_MESSAGE_LENGTH) {
      this.input.value = this.input.value.slice(0, MAX_MESSAGE_LENGTH); // pasted past maxlength
    }
    const length = this.input.value.length;
    this.counter.hidden = length < MAX_MESSAGE_LENGTH * COUNTER_FROM;
    this.counter.textContent = format(this.strings.counter, { count: length, max: MAX_MESSAGE_LENGTH });
    this.counter.classList.toggle("counter--full", length >= MAX_MESSAGE_LENGTH);
    if (length >= MAX_MESSAGE_LENGTH) this.setStatus("limitReached", "warning");
    else if (this.statusKey === "limitReached") this.setStatus(null);
  }

  /** Typed text follows its own script; the empty box (and its placeholder) the interface's. */
  private updateInputDirection(): void {
    const text = this.input.value;
    this.input.dir = /\p{L}/u.test(text) ? textDirection(text) : this.strings.dir;
  }

  private updateLauncher(): void {
    this.badge.hidden = this.unread === 0;
    this.badge.textContent = String(this.unread);
    this.unreadText.textContent = this.unread ? ` (${format(this.strings.unread, { count: this.unread })})` : "";
  }

  private setConnectionState(state: ConnectionState): void {
    const previous = this.connectionState;
    if (state === previous) return;
    this.connectionState = state;
    this.showConnectionState(state, previous === "offline");
  }

  private showConnectionState(state: ConnectionState, recovered: boolean): void {
    window.clearTimeout(this.connectingNote);
    switch (state) {
      case "connecting":
        this.connectingNote = window.setTimeout(() => this.setStatus("connecting", "info"), CONNECTING_NOTE_DELAY_MS);
        break;
      case "offline":
      case "unreachable":
        this.hideTyping();
        this.setStatus(state, "warning");
        break;
      case "online":
        if (recovered) this.setStatus("online", "info", ONLINE_NOTE_MS);
        else if (this.statusKey && this.statusKey !== "limitReached") this.setStatus(null);
        if (this.awaitingReply) this.showTyping(); // queued messages have just been sent
        break;
    }
  }

  private statusText(key: StringKey): string {
    return format(this.strings[key], { max: MAX_MESSAGE_LENGTH });
  }

  private setStatus(key: StringKey | null, tone: Tone = "info", hideAfterMs?: number): void {
    window.clearTimeout(this.statusTimer);
    this.statusKey = key;
    this.status.dataset.tone = tone;
    this.status.textContent = key ? this.statusText(key) : "";
    if (key && hideAfterMs) this.statusTimer = window.setTimeout(() => this.setStatus(null), hideAfterMs);
  }
}
