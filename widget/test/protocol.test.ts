import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { format, pickLanguage, STRINGS } from "../src/i18n";
import { confirmedSessionId, newSessionId, parseBotMessage } from "../src/protocol";
import { parseMessages } from "../src/storage";

describe("parseBotMessage", () => {
  it("reads text with quick replies (Rasa socketio) and buttons", () => {
    assert.deepEqual(
      parseBotMessage({
        text: " Bonjour ",
        quick_replies: [{ content_type: "text", title: "Oui", payload: "/affirm" }],
      }),
      { text: "Bonjour", replies: [{ title: "Oui", payload: "/affirm" }] },
    );
    assert.deepEqual(parseBotMessage({ text: "x", buttons: [{ title: "Non", payload: "/deny" }, { nope: 1 }] }), {
      text: "x",
      replies: [{ title: "Non", payload: "/deny" }],
    });
  });

  it("keeps http(s) images only", () => {
    const image = (src: string) => parseBotMessage({ attachment: { type: "image", payload: { src } } });
    assert.equal(image("https://example.org/a.png")?.image, "https://example.org/a.png");
    assert.equal(image("javascript:alert(1)"), null);
  });

  it("reads custom text and ignores empty messages", () => {
    assert.equal(parseBotMessage({ custom: { text: "advisor" } })?.text, "advisor");
    assert.equal(parseBotMessage({}), null);
    assert.equal(parseBotMessage(null), null);
    assert.equal(parseBotMessage({ text: "  " }), null);
  });
});

describe("session ids", () => {
  it("reads both session_confirm forms", () => {
    assert.equal(confirmedSessionId("abc"), "abc");
    assert.equal(confirmedSessionId({ session_id: "def" }), "def");
    assert.equal(confirmedSessionId({}), null);
  });

  it("makes 32 hex digits", () => {
    assert.match(newSessionId(), /^[0-9a-f]{32}$/);
    assert.notEqual(newSessionId(), newSessionId());
  });
});

describe("stored history", () => {
  it("keeps well-formed messages only", () => {
    const raw = JSON.stringify([
      { from: "user", text: "Bonjour", time: 1 },
      { from: "bot", text: "Salut", time: 2, replies: [{ title: "A", payload: "/a" }, { title: 3 }] },
      { from: "admin", text: "x" },
      "junk",
    ]);
    assert.deepEqual(parseMessages(raw), [
      { from: "user", text: "Bonjour", time: 1 },
      { from: "bot", text: "Salut", time: 2, replies: [{ title: "A", payload: "/a" }] },
    ]);
    assert.deepEqual(parseMessages("{not json"), []);
    assert.deepEqual(parseMessages(null), []);
  });
});

describe("interface strings", () => {
  it("exist, non-empty, in every language", () => {
    const keys = Object.keys(STRINGS.fr).sort();
    for (const [language, strings] of Object.entries(STRINGS)) {
      assert.deepEqual(Object.keys(strings).sort(), keys, language);
      for (const [key, value] of Object.entries(strings)) assert.ok(value.trim(), `${language}.${key}`);
    }
    assert.equal(STRINGS.ar.dir, "rtl");
  });

  it("are Arabic in Arabic", () => {
    for (const [key, value] of Object.entries(STRINGS.ar)) {
      if (key !== "dir") assert.match(value, /[\u0600-\u06FF]/, key);
    }
  });

  it("picks a supported language", () => {
    assert.equal(pickLanguage(["ar-MA", "fr"], "fr"), "ar");
    assert.equal(pickLanguage([undefined, "de-DE", "EN-gb"], "fr"), "en");
    assert.equal(pickLanguage(["de"], "fr"), "fr");
    assert.equal(format("{count} / {max}", { count: 3, max: 2000 }), "3 / 2000");
  });
});
