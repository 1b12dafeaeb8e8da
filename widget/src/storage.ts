/**
 * What survives a page reload, in localStorage: the Rasa session id, the messages shown,
 * the interface language, whether the panel was open and who holds the conversation. The
 * browser keeps its own copy of the conversation and, on reconnect, asks the server only for
 * what it missed since the last message it showed (`at`).
 * Every access is guarded: storage may be disabled, full or hold old data.
 */

import { isLanguage, type Language } from "./i18n";

export interface Reply {
  title: string;
  payload: string;
}

export interface StoredMessage {
  from: "user" | "bot";
  text: string;
  /** Suggested replies still on offer (cleared once the user answers). */
  replies?: Reply[];
  /** An http(s) image URL sent as an attachment. */
  image?: string;
  /** Milliseconds since the epoch. */
  time: number;
  /** A bot message from a person (`agent`) or about the handoff (`notice`). */
  role?: "agent" | "notice";
  /** The advisor's name (role `agent`). */
  agent?: string;
  /** The server's timestamp of the message (seconds): the cursor for catching up after a reconnect. */
  at?: number;
}

export interface SavedState {
  sessionId: string | null;
  messages: StoredMessage[];
  language: Language | null;
  open: boolean;
  /** The advisor holding the conversation when the page was left (the server has the last word). */
  agent: string | null;
}

/** Enough history to pick a conversation up again without filling the origin's quota. */
export const MAX_STORED_MESSAGES = 200;

export class WidgetStorage {
  constructor(private readonly prefix: string) {}

  load(): SavedState {
    const language = this.read("language");
    return {
      sessionId: this.read("session") || null,
      messages: parseMessages(this.read("messages")),
      language: isLanguage(language) ? language : null,
      open: this.read("open") === "1",
      agent: this.read("agent") || null,
    };
  }

  saveSession(sessionId: string): void {
    this.write("session", sessionId);
  }

  saveMessages(messages: readonly StoredMessage[]): void {
    this.write("messages", JSON.stringify(messages.slice(-MAX_STORED_MESSAGES)));
  }

  saveLanguage(language: Language): void {
    this.write("language", language);
  }

  saveAgent(agent: string | null): void {
    this.write("agent", agent ?? "");
  }

  saveOpen(open: boolean): void {
    this.write("open", open ? "1" : "0");
  }

  /** Forgets the conversation (the interface language stays). */
  clearConversation(): void {
    for (const key of ["session", "messages", "open", "agent"]) {
      try {
        window.localStorage.removeItem(this.prefix + key);
      } catch {
        // storage unavailable: nothing was kept either
      }
    }
  }

  private read(key: string): string | null {
    try {
      return window.localStorage.getItem(this.prefix + key);
    } catch {
      return null;
    }
  }

  private write(key: string, value: string): void {
    try {
      window.localStorage.setItem(this.prefix + key, value);
    } catch {
      // private mode or quota exceeded: the conversation simply is not kept
    }
  }
}

function isReply(value: unknown): value is Reply {
  const reply = value as Reply;
  return typeof reply?.title === "string" && typeof reply.payload === "string";
}

/** Only well-formed messages come back (the stored JSON may be old or edited). */
export function parseMessages(raw: string | null): StoredMessage[] {
  if (!raw) return [];
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    return [];
  }
  if (!Array.isArray(data)) return [];
  const messages: StoredMessage[] = [];
  for (const item of data) {
    const message = item as StoredMessage;
    if ((message?.from !== "user" && message?.from !== "bot") || typeof message.text !== "string") continue;
    messages.push({
      from: message.from,
      text: message.text,
      time: typeof message.time === "number" ? message.time : 0,
      ...(Array.isArray(message.replies) ? { replies: message.replies.filter(isReply) } : {}),
      ...(typeof message.image === "string" ? { image: message.image } : {}),
      ...(message.role === "agent" || message.role === "notice" ? { role: message.role } : {}),
      ...(typeof message.agent === "string" ? { agent: message.agent } : {}),
      ...(typeof message.at === "number" && Number.isFinite(message.at) ? { at: message.at } : {}),
    });
  }
  return messages.slice(-MAX_STORED_MESSAGES);
}
