"""Validation of what the investor types in the case form (pure functions).

Each parser returns a clean value or None; the form then asks again with an example.
The words (stages, countries) and the stage labels are data: `assistant/words/case_profile.yml`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Final

import phonenumbers

from assistant.lexicon import contains_phrase, load, phrase_words
from assistant.text import normalize, words

EMAIL_RE: Final = re.compile(r"(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![\w-])")
PHONE_CANDIDATE_RE: Final = re.compile(r"\+?\d[\d\s().-]{6,}\d")

@cache
def country_names() -> dict[str, tuple[str, ...]]:
    """ISO code -> normalised names, in the file's order (the first name found wins)."""
    return {code: tuple(normalize(n) for n in names) for code, names in load("case_profile")["countries"].items()}


@cache
def stage_words() -> dict[str, tuple[str, ...]]:
    """Stage -> normalised words, in the file's order (the first stage found wins)."""
    return {stage: tuple(normalize(w) for w in names) for stage, names in load("case_profile")["stages"].items()}


def undecided_region_label(language: str) -> str:
    """How the confirmation summary names a region not chosen yet, in fr/ar/en."""
    return str(load("case_profile")["region_labels"]["undecided"][language])


def undecided_sector_label(language: str) -> str:
    """The sector of a project whose sector is not chosen yet, in fr/ar/en."""
    return str(load("case_profile")["sector_labels"]["undecided"][language])


def stage_label(stage: str | None, language: str) -> str:
    """How the confirmation summary names a stage, in fr/ar/en ("" when unknown)."""
    return str(load("case_profile")["labels"].get(stage or "", {}).get(language, ""))


@dataclass(frozen=True)
class Contact:
    email: str | None
    phone: str | None  # E.164, e.g. +32470123456

    @property
    def display(self) -> str:
        return " · ".join(v for v in (self.email, self.phone) if v)


def country_code(country: str | None) -> str | None:
    """ISO code of a country typed in any language, when we know it."""
    if not country:
        return None
    text = normalize(country)
    for code, names in country_names().items():
        if any(re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text) for name in names):
            return code
    return None


@cache
def _country_prefixes() -> tuple[tuple[str, ...], ...]:
    """Leading words that are not the country: prepositions, residence phrases; longest first."""
    phrases = set(phrase_words("case_profile", "country_prepositions")) | set(phrase_words("conversation", "residence"))
    return tuple(sorted(phrases, key=len, reverse=True))


def named_country(text: str) -> str | None:
    """ISO code when the whole text is the name of a country we know ("Fi Italia" is not:
    see `clean_country`), an attached Arabic preposition aside ("فبلجيكا")."""
    typed = " ".join(words(text))
    candidates = [typed] + [typed[len(p):] for p in map(normalize, load("case_profile")["country_attached"])
                            if typed.startswith(p)]
    for code, names in country_names().items():
        if any(" ".join(words(name)) in candidates for name in names):
            return code
    return None


def clean_country(text: str, language: str) -> str | None:
    """The country of residence without what was typed before it ("f belgique", "في بلجيكا",
    "in belgium", "je vis en Italie"), named in the user's language when we know it, so that
    the case, its summary and the phone numbers read one name."""
    value = clean_text(text, 2, 60)
    if value is None:
        return None
    raw = value.split()
    typed = [tuple(words(token)) for token in raw]
    start, moved = 0, True
    while moved:
        moved = False
        for phrase in _country_prefixes():
            end = start
            while end < len(raw) and len(sum(typed[start:end], ())) < len(phrase):
                end += 1
            if end < len(raw) and sum(typed[start:end], ()) == phrase:  # something must be left
                start, moved = end, True
                break
    rest = " ".join(raw[start:]).strip(" .,;:!?؟")
    code = named_country(rest)
    if code is not None:
        return str(load("case_profile")["country_labels"][code].get(language) or rest)
    return clean_text(rest, 2, 60) or value


def parse_phone(text: str, default_region: str | None = None) -> str | None:
    """A valid phone number in E.164 form, or None."""
    for candidate in PHONE_CANDIDATE_RE.findall(text):
        raw = candidate.strip()
        if raw.startswith("00"):
            raw = "+" + raw[2:]
        for region in ([None] if raw.startswith("+") else [default_region, "MA"]):
            try:
                number = phonenumbers.parse(raw, region)
            except phonenumbers.NumberParseException:
                continue
            if phonenumbers.is_valid_number(number):
                return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return None


def parse_email(text: str) -> str | None:
    match = EMAIL_RE.search(text)
    return match.group(0).lower() if match else None


def parse_contact(text: str, country: str | None = None) -> Contact | None:
    """E-mail and/or phone from one message; None when neither is valid."""
    email = parse_email(text)
    rest = EMAIL_RE.sub(" ", text)
    phone = parse_phone(rest, country_code(country))
    if not email and not phone:
        return None
    return Contact(email, phone)


def whatsapp_phone(sender_id: str) -> str | None:
    """WhatsApp senders are identified by their number (wa_id digits or `whatsapp:+…`)."""
    digits = re.sub(r"\D", "", sender_id)
    return parse_phone("+" + digits) if digits else None


def clean_name(text: str) -> str | None:
    """A person's name: letters in any script, 2 to 80 characters, at most 6 words."""
    name = " ".join(text.split()).strip(" .,;:!?\"'")
    if not 2 <= len(name) <= 80 or len(name.split()) > 6:
        return None
    if re.search(r"[\d@#/\\<>{}\[\]=_*]", name) or not re.search(r"[^\W\d_]", name):
        return None
    return name


def clean_text(text: str, min_chars: int, max_chars: int) -> str | None:
    value = " ".join(text.split()).strip()
    if not min_chars <= len(value) <= max_chars or not re.search(r"[^\W\d_]", value):
        return None
    return value


def _says(normalised: str, keywords: tuple[str, ...]) -> bool:
    """Whether a word of `keywords` starts a word of the normalised text ("creat": "creating")."""
    return any(re.search(rf"(?<!\w){re.escape(k)}", normalised) for k in keywords)


@cache
def _stage_list(key: str) -> tuple[str, ...]:
    return tuple(normalize(w) for w in load("case_profile")[key])


def parse_stage(text: str) -> str | None:
    """The stage a typed answer says: nothing exists yet (the idea), else the first stage whose
    word is found, else the idea when only words every stage is said with are ("juste un projet");
    `case_profile.yml` says why in this order."""
    normalised = " ".join(words(text))
    if _says(normalised, _stage_list("stage_not_yet")):
        return "idea"
    for stage, keywords in stage_words().items():
        if _says(normalised, keywords):
            return stage
    return "idea" if _says(normalised, _stage_list("stage_vague")) else None


def parse_yes_no(text: str) -> bool | None:
    """Yes, no, or None when the answer is unclear ("je ne sais pas", "maybe").

    Whole words and phrases of `assistant/words/yes_no.yml`: hesitations first, then
    refusals (a negation such as "pas d'accord" contains a yes), then agreement.
    """
    tokens = words(text)
    if not tokens:
        return None

    def says(key: str) -> bool:
        return any(contains_phrase(tokens, phrase) for phrase in phrase_words("yes_no", key))

    if says("unsure"):
        return None
    if says("deny") or (tokens[0],) in phrase_words("yes_no", "deny_first"):
        return False
    if says("affirm") or (tokens[0],) in phrase_words("yes_no", "affirm_first"):
        return True
    return None
