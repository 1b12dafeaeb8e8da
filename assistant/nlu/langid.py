"""Language identification for one message, and the conversation's sticky language.

`identify(text)` looks at one message only: script first (Arabic vs Latin), then
lexicons (Darija in both scripts, French, English); longer Latin text gets the same
small prior for French and for English (`LONG_TEXT_PRIOR`). It reports how strong the evidence is:

- ``strong``: four words or more with a clear winner; may switch the conversation;
- ``weak``: a short message with a clue ("Bonjour", "salam", "شكرا"); only sets the
  language of a conversation that has none yet;
- ``none``: nothing to go on ("ok", "SARL", a number, an e-mail, emoji).

Explicit requests ("réponds en arabe", "in English please", "b darija 3afak") are
recognised separately and always win. `sticky_language` applies these rules.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from itertools import pairwise
from typing import Any, Final

from assistant.contract import CASE_REFERENCE_TYPED
from assistant.languages import ANSWER_LANGUAGE, LANGUAGES
from assistant.lexicon import load, raw_entries
from assistant.text import ARABIC_LETTER, LATIN_LETTER, normalize

#: the question mark, comma and semicolon of Arabic keyboards
ARABIC_PUNCTUATION: Final = re.compile("[\u061f\u060c\u061b]")

STRONG_MIN_WORDS: Final = 4
#: Added to both the French and the English score of a longer Latin message with lexical evidence.
#: It stands where langdetect's French/English probabilities (x 1.5) were meant to be added; that
#: call never worked (its profiles were handed over as dicts, which langdetect rejects, so it
#: always fell back to 0.5 / 0.5 after reading two profile files for every such message: about
#: 1 ms each, #15). Kept as the constant it always was, so every detection stays the same.
LONG_TEXT_PRIOR: Final = 1.5 * 0.5
#: A message with at least two Arabic-script words making this share of its words is written in
#: Arabic script with borrowed French or English words (code-switching), not in French.
MIXED_ARABIC_SHARE: Final = 0.3

# Noise that carries no language: links, e-mails, phone numbers, case references, numbers.
_NOISE: Final = re.compile(
    rf"https?://\S+|www\.\S+|\S+@\S+\.\S+|\+?\d[\d .()/-]{6,}\d|{CASE_REFERENCE_TYPED.pattern}|\b\d+(?:[.,]\d+)?\b",
    re.IGNORECASE,
)
_TOKEN: Final = re.compile(r"[a-z0-9\u0621-\u064A\u0671-\u06D3]+(?:'[a-z]+)?")

# Darija in Latin script ("Arabizi"). Words here are rare or absent in French and English.
ARABIZI_WORDS: Final = frozenset(raw_entries("langid", "arabizi"))
# Darija-specific words in Arabic script (absent from Modern Standard Arabic).
DARIJA_WORDS: Final = frozenset(normalize(w) for w in raw_entries("langid", "darija"))
FRENCH_WORDS: Final = frozenset(raw_entries("langid", "french"))
ENGLISH_WORDS: Final = frozenset(raw_entries("langid", "english"))
# Adjacent word pairs whose order tells French from English ("minimum capital" / "capital minimum").
WORD_ORDER: Final = {lang: frozenset(tuple(normalize(p).split()) for p in pairs)
                     for lang, pairs in load("langid")["word_order"].items()}
#: Names whose last word is a word of a language ("sarl au"): (first word, last word) pairs.
NAMES: Final = frozenset(tuple(normalize(p).split()) for p in load("langid")["names"])
#: English words that are a French acronym in lower case ("is": the IS).
ACRONYMS: Final = frozenset(raw_entries("langid", "acronyms"))
_GREETING_FR: Final = frozenset({"bonjour", "bonsoir", "salut", "coucou", "merci"})
_GREETING_EN: Final = frozenset({"hello", "hi", "hey", "thanks", "thank", "morning", "evening"})
_ACCENTED: Final = re.compile("[éèêëàâçùûôîïœ]")
_ARABIZI_DIGIT_WORD: Final = re.compile(r"^(?=.*[a-z])[a-z]*[235789][a-z]+[a-z0-9]*$|^[a-z]+[235789]$")

# ------------------------------------------------------------------ explicit switches
_LANGUAGE_NAMES: Final[dict[str, list[str]]] = load("langid")["language_names"]
_NAME_TO_LANG: Final = {name: lang for lang, names in _LANGUAGE_NAMES.items() for name in names}
# Words that turn a language name into a request ("réponds en arabe", "in English please").
_REQUEST_CUES: Final = frozenset(normalize(w) for w in raw_entries("langid", "request_cues"))
_LEADING_PREPOSITIONS: Final = ("b", "bel", "bl", "bi", "en", "in", "ب")


@dataclass(frozen=True)
class Detection:
    """What one message says about its language."""

    variety: str | None  # fr, en, ar, darija, arabizi, or None when unknown
    language: str | None  # answer language: fr, ar, en
    strength: str  # strong | weak | none
    confidence: float
    words: int
    requested: str | None = None  # explicit switch request: fr, ar, en

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


NO_SIGNAL: Final = Detection(None, None, "none", 0.0, 0)


def _tokens(text: str) -> list[str]:
    cleaned = _NOISE.sub(" ", text)
    return _without_acronyms(_without_name_words(_TOKEN.findall(normalize(cleaned))))


def _without_acronyms(tokens: list[str]) -> list[str]:
    """`tokens` without the English words that are a French acronym in lower case (`ACRONYMS`: "is")
    when no other word is English only and one is French only or Arabizi ("taux is maroc")."""
    if not ACRONYMS & set(tokens):
        return tokens
    rest = [t for t in tokens if t not in ACRONYMS]
    english = any(t in ENGLISH_WORDS and t not in FRENCH_WORDS for t in rest)
    other = any((t in FRENCH_WORDS and t not in ENGLISH_WORDS) or t in ARABIZI_WORDS for t in rest)
    return rest if other and not english else tokens


def _without_name_words(tokens: list[str]) -> list[str]:
    """`tokens` without the last word of a name (`NAMES`: "sarl au") when the message ends there or
    an English or Arabizi word follows: "what's a SARL AU?" is English, "une SARL au Maroc" French."""
    out: list[str] = []
    for i, tok in enumerate(tokens):
        following = tokens[i + 1] if i + 1 < len(tokens) else None
        if i and (tokens[i - 1], tok) in NAMES and (
            following is None
            or (following in ENGLISH_WORDS and following not in FRENCH_WORDS)
            or following in ARABIZI_WORDS
        ):
            continue
        out.append(tok)
    return out


def _name_language(tok: str) -> str | None:
    lang = _NAME_TO_LANG.get(tok)
    if lang is None:
        # "bl3arbiya", "بالدارجة": a preposition glued to the name
        for prep in _LEADING_PREPOSITIONS:
            if tok.startswith(prep) and tok[len(prep):] in _NAME_TO_LANG:
                return _NAME_TO_LANG[tok[len(prep):]]
    return lang


def requested_language(text: str) -> str | None:
    """The language an explicit switch request asks for, if the message is one."""
    return _requested(_tokens(text))


def _requested(tokens: list[str]) -> str | None:
    """`requested_language` on the message's tokens (`identify` tokenises once for both)."""
    if not tokens or len(tokens) > 10:
        return None
    named = [(i, lang) for i, tok in enumerate(tokens) if (lang := _name_language(tok))]
    if not named:
        return None
    rest = [tok for i, tok in enumerate(tokens) if i not in {j for j, _ in named}]
    languages = {lang for _, lang in named}
    if len(languages) > 1:
        # "Répondez en français, je ne lis pas l'arabe": the name after "en"/"in"/"b",
        # or the one the message starts with ("English pls, my French is bad").
        introduced = {
            lang for i, lang in named
            if i == 0 or tokens[i - 1] in _LEADING_PREPOSITIONS or tokens[i - 1] in _REQUEST_CUES
        }
        if len(introduced) != 1:
            return None
        target = introduced.pop()
    else:
        target = languages.pop()
    # "English" / "in English please" / "b darija 3afak": nothing but the name and cues
    if all(tok in _REQUEST_CUES or tok in _LEADING_PREPOSITIONS or len(tok) <= 2 for tok in rest):
        return target
    # "réponds en arabe s'il te plaît", "can you answer in French?"
    if any(tok in _REQUEST_CUES for tok in rest):
        content = [t for t in rest if t not in _REQUEST_CUES and len(t) > 2]
        if len(content) <= 4:
            return target
    return None


