"""Language identification for one message, and the conversation's sticky language.

`identify(text)` looks at one message only: script first (Arabic vs Latin), then
lexicons (Darija in both scripts, French, English) and, for longer Latin text,
langdetect restricted to French and English. It reports how strong the evidence is:

- ``strong``: four words or more with a clear winner; may switch the conversation;
- ``weak``: a short message with a clue ("Bonjour", "salam", "شكرا"); only sets the
  language of a conversation that has none yet;
- ``none``: nothing to go on ("ok", "SARL", a number, an e-mail, emoji).

Explicit requests ("réponds en arabe", "in English please", "b darija 3afak") are
recognised separately and always win. `sticky_language` applies these rules.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from functools import lru_cache
from itertools import pairwise
from typing import Any, Final

from assistant.contract import CASE_REFERENCE_TYPED
from assistant.languages import ANSWER_LANGUAGE
from assistant.text import ARABIC_LETTER, LATIN_LETTER, normalize

STRONG_MIN_WORDS: Final = 4

# Noise that carries no language: links, e-mails, phone numbers, case references, numbers.
_NOISE: Final = re.compile(
    rf"https?://\S+|www\.\S+|\S+@\S+\.\S+|\+?\d[\d .()/-]{6,}\d|{CASE_REFERENCE_TYPED.pattern}|\b\d+(?:[.,]\d+)?\b",
    re.IGNORECASE,
)
_TOKEN: Final = re.compile(r"[a-z0-9\u0621-\u064A\u0671-\u06D3]+(?:'[a-z]+)?")

# Darija in Latin script ("Arabizi"). Words here are rare or absent in French and English.
ARABIZI_WORDS: Final = frozenset(
    ["bghit", "bghina", "bgheet", "bghiti", "bgha", "bghat", "bghit", "bghitek", "kifach", "kifash", "kifech", "kifch", "kif", "chno", "chnou", "chnu", "achno", "ach", "shno", "shnou", "wach", "wash", "wech", "dyal", "dial", "diyal", "dyali", "dyalek", "dyalo", "dyalha", "dyalna", "dialk", "diali", "3afak", "3afek", "afak", "bzaf", "bezaf", "bezzaf", "bzzaf", "daba", "dba", "labas", "lbas", "labass", "slm", "salam", "salamo", "khoya", "khouya", "khti", "khtiti", "sahbi", "kayn", "kayna", "kain", "kaina", "makaynch", "makaynach", "makanch", "kayen", "mzyan", "mzyana", "mezyan", "mezian", "wakha", "wakh", "safi", "ghadi", "gha", "ghan", "ghadin", "nta", "nti", "ntoma", "hna", "7na", "hnaya", "fin", "feen", "fen", "3lach", "3lash", "3lah", "3la", "3la9", "ila", "wla", "walakin", "walakine", "bach", "bash", "chi", "chwiya", "chwia", "lflouss", "flouss", "flous", "lflous", "charika", "chrika", "charikat", "lcharika", "lkhedma", "khedma", "khdma", "n9der", "nqder", "n9dar", "ndir", "ndiro", "nkhdem", "nbda", "nbdaw", "nbdl", "3ndi", "3andi", "3ndek", "3andek", "ma3reftch", "ma3raftch", "mafhamtch", "mfhmtch", "fhamt", "fhmt", "rani", "raha", "rah", "raho", "hadchi", "hadak", "hadik", "dak", "dik", "lmaghrib", "lmghrib", "lmgharba", "bladi", "lbled", "lblad", "m3a", "m3ak", "m3aya", "m3ana", "ch7al", "chhal", "chal", "9ad", "9desh", "ktar", "kter", "bla", "3ad", "3awd", "3awni", "3awnouni", "ndkhl", "nsawel", "nsowl", "ns2al", "so2al", "kan", "kant", "kanet", "kanbghi", "kanbgha", "kankhdem", "kanskon", "kanskn", "sakn", "sakna", "saken", "kaysknou", "tanbghi", "tan", "tandir", "kandir", "kandiro", "kaydir", "kaydiro", "kaykhles", "kaykhelsou", "khelles", "khlas", "tkhlas", "ykhles", "tkhlles", "lbanka", "bank", "lbnk", "wlidi", "weldi", "mrati", "rajli", "mzyane", "bsse7", "bse7", "sa7", "s7i7", "s7i7a", "7ta", "7tal", "7it", "7ite", "7sab", "7sn", "a7san", "3lik", "3likom", "3likoum", "lah", "allah", "inchallah", "nchallah", "tbarkallah", "hamdolah", "hamdoulah", "hamdullah", "lhamdollah", "baraka", "barak", "lahi", "b3da", "b3d", "w9t", "lwa9t", "lw9t", "9bel", "mn", "min", "fach", "imta", "fo9ach", "foqach", "manech", "machi", "mashi", "ma3ndich", "mandirch", "wesh", "tanker", "tkellem", "tkelem", "hder", "hdar", "hdr", "hadri", "jawb", "jawbni", "jawbi", "kteb", "kteb", "li", "ktbli", "ktebli", "f", "fl", "li", "lli", "ra7a", "s3iba", "sahla", "sahel", "s3ib", "ghali", "rkhis", "3tini", "3tiwni", "3tini", "sift", "seft", "siftli", "khas", "khass", "khassni", "khasni", "khassek", "khasek", "khasso", "khassha", "lazem", "lazm", "daruri", "dariba", "daraib", "dribat", "lkra", "lkrae", "lmahal", "lmahall", "ras", "lmal", "lmal", "ana"]
)
# Darija-specific words in Arabic script (absent from Modern Standard Arabic).
DARIJA_WORDS: Final = frozenset(
    normalize(w)
    for w in ["ديال", "ديالي", "ديالك", "ديالو", "ديالها", "ديالنا", "ديالكم", "بغيت", "بغينا", "بغا", "بغات", "بغيتي", "كنبغي", "كنبغيو", "كيفاش", "شنو", "شنوا", "شنهو", "اشنو", "آشنو", "واش", "دابا", "بزاف", "عافاك", "عفاك", "ماشي", "مشي", "غادي", "غادين", "غانبدا", "غانخدم", "حيت", "علاش", "فين", "فاين", "كاين", "كاينة", "كاينين", "ماكاينش", "مكاينش", "والو", "مزيان", "مزيانة", "واخا", "صافي", "نتا", "نتي", "نتوما", "حنا", "هادشي", "هادي", "هاداك", "هاديك", "داك", "ديك", "شحال", "بشحال", "شي", "شوية", "كيخلص", "كيخلصو", "كنخلص", "نخلص", "نقدر", "نديرو", "ندير", "كندير", "كيدير", "كيديرو", "خاصني", "خاصك", "خاصو", "خاص", "لاباس", "بصح", "راه", "راني", "راك", "راها", "معايا", "معاك", "معانا", "كتر", "زعما", "هضر", "هضرني", "جاوبني", "جاوب", "كتبلي", "ليا", "ليك", "فلوس", "الفلوس", "لفلوس", "بلادي", "لبلاد", "نخدم", "كنخدم", "كنسكن", "ساكن", "ساكنة", "نبدا", "نبداو", "دروك", "امتى", "فوقاش", "باش", "بغيتي", "الكرا", "كرا", "طوموبيل", "لبنكة", "البنكة", "خويا", "ختي", "صاحبي", "كيداير", "كيدايرة", "كيدايرين", "بسلامة", "ايه", "إيه", "واه", "بيك", "بيكم", "تبارك", "يخليك", "بلاصة", "فاش", "منين", "شكون", "علاه"]
)
FRENCH_WORDS: Final = frozenset(
    ["le", "la", "les", "de", "des", "du", "un", "une", "et", "est", "je", "j", "vous", "tu", "nous", "il", "elle", "ils", "on", "pour", "pas", "que", "qui", "quoi", "dans", "sur", "avec", "comment", "quel", "quelle", "quels", "quelles", "combien", "bonjour", "bonsoir", "salut", "merci", "oui", "non", "ai", "suis", "mon", "ma", "mes", "ton", "ta", "ce", "cette", "ces", "au", "aux", "en", "ou", "peux", "peut", "puis", "faut", "faire", "creer", "cree", "societe", "entreprise", "svp", "stp", "voudrais", "veux", "voulez", "pouvez", "est-ce", "estce", "aussi", "mais", "donc", "car", "parce", "quand", "depuis", "avoir", "etre", "sont", "sera", "faut-il", "moi", "toi", "lui", "leur", "leurs", "notre", "votre", "cela", "ca", "c'est", "n'est", "qu'est", "j'ai", "d'une", "d'un", "l'auto", "l'entreprise", "y", "a", "il", "y", "s'il", "plait", "merci", "beaucoup", "bien", "tres", "plus", "moins", "apres", "avant", "capital", "impots", "taxe", "delai", "demande", "dossier", "conseiller", "parler", "quelqu'un", "aide", "aidez", "besoin", "projet", "investir", "investissement", "region", "francais", "anglais", "arabe", "reponds", "repondez", "parle", "parlez", "ecris", "ecrivez", "d'accord", "daccord",
     # phone spellings (../shared/how-people-write.md)
     "koi", "c", "cest", "pr", "ds", "tt", "bcp", "slt", "bjr", "kel", "ke", "qd", "jsp", "chui", "cmt", "fo", "pk", "pq",
     "dac", "ajd", "mrc"]
)
ENGLISH_WORDS: Final = frozenset(
    ["the", "a", "an", "is", "are", "was", "were", "i", "you", "we", "they", "he", "she", "it", "to", "for", "of", "and", "what", "how", "which", "who", "where", "when", "why", "can", "could", "do", "does", "did", "my", "your", "our", "their", "in", "on", "with", "hello", "hi", "hey", "thanks", "thank", "please", "yes", "no", "company", "business", "want", "need", "should", "would", "much", "many", "there", "this", "that", "these", "those", "have", "has", "be", "been", "will", "about", "from", "by", "at", "or", "if", "any", "some", "get", "set", "up", "start", "open", "tax", "taxes", "rate", "long", "valid", "register", "registration", "advisor", "human", "someone", "speak", "talk", "help", "me", "morning", "evening", "english", "french", "arabic", "answer", "reply", "it's", "i'm", "what's", "don't", "can't", "doesn't", "i'd", "i'll", "let's",
     # phone spellings (../shared/how-people-write.md)
     "whats", "wat", "wht", "r", "u", "ur", "pls", "plz", "thx", "im", "dont", "cant", "wanna", "gonna", "hw"]
)
_GREETING_FR: Final = frozenset({"bonjour", "bonsoir", "salut", "coucou", "merci"})
_GREETING_EN: Final = frozenset({"hello", "hi", "hey", "thanks", "thank", "morning", "evening"})
_ACCENTED: Final = re.compile("[éèêëàâçùûôîïœ]")
_ARABIZI_DIGIT_WORD: Final = re.compile(r"^(?=.*[a-z])[a-z]*[235789][a-z]+[a-z0-9]*$|^[a-z]+[235789]$")

# ------------------------------------------------------------------ explicit switches
_LANGUAGE_NAMES: Final[dict[str, tuple[str, ...]]] = {
    "fr": (
        "francais", "french", "fransawiya", "fransawia", "fransaouia", "fransiya", "fransia",
        "lfrancais", "l'francais", "fr", "فرنسيه", "الفرنسيه", "بالفرنسيه", "بالفرنساويه",
        "الفرنساويه", "فرنساويه", "بالفرانسي", "فرانسي", "francai", "fransi", "lfransawiya",
        "فرونصي", "بالفرونصي", "الفرونصي", "بالفرنسي", "lfrancais", "lfranse", "fransé", "franse",
        "فرونسي", "بالفرونسي", "الفرونسي", "للفرنسيه",
    ),
    "ar": (
        "arabe", "arabic", "l3arbiya", "l3arbia", "3arbiya", "3arbia", "bl3arbiya", "bl3arbia",
        "l3arabiya", "3arabiya", "darija", "ddarija", "derija", "eddarija", "العربيه", "عربيه",
        "بالعربيه", "بالعربي", "العربي", "الدارجه", "بالدارجه", "دارجه", "l'arabe", "larabe",
    ),
    "en": (
        "anglais", "english", "nglizia", "nglizya", "lnglizia", "englizia", "linglizia",
        "l'anglais", "langlais", "الانجليزيه", "انجليزيه", "بالانجليزيه", "النجليزيه", "بالنجليزيه",
        "الانكليزيه", "بالانكليزيه", "بالانڭليزيه", "inglizia", "bnglizia", "inglese",
        "lenglizia", "englizia", "anglizia", "nglizi", "lnglizi", "lenglais", "انجليزي", "بالانجليزي",
        "النكليزيه", "بالنكليزيه", "نكليزيه", "للانجليزيه", "للنجليزيه",
    ),
}
_NAME_TO_LANG: Final = {name: lang for lang, names in _LANGUAGE_NAMES.items() for name in names}
# Words that turn a language name into a request ("réponds en arabe", "in English please").
_REQUEST_CUES: Final = frozenset(
    normalize(w)
    for w in ["reponds", "repondez", "repond", "reponse", "repondre", "repondiez", "reponde", "repondrez", "parle", "parlez", "parler", "ecris", "ecrivez", "ecrire", "continue", "continuez", "continuons", "passe", "passez", "passons", "change", "changez", "mets", "traduis", "langue", "svp", "stp", "plait", "prefere", "preferais", "prefererais", "peux", "pourriez", "pourrais", "answer", "reply", "respond", "speak", "talk", "write", "switch", "continue", "change", "use", "please", "language", "pls", "plz", "أجب", "أجبني", "اجبني", "اجب", "أجيبوا", "تكلم", "تكلمي", "كلمني", "تحدث", "تحدثي", "اكتب", "اكتبي", "رد", "ردي", "من", "فضلك", "لو", "سمحت", "المرجو", "باللغه", "اللغه", "التحدث", "تتحدث", "تتكلم", "الكلام", "الاجابه", "الرد", "تجيب", "تجيبني", "ترد", "يمكنك", "ممكن", "جاوب", "جاوبني", "جاوبيني", "هضر", "هضري", "هضرني", "كتب", "كتبلي", "عافاك", "عفاك", "بليز", "jawb", "jawbni", "jawbini", "hder", "hdar", "hdr", "hderli", "hdarli", "m3aya", "kteb", "ktebli", "tkelem", "tkellem", "3afak", "afak", "b", "bel", "bl", "revenir", "reviens", "revenons", "parles", "prefer", "rather", "back", "بدل", "بدلي", "غير", "لغه", "كتهضر", "تهضر", "كتكلم", "bdel", "bdl", "lougha", "lugha", "logha", "kathdr", "kathder", "tahdar"]
)
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
    return _TOKEN.findall(normalize(cleaned))


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
    tokens = _tokens(text)
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


@lru_cache(maxsize=1)
def _langdetect() -> Any:
    """A langdetect factory that only knows French and English (the Latin candidates)."""
    import json
    import os

    import langdetect
    from langdetect.detector_factory import DetectorFactory

    profiles = os.path.join(os.path.dirname(langdetect.__file__), "profiles")
    factory = DetectorFactory()
    documents = []
    for lang in ("fr", "en"):
        with open(os.path.join(profiles, lang), encoding="utf-8") as handle:
            documents.append(json.load(handle))
    factory.load_json_profile(documents)
    factory.set_seed(0)  # deterministic
    return factory


def _langdetect_fr_en(text: str) -> tuple[float, float]:
    """langdetect's probabilities for French vs English."""
    from langdetect.lang_detect_exception import LangDetectException

    try:
        detector = _langdetect().create()
        detector.append(text)
        probs = {p.lang: p.prob for p in detector.get_probabilities()}
    except LangDetectException:  # no usable features in the text
        return 0.5, 0.5
    fr, en = probs.get("fr", 0.0), probs.get("en", 0.0)
    if fr + en == 0:
        return 0.5, 0.5
    return fr / (fr + en), en / (fr + en)


