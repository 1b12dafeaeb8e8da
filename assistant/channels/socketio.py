"""Rasa's socketio channel (the website widget), fixed, hardened, with store and forward.

- Rasa 3.6 calls `sio.enter_room(...)` without `await`; since python-socketio 5.10 that is
  a coroutine, so with session persistence the browser never joined its session's room
  and received no bot message. The session handler is re-registered with the await.
- Incoming events are checked (a non-object payload or a non-text message is ignored
  instead of raising inside the server).
- Every bot message goes out as one `bot_uttered` event with its tracker timestamp (see
  `widget_messages`). Messages sent while the visitor's page was closed (an advisor's
  reply, the "advisor joined" notice) are in the tracker: on (re)connect the widget emits
  `sync_request` {session_id, after} and gets `sync` {messages, agent} with what it missed,
  only for the session this socket confirmed. A staff reply carries a `receipt`: the widget
  emits `received` {receipts} once it showed it, and its catch-up cursor says the same of
  older ones; that makes the reply `delivered` (assistant/delivery.py), never a mere send.
- Presence: connect, a heartbeat every 45 s and disconnect are recorded for the console.
- Identity (issue #9): the widget's `session_id` is a secret (32-128 URL-safe characters,
  see assistant/conversation_ids.py); a missing or weak one is replaced by a new secret
  sent back in `session_confirm`. The conversation and its room are `web:<digest>`.
  Cross-origin sockets only from CORS_ORIGINS; messages rate-limited per conversation and
  per client; lone surrogates replaced.
- Retries and refusals (issue #15): `user_uttered` may carry a `message_id`; the bot messages
  answering it carry it back as `reply_to`, and a message sent again with the same id (the
  widget resends what was unanswered when its replica went away) is answered once
  (assistant/turns.py). A turn Rasa cannot take (Redis or the tracker database down) is
  answered with `turn_failed` {code, message_id, retry_after}, never silence; the widget
  says so in its language and sends the message again. A turn's bot messages are sent once
  Rasa saved the turn (they are held until then): a replica killed in between must not
  leave the widget showing an answer its conversation does not hold.
- Several replicas (issue #15): with `SOCKETIO_REDIS_URL` (default `REDIS_URL`) emits go
  through Redis (assistant/channels/socketio_redis.py), so a message Rasa's HTTP API runs
  on one replica reaches the widget whose socket another replica holds.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import OutputChannel, UserMessage
from rasa.core.channels.socketio import SocketIOInput, SocketIOOutput
from sanic import Blueprint, Sanic
from socketio import packet
from sqlalchemy.exc import SQLAlchemyError

from assistant import conversation_ids, delivery, turns
from assistant.channels.limits import ChannelLimits
from assistant.channels.presence import PresenceLog
from assistant.channels.socketio_redis import FailSoftRedisManager
from assistant.channels.widget_messages import (
    handoff_state,
    receipts_of,
    receipts_up_to,
    replay,
    widget_message,
)
from assistant.safe_input import MAX_DEPTH, clean_json, clean_text, json_depth
from assistant.settings import get_settings

logger = logging.getLogger(__name__)

MAX_SESSION_ID = 128
MAX_MESSAGE_CHARS = 20_000


TOO_MANY = {
    "text": "Trop de messages : attendez une minute. / رسائل كثيرة: انتظر دقيقة من فضلك. / "
    "Too many messages: please wait a minute."
}


def session_secret_of(data: Any) -> str:
    """The client's session secret when it is strong enough, else a new one."""
    value = data.get("session_id") if isinstance(data, dict) else None
    return value if conversation_ids.valid_session_secret(value) else conversation_ids.new_session_secret()


def cursor_of(data: Any) -> float | None:
    """The timestamp of the last message the widget showed (None: it showed none from the server)."""
    value = data.get("after") if isinstance(data, dict) else None
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0:
        return float(value)
    return None


class SafePacket(packet.Packet):
    """A socket.io packet whose JSON cannot crash the server: one nested too deeply for the
    decoder (RecursionError) or not JSON becomes an event nobody handles, logged by kind only."""

    def decode(self, encoded_packet: Any) -> Any:
        try:
            return super().decode(encoded_packet)
        except (RecursionError, ValueError):
            logger.warning("socketio: ignored a packet that is not valid JSON or is nested too deeply")
            self.packet_type, self.namespace, self.id = packet.EVENT, None, None
            self.data = ["malformed_packet"]
            return 0


