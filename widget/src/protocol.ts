/**
 * Rasa's socketio channel, as Rasa 3.6 speaks it (python-socketio 5 / Engine.IO 4):
 * the client emits `session_request` {session_id} and `user_uttered` {message, session_id};
 * the server emits `session_confirm` (the session id) and `bot_uttered` for every bot message:
 * {text?, quick_replies?, buttons?, attachment?, custom?}. Pure functions, no socket here.
 */

import { isLanguage, type Language } from "./i18n";
import type { Reply } from "./storage";
import { safeHref } from "./text";

export const EVENTS = {
  sessionRequest: "session_request",
  sessionConfirm: "session_confirm",
  userUttered: "user_uttered",
  botUttered: "bot_uttered",
  /** Client: {session_id, after}: the bot messages after timestamp `after` (store and forward). */
  syncRequest: "sync_request",
  /** Server: {messages: bot_uttered payloads, agent: the advisor holding the conversation or null}. */
  sync: "sync",
  /** Client: {session_id} every 45 s while the page is open (the console's "connected now"). */
  presence: "presence",
  /** Client: {session_id, receipts}: the advisor's messages shown (the console then says "delivered"). */
  received: "received",
  /** Server: {code, message_id, retry_after}: the assistant could not take that message (sent again later). */
  turnFailed: "turn_failed",
} as const;

/** joined/left: an advisor took the conversation over or handed it back; staff: an advisor's message. */
export type Handoff = "joined" | "left" | "staff";

export interface BotMessage {
  text: string;
  replies: Reply[];
  image?: string;
  /** The server's timestamp (seconds since the epoch) of the tracker event. */
  timestamp?: number;
  /** The language the message was written in. */
  language?: Language;
  handoff?: Handoff;
  /** The advisor's name (handoff messages). */
  agent?: string;
  /** An advisor's message: its id, acknowledged once shown. */
  receipt?: number;
  /**
   * The first message of a bot turn the user did not start (the service's rating question, an
   * advisor's message) or, caught up, the first after the bot listened: earlier suggested
   * replies are withdrawn.
   */
  turnStart?: boolean;
  /** The id of the user message this answers (`message_id` of `user_uttered`). */
  replyTo?: string;
}

/** The server could not take a message: why, which one, and when to send it again. */
export interface TurnFailure {
  code: "unavailable" | "internal";
  messageId: string | null;
  retryAfterMs: number;
}

export interface SyncResult {
  messages: BotMessage[];
  agent: string | null;
}

function asRecord(value: unknown): Record<string, unknown> | null {
  return value !== null && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}

function replies(value: unknown): Reply[] {
  if (!Array.isArray(value)) return [];
  const result: Reply[] = [];
  for (const item of value) {
    const button = asRecord(item);
    const title = button?.title;
    const payload = button?.payload ?? button?.title;
    if (typeof title === "string" && typeof payload === "string" && title.trim()) {
      result.push({ title, payload });
    }
  }
  return result;
}

/** A displayable message from a `bot_uttered` payload, or null when there is nothing to show. */
export function parseBotMessage(data: unknown): BotMessage | null {
  const record = asRecord(data);
  if (!record) return typeof data === "string" && data.trim() ? { text: data, replies: [] } : null;
  const custom = asRecord(record.custom);
  const handoff =
    record.handoff === "joined" || record.handoff === "left" || record.handoff === "staff" ? record.handoff : undefined;
  // an advisor's message: their own words (the name is shown apart)
  const rawText =
    handoff === "staff" && typeof record.staff_text === "string" ? record.staff_text : (record.text ?? custom?.text);
  const text = typeof rawText === "string" ? rawText.trim() : "";
  const message: BotMessage = {
    text,
    replies: [...replies(record.quick_replies), ...replies(record.buttons), ...replies(custom?.buttons)],
  };
  if (typeof record.timestamp === "number" && Number.isFinite(record.timestamp)) message.timestamp = record.timestamp;
  if (isLanguage(record.language)) message.language = record.language;
  if (record.turn_start === true) message.turnStart = true;
  if (typeof record.reply_to === "string" && record.reply_to) message.replyTo = record.reply_to;
  if (handoff) {
    message.handoff = handoff;
    if (typeof record.agent === "string" && record.agent.trim()) message.agent = record.agent.trim().slice(0, 120);
    if (handoff === "staff" && Number.isSafeInteger(record.receipt) && (record.receipt as number) > 0) {
      message.receipt = record.receipt as number;
    }
  }
  const attachment = asRecord(record.attachment);
  const payload = asRecord(attachment?.payload);
  if (attachment?.type === "image" && typeof payload?.src === "string") {
    const src = safeHref(payload.src);
    if (src) message.image = src;
  }
  return message.text || message.replies.length || message.image ? message : null;
}

/** A `turn_failed` event; the wait before sending again is kept between 1 and 60 seconds. */
export function parseTurnFailed(data: unknown): TurnFailure | null {
  const record = asRecord(data);
  if (!record) return null;
  const code = record.code === "unavailable" ? "unavailable" : "internal";
  const messageId = typeof record.message_id === "string" && record.message_id ? record.message_id : null;
  const seconds =
    typeof record.retry_after === "number" && Number.isFinite(record.retry_after) ? record.retry_after : 3;
  return { code, messageId, retryAfterMs: Math.min(60, Math.max(1, seconds)) * 1000 };
}

/** `session_confirm` carries the id itself; older servers sent {session_id}. */
export function confirmedSessionId(data: unknown): string | null {
  if (typeof data === "string" && data) return data;
  const id = asRecord(data)?.session_id;
  return typeof id === "string" && id ? id : null;
}

/** A fresh session id: 32 hex digits, like Rasa's own (works outside secure contexts too). */
export function newSessionId(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** The server's answer to `sync_request`, oldest message first; null when malformed. */
export function parseSync(data: unknown): SyncResult | null {
  const record = asRecord(data);
  if (!record || !Array.isArray(record.messages)) return null;
  const messages: BotMessage[] = [];
  for (const item of record.messages) {
    const message = parseBotMessage(item);
    if (message) messages.push(message);
  }
  const agent = typeof record.agent === "string" && record.agent.trim() ? record.agent.trim().slice(0, 120) : null;
  return { messages, agent };
}

/** Messages in server order (by timestamp); messages without one keep their place at the end. */
export function inServerOrder(messages: readonly BotMessage[]): BotMessage[] {
  return messages
    .map((message, index) => ({ message, index }))
    .sort((a, b) => {
      const ta = a.message.timestamp ?? Number.POSITIVE_INFINITY;
      const tb = b.message.timestamp ?? Number.POSITIVE_INFINITY;
      return ta === tb ? a.index - b.index : ta - tb;
    })
    .map(({ message }) => message);
}
