"""Rasa's socketio channel (the website widget), fixed and hardened.

Rasa 3.6 calls `sio.enter_room(...)` without `await`; since python-socketio 5.10 that
is a coroutine, so with session persistence the browser never joins its session's room
and receives no bot message. This subclass re-registers the session handler with the
await, and checks incoming events (a non-object payload or a non-text message is
ignored instead of raising inside the server).
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from rasa.core.channels.socketio import SocketIOInput
from sanic import Blueprint

logger = logging.getLogger(__name__)

MAX_SESSION_ID = 128
MAX_MESSAGE_CHARS = 20_000


def session_id_of(data: Any) -> str:
    value = data.get("session_id") if isinstance(data, dict) else None
    if isinstance(value, str) and 0 < len(value) <= MAX_SESSION_ID:
        return value
    return uuid.uuid4().hex


class SessionSocketIOInput(SocketIOInput):
    def blueprint(self, on_new_message: Any) -> Blueprint:
        blueprint = super().blueprint(on_new_message)
        sio = self.sio
        handle_message = sio.handlers[self.namespace or "/"][self.user_message_evt]

        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: str, data: Any = None) -> None:
            session_id = session_id_of(data)
            if self.session_persistence:
                await sio.enter_room(sid, session_id)
            await sio.emit("session_confirm", session_id, room=sid)

        @sio.on(self.user_message_evt, namespace=self.namespace)
        async def user_message(sid: str, data: Any = None) -> None:
            if not isinstance(data, dict) or not isinstance(data.get("message", ""), str):
                logger.warning("socketio: ignored a malformed user message event")
                return
            if self.session_persistence and not isinstance(data.get("session_id"), str):
                logger.warning("socketio: ignored a message without session_id")
                return
            if len(data.get("message", "")) > MAX_MESSAGE_CHARS:
                data = {**data, "message": data["message"][:MAX_MESSAGE_CHARS]}
            if not isinstance(data.get(self.metadata_key, {}), (dict, str)):
                data = {**data, self.metadata_key: {}}
            await handle_message(sid, data)

        return blueprint
