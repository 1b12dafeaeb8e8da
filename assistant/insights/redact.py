"""Remove personal data from a question before it is stored (dependency-free).

Only texts of unanswered or rated turns are kept, and only after this: e-mail
addresses, phone numbers, case references, links with query strings and numbers that
look like identifiers (passport, CIN, IBAN, ICE...) become placeholders. Amounts and
years stay ("10 000 dh", "2025"), because they are what the question is about.
"""

from __future__ import annotations

import re
from typing import Final

MAX_STORED_CHARS: Final = 500

_ARABIC_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")

_PATTERNS: Final[tuple[tuple[re.Pattern[str], str], ...]] = (
    (re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE), "[email]"),
    (re.compile(r"https?://\S+|www\.\S+", re.IGNORECASE), "[link]"),
    (re.compile(r"\bMRE[-\s]?\d{4}[-\s]?\d{3,}\b", re.IGNORECASE), "[case]"),
    # IBAN-like: two letters, two digits, then 10+ alphanumerics (spaces allowed)
    (re.compile(r"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){3,8}(?:[ ]?[A-Z0-9]{1,3})?\b", re.IGNORECASE), "[id]"),
    # international or long phone numbers: +212 6 12 34 56 78, 0612345678, 00 33 6 ...
    (re.compile(r"(?<![\w])(?:\+|00)\d[\d\s().-]{7,}\d"), "[phone]"),
    (re.compile(r"(?<![\w])0[5-7](?:[\s.-]?\d{2}){4}(?![\w])"), "[phone]"),
    # identifiers: letters glued to digits (CIN "BE123456", passport "AB1234567")
    (re.compile(r"\b[A-Z]{1,3}\d{5,}\b", re.IGNORECASE), "[id]"),
    # long digit runs (7+ digits, not amounts written with separators)
    (re.compile(r"(?<![\d.,])\d{7,}(?![\d.,])(?!\s*(?:dh|mad|eur|euros?|€|\$|usd|درهم|dirhams?)\b)", re.IGNORECASE), "[id]"),
)


def redact(text: str) -> str:
    """The text with personal data replaced by placeholders, trimmed to a storable size."""
    cleaned = text.translate(_ARABIC_DIGITS)
    for pattern, placeholder in _PATTERNS:
        cleaned = pattern.sub(placeholder, cleaned)
    cleaned = " ".join(cleaned.split())
    return cleaned[:MAX_STORED_CHARS]
