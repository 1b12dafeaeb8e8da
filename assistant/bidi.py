"""Left-to-right runs isolated inside Arabic chat text (Unicode isolates, UAX #9).

An amount, a percentage, a URL, a case reference, a phone number or an e-mail address inside a right-to-left
sentence is wrapped in FSI … PDI (U+2068 … U+2069), so the widget, WhatsApp and any other
bidi-aware display keep it whole and in its own order ("1.75%" not "%1.75", a URL's trailing
"/" at its end). Runs already isolated are left alone; a list's "1." at the start of a line is
not touched (lists stay lists). The PDF does its own layout: `strip_isolates` gives it the text
without the marks (assistant/plan/pdf.py). Pure functions, both environments.
"""

from __future__ import annotations

import re
from typing import Final

LRI, RLI, FSI, PDI = "\u2066", "\u2067", "\u2068", "\u2069"
ISOLATES: Final = re.compile("[\u2066-\u2069]")

_RUN: Final = re.compile(
    r"(?P<isolated>[\u2066-\u2068][^\u2066-\u2069]*\u2069|\[\d{1,2}\])"  # already isolated, a note number: kept
    r"|(?P<url>(?:https?://|www\.)[^\s<>\"'`«»\u0600-\u06FF\u2066-\u2069]+)"
    r"|(?P<ltr>[\w.%+-]+@[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}"  # e-mail
    r"|\b[A-Z]{2,6}-\d{4}-\d{3,8}\b"  # reference (MRE-2026-000123)
    r"|(?<![\w+])(?:\+|00)\d(?:[ \u00a0.-]?\d){7,}(?!\d))"  # phone number (+32 470 12 34 56): one run
    # a number, its groups split by a point, a comma, a (narrow) no-break space or a plain space before
    # exactly three digits ("500 000": one run, which two isolates would show as "000 500")
    r"|(?P<number>\d+(?:[.,\u00a0\u202f]\d+| \d{3}(?!\d))*(?:[ \u00a0\u202f]?[%٪])?)",
    re.MULTILINE,
)
_LIST_MARKER: Final = re.compile(r"\d{1,2}[.)]\s")
_URL_TRAILING: Final = ".,;:!?'\")]}؛،"


def isolate_ltr(text: str) -> str:
    """`text` with its numbers, percentages, URLs, references and e-mails in FSI … PDI."""

    def wrap(match: re.Match[str]) -> str:
        run = match.group(0)
        if match.group("isolated"):
            return run
        if match.group("number"):
            start = match.start()
            at_line_start = start == 0 or text[start - 1] == "\n"
            if at_line_start and _LIST_MARKER.match(text, start):
                return run
        tail = ""
        if match.group("url"):
            while run and run[-1] in _URL_TRAILING and not (run[-1] == ")" and run.count("(") >= run.count(")")):
                run, tail = run[:-1], run[-1] + tail
        return f"{FSI}{run}{PDI}{tail}"

    return _RUN.sub(wrap, text)


def isolate_for(text: str, lang: str) -> str:
    """Arabic text isolated (isolate_ltr); other languages unchanged."""
    return isolate_ltr(text) if lang == "ar" else text


def strip_isolates(text: str) -> str:
    """The text without isolate marks (for a renderer that runs the bidi algorithm itself)."""
    return ISOLATES.sub("", text)
