"""What the console says of a staff reply's delivery (states in assistant/contract.py), fr/ar/en.

The strings are a table of the console's catalog (`delivery_strings.yml`, loaded by
`assistant.service.i18n`); this module names them.

`delivery_key(status, note)` names the string; the case page (template and script) and the
JSON API use the same key, so they never disagree; `delivery_label` fills in the number of
tries of a reply the channel refused (retried until accepted or REPLY_GIVE_UP_HOURS). "Delivered" only for a reply the
investor's widget showed or WhatsApp/Twilio reported delivered/read.
"""

from __future__ import annotations

from assistant.contract import (
    REPLY_DELIVERED,
    REPLY_FAILED,
    REPLY_PENDING,
    REPLY_SENT,
    REPLY_STORED,
)


def delivery_key(status: str, note: str | None) -> str:
    if status == REPLY_DELIVERED:
        return "delivery_read" if note == "read" else "delivery_delivered"
    if status == REPLY_SENT:
        return "delivery_template" if note == "whatsapp_template" else "delivery_sent"
    if status == REPLY_STORED:
        return "delivery_stored"
    if status == REPLY_FAILED:
        return "delivery_cannot_push" if note == "channel_cannot_push" else "delivery_failed"
    if status == REPLY_PENDING and note in ("channel_refused", "channel_error"):
        return "delivery_retrying"
    return "delivery_queued"


def delivery_label(strings: dict[str, str], key: str, attempts: int | None) -> str:
    """The label of `key` in the catalog `strings`; a retrying reply says how many tries it had
    (the number isolated, for Arabic). The case page's script does the same (case.js)."""
    return strings.get(key, key).replace("{tries}", "\u2068" + str(attempts or 0) + "\u2069")


def reply_flash_key(status: str, note: str | None) -> str:
    """The notice after sending a reply from the case page."""
    return {
        "delivery_read": "reply_delivered",
        "delivery_delivered": "reply_delivered",
        "delivery_sent": "reply_sent",
        "delivery_template": "reply_template",
        "delivery_stored": "reply_stored",
        "delivery_cannot_push": "delivery_cannot_push",
        "delivery_failed": "reply_failed",
        "delivery_retrying": "reply_retrying",
    }.get(delivery_key(status, note), "reply_queued")

