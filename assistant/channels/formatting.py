"""How the bot's messages fit WhatsApp's limits (pure functions, no I/O).

WhatsApp refuses messages that exceed its limits instead of shortening them, so
everything is measured here before it is sent: text length, reply buttons (3, titles
of 20 characters), list rows (10, titles of 24), interactive bodies (1024). Options
that fit none of these become a numbered text menu, and a number typed back is mapped
to the option's payload (`parse_choice`).
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from assistant.contract import CHANNEL_TWILIO, CHANNEL_WHATSAPP

#: WhatsApp Cloud API limits (https://developers.facebook.com/docs/whatsapp/cloud-api/reference/messages).
MAX_TEXT = 4096
MAX_INTERACTIVE_BODY = 1024
MAX_REPLY_BUTTONS = 3
MAX_BUTTON_TITLE = 20
MAX_BUTTON_ID = 256
MAX_LIST_ROWS = 10
MAX_ROW_TITLE = 24
MAX_ROW_DESCRIPTION = 72
MAX_ROW_ID = 200
MAX_TEMPLATE_PARAMETER = 1000
#: Twilio refuses WhatsApp bodies over 1600 characters.
TWILIO_MAX_TEXT = 1600

ELLIPSIS = "…"
#: Interactive messages need a body; used only when the bot sent buttons without text.
EMPTY_BODY = "👇"

# A sentence ends with . ! ? … or the Arabic question mark, possibly followed by closing
# quotes or brackets (French puts a space before »), then whitespace; a line break always ends one.
_SENTENCE_BOUNDARY = re.compile(r"(?<=[.!?؟…])(?:[ \u00a0\u202f]?[\"'»”’)\]])*\s+|\n+")
_WHITESPACE = re.compile(r"\s+")
_ARABIC_LETTER = re.compile(r"[\u0600-\u06FF]")
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_CHOICE = re.compile(r"^\s*(\d{1,3})\s*[.)]?\s*$")


class Layout(enum.Enum):
    """How a set of options is shown on WhatsApp."""

    BUTTONS = "buttons"  # interactive reply buttons
    LIST = "list"  # interactive list message
    NUMBERED = "numbered"  # numbered lines in a text message, answered by typing the number


@dataclass(frozen=True)
class Option:
    """One Rasa button: what the user sees and what Rasa receives when it is chosen."""

    title: str
    payload: str


def options_from_buttons(buttons: Iterable[Mapping[str, Any]]) -> list[Option]:
    """Rasa buttons (`title`, `payload`) as options; a missing payload falls back to the title."""
    options = []
    for button in buttons:
        title = " ".join(str(button.get("title") or "").split())
        payload = str(button.get("payload") or title)
        if title or payload:
            options.append(Option(title or payload, payload))
    return options


def choose_layout(options: Sequence[Option]) -> Layout:
    """Reply buttons when they fit, else a list, else a numbered text menu.

    Buttons and rows carry the payload as their id (the reply gives it back as is),
    so payloads longer than an id allows, or repeated, also force the numbered menu;
    reply buttons also need distinct titles.
    """
    if (
        len(options) <= MAX_REPLY_BUTTONS
        and all(len(o.title) <= MAX_BUTTON_TITLE for o in options)
        and all(len(o.payload) <= MAX_BUTTON_ID for o in options)
        and len({o.payload for o in options}) == len({o.title for o in options}) == len(options)
    ):
        return Layout.BUTTONS
    if (
        len(options) <= MAX_LIST_ROWS
        and all(len(o.payload) <= MAX_ROW_ID for o in options)
        and len({o.payload for o in options}) == len(options)
    ):
        return Layout.LIST
    return Layout.NUMBERED


def shown_numbered(input_channel: str | None, options: Sequence[Option]) -> bool:
    """Whether the channel shows these options as a numbered menu, so that a typed number picks
    one: Twilio numbers every set of buttons, WhatsApp Cloud those that fit neither reply
    buttons nor a list (`choose_layout`); the other channels show buttons."""
    if input_channel == CHANNEL_TWILIO:
        return True
    return input_channel == CHANNEL_WHATSAPP and choose_layout(options) is Layout.NUMBERED


def truncate(text: str, limit: int) -> str:
    """`text` cut to `limit` characters, ending with "…" when something was cut."""
    if len(text) <= limit:
        return text
    return text[: limit - 1].rstrip() + ELLIPSIS


def split_text(text: str, limit: int = MAX_TEXT) -> list[str]:
    """`text` in chunks of at most `limit` characters, cut at sentence boundaries.

    Falls back to a line break or a space, and cuts mid-word only when a single word is
    longer than the limit. Whitespace at the cuts is dropped; formatting is kept.
    """
    text = text.strip()
    chunks: list[str] = []
    while len(text) > limit:
        cut = _last_cut(text, limit, _SENTENCE_BOUNDARY) or _last_cut(text, limit, _WHITESPACE) or limit
        chunk = text[:cut].rstrip()
        if chunk:
            chunks.append(chunk)
        text = text[cut:].lstrip()
    if text:
        chunks.append(text)
    return chunks


def _last_cut(text: str, limit: int, boundary: re.Pattern[str]) -> int:
    """End of the last boundary match that leaves a non-empty chunk within `limit` (0: none)."""
    best = 0
    for match in boundary.finditer(text, 0, limit + 1):
        if 0 < len(text[: match.end()].rstrip()) <= limit:
            best = match.end()
    return best


def interactive_body(text: str) -> tuple[list[str], str]:
    """(texts to send first, body of the interactive message) for an over-long text.

    An interactive body holds 1024 characters: the text's last sentences go in it,
    the beginning is sent before as ordinary text messages.
    """
    text = text.strip()
    parts = split_text(text, MAX_INTERACTIVE_BODY)
    if not parts:
        return [], EMPTY_BODY
    body = parts[-1]  # the last chunk is a suffix of the stripped text
    lead = text[: len(text) - len(body)].rstrip()
    return split_text(lead), body


def numbered_menu(text: str, options: Sequence[Option]) -> str:
    """The text followed by one numbered line per option ("1. Legal forms")."""
    lines = "\n".join(f"{number}. {option.title}" for number, option in enumerate(options, start=1))
    return f"{text.strip()}\n\n{lines}" if text.strip() else lines


def parse_choice(text: str, count: int) -> int | None:
    """Index (0-based) of the option whose number the user typed, or None.

    Accepts "2", " 2 ", "2." and "2)" in Western or Arabic-Indic digits ("٢").
    """
    match = _CHOICE.match(text.translate(_DIGITS))
    if match is None:
        return None
    number = int(match.group(1))
    return number - 1 if 1 <= number <= count else None


def list_button_label(text: str) -> str:
    """Label of the button that opens a list: Arabic when the text is Arabic."""
    return "الخيارات" if _ARABIC_LETTER.search(text) else "Options"


def template_parameter(value: object) -> str:
    """A template body parameter: WhatsApp rejects new lines, tabs and runs of spaces in them."""
    return truncate(" ".join(str(value).split()), MAX_TEMPLATE_PARAMETER)
