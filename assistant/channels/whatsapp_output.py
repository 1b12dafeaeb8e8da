"""WhatsApp Cloud API output: the bot's messages sent through the Graph API.

Text split to WhatsApp's limits, Rasa buttons as reply buttons, a list or a numbered
menu (see `formatting`), documents (the plan PDF) and template messages for staff
replies sent after the 24-hour window (see assistant/actions/handoff.py).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from rasa.core.channels.channel import OutputChannel

from assistant import conversation_ids
from assistant.channels.formatting import (
    MAX_ROW_DESCRIPTION,
    MAX_ROW_TITLE,
    Layout,
    Option,
    choose_layout,
    interactive_body,
    list_button_label,
    numbered_menu,
    options_from_buttons,
    split_text,
    template_parameter,
    truncate,
)
from assistant.channels.graph_api import GraphApiClient
from assistant.contract import CHANNEL_WHATSAPP

logger = logging.getLogger("assistant.channels.whatsapp")

CHANNEL = CHANNEL_WHATSAPP


class WhatsAppOutput(OutputChannel):
    """Sends the bot's messages through the Graph API; never raises on a failed send."""

    def __init__(self, client: GraphApiClient, template_name: str = "", template_language: str = "fr") -> None:
        self.client = client
        self.failed_sends = 0
        self.sent_ids: list[str] = []  # WhatsApp's ids of what was accepted (receipts of staff replies)
        self.template_name = template_name
        self.template_language = template_language

    @classmethod
    def name(cls) -> str:
        return CHANNEL

    async def _send(self, recipient_id: str, kind: str, content: dict[str, Any]) -> None:
        sent = await self.client.send({"to": conversation_ids.recipient(recipient_id), "type": kind, kind: content})
        if sent is None:
            self.failed_sends += 1  # read by assistant.delivery (staff replies)
        elif sent:
            self.sent_ids.append(sent)

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        for chunk in split_text(text or ""):
            await self._send(recipient_id, "text", {"body": chunk, "preview_url": False})

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        options = options_from_buttons(buttons)
        layout = choose_layout(options)
        if not options or layout is Layout.NUMBERED:
            await self.send_text_message(recipient_id, numbered_menu(text or "", options))
            return
        lead, body = interactive_body(text or "")
        for chunk in lead:
            await self._send(recipient_id, "text", {"body": chunk, "preview_url": False})
        if layout is Layout.BUTTONS:
            action: dict[str, Any] = {
                "buttons": [{"type": "reply", "reply": {"id": o.payload, "title": o.title}} for o in options]
            }
            await self._send(recipient_id, "interactive", {"type": "button", "body": {"text": body}, "action": action})
            return
        action = {"button": list_button_label(text or ""), "sections": [{"rows": [_row(o) for o in options]}]}
        await self._send(recipient_id, "interactive", {"type": "list", "body": {"text": body}, "action": action})

    async def send_image_url(self, recipient_id: str, image: str, **kwargs: Any) -> None:
        await self._send(recipient_id, "image", {"link": image})

    async def send_custom_json(self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any) -> None:
        """`{"whatsapp_template": {...}, "text": ...}` becomes a template message; `{"document": {...},
        "text": ...}` a document (fetched, uploaded, sent), with the text as fallback; else its text is sent."""
        template = json_message.get("whatsapp_template")
        if isinstance(template, dict):
            await self.send_template(recipient_id, template)
            return
        document = json_message.get("document")
        if isinstance(document, dict) and await self.send_document(recipient_id, document):
            return
        text = json_message.get("text")
        if isinstance(text, str) and text.strip():
            await self.send_text_message(recipient_id, text)
            return
        logger.warning("whatsapp: custom message with keys %s has nothing to send", sorted(json_message))

    async def send_document(self, recipient_id: str, document: dict[str, Any]) -> bool:
        """The plan PDF as a WhatsApp document: download from our service, upload as media, send.

        Returns False when any step fails (the caller then sends the text fallback).
        """
        url, filename = str(document.get("url") or ""), str(document.get("filename") or "document.pdf")
        if not url.startswith(("http://", "https://")):
            return False
        data = await self.client.fetch(url)
        if not data or not data.startswith(b"%PDF"):
            return False
        media_id = await self.client.upload_media(data, "application/pdf", filename)
        if media_id is None:
            return False
        content = {"id": media_id, "filename": filename}
        if document.get("caption"):
            content["caption"] = str(document["caption"])[:1024]
        message_id = await self.client.send({"to": recipient_id, "type": "document", "document": content})
        return message_id is not None

    async def send_template(self, recipient_id: str, template: dict[str, Any]) -> None:
        """A template message: the only kind WhatsApp delivers outside the 24-hour window."""
        parameters = [
            {"type": "text", "text": template_parameter(value)} for value in template.get("parameters") or []
        ]
        content: dict[str, Any] = {
            "name": template.get("name") or self.template_name,
            "language": {"code": template.get("language") or self.template_language},
        }
        if parameters:
            content["components"] = [{"type": "body", "parameters": parameters}]
        await self._send(recipient_id, "template", content)


def _row(option: Option) -> dict[str, str]:
    """A list row; a title too long for the row is shortened and shown in full below it."""
    row = {"id": option.payload, "title": truncate(option.title, MAX_ROW_TITLE)}
    if len(option.title) > MAX_ROW_TITLE:
        row["description"] = truncate(option.title, MAX_ROW_DESCRIPTION)
    return row


def shown_numbered(options: Sequence[Option]) -> bool:
    """Whether WhatsAppOutput showed these options as a numbered menu (so a number picks one)."""
    return choose_layout(options) is Layout.NUMBERED
