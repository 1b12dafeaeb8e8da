/**
 * Rasa's socketio channel, as Rasa 3.6 speaks it (python-socketio 5 / Engine.IO 4):
 * the client emits `session_request` {session_id} and `user_uttered` {message, session_id};
 * the server emits `session_confirm` (the session id) and `bot_uttered` for every bot message:
 * {text?, quick_replies?, buttons?, attachment?, custom?}. Pure functions, no socket here.
 */

import { safeHref } from "./text";
import type { Reply } from "./storage";

export const EVENTS = {
  sessionRequest: "session_request",
  sessionConfirm: "session_confirm",
  userUttered: "user_uttered",
  botUttered: "bot_uttered",
} as const;

export interface BotMessage {
  text: string;
  replies: Reply[];
  image?: string;
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
  const rawText = record.text ?? custom?.text;
  const text = typeof rawText === "string" ? rawText.trim() : "";
  const message: BotMessage = {
    text,
    replies: [...replies(record.quick_replies), ...replies(record.buttons), ...replies(custom?.buttons)],
  };
  const attachment = asRecord(record.attachment);
  const payload = asRecord(attachment?.payload);
  if (attachment?.type === "image" && typeof payload?.src === "string") {
    const src = safeHref(payload.src);
    if (src) message.image = src;
  }
  return message.text || message.replies.length || message.image ? message : null;
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
