"""The language of a short message in which the language identifier found no clue.

"land?", "fund?", "industrial land" (English) or "fonds ?", "un terrain ?" (French) hold no function
word of either language (`assistant/nlu/langid.py`), so the conversation kept its default language:
an English speaker asking a vague first question was answered, and asked to clarify, in French. Words
of the knowledge base's subjects that only one of the two languages writes (`assistant/words/
subject_words.yml`) are then a weak clue: they fill a conversation's language not recognised yet,
never switch one (`langid.sticky_language`), and say nothing when both languages' words are there or
the message has Arabic letters (the identifier always reads those). A French article elided before a
word ("l'immatriculation ?", "d'une SARL") is such a clue too: English never writes it, and Arabizi,
which borrows it, is answered in French. And a short Arabizi question borrowing an English business
word ("chno howa business plan?") is Arabizi, not English, when the identifier's weak English reading
rests on no more English words than Arabizi ones (Arabizi markers are no English). Pure Python: used in
the Rasa process (`assistant.language_slots`) and by the action server's slot validation alike.

A reading may also rest on words that are no clue of the language they were read as (#10 items 3, 8 and
"Bad input"): Latin acronyms in capitals beside Arabic words ("SARL AU ولا SA؟": "au" and "sa" are no
French), the French acronym "IS" read as the English verb ("IS?", "IS sarl"), "min" after its noun in
French order ("capital min"), French words English writes too ("car import?", "the region?"); and a
phrase of a few technical words with one function word of another language ("compte en dirhams
convertibles?" in an English conversation) is no switch of the conversation's language (`clue_words`).
The first turn (session 36): a word with an ending of English only is an English subject word ("formalities?",
"documents needed?"); English words French borrows are no English ("business plan pour mdm invest"); an Arabizi
greeting frames nothing ("salam, what papers khasni" is English); a French or English sentence naming Arabic-script
terms is weakly that language (`latin_frame`); a language the assistant does not speak says nothing
(`unspoken_language`: "vorrei aprire una societa" is no English).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from itertools import pairwise
from typing import Any, Final

from assistant.languages import ANSWER_LANGUAGE
from assistant.lexicon import entries, phrase_words
from assistant.mixed_language import CLUE_CONFIDENCE, NONE, frames, latin_frame, unspoken_language
from assistant.nlu.langid import _ARABIZI_DIGIT_WORD as ARABIZI_DIGIT_WORD  # (the identifier's own pattern)
from assistant.nlu.langid import _GREETING_EN as GREETING_EN
from assistant.nlu.langid import _GREETING_FR as GREETING_FR
from assistant.nlu.langid import (
    ACRONYMS,
    ARABIC_PUNCTUATION,
    ARABIZI_WORDS,
    ENGLISH_WORDS,
    FRENCH_WORDS,
    WORD_ORDER,
    identify,
)
from assistant.text import ARABIC_LETTER, words

#: Latin words written in capitals (acronyms and names: "SARL", "AU", "SA", "CRI"), which say nothing of a language.
CAPITALS: Final = re.compile(r"\b[A-Z][A-Z0-9]+\b")
#: Fewer words of a Latin-script variety's own lexicon than this make a strong reading no switch.
SWITCH_MIN_WORDS: Final = 2
#: A phrase of technical words is short: a longer message read strongly may switch a conversation's language.
PHRASE_MAX_WORDS: Final = 6
#: A space before a question or exclamation mark after a word, as French typography writes them ("taxes ?").
FRENCH_SPACING: Final = re.compile(r"\w[ \u00a0\u202f]+[?!]")
#: A word shorter than this says nothing by its ending ("bled", "pied" are French).
ENDING_MIN_LETTERS: Final = 6
#: Abbreviations read as their word for the word order ("capital min" is French, "min capital" English).
ORDER_WORDS: Final = {"min": "minimum"}


#: A French article or pronoun elided before a word ("l'immatriculation", "d'une", "qu'il").
ELIDED: Final = re.compile(r"^(?:l|d|qu|j|n|s|c|m|t)['’](?=[a-z])")
#: A French elision or accented letter anywhere in a message ("l'", "d'", "é"): no English.
ELIDED_OR_ACCENT: Final = re.compile(r"\b(?:l|d|qu|j|n|s|c|m|t)['’][a-zà-ÿ]|[éèêëàâçùûôîïœ]", re.IGNORECASE)


def subject_words_language(text: str) -> str | None:
    """The one language (fr or en) whose subject words the message holds (or a French elision, or a word with an
    ending of English only: "formalities?", "documents needed?", "financing options"), or None."""
    if ARABIC_LETTER.search(text):
        return None
    tokens = words(text)
    elided = {t for t in tokens if ELIDED.match(t)}
    bare = {ELIDED.sub("", t) for t in tokens}
    english = bare & entries("subject_words", "en") or {t for t in bare if english_ending(t)}
    found = [language for language in ("fr", "en")
             if (english if language == "en" else bare & entries("subject_words", "fr") or elided)]
    return found[0] if len(found) == 1 else None


def english_ending(token: str) -> bool:
    """Whether a word ends as English words only do (`english_endings` in subject_words.yml: "formalities",
    "needed", "financing"), and is no word of the identifier's French or Arabizi lexicons nor an English word French
    borrows ("holding", "leasing")."""
    return (len(token) >= ENDING_MIN_LETTERS and token.endswith(tuple(entries("subject_words", "english_endings")))
            and token not in FRENCH_WORDS and token not in ARABIZI_WORDS
            and token not in entries("subject_words", "english_in_french"))


def english_over_arabizi(detection: Mapping[str, Any], text: str) -> bool:
    """Whether a weak Arabizi reading of a Latin message is English: its only Arabizi words are words
    English writes too ("bank", "min"), beside an English subject word and no French one ("bank
    account?"), English function words and no French ones ("which bank?"), alone when they are English
    subject words ("bank?": Arabizi writes "lbank", "lbanka"), or beside nothing holding a clue of any
    language ("min capital?": "capital" is both French and English). As a weak reading, it only fills a
    conversation's language not recognised yet: an Arabizi conversation stays Arabizi."""
    if detection.get("variety") != "arabizi" or detection.get("strength") != "weak":
        return False
    tokens = set(words(text))
    marks = {t for t in tokens if t in ARABIZI_WORDS or ARABIZI_DIGIT_WORD.match(t)}
    rest = tokens - marks
    english = {t for t in rest if t in ENGLISH_WORDS and t not in FRENCH_WORDS}
    french = {t for t in rest if t in FRENCH_WORDS and t not in ENGLISH_WORDS}
    if not marks or not marks <= entries("subject_words", "arabizi_in_english") or french_order(text):
        return False
    rest_text = " ".join(rest)
    rest_language = subject_words_language(rest_text)
    if rest_language == "en" or (english and not french):
        return True
    if not rest:
        return marks <= entries("subject_words", "en")  # ("bank?" alone)
    # nothing else holds a clue of any language ("min capital?")
    return not french and rest_language is None and identify(rest_text).strength == "none"


def arabizi_over_english(detection: Mapping[str, Any], text: str) -> bool:
    """Whether a weak English reading of a Latin message is Arabizi borrowing English words: it holds an
    Arabizi marker word (not one English writes too) and no more English-only words than Arabizi ones
    ("chno howa business plan?")."""
    if detection.get("language") != "en" or detection.get("strength") != "weak" or ARABIC_LETTER.search(text):
        return False
    tokens = [t for t in words(text) if t not in frames("greetings", "arabizi")]  # ("salam, what papers khasni for a sarl")
    # (a word English writes too is no Arabizi marker in an English reading: "min capital for sarl?")
    shared = entries("subject_words", "arabizi_in_english")
    arabizi = sum(1 for t in tokens if (t in ARABIZI_WORDS or ARABIZI_DIGIT_WORD.match(t)) and t not in shared)
    english = sum(1 for t in tokens if t in ENGLISH_WORDS and t not in FRENCH_WORDS and t not in ARABIZI_WORDS)
    return arabizi > 0 and english <= arabizi


def french_order(text: str) -> bool:
    """Whether two adjacent words follow French word order only ("capital min": `WORD_ORDER`)."""
    tokens = [ORDER_WORDS.get(t, t) for t in words(text)]
    pairs = set(pairwise(tokens))
    return bool(pairs & WORD_ORDER["fr"]) and not pairs & WORD_ORDER["en"]


def arabic_beside_capitals(detection: Mapping[str, Any], text: str) -> dict[str, Any] | None:
    """The Arabic reading of a message read as Latin-script whose Latin words holding the clue are acronyms in
    capitals beside Arabic words ("SARL AU ولا SA؟", "CRI ولا AMDIE؟"), or whose Arabic words ask the question
    (a Darija question word, also with its preposition attached, or the Arabic question mark: "واش l'auto-entrepreneur
    عندو la couverture médicale؟", "le certificat négatif بشحال"): the
    French words are the borrowed terms. None otherwise ("السلام عليكم, what documents do i need?")."""
    if detection.get("variety") not in ("fr", "en", "arabizi") or not ARABIC_LETTER.search(text):
        return None
    arabic = [t for t in words(text) if ARABIC_LETTER.match(t)]
    # (a question word with its preposition attached: "le certificat négatif بشحال")
    if ARABIC_PUNCTUATION.search(text) or frames("question_words", "darija") & {*arabic, *map(unglued, arabic)}:
        rest = " ".join(arabic)
    elif (rest := CAPITALS.sub(" ", text)) == text:
        return None
    reading = identify(rest)
    if reading.language != "ar":
        return None
    return {**reading.as_dict(), "requested": detection.get("requested")}


def unglued(token: str) -> str:
    """An Arabic-script word without the one-letter preposition or conjunction glued to it ("بشحال" -> "شحال")."""
    return token[1:] if token[:1] in ("ب", "ف", "و", "ل") and len(token) > 3 else token


def arabizi_greeting_only(detection: Mapping[str, Any], text: str) -> dict[str, Any] | None:
    """The English reading of a Latin message read as Arabizi on the strength of a greeting or thanks only
    (`greetings` and `acknowledgements` in conversation.yml): "salam, customs?", "salam bro, loans?" are English;
    "salam, lbanka?" and "salam, pension?" (no clue of English) stay Arabizi. A weak reading: it fills a
    conversation's language not recognised yet, never switches one."""
    if detection.get("variety") != "arabizi" or ARABIC_LETTER.search(text):
        return None
    tokens = words(text)
    polite = frames("greetings", "arabizi") | frames("acknowledgements", "arabizi")
    shared = entries("subject_words", "arabizi_in_english")
    marks = {t for t in tokens if (t in ARABIZI_WORDS or ARABIZI_DIGIT_WORD.match(t)) and t not in shared}
    rest = " ".join(t for t in tokens if t not in polite)
    if not marks or not marks <= polite or not rest:
        return None
    reading = with_subject_words(identify(rest).as_dict(), rest)
    if not reading or reading.get("language") != "en" or french_spacing(reading, text):  # ("salam, taxes ?")
        return None
    return {**reading, "strength": "weak", "requested": detection.get("requested")}


def english_of_acronyms(detection: Mapping[str, Any], text: str) -> bool:
    """Whether a weak English reading rests on an English word that is a French acronym ("IS?", "IS sarl":
    the corporate tax, `ACRONYMS`): without it the message holds no clue of any language."""
    if detection.get("language") != "en" or detection.get("strength") == "strong":
        return False
    tokens = words(text)
    if not ACRONYMS & set(tokens):
        return False
    return identify(" ".join(t for t in tokens if t not in ACRONYMS)).strength == "none"


def english_over_french(detection: Mapping[str, Any] | None, text: str) -> bool:
    """Whether a Latin message read as French, or as nothing, is English: its only French words are words
    English writes too (`french_in_english`), beside English words ("the region?"), or, when they are English
    subject words, alone or beside words holding no clue of any language ("car?", "car import?")."""
    detection = detection or {}
    if detection.get("language") not in (None, "fr") or detection.get("strength") == "strong" or ARABIC_LETTER.search(text):
        return False
    tokens = words(text)
    shared = set(tokens) & entries("subject_words", "french_in_english")
    if not shared or ELIDED_OR_ACCENT.search(text):
        return False
    rest = " ".join(t for t in tokens if t not in shared)
    reading = identify(rest)
    if reading.language == "en" or (reading.strength == "none" and subject_words_language(rest) == "en"):
        return True  # ("the region?", "best region?")
    return (reading.strength == "none" and shared <= entries("subject_words", "en")
            and subject_words_language(rest) is None)


def english_of_subject_words(detection: Mapping[str, Any] | None, text: str) -> bool:
    """Whether a weak French reading resting on no word of French only (words both lexicons hold: "a", "on"; an
    Arabizi word English writes too: "bank") is English by its subject words ("opening a bank account")."""
    detection = detection or {}
    if detection.get("variety") != "fr" or detection.get("strength") != "weak" or ELIDED_OR_ACCENT.search(text):
        return False
    shared = entries("subject_words", "arabizi_in_english")
    if any((t in FRENCH_WORDS and t not in ENGLISH_WORDS) or (t in ARABIZI_WORDS and t not in shared)
           or ARABIZI_DIGIT_WORD.match(t) for t in words(text)):
        return False
    return subject_words_language(text) == "en"


def english_first(detection: Mapping[str, Any] | None, text: str) -> bool:
    """Whether a Latin message read as French, or as nothing, is English naming a French term: its first word of
    one language only is an English word framing a sentence or gluing a phrase, and those are no fewer, articles
    included, greetings and thanks left out ("the taxe professionnelle?",
    "the fonds de garantie?", "the taux?"; "le tax?", "les taxes pour une sarl", "help pour creer une sarl" are
    not)."""
    detection = detection or {}
    if detection.get("language") not in (None, "fr") or detection.get("variety") == "arabizi" or ARABIC_LETTER.search(text):
        return False
    own = []
    function = frames("sentence_frames", "en") | entries("conversation", "phrase_glue")
    for t in words(text):
        if t in polite_words():
            continue
        # (a noun English and French business writing share is no frame: "taxes au maroc ?", "business plan pour …")
        if t in ENGLISH_WORDS and t not in FRENCH_WORDS and t not in ACRONYMS and t in function:  # ("IS sarl")
            own.append("en")
        elif (t in FRENCH_WORDS and t not in ENGLISH_WORDS) or t in ARABIZI_WORDS or ARABIZI_DIGIT_WORD.match(t):
            own.append("fr")
    return bool(own) and own[0] == "en" and own.count("en") >= own.count("fr")


def english_matrix(detection: Mapping[str, Any], text: str) -> bool:
    """Whether a French reading of a Latin message is English with French terms: its first word of one language's
    own lexicon is an English word framing a sentence (`sentence_frames`: "what's", "is", "how"), and it holds
    no fewer of them than French or Arabizi words, leaving out greetings, thanks, the words gluing a phrase together
    and an acronym in capitals ("what's the taux de TVA on services",
    "is a société en commandite simple a good option?"; "IS taux" and "taux de TVA for a SARL" stay French)."""
    if detection.get("language") != "fr" or detection.get("requested") or ARABIC_LETTER.search(text):
        return False
    capitals = {t.lower() for t in CAPITALS.findall(text)}
    skip = polite_words() | glue_words()
    own = []
    for t in words(text):
        if t in skip or (t in ACRONYMS and t in capitals):
            continue
        if t in frames("sentence_frames", "en") and t not in FRENCH_WORDS:
            own.append("en")
        elif (t in FRENCH_WORDS and t not in ENGLISH_WORDS) or t in ARABIZI_WORDS or ARABIZI_DIGIT_WORD.match(t):
            own.append("fr")
    return bool(own) and own[0] == "en" and own.count("en") >= own.count("fr")


def polite_words() -> frozenset[str]:
    """Greetings and thanks in French and English (and the acknowledgements of every variety, the Arabizi greetings
    written before a question in any language: "salam, what papers khasni"): no frame of a message."""
    return (GREETING_EN | GREETING_FR | frames("greetings", "arabizi")
            | {w for phrase in phrase_words("conversation", "acknowledgements") for w in phrase})


def glue_words() -> frozenset[str]:
    """The articles, prepositions and conjunctions gluing a phrase together, in every Latin-script variety."""
    return entries("conversation", "phrase_glue")


def clue_words(detection: Mapping[str, Any], text: str) -> dict[str, Any]:
    """A strong Latin-script reading of a short phrase of technical words (`PHRASE_MAX_WORDS`) is weak: no word
    framing a sentence in its
    answer language (`sentence_frames` in conversation.yml, Arabizi's own words) and fewer than
    `SWITCH_MIN_WORDS` other words of its lexicons, the articles and prepositions gluing the phrase together
    (`phrase_glue` in conversation.yml) left out ("compte en dirhams convertibles?", "taux de la TVA ?", "et pour une
    SA ?", "minimum capital for a sarl"). It fills a conversation's language not recognised yet, never switches
    one; "what's the minimum capital for a SARL?" and "ok merci, et pour une SARL AU chno les documents?" do."""
    variety = detection.get("variety")
    if detection.get("strength") != "strong" or variety not in ("fr", "en", "arabizi") or detection.get("requested"):
        return dict(detection)
    tokens = [part for t in words(text) for part in t.split("-")]  # ("est-il", "pouvez-vous")
    if len(tokens) > PHRASE_MAX_WORDS:
        return dict(detection)
    tokens = [t for t in tokens if t not in glue_words()]
    if ANSWER_LANGUAGE[variety] == "fr":
        french = frames("sentence_frames", "fr")
        arabizi = sum(1 for t in tokens if t in ARABIZI_WORDS or ARABIZI_DIGIT_WORD.match(t))
        framed = arabizi + sum(1 for t in tokens if t in french)
        own = arabizi + sum(1 for t in tokens if t in FRENCH_WORDS and t not in ENGLISH_WORDS)
    else:
        framed = sum(1 for t in tokens if t in frames("sentence_frames", "en") and t not in FRENCH_WORDS)
        own = sum(1 for t in tokens if t in ENGLISH_WORDS and t not in FRENCH_WORDS)
    return dict(detection) if framed or own >= SWITCH_MIN_WORDS else {**detection, "strength": "weak"}


def french_spacing(detection: Mapping[str, Any] | None, text: str) -> bool:
    """Whether a weak English reading of a Latin message is French written as French typography writes, a space before
    its question or exclamation mark ("taxes ?", "business plan ?", "cc, taxes !"): the reading rests only on words
    French writes as they are (`english_in_french` in subject_words.yml: "taxes", "business") and the other words hold
    no English subject word. "taxes?", "the taxes ?", "hello, taxes ?" and "bank account ?" stay English."""
    detection = detection or {}
    if (detection.get("language") != "en" or detection.get("strength") != "weak" or detection.get("requested")
            or ARABIC_LETTER.search(text) or not FRENCH_SPACING.search(text)):
        return False
    tokens = words(text)
    borrowed = entries("subject_words", "english_in_french")
    english = {t for t in tokens if t in ENGLISH_WORDS and t not in FRENCH_WORDS}
    rest = " ".join(t for t in tokens if t not in borrowed)
    return bool(english) and english <= borrowed and subject_words_language(rest) != "en"


def with_subject_words(detection: Mapping[str, Any] | None, text: str) -> dict[str, Any] | None:
    """The message's detection, or, when it found no language, a weak one from its subject words (or
    Arabizi for a weak English reading of an Arabizi message; or a reading corrected for words that are
    no clue of the language they were read as). A button's payload ("/ask_financing{…}") has no words: its
    intent and entry names say nothing of the language."""
    text = text or ""
    if text.startswith("/"):  # (Rasa parses it without the NLU: no detection; the language buttons are entities)
        return dict(NONE)
    if (unspoken := unspoken_language(detection, text)) is not None:  # ("vorrei aprire una societa")
        return unspoken
    if detection and (latin := latin_frame(detection, text)):  # ("c'est quoi l'المركز الجهوي للاستثمار ?")
        return latin
    if detection and detection.get("language") and (arabic := arabic_beside_capitals(detection, text)):
        return arabic
    if detection and english_matrix(detection, text):  # ("what's the taux de TVA on services")
        return clue_words({**detection, "variety": "en", "language": ANSWER_LANGUAGE["en"]}, text)
    if detection and english_of_acronyms(detection, text):  # ("IS?")
        detection = {**detection, **NONE, "words": detection.get("words", 0), "requested": detection.get("requested")}
    if (english_over_french(detection, text) or english_first(detection, text)  # ("car import?", "the taux?")
            or english_of_subject_words(detection, text)):  # ("opening a bank account")
        return {**NONE, **(detection or {}), "variety": "en", "language": ANSWER_LANGUAGE["en"], "strength": "weak",
                "confidence": CLUE_CONFIDENCE}
    if french_spacing(detection, text):  # ("taxes ?", "business plan ?")
        return {**NONE, **(detection or {}), "variety": "fr", "language": ANSWER_LANGUAGE["fr"], "strength": "weak",
                "confidence": CLUE_CONFIDENCE}
    if detection and (english := arabizi_greeting_only(detection, text)):  # ("salam, customs?")
        return english
    if detection and detection.get("language"):
        if arabizi_over_english(detection, text):
            return {**detection, "variety": "arabizi", "language": ANSWER_LANGUAGE["arabizi"]}
        if english_over_arabizi(detection, text):  # ("bank account?")
            return {**detection, "variety": "en", "language": ANSWER_LANGUAGE["en"]}
        return clue_words(detection, text)
    language = subject_words_language(text)
    if language is None:
        return dict(detection) if detection else None
    return {**NONE, **(detection or {}), "variety": language, "language": ANSWER_LANGUAGE[language], "strength": "weak",
            "confidence": CLUE_CONFIDENCE}


def past_acknowledgements(detection: Mapping[str, Any] | None, text: str, confirmed: bool) -> Mapping[str, Any] | None:
    """In a conversation whose language is known (`confirmed`), a message opening with thanks or an ok
    before words holding no clue of their language ("ok thanks, w l rc?" in an Arabizi conversation,
    "merci, w tva?"; `acknowledgements` in words/conversation.yml): the thanks alone do not switch the
    conversation's language, the message says nothing of it. Thanks before words with a clue ("merci,
    and what about the vat?"), or alone ("thanks!"), keep the message's own reading."""
    if not confirmed or not detection or detection.get("requested"):
        return detection
    tokens = words(text or "")
    phrases = sorted(phrase_words("conversation", "acknowledgements"), key=len, reverse=True)
    start = 0
    while (said := next((p for p in phrases if tuple(tokens[start:start + len(p)]) == p), None)) is not None:
        start += len(said)
    if start == 0 or start >= len(tokens):
        return detection
    rest = identify(" ".join(tokens[start:]))
    return rest.as_dict() if rest.strength == "none" and not rest.requested else detection

