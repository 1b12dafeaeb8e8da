/**
 * The socket to Rasa: connects, asks for the conversation's session, sends user messages
 * once the session is confirmed (queued meanwhile, so nothing is lost while reconnecting)
 * and reports bot messages and the connection state. socket.io-client reconnects by itself.
 *
 * Store and forward: on every (re)connect it asks for the bot messages sent after the last
 * one shown (`cursor()`), e.g. an advisor's reply sent while the page was closed, and holds
 * live messages back until that answer came, so everything is delivered in server order.
 * An advisor's message is acknowledged (`received`) once shown: only that makes it
 * "delivered" in the console.
 *
 * Nothing typed is lost (issue #15): every message has an id; one not yet answered when the
 * connection drops (its replica died) is sent again, with the same id, after reconnecting,
 * and one the server refused (`turn_failed`: Redis or the database down) after the wait it
 * asks for. The server answers a message it already holds from the conversation, never twice.
 */

import { io, type Socket } from "socket.io-client";

import {
  type BotMessage,
  confirmedSessionId,
  EVENTS,
  inServerOrder,
  newSessionId,
  parseBotMessage,
  parseSync,
  parseTurnFailed,
  type TurnFailure,
} from "./protocol";

/** How long live messages wait for the catch-up answer (an older server never sends one). */
const SYNC_TIMEOUT_MS = 4000;
/** The console shows the visitor as connected while these keep coming. */
const HEARTBEAT_MS = 45_000;

/**
 * connecting: first attempt in progress; online: session confirmed; offline: was online, lost it;
 * unreachable: never got through yet (retrying).
 */
export type ConnectionState = "connecting" | "online" | "offline" | "unreachable";

export interface ConnectionOptions {
  url: string;
  path: string;
  sessionId: string | null;
  onMessage(message: BotMessage): void;
  onState(state: ConnectionState): void;
  onSession(sessionId: string): void;
  /** The timestamp of the last server message shown, or null. */
  cursor(): number | null;
  /** The advisor holding the conversation, as the server knows it after a catch-up. */
  onHandoffState(agent: string | null): void;
  /** The server could not take a message; it is sent again after `retryAfterMs`. */
  onTurnFailed(failure: TurnFailure): void;
}

interface Outgoing {
  id: string;
  text: string;
}

/** Messages sent and not answered yet, kept for a resend (the oldest are dropped past this). */
const MAX_UNANSWERED = 10;