async def acknowledge(conversation_id: str, staff_reply_ids: list[int]) -> None:
    """Staff replies the conversation's widget showed become `delivered` (assistant/delivery.py)."""
    if not staff_reply_ids:
        return
    try:
        await asyncio.to_thread(delivery.mark_delivered, conversation_id, staff_reply_ids)
    except SQLAlchemyError as exc:  # the widget acknowledges again on its next catch-up
        logger.warning("socketio: receipt not recorded (%s)", exc.__class__.__name__)


class StampedSocketIOOutput(SocketIOOutput):
    """One `bot_uttered` per bot message, with its timestamp, language and handoff role.

    `unprompted`: the messages do not answer the widget's user (Rasa's /execute: the case
    rating question, an advisor's messages); the first one opens a new turn (`turn_start`),
    so the widget withdraws the suggested replies still on offer from earlier turns."""

    def __init__(self, sio: Any, bot_message_evt: str, unprompted: bool = False, reply_to: str | None = None,
                 hold: bool = False) -> None:
        super().__init__(sio, bot_message_evt)
        self.turn_pending = unprompted
        self.reply_to = reply_to
        #: `hold`: messages wait for `release()` (the turn is saved), see SessionSocketIOInput.
        self.held: list[tuple[str, dict[str, Any]]] | None = [] if hold else None

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        payload = widget_message(message, self.turn_pending)
        if payload is not None:
            self.turn_pending = False
            if self.reply_to:
                payload["reply_to"] = self.reply_to  # the widget's message this answers
            if self.held is not None:
                self.held.append((recipient_id, payload))
            else:
                await self._send_message(recipient_id, payload)

    async def release(self) -> None:
        """Sends the held messages (the turn is in the tracker store now)."""
        held, self.held = self.held or [], None
        for recipient_id, payload in held:
            await self._send_message(recipient_id, payload)


