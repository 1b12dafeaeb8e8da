/**
 * The socket to Rasa: connects, asks for the conversation's session, sends user messages
 * once the session is confirmed (queued meanwhile, so nothing is lost while reconnecting)
 * and reports bot messages and the connection state. socket.io-client reconnects by itself.
 */

import { io, type Socket } from "socket.io-client";

import { type BotMessage, confirmedSessionId, EVENTS, newSessionId, parseBotMessage } from "./protocol";

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
}

export class RasaConnection {
  private socket: Socket | null = null;
  private sessionId: string;
  private confirmed = false;
  private everOnline = false;
  private readonly queue: string[] = [];

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
      this.flush();
    });
    socket.on(EVENTS.botUttered, (data: unknown) => {
      const message = parseBotMessage(data);
      if (message) this.options.onMessage(message);
    });
    socket.on("disconnect", (reason) => {
      this.confirmed = false;
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
    if (this.socket && this.confirmed) {
      this.socket.emit(EVENTS.userUttered, { message, session_id: this.sessionId });
      return true;
    }
    this.queue.push(message);
    return false;
  }

  /** Starts a new conversation with a new session id (reconnects, so the old room is left). */
  restart(): void {
    this.queue.length = 0;
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
      const message = this.queue.shift() as string;
      this.socket.emit(EVENTS.userUttered, { message, session_id: this.sessionId });
    }
  }
}