def _latin_scores(tokens: list[str], raw: str) -> dict[str, float]:
    arabizi = sum(1.0 for t in tokens if t in ARABIZI_WORDS)
    arabizi += sum(0.8 for t in tokens if t not in ARABIZI_WORDS and _ARABIZI_DIGIT_WORD.match(t))
    french = sum(1.0 for t in tokens if t in FRENCH_WORDS)
    french += 0.5 * len(_ACCENTED.findall(raw.lower()))
    english = sum(1.0 for t in tokens if t in ENGLISH_WORDS)
    return {"arabizi": arabizi, "fr": french, "en": english}


def _own_words(tokens: list[str], raw: str) -> dict[str, float]:
    """French and English evidence without the words both lexicons hold ("a", "on")."""
    return {
        "fr": sum(1.0 for t in tokens if t in FRENCH_WORDS and t not in ENGLISH_WORDS) + 0.5 * len(_ACCENTED.findall(raw.lower())),
        "en": sum(1.0 for t in tokens if t in ENGLISH_WORDS and t not in FRENCH_WORDS),
    }


def _ordered(tokens: list[str]) -> set[str]:
    """The languages whose word order two adjacent words follow (`WORD_ORDER`)."""
    pairs = set(pairwise(tokens))
    return {lang for lang, known in WORD_ORDER.items() if pairs & known}


