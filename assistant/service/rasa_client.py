"""Rasa's HTTP API, as the guidance service uses it (token from RASA_TOKEN).

Handoff goes through `POST /conversations/<id>/execute?output_channel=<channel>`: the
action runs even while the conversation is paused, and its messages reach the investor
on the conversation's own channel, named by its id (`whatsapp:…` -> whatsapp, `web:…`
-> socketio), never "latest" (Rasa returns them in the response for the REST channel,
which cannot push).
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import quote

import aiohttp

from assistant import conversation_ids

logger = logging.getLogger(__name__)

#: Sanic (Rasa 3.6) does not decode percent-escapes in path segments: keep the characters
#: channel sender ids use (Twilio's "whatsapp:+212…") as they are.
SENDER_SAFE = ":+@._-~"


class RasaUnavailable(RuntimeError):
    pass


class RasaClient:
    def __init__(self, base_url: str, token: str, timeout: float = 15.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.timeout = aiohttp.ClientTimeout(total=timeout)
        self._session: aiohttp.ClientSession | None = None

    async def _http(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=self.timeout)
        return self._session

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()

    async def _request(self, method: str, path: str, route: str, **kwargs: Any) -> Any:
        """`route` names the call in logs: paths hold conversation ids (a WhatsApp number)."""
        params = {"token": self.token, **kwargs.pop("params", {})}
        try:
            http = await self._http()
            async with http.request(method, f"{self.base_url}{path}", params=params, **kwargs) as response:
                if response.status >= 400:
                    logger.error("Rasa %s %s -> %s", method, route, response.status)
                    raise RasaUnavailable(f"Rasa answered {response.status} to {route}")
                return await response.json(content_type=None)
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise RasaUnavailable(f"Rasa unreachable: {exc.__class__.__name__}") from exc

    async def execute(self, conversation_id: str, action: str) -> dict[str, Any]:
        """Run an action in a conversation; its messages go to the conversation's own channel."""
        channel = conversation_ids.channel_of(conversation_id)
        if channel is None:
            raise RasaUnavailable("conversation id without a channel")
        path = f"/conversations/{quote(conversation_id, safe=SENDER_SAFE)}/execute"
        result: dict[str, Any] = await self._request(
            "POST", path, f"execute {action}", params={"output_channel": channel}, json={"name": action}
        )
        return result

    async def tracker(self, conversation_id: str) -> dict[str, Any]:
        path = f"/conversations/{quote(conversation_id, safe=SENDER_SAFE)}/tracker"
        result: dict[str, Any] = await self._request("GET", path, "tracker", params={"include_events": "ALL"})
        return result