def _latin_scores(tokens: list[str], raw: str) -> dict[str, float]:
    arabizi = sum(1.0 for t in tokens if t in ARABIZI_WORDS)
    arabizi += sum(0.8 for t in tokens if t not in ARABIZI_WORDS and _ARABIZI_DIGIT_WORD.match(t))
    french = sum(1.0 for t in tokens if t in FRENCH_WORDS)
    french += 0.5 * len(_ACCENTED.findall(raw.lower()))
    english = sum(1.0 for t in tokens if t in ENGLISH_WORDS)
    return {"arabizi": arabizi, "fr": french, "en": english}


def identify(text: str) -> Detection:
    """Identify the language variety of one message."""
    if not text or not text.strip():
        return NO_SIGNAL
    requested = requested_language(text)
    tokens = _tokens(text)
    n = len(tokens)
    if n == 0:
        return Detection(None, None, "none", 0.0, 0, requested)

    arabic_letters = len(ARABIC_LETTER.findall(text))
    latin_letters = len(LATIN_LETTER.findall(_NOISE.sub(" ", text)))
    arabic_words = sum(1 for t in tokens if ARABIC_LETTER.match(t))
    latin_words = n - arabic_words

    # Latin tokens inside Arabic sentences are usually names and acronyms ("MDM Invest", "SARL")
    if arabic_letters > latin_letters or (arabic_words and arabic_words >= latin_words):
        darija_hits = sum(1 for t in tokens if t in DARIJA_WORDS)
        # "واحد السؤال": Darija's indefinite article, absent from MSA
        darija_hits += sum(1 for a, b in pairwise(tokens) if a == "واحد" and b.startswith("ال"))
        variety = "darija" if darija_hits >= 1 else "ar"
        confidence = 0.95 if arabic_words >= 2 else 0.8
        strength = "strong" if n >= STRONG_MIN_WORDS else "weak"
        return Detection(variety, ANSWER_LANGUAGE[variety], strength, confidence, n, requested)

    scores = _latin_scores(tokens, text)
    lexical_evidence = any(scores.values())
    if n >= STRONG_MIN_WORDS and lexical_evidence:
        fr_p, en_p = _langdetect_fr_en(" ".join(tokens))
        scores["fr"] += 1.5 * fr_p
        scores["en"] += 1.5 * en_p
    # Arabizi markers are very specific: weigh them up against French/English function words.
    scores["arabizi"] *= 1.6
    best = max(scores, key=lambda k: scores[k])
    total = sum(scores.values())
    if scores[best] <= 0:
        return Detection(None, None, "none", 0.0, n, requested)
    confidence = scores[best] / total if total else 0.0
    if n >= STRONG_MIN_WORDS and confidence >= 0.45 and lexical_evidence:
        strength = "strong"
    elif (n < STRONG_MIN_WORDS and (
        best == "arabizi"
        or (best == "fr" and set(tokens) & (_GREETING_FR | FRENCH_WORDS) and scores["en"] == 0)
        or (best == "en" and set(tokens) & (_GREETING_EN | ENGLISH_WORDS) and scores["fr"] == 0)
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
