"""Sending messages through the WhatsApp Cloud API (Meta's Graph API).

Transient failures (5xx, 429, timeouts, connection errors) are retried with
exponential backoff; other 4xx are logged and dropped, since sending the same
request again would fail the same way. `send` never raises: one user's failed
message must not stop the conversation of the others. Only ids, status codes and
Graph error codes are logged, never texts or phone numbers.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import aiohttp

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to try: `attempts` in total, waiting base_delay × 2ⁿ (± 10 %) in between."""

    attempts: int = 4
    base_delay: float = 0.5
    max_delay: float = 8.0
    timeout: float = 10.0

    @classmethod
    def from_options(cls, options: Mapping[str, Any]) -> RetryPolicy:
        """From a channel's credentials.yml entry (`retry_attempts`, `retry_base_delay`)."""
        return cls(
            attempts=int(options.get("retry_attempts", cls.attempts)),
            base_delay=float(options.get("retry_base_delay", cls.base_delay)),
        )

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        """Seconds to wait after failed attempt number `attempt` (1-based)."""
        if retry_after is not None:
            return min(max(retry_after, 0.0), self.max_delay)
        base = min(self.base_delay * 2 ** (attempt - 1), self.max_delay)
        return base * random.uniform(0.9, 1.1)


def _retry_after(response: aiohttp.ClientResponse) -> float | None:
    try:
        return float(response.headers["Retry-After"])
    except (KeyError, ValueError):
        return None


def _graph_error(body: str) -> str:
    """The Graph error's code, subcode and trace id (its message may quote user data)."""
    try:
        error = json.loads(body).get("error") or {}
    except (ValueError, AttributeError):
        return "no error details"
    return "code={} subcode={} fbtrace_id={}".format(
        error.get("code"), error.get("error_subcode"), error.get("fbtrace_id")
    )


class GraphApiClient:
    """POSTs message objects to `{api_url}/{phone_number_id}/messages`."""

    def __init__(
        self, api_url: str, phone_number_id: str, access_token: str, retry: RetryPolicy | None = None
    ) -> None:
        self.url = f"{api_url.rstrip('/')}/{phone_number_id}/messages"
        self._headers = {"Authorization": f"Bearer {access_token}", "Content-Type": "application/json"}
        self.retry = retry or RetryPolicy()
        self._session: aiohttp.ClientSession | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def _client(self) -> aiohttp.ClientSession:
        # One session per event loop (Rasa has one; tests may run several in turn).
        loop = asyncio.get_running_loop()
        if self._session is None or self._session.closed or self._loop is not loop:
            self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=self.retry.timeout))
            self._loop = loop
        return self._session

    async def send(self, message: dict[str, Any]) -> str | None:
        """Sends one message object; returns WhatsApp's message id, None when it failed."""
        body = {"messaging_product": "whatsapp", "recipient_type": "individual", **message}
        data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        kind = message.get("type", "?")
        for attempt in range(1, self.retry.attempts + 1):
            retry_after: float | None = None
            try:
                async with self._client().post(self.url, data=data, headers=self._headers) as response:
                    text = await response.text()
                    if response.status < 300:
                        message_id = _message_id(text)
                        logger.info("whatsapp: sent %s message %s", kind, message_id)
                        return message_id or ""
                    if response.status != 429 and response.status < 500:
                        logger.error(
                            "whatsapp: Graph API refused a %s message: HTTP %s %s",
                            kind, response.status, _graph_error(text),
                        )
                        return None
                    retry_after = _retry_after(response)
                    failure = f"HTTP {response.status} {_graph_error(text)}"
            except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
                failure = type(exc).__name__
            if attempt == self.retry.attempts:
                logger.error("whatsapp: giving up a %s message after %d attempts (%s)", kind, attempt, failure)
                return None
            delay = self.retry.delay(attempt, retry_after)
            logger.warning("whatsapp: %s message attempt %d failed (%s), retrying in %.1fs", kind, attempt, failure, delay)
            await asyncio.sleep(delay)
        return None

    async def upload_media(self, data: bytes, mime_type: str, filename: str) -> str | None:
        """Uploads a file to `{api_url}/{phone_number_id}/media`; returns its media id, None on failure.

        Retried like `send` (a fresh multipart body per attempt); never raises.
        """
        url = self.url.rsplit("/", 1)[0] + "/media"
        headers = {"Authorization": self._headers["Authorization"]}
        for attempt in range(1, self.retry.attempts + 1):
            form = aiohttp.FormData()
            form.add_field("messaging_product", "whatsapp")
            form.add_field("type", mime_type)
            form.add_field("file", data, filename=filename, content_type=mime_type)
            retry_after: float | None = None
            try:
                async with self._client().post(url, data=form, headers=headers) as response:
                    text = await response.text()
                    if response.status < 300:
                        try:
                            media_id = str(json.loads(text)["id"])
                        except (ValueError, KeyError, TypeError):
                            logger.error("whatsapp: media upload answered without an id")
                            return None
                        logger.info("whatsapp: uploaded media %s", media_id)
                        return media_id
                    if response.status != 429 and response.status < 500:
                        logger.error("whatsapp: Graph API refused a media upload: HTTP %s %s", response.status, _graph_error(text))
                        return None
                    retry_after = _retry_after(response)
                    failure = f"HTTP {response.status} {_graph_error(text)}"
            except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
                failure = type(exc).__name__
            if attempt == self.retry.attempts:
                logger.error("whatsapp: giving up a media upload after %d attempts (%s)", attempt, failure)
                return None
            await asyncio.sleep(self.retry.delay(attempt, retry_after))
        return None

    async def fetch(self, url: str, max_bytes: int = 10 * 1024 * 1024) -> bytes | None:
        """Downloads a file the assistant serves itself (the plan PDF); None on failure."""
        try:
            async with self._client().get(url) as response:
                if response.status != 200:
                    logger.error("whatsapp: could not fetch the document to send: HTTP %s", response.status)
                    return None
                body = await response.content.read(max_bytes + 1)
        except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
            logger.error("whatsapp: could not fetch the document to send: %s", type(exc).__name__)
            return None
        return body if len(body) <= max_bytes else None

    async def close(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None


def _message_id(body: str) -> str | None:
    try:
        return str(json.loads(body)["messages"][0]["id"])
    except (ValueError, KeyError, IndexError, TypeError):
        return None
