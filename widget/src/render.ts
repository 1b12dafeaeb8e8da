/**
 * Builds the elements of one message. Text is only ever set as text nodes: bot and user
 * text never becomes HTML. Each message gets its own direction (Arabic right-to-left),
 * independent of the interface language.
 */

import { h, srOnly } from "./dom";
import type { Reply, StoredMessage } from "./storage";
import { type Direction, formatText, textDirection } from "./text";

function directionAttrs(dir: Direction): Record<string, string | undefined> {
  return { dir, lang: dir === "rtl" ? "ar" : undefined };
}

/** The formatted body of a message: bold as <strong>, links as safe <a>, line breaks kept by CSS. */
export function renderText(text: string): DocumentFragment {
  const fragment = document.createDocumentFragment();
  for (const segment of formatText(text)) {
    const node = segment.href
      ? h(
          "a",
          {
            attrs: {
              href: segment.href,
              title: segment.href,
              target: "_blank",
              rel: "noopener noreferrer",
              dir: "ltr",
            },
          },
          segment.text,
          " ",
          srOnly("newTab"),
        )
      : segment.ltr
        ? h("bdi", { attrs: { dir: "ltr" } }, segment.text)
        : document.createTextNode(segment.text);
    fragment.append(segment.bold ? h("strong", {}, node) : node);
  }
  return fragment;
}

/**
 * An advisor's message: styled apart, with their name shown and read first by screen readers;
 * a notice (an advisor joined or left): neither the user's nor the bot's voice.
 */
function speaker(message: StoredMessage): Node {
  if (message.role === "agent") {
    return h(
      "span",
      { className: "msg__author" },
      h("bdi", {}, message.agent || ""),
      " · ",
      h("span", { i18n: "agentRole" }),
      h("span", { className: "sr-only", text: " :" }),
    );
  }
  if (message.role === "notice") return srOnly("noticeSaid");
  return srOnly(message.from === "user" ? "youSaid" : "botSaid");
}

export function renderMessage(message: StoredMessage): HTMLElement {
  const dir = textDirection(message.text);
  const role = message.role ? ` msg--${message.role}` : "";
  return h(
    "div",
    { className: `msg msg--${message.from}${role}`, attrs: { ...directionAttrs(dir), "data-from": message.from } },
    speaker(message),
    message.text ? h("div", { className: "msg__text" }, renderText(message.text)) : null,
    message.image
      ? h("img", { className: "msg__image", attrs: { src: message.image, loading: "lazy" }, alt: "image" })
      : null,
  );
}

/** Payloads of the "was this answer useful?" buttons: shown as small thumbs under the answer. */
const FEEDBACK_PAYLOAD = /^\/feedback_(?:helpful|unhelpful)$/;

/** Suggested replies as a group of buttons; `onChoose` gets the reply chosen. */
export function renderReplies(replies: readonly Reply[], onChoose: (reply: Reply) => void): HTMLElement {
  const feedback = replies.length > 0 && replies.every((reply) => FEEDBACK_PAYLOAD.test(reply.payload));
  const group = h("div", {
    className: feedback ? "replies replies--feedback" : "replies",
    attrs: { role: "group" },
    label: "replies",
  });
  for (const reply of replies) {
    const button = h(
      "button",
      {
        className: feedback ? "reply reply--feedback" : "reply",
        attrs: { type: "button", ...directionAttrs(textDirection(reply.title)) },
      },
      reply.title,
    );
    button.addEventListener("click", () => onChoose(reply));
    group.append(button);
  }
  return group;
}
