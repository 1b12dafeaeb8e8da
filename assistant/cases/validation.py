"""Validation of what the investor types in the case form (pure functions).

Each parser returns a clean value or None; the form then asks again with an example.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

import phonenumbers

from assistant.lexicon import contains_phrase, phrase_words
from assistant.text import normalize, words

EMAIL_RE: Final = re.compile(r"(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![\w-])")
PHONE_CANDIDATE_RE: Final = re.compile(r"\+?\d[\d\s().-]{6,}\d")

#: Countries of the diaspora, to read local phone numbers ("06 12 34 56 78" from France).
COUNTRY_REGIONS: Final = {
    "FR": ["france", "فرنسا", "fransa", "franca", "lfransa", "fraansa"],
    "BE": ["belgique", "belgium", "بلجيكا", "belgica", "belgie", "belgik", "bljika", "beljika", "belgika", "bljik", "lbljika"],
    "NL": ["pays-bas", "pays bas", "netherlands", "holland", "hollande", "هولندا", "nederland", "holanda", "hulanda", "holonda", "lholanda"],
    "ES": ["espagne", "spain", "اسبانيا", "espana", "sbanya", "sbania", "sbanyol", "spanya"],
    "IT": ["italie", "italy", "ايطاليا", "italia", "talyan", "italya", "talya", "ltalyan"],
    "DE": ["allemagne", "germany", "المانيا", "deutschland", "almania", "alemania", "almanya", "lalman", "lalmania", "alman"],
    "GB": ["royaume-uni", "royaume uni", "united kingdom", "uk", "angleterre", "england", "بريطانيا", "انجلترا"],
    "CA": ["canada", "كندا", "kanada", "quebec", "montreal"],
    "US": ["etats-unis", "etats unis", "usa", "united states", "amerique", "امريكا", "الولايات المتحده", "mirikan", "amrika", "lmirikan"],
    "CH": ["suisse", "switzerland", "سويسرا", "schweiz"],
    "SE": ["suede", "sweden", "السويد"],
    "NO": ["norvege", "norway", "النرويج"],
    "DK": ["danemark", "denmark", "الدنمارك"],
    "AE": ["emirats", "emirates", "uae", "dubai", "الامارات", "دبي"],
    "SA": ["arabie saoudite", "saudi arabia", "السعوديه"],
    "QA": ["qatar", "قطر"],
    "MA": ["maroc", "morocco", "المغرب", "lmaghrib"],
}


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
    for code, names in COUNTRY_REGIONS.items():
        if any(re.search(rf"(?<!\w){re.escape(normalize(name))}(?!\w)", text) for name in names):
            return code
    return None


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


STAGES: Final = {
    "idea": ["idee", "idea", "projet", "reflexion", "فكره", "fikra", "juste une idee", "مجرد فكره", "plan", "future"],
    "creation": ["creation", "creer", "lancement", "lancer", "start", "starting", "create", "انشاء", "تاسيس", "nkhle9", "ncree", "ncreer", "naftah", "new company"],
    "extension": ["extension", "developpement", "agrandir", "etendre", "expand", "expansion", "grow", "توسيع", "توسعه", "تطوير", "existing", "existante", "ma charika", "kbbr", "nkebbr"],
}


def parse_stage(text: str) -> str | None:
    normalised = " ".join(words(text))
    for stage, keywords in STAGES.items():
        if any(re.search(rf"(?<!\w){re.escape(normalize(k))}", normalised) for k in keywords):
            return stage
    return None


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