def identify(text: str) -> Detection:
    """Identify the language variety of one message."""
    if not text or not text.strip():
        return NO_SIGNAL
    tokens = _tokens(text)
    requested = _requested(tokens)
    n = len(tokens)
    if n == 0:
        return Detection(None, None, "none", 0.0, 0, requested)

    arabic_letters = len(ARABIC_LETTER.findall(text))
    latin_letters = len(LATIN_LETTER.findall(_NOISE.sub(" ", text)))
    arabic_words = sum(1 for t in tokens if ARABIC_LETTER.match(t))
    latin_words = n - arabic_words

    # Latin tokens inside Arabic sentences are usually names and acronyms ("MDM Invest", "SARL"),
    # or French words in a Darija sentence ("شحال le capital minimum ديال SA؟")
    if (
        arabic_letters > latin_letters
        or (arabic_words and arabic_words >= latin_words)
        or (arabic_words >= 2 and arabic_words >= MIXED_ARABIC_SHARE * n)
    ):
        darija_hits = sum(1 for t in tokens if t in DARIJA_WORDS)
        # "واحد السؤال": Darija's indefinite article, absent from MSA
        darija_hits += sum(1 for a, b in pairwise(tokens) if a == "واحد" and b.startswith("ال"))
        variety = "darija" if darija_hits >= 1 else "ar"
        confidence = 0.95 if arabic_words >= 2 else 0.8
        strength = "strong" if n >= STRONG_MIN_WORDS else "weak"
        return Detection(variety, ANSWER_LANGUAGE[variety], strength, confidence, n, requested)

    scores = _latin_scores(tokens, text)
    lexical_evidence = any(scores.values())
    if not lexical_evidence and (arabic_words or ARABIC_PUNCTUATION.search(text)):
        # names and acronyms typed on an Arabic keyboard ("SARL ولا SA؟", "MDM؟"): nothing
        # French, English or Arabizi in the Latin words, so the Arabic word or mark decides
        variety = "darija" if any(t in DARIJA_WORDS for t in tokens) else "ar"
        return Detection(variety, ANSWER_LANGUAGE[variety], "weak", 0.6, n, requested)
    if not lexical_evidence and len(ordered := _ordered(tokens)) == 1:
        # "minimum capital?": no word of one language only, but the words' order is English (only
        # then: "what's the taxe professionnelle" is English with a French name)
        language = ordered.pop()
        return Detection(language, ANSWER_LANGUAGE[language], "weak", 0.6, n, requested)
    if n >= STRONG_MIN_WORDS and lexical_evidence:
        scores["fr"] += LONG_TEXT_PRIOR
        scores["en"] += LONG_TEXT_PRIOR
    # Arabizi markers are very specific: weigh them up against French/English function words.
    scores["arabizi"] *= 1.6
    best = max(scores, key=lambda k: scores[k])
    total = sum(scores.values())
    if scores[best] <= 0:
        return Detection(None, None, "none", 0.0, n, requested)
    confidence = scores[best] / total if total else 0.0
    # a word both languages have ("a", "on") is no evidence for either: "what's a SARL?" is English
    own = _own_words(tokens, text)
    if n >= STRONG_MIN_WORDS and confidence >= 0.45 and lexical_evidence:
        strength = "strong"
    elif (n < STRONG_MIN_WORDS and (
        best == "arabizi"
        or (best == "fr" and set(tokens) & (_GREETING_FR | FRENCH_WORDS) and own["fr"] and own["en"] == 0)
        or (best == "en" and set(tokens) & (_GREETING_EN | ENGLISH_WORDS) and own["en"] and own["fr"] == 0)
    )) or n >= STRONG_MIN_WORDS:
        strength = "weak"
    else:
        return Detection(None, None, "none", round(confidence, 3), n, requested)
    return Detection(best, ANSWER_LANGUAGE[best], strength, round(confidence, 3), n, requested)