class SessionSocketIOInput(SocketIOInput):
    def get_output_channel(self) -> OutputChannel | None:
        if self.sio is None:
            return None
        # Rasa asks for this output channel outside a user message only (/execute)
        return StampedSocketIOOutput(self.sio, self.bot_message_evt, unprompted=True)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        blueprint = super().blueprint(on_new_message)
        sio = self.sio
        assert sio is not None
        sio.packet_class = SafePacket
        settings = get_settings()
        if settings.socketio_redis_url:
            # several replicas: an emit to a room reaches its socket whichever replica holds it
            # (Rasa builds the server; its manager starts with the first connection)
            sio.manager = FailSoftRedisManager(settings.socketio_redis_url)
            sio.manager.set_server(sio)
        presence = PresenceLog(settings.database_url)
        sio.eio.cors_allowed_origins = list(settings.cors_origins)
        limits = ChannelLimits(settings.rate_limit_conversation, settings.rate_limit_client)
        clients: dict[str, str] = {}
        #: socket id -> the session (conversation) it confirmed, for sync and presence.
        sessions: dict[str, str] = {}
        app: dict[str, Sanic] = {}

        @blueprint.listener("before_server_start")
        async def remember_app(server: Sanic, _loop: Any) -> None:
            app["server"] = server
            if settings.socketio_redis_url and not sio.manager_initialized:
                sio.manager_initialized = True  # listening from the start, not from the first socket on
                sio.manager.initialize()

        @sio.on("connect", namespace=self.namespace)
        async def connect(sid: str, environ: dict[str, Any], auth: Any = None) -> bool:
            clients[sid] = str(environ.get("REMOTE_ADDR") or "unknown")
            return True

        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: str, data: Any = None) -> None:
            secret = session_secret_of(data)
            session_id = conversation_ids.web_id(secret)
            previous = sessions.get(sid)
            if previous and previous != session_id:
                await sio.leave_room(sid, previous)
            await sio.enter_room(sid, session_id)
            sessions[sid] = session_id
            await sio.emit("session_confirm", secret, room=sid)
            await presence.record(session_id, True)

        @sio.on("presence", namespace=self.namespace)
        async def heartbeat(sid: str, data: Any = None) -> None:
            if sid in sessions:
                await presence.record(sessions[sid], True)

        @sio.on("disconnect", namespace=self.namespace)
        async def disconnect(sid: str) -> None:
            clients.pop(sid, None)
            session_id = sessions.pop(sid, None)
            if session_id is not None:
                await presence.record(session_id, False)

        @sio.on("sync_request", namespace=self.namespace)
        async def sync_request(sid: str, data: Any = None) -> None:
            session_id = sessions.get(sid)
            asked = data.get("session_id") if isinstance(data, dict) else None
            asked_id = conversation_ids.web_id(asked) if conversation_ids.valid_session_secret(asked) else None
            if session_id is None or asked_id != session_id:
                # only the session this socket confirmed: nothing of anyone else's conversation
                await sio.emit("sync", {"messages": [], "agent": None}, room=sid)
                return
            messages: list[dict[str, Any]] = []
            agent = None
            server = app.get("server")
            tracker = None
            if server is not None:
                try:
                    tracker = await server.ctx.agent.tracker_store.retrieve_full_tracker(session_id)
                except Exception as exc:  # the tracker store is down: the widget asks again later
                    logger.warning("socketio: sync failed (%s)", exc.__class__.__name__)
            if tracker is not None:
                events = list(tracker.events)
                after = cursor_of(data)
                messages = replay(events, after) if after is not None else []
                agent = handoff_state(events) if tracker.is_paused() else None
                if after is not None:  # what the widget showed before (an acknowledgement may have been lost)
                    await acknowledge(session_id, receipts_up_to(events, after))
            await sio.emit("sync", {"messages": messages, "agent": agent}, room=sid)

        @sio.on("received", namespace=self.namespace)
        async def received(sid: str, data: Any = None) -> None:
            """The widget showed these staff replies: they are delivered (its own conversation's only)."""
            session_id = sessions.get(sid)
            if session_id is not None:
                await acknowledge(session_id, receipts_of(data))

        @sio.on(self.user_message_evt, namespace=self.namespace)
        async def user_message(sid: str, data: Any = None) -> None:
            if not isinstance(data, dict) or not isinstance(data.get("message", ""), str):
                logger.warning("socketio: ignored a malformed user message event")
                return
            if json_depth(data, MAX_DEPTH) > MAX_DEPTH:
                logger.warning("socketio: ignored a user message event nested too deeply")
                return
            secret = data.get("session_id")
            if not conversation_ids.valid_session_secret(secret):
                logger.warning("socketio: ignored a message without a valid session id")
                return
            sender_id = conversation_ids.web_id(secret)
            if not limits.allow(sender_id, clients.get(sid, sid)):
                await sio.emit(self.bot_message_evt, TOO_MANY, room=sid)
                return
            metadata = data.get(self.metadata_key) or {}
            if isinstance(metadata, str):
                try:
                    metadata = json.loads(metadata)
                except ValueError:
                    metadata = {}
            if not isinstance(metadata, dict) or json_depth(metadata, MAX_DEPTH) > MAX_DEPTH:
                metadata = {}
            message_id = turns.client_message_id(data.get("message_id"))
            # the turn's answer is sent once Rasa saved the turn: a replica killed in between
            # sends nothing, so the widget sends the message again, instead of showing an
            # answer the conversation does not hold
            output = StampedSocketIOOutput(sio, self.bot_message_evt, reply_to=message_id, hold=True)
            message = UserMessage(
                clean_text(data.get("message", ""))[:MAX_MESSAGE_CHARS],
                output,
                sender_id,
                input_channel=self.name(),
                metadata=clean_json(metadata),
                message_id=message_id,
            )
            try:
                await on_new_message(message)
            except Exception as error:  # refused, never silence: the widget says so and sends it again
                code = turns.failure_code(error)
                logger.error("socketio: turn refused (%s: %s)", code, error.__class__.__name__)
                await sio.emit("turn_failed", {"code": code, "message_id": message_id,
                                               "retry_after": turns.RETRY_AFTER_SECONDS}, room=sid)
                return
            await output.release()

        return blueprint
