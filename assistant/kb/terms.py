"""The words the knowledge search compares: an entry's indexed terms, a question's content terms.

Each entry is indexed once with the text of every variety (fr, ar, en, Darija, Arabizi),
normalised and lightly stemmed, so a question in any of them finds it; function words
(data: stopwords.yml) count for nothing on either side.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Final

import yaml

from assistant.kb.parts import expand_acronyms, spell_out_phone_words, without_correction, without_rejected
from assistant.kb.schema import Entry
from assistant.kb.spelling import SpellingCorrector
from assistant.languages import VARIETIES
from assistant.lexicon import entries
from assistant.nlu.langid import identify
from assistant.text import normalize, search_terms

# Function words of every variety (data: stopwords.yml), normalised like the question's terms; a line
# of the block starting with "#" is a comment, not words ("good evening" in one was a stopword once).
STOPWORDS: Final = frozenset(search_terms("\n".join(
    line for line in yaml.safe_load(Path(__file__).with_name("stopwords.yml").read_text(encoding="utf-8"))["words"].splitlines()
    if not line.lstrip().startswith("#"))))

#: The varieties whose messages type French words as they sound (Arabizi; Darija in Arabic script
#: with a French word in Latin letters).
DARIJA: Final = frozenset({"arabizi", "darija"})

#: Words announcing what a question is about ("niveau impots ?", "regarding taxes?"; "بالنسبة ل", as for,
#: which stems like "النسبة", the rate): dropped before searching (`assistant/words/conversation.yml`, `about`).
ABOUT: Final = entries("conversation", "about")

#: A placeholder of an answer template ("{min_inv}", "{launch_date}"), filled with a figure when the
#: answer is shown: its name is no word of the entry ("min", "inv", "launch").
PLACEHOLDER: Final = re.compile(r"\{\w+\}")

# Field weights: a field's terms are repeated this many times in the indexed document.
FIELD_WEIGHTS: Final = {"synonyms": 3, "keywords": 3, "title": 2, "questions": 2, "answer": 1}


def entry_terms(entry: Entry) -> list[str]:
    terms: list[str] = []
    for variety in VARIETIES:
        parts = {
            "synonyms": entry.synonyms.get(variety, []),
            "keywords": entry.keywords.get(variety, []),
            "questions": entry.questions.get(variety, []),
            "title": [entry.title[variety]] if variety in entry.title else [],
            "answer": [entry.answer[variety]] if variety in entry.answer else [],
        }
        for name, texts in parts.items():
            words = [t for text in texts for t in search_terms(PLACEHOLDER.sub(" ", text)) if t not in STOPWORDS]
            terms += words * FIELD_WEIGHTS[name]
    return terms


def content_terms(text: str) -> list[str]:
    return [t for t in search_terms(text) if t not in STOPWORDS]


def question_terms(text: str, spelling: SpellingCorrector) -> tuple[str, list[str]]:
    """The normalised text with typos and phone spellings corrected (unknown terms become
    the known term one edit away; "بالنسبة ل", as for, is not "النسبة", the rate), and
    its content terms."""
    # phone spellings written out ("ki peut", "and 4 an SA?", "wat docs"), in the message's variety
    variety = identify(text).variety
    spelled = spell_out_phone_words(normalize(expand_acronyms(text)), variety)
    plain = " ".join(w for w in without_rejected(without_correction(spelled)).split() if w not in ABOUT)
    # French words typed as they sound ("sosyete", "otoantreprener") in Darija only
    corrected = " ".join(spelling.correct_terms(search_terms(plain), by_sound=variety in DARIJA))
    return corrected, content_terms(corrected)