export class RasaConnection {
  private socket: Socket | null = null;
  private sessionId: string;
  private confirmed = false;
  private everOnline = false;
  private readonly queue: Outgoing[] = [];
  /** Sent, not answered yet: sent again with the same id when the connection drops. */
  private readonly unanswered: Outgoing[] = [];
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  /** Live messages held while a catch-up is in flight (null: none in flight). */
  private held: BotMessage[] | null = null;
  private syncTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly options: ConnectionOptions) {
    this.sessionId = options.sessionId ?? newSessionId();
  }

  get started(): boolean {
    return this.socket !== null;
  }

  get session(): string {
    return this.sessionId;
  }

  start(): void {
    if (this.socket) return;
    this.options.onState("connecting");
    const socket = io(this.options.url, {
      path: this.options.path,
      // WebSocket first (no CORS needed); long-polling when a proxy blocks WebSockets.
      transports: ["websocket", "polling"],
      tryAllTransports: true,
      reconnectionDelay: 1000,
      reconnectionDelayMax: 10000,
      timeout: 10000,
    });
    socket.on("connect", () => {
      this.confirmed = false;
      socket.emit(EVENTS.sessionRequest, { session_id: this.sessionId });
    });
    socket.on(EVENTS.sessionConfirm, (data: unknown) => {
      const id = confirmedSessionId(data);
      if (id && id !== this.sessionId) this.sessionId = id;
      this.options.onSession(this.sessionId);
      this.confirmed = true;
      this.everOnline = true;
      this.options.onState("online");
      this.requestSync();
      this.flush();
    });
    socket.on(EVENTS.botUttered, (data: unknown) => {
      const message = parseBotMessage(data);
      if (!message) return;
      this.answered(message.replyTo);
      if (this.held) this.held.push(message);
      else this.deliver([message]);
    });
    socket.on(EVENTS.turnFailed, (data: unknown) => {
      const failure = parseTurnFailed(data);
      if (!failure) return;
      const index = this.unanswered.findIndex((item) => item.id === failure.messageId);
      if (index >= 0) {
        const [refused] = this.unanswered.splice(index, 1);
        clearTimeout(this.retryTimer);
        this.retryTimer = setTimeout(() => this.resend([refused as Outgoing]), failure.retryAfterMs);
      }
      this.options.onTurnFailed(failure);
    });
    socket.on(EVENTS.sync, (data: unknown) => {
      const result = parseSync(data);
      this.finishSync(result?.messages ?? []);
      if (result) this.options.onHandoffState(result.agent);
    });
    setInterval(() => {
      if (this.confirmed) socket.emit(EVENTS.presence, { session_id: this.sessionId });
    }, HEARTBEAT_MS);
    socket.on("disconnect", (reason) => {
      this.confirmed = false;
      this.finishSync([]);
      // unanswered messages may have died with the server: sent again (same ids) once reconnected
      this.queue.unshift(...this.unanswered.splice(0));
      if (reason === "io client disconnect") return;
      this.options.onState(this.everOnline ? "offline" : "unreachable");
      // The server closed the socket on purpose: socket.io does not retry then, we do.
      if (reason === "io server disconnect") socket.connect();
    });
    socket.on("connect_error", () => {
      this.options.onState(this.everOnline ? "offline" : "unreachable");
    });
    this.socket = socket;
  }

  /** Sends now when the session is confirmed; returns false when the message waits in the queue. */
  send(message: string): boolean {
    this.start();
    const outgoing = { id: newSessionId(), text: message };
    if (this.socket && this.confirmed) {
      this.emitMessage(outgoing);
      return true;
    }
    this.queue.push(outgoing);
    return false;
  }

  private emitMessage(outgoing: Outgoing): void {
    this.unanswered.push(outgoing);
    if (this.unanswered.length > MAX_UNANSWERED) this.unanswered.shift();
    this.socket?.emit(EVENTS.userUttered, {
      message: outgoing.text,
      session_id: this.sessionId,
      message_id: outgoing.id,
    });
  }

  /** A bot message answering one of ours: that one (and older ones) need no resend. */
  private answered(replyTo: string | undefined): void {
    if (!replyTo) return;
    const index = this.unanswered.findIndex((item) => item.id === replyTo);
    if (index >= 0) this.unanswered.splice(0, index + 1);
  }

  private resend(messages: Outgoing[]): void {
    this.queue.unshift(...messages);
    this.flush();
  }

  /** Asks for the messages missed since the last one shown (also called while an advisor answers). */
  requestSync(): void {
    if (!this.socket || !this.confirmed || this.held) return;
    this.held = [];
    this.socket.emit(EVENTS.syncRequest, { session_id: this.sessionId, after: this.options.cursor() });
    this.syncTimer = setTimeout(() => this.finishSync([]), SYNC_TIMEOUT_MS);
  }

  private finishSync(missed: BotMessage[]): void {
    clearTimeout(this.syncTimer);
    const held = this.held ?? [];
    this.held = null;
    this.deliver(inServerOrder([...missed, ...held]));
  }

  /** Shows the messages, then acknowledges the advisor's among them (shown: delivered). */
  private deliver(messages: BotMessage[]): void {
    const receipts: number[] = [];
    for (const message of messages) {
      this.options.onMessage(message);
      if (message.receipt !== undefined) receipts.push(message.receipt);
    }
    if (receipts.length && this.socket && this.confirmed) {
      this.socket.emit(EVENTS.received, { session_id: this.sessionId, receipts });
    }
  }

  /** Starts a new conversation with a new session id (reconnects, so the old room is left). */
  restart(): void {
    this.queue.length = 0;
    this.unanswered.length = 0;
    clearTimeout(this.retryTimer);
    this.held = null;
    clearTimeout(this.syncTimer);
    this.sessionId = newSessionId();
    const socket = this.socket;
    if (!socket) return;
    this.confirmed = false;
    socket.disconnect();
    this.options.onState("connecting");
    socket.connect();
  }

  private flush(): void {
    while (this.socket && this.confirmed && this.queue.length) {
      this.emitMessage(this.queue.shift() as Outgoing);
    }
  }
}
