import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { format, pickLanguage, STRINGS } from "../src/i18n";
import {
  confirmedSessionId,
  inServerOrder,
  newSessionId,
  parseBotMessage,
  parseSync,
  parseTurnFailed,
} from "../src/protocol";
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

  it("reads turn_start: a bot turn the user did not start withdraws earlier replies", () => {
    const rating = parseBotMessage({
      text: "Note ?",
      quick_replies: [{ title: "😊", payload: "/r" }],
      turn_start: true,
    });
    assert.equal(rating?.turnStart, true);
    assert.equal(parseBotMessage({ text: "x" })?.turnStart, undefined);
    assert.equal(parseBotMessage({ text: "x", turn_start: "yes" })?.turnStart, undefined);
    assert.equal(parseSync({ messages: [{ text: "x", turn_start: true }] })?.messages[0]?.turnStart, true);
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

describe("store and forward", () => {
  it("reads the timestamp, language and handoff role of a message", () => {
    const staff = parseBotMessage({
      text: "👤 Samira Alaoui : Bonjour Karim",
      staff_text: "Bonjour Karim",
      handoff: "staff",
      agent: "Samira Alaoui",
      timestamp: 1764620000.5,
      language: "fr",
    });
    assert.deepEqual(staff, {
      text: "Bonjour Karim",
      replies: [],
      timestamp: 1764620000.5,
      language: "fr",
      handoff: "staff",
      agent: "Samira Alaoui",
    });
    const odd = parseBotMessage({ text: "x", handoff: "boss", language: "de", timestamp: "soon" });
    assert.deepEqual(odd, { text: "x", replies: [] });
  });

  it("keeps the receipt of an advisor's message only (acknowledged once shown)", () => {
    assert.equal(parseBotMessage({ text: "Bonjour", handoff: "staff", receipt: 42 })?.receipt, 42);
    assert.equal(parseBotMessage({ text: "Bonjour", receipt: 42 })?.receipt, undefined);
    for (const receipt of ["42", -1, 1.5, true, null]) {
      assert.equal(parseBotMessage({ text: "Bonjour", handoff: "staff", receipt })?.receipt, undefined);
    }
  });

  it("reads a catch-up answer and refuses malformed ones", () => {
    const result = parseSync({
      messages: [{ text: "a", timestamp: 2 }, { nope: true }, { text: "b", timestamp: 3 }],
      agent: " Samira ",
    });
    assert.deepEqual(result, {
      messages: [
        { text: "a", replies: [], timestamp: 2 },
        { text: "b", replies: [], timestamp: 3 },
      ],
      agent: "Samira",
    });
    assert.equal(parseSync({ messages: "all" }), null);
    assert.equal(parseSync(null), null);
    assert.deepEqual(parseSync({ messages: [], agent: 7 }), { messages: [], agent: null });
  });

  it("puts missed and live messages in server order", () => {
    const order = inServerOrder([
      { text: "live", replies: [], timestamp: 5 },
      { text: "untimed", replies: [] },
      { text: "missed", replies: [], timestamp: 3 },
    ]).map((message) => message.text);
    assert.deepEqual(order, ["missed", "live", "untimed"]);
  });

  it("keeps the advisor's role, name and cursor across reloads", () => {
    const [message] = parseMessages(
      JSON.stringify([{ from: "bot", text: "Bonjour", time: 1, role: "agent", agent: "Samira", at: 12.5 }]),
    );
    assert.deepEqual(message, { from: "bot", text: "Bonjour", time: 1, role: "agent", agent: "Samira", at: 12.5 });
  });
});

describe("interface strings", () => {
  it("exist for the handoff in every language, with the advisor's name", () => {
    for (const strings of Object.values(STRINGS)) {
      assert.ok(strings.agentAnswering.includes("{agent}"));
      assert.ok(strings.agentRole && strings.noticeSaid && strings.agentAnsweringUnnamed);
    }
  });
});

describe("retries and refusals (issue #15)", () => {
  it("reads reply_to: the user message a bot message answers", () => {
    assert.equal(parseBotMessage({ text: "Réponse", reply_to: "0123456789abcdef" })?.replyTo, "0123456789abcdef");
    assert.equal(parseBotMessage({ text: "Réponse" })?.replyTo, undefined);
  });

  it("reads turn_failed, keeping the wait between 1 and 60 seconds", () => {
    assert.deepEqual(parseTurnFailed({ code: "unavailable", message_id: "abcdefgh12", retry_after: 3 }), {
      code: "unavailable",
      messageId: "abcdefgh12",
      retryAfterMs: 3000,
    });
    assert.deepEqual(parseTurnFailed({ code: "whatever", retry_after: 9999 }), {
      code: "internal",
      messageId: null,
      retryAfterMs: 60000,
    });
    assert.equal(parseTurnFailed("nope"), null);
  });

  it("says a refused message in every language", () => {
    for (const language of ["fr", "ar", "en"] as const) {
      assert.ok(STRINGS[language].turnUnavailable.length > 10);
      assert.ok(STRINGS[language].turnFailed.length > 10);
    }
  });
});