def sticky_language(
    current: str | None, detection: Detection | dict[str, Any] | None, pinned: bool = False
) -> str | None:
    """The conversation language after a message.

    An explicit request always wins and pins the language (only another request
    changes it: someone who asked for Arabic may still type in French); otherwise
    strong evidence may switch, weak evidence only fills an empty slot, and Arabizi
    does not pull an Arabic conversation to French (both are Darija speakers' writing).
    """
    if detection is None:
        return current
    d = Detection(**detection) if isinstance(detection, dict) else detection
    if d.requested:
        return d.requested
    if pinned or d.language is None or d.strength == "none":
        return current
    if current is None:
        return d.language
    if d.strength != "strong":
        return current
    if current == "ar" and d.variety == "arabizi":
        return current
    return d.language


def language_slot_changes(
    slots: Mapping[str, Any], detection: Mapping[str, Any] | None, chosen: Iterable[str] = (), *,
    answering: bool = False,
) -> dict[str, Any]:
    """The `language`, `language_confirmed` and `language_pinned` slots to set after a message.

    `slots` holds the conversation's current values, `detection` the message's
    `language_detection` (parse data), `chosen` the values of its `language` entities (the
    language buttons). A button or a switch request is an explicit choice, which pins the
    language. Until the language has been recognised once, the slot holds a default that
    any clue may replace. A message `answering` a clarifying question (its options were offered just
    before) names the option it chooses, in whatever language it is known by ("l'impôt sur les
    sociétés" after a Darija question about the rate): it does not switch the language, unless it
    asks to. Run inside Rasa after every user message (`assistant.language_slots`).
    """
    current = slots.get("language")
    confirmed = bool(slots.get("language_confirmed"))
    pinned = bool(slots.get("language_pinned"))
    buttons = [value for value in chosen if value in LANGUAGES]
    explicit = buttons[-1] if buttons else (detection or {}).get("requested")
    if answering and confirmed and detection and detection.get("strength") == "strong":
        detection = {**detection, "strength": "weak"}
    new = explicit or sticky_language(current if confirmed else None, dict(detection) if detection else None,
                                      pinned=pinned)
    if new is None:
        return {}
    changes: dict[str, Any] = {}
    if new != current:
        changes["language"] = new
    if not confirmed:
        changes["language_confirmed"] = True
    if explicit and not pinned:
        changes["language_pinned"] = True
    return changes
