"""Conversation text as safe HTML for the staff console.

The bot writes WhatsApp-style text: `*bold*`, lines starting with "• ", "- " or "1." as
lists, bare https:// and www. links. Staff should read it as the investor saw it, not as
raw asterisks. Every piece of text is escaped first; the only markup is what this module
adds (<strong>, <ul>/<ol>/<li>, <br>, <a rel="noopener noreferrer"> to http(s) only, and
<bdi dir="ltr"> around phone numbers, e-mail addresses and case references so Arabic text
does not reorder them). One implementation: the page template and the JSON API use it.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from markupsafe import Markup, escape

URL = r"(?:https?://|www\.)[^\s<>\"'`«»\u0600-\u06FF\u2066-\u2069]+"  # isolate marks end a URL
LTR = (
    r"[\w.%+-]+@[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}"  # e-mail
    r"|\b[A-Z]{2,6}-\d{4}-\d{3,8}\b"  # reference (MRE-2026-000123)
    r"|(?:\+|\b00|\b)\d(?:[ .-]?\d){7,}\b"  # phone number, 8 digits or more
)
BOLD = re.compile(r"(?<![\w*])\*(?=[^\s*])([^*\n]*?[^\s*])\*(?![\w*])")
INLINE = re.compile(f"(?P<url>{URL})|(?P<ltr>{LTR})")
BULLET = re.compile(r"^\s*(?:[•◦▪\-–]|\*(?=\s))\s+(.*)$")
NUMBERED = re.compile(r"^\s*\d{1,2}[.)]\s+(.*)$")
TRAILING = ".,;:!?'\")]}"


def _link(url: str) -> str:
    while url and url[-1] in TRAILING and not (url[-1] == ")" and url.count("(") >= url.count(")")):
        url = url[:-1]
    return url


def _plain(text: str) -> str:
    out: list[str] = []
    cursor = 0
    for match in INLINE.finditer(text):
        start, end = match.span()
        if match.group("url"):
            url = _link(match.group("url"))
            end = start + len(url)
            href = url if url.startswith("http") else f"https://{url}"
            if urlsplit(href).scheme not in ("http", "https"):
                continue
            out.append(str(escape(text[cursor:start])))
            out.append(
                f'<a href="{escape(href)}" target="_blank" rel="noopener noreferrer" dir="ltr">{escape(url)}</a>'
            )
        else:
            out.append(str(escape(text[cursor:start])))
            out.append(f'<bdi dir="ltr">{escape(match.group(0))}</bdi>')
        cursor = end
    out.append(str(escape(text[cursor:])))
    return "".join(out)


def _inline(line: str) -> str:
    out: list[str] = []
    cursor = 0
    for match in BOLD.finditer(line):
        out.append(_plain(line[cursor : match.start()]))
        out.append(f"<strong>{_plain(match.group(1))}</strong>")
        cursor = match.end()
    out.append(_plain(line[cursor:]))
    return "".join(out)


def rich_html(text: str) -> Markup:
    """`text` as HTML: escaped, with bold, lists, links and isolated left-to-right numbers."""
    html: list[str] = []
    paragraph: list[str] = []
    list_tag: str | None = None

    def close_list() -> None:
        nonlocal list_tag
        if list_tag:
            html.append(f"</{list_tag}>")
            list_tag = None

    def close_paragraph() -> None:
        if paragraph:
            html.append("<p>" + "<br>".join(paragraph) + "</p>")
            paragraph.clear()

    for line in (text or "").replace("\r\n", "\n").split("\n"):
        bullet, numbered = BULLET.match(line), NUMBERED.match(line)
        item = bullet or numbered
        if item:
            close_paragraph()
            tag = "ul" if bullet else "ol"
            if list_tag != tag:
                close_list()
                html.append(f"<{tag}>")
                list_tag = tag
            html.append(f"<li>{_inline(item.group(1))}</li>")
        elif not line.strip():
            close_list()
            close_paragraph()
        else:
            close_list()
            paragraph.append(_inline(line))
    close_list()
    close_paragraph()
    return Markup("".join(html))
