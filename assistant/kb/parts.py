"""Two questions in one message, questions behind a greeting, a thank-you or a self-introduction,
and capitalised acronyms that are also words ("IS").

"Quelles sont les étapes et combien ça coûte ?", "capital and how many partners?",
"شنو هي المراحل وشحال كتكلف؟": the message is split before a conjunction followed by a
question word, or after a question mark followed by another question, so each part can be
searched on its own. The words are data (`assistant/words/conversation.yml`).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Final

from assistant.lexicon import load
from assistant.nlu.langid import identify
from assistant.text import normalize

MIN_PART_LETTERS: Final = 3


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    data = load("conversation")
    words = sorted({normalize(w) for ws in data["question_words"].values() for w in ws}, key=len, reverse=True)
    alternatives = "|".join(re.escape(w) for w in words)
    latin = "|".join(re.escape(normalize(c)) for c in data["conjunctions"]["latin"])
    arabic = "|".join(re.escape(normalize(c)) for c in data["conjunctions"]["arabic"])
    question = rf"{_not_polite()}(?:{alternatives})(?![\w'])"
    # the split point is kept at the conjunction: the second part starts with it ("et combien…")
    # (an Arabic-script word that is a question word of its own is not the conjunction attached to
    # one: "بغيت نعرف واش نقدر نحل شركة" is one question, not "و" + "اش")
    joint = re.compile(rf"(?<=\w)[\s,]+(?=(?:{latin})\s+{question})|(?<=\w)\s+(?!{question})(?=(?:{arabic})\s?{question})")
    after_mark = re.compile(r"(?<=[?؟])\s+(?=\S)")
    wanting = sorted({normalize(w) for ws in data["request_words"].values() for w in ws}, key=len, reverse=True)
    requests = "|".join(re.escape(w) for w in wanting)
    # (an Arabic-script request keeps its meaning with the conjunction glued: "وبغيت", "وأريد")
    asking = re.compile(rf"(?<![\w']){_not_polite()}(?:{alternatives}|(?:{arabic})?(?:{requests}))(?![\w'])|[?؟:]")
    return joint, after_mark, asking


@lru_cache(maxsize=1)
def _questioning() -> re.Pattern[str]:
    data = load("conversation")
    words = sorted({normalize(w) for ws in data["question_words"].values() for w in ws}, key=len, reverse=True)
    return re.compile(rf"(?<![\w']){_not_polite()}(?:{'|'.join(re.escape(w) for w in words)})(?![\w'])|[?؟]")


def _not_polite() -> str:
    """A lookahead refusing a question word that opens a phrase asking nothing ("من فضلك", please)."""
    return rf"(?!(?:{_alternatives('not_questions')})(?![\w']))"


def _alternatives(key: str) -> str:
    """A regex alternation of one phrase list of `conversation.yml`, longest phrase first."""
    data = load("conversation")
    phrases = sorted({normalize(w) for ws in data[key].values() for w in ws}, key=len, reverse=True)
    return "|".join(re.escape(p) for p in phrases)


@lru_cache(maxsize=1)
def _introduction() -> re.Pattern[str]:
    # a residence phrase takes the place after it (attached in Arabic script: "ساكن فإيطاليا"),
    # unless the place is Morocco: then the residence is what is asked
    # work abroad takes at most three words (the occupation), a place preposition (or one attached in
    # Arabic script) and a country of the diaspora ("أعمل مهندسا في ألمانيا"); either may be followed by
    # how long ("منذ عشرين سنة", "هادي عشرين عام")
    home = rf"(?:{_alternatives('home')})(?![\w'])"
    prepositions = "|".join(re.escape(normalize(p)) for ps in load("conversation")["place_prepositions"].values() for p in ps)
    working = (rf"(?:{_alternatives('work_abroad')})(?:\s+\S+){{0,3}}?\s+(?:(?:{prepositions})\s+|[{''.join(load('case_profile')['country_attached'])}])?"
               rf"(?:{_countries()})")
    return re.compile(rf"(?<![\w'])(?:(?P<abroad>(?:(?:{_alternatives('residence')})(?:\s+|(?<=[\u0600-\u06ff]))(?!{home})\S+"
                      rf"|{working})(?:{_stay_length()})?)|(?:{_alternatives('introduction')}))(?![\w'])")


def _countries() -> str:
    """A regex alternation of the countries of the diaspora (case_profile.yml), longest first."""
    names = {normalize(name) for code, ns in load("case_profile")["countries"].items() if code != "MA" for name in ns}
    return "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))


def _stay_length() -> str:
    """How long one has lived or worked there, after a residence (conversation.yml `stay_length`)."""
    data = load("conversation")["stay_length"]
    since, years, spans = ("|".join(re.escape(normalize(w)) for w in sorted(data[k], key=len, reverse=True))
                           for k in ("since", "years", "spans"))
    return rf"[\s,]+(?:{since})\s+(?:(?:\S+\s+){{0,2}}?(?:{years})|(?:{spans}))(?![\w'])"


def without_introduction(text: str) -> str:
    """The message without a self-introduction ("je suis marocain résidant en Belgique et je
    voudrais…" keeps "et je voudrais…"); the message itself when nothing else would be left."""
    normalised = normalize(text)
    rest = _introduction().sub(" ", normalised)
    rest = re.sub(r"\s+", " ", rest).strip(" ,;.")
    return rest if sum(ch.isalpha() for ch in rest) >= MIN_PART_LETTERS else normalised


def lives_abroad(text: str) -> bool:
    """Whether a self-introduction says the writer lives outside Morocco ("ana sakna f almania")."""
    return any(match.group("abroad") for match in _introduction().finditer(normalize(text)))


@lru_cache(maxsize=1)
def _from_country() -> tuple[tuple[re.Pattern[str], str], ...]:
    countries = sorted({normalize(name) for code, names in load("case_profile")["countries"].items() if code != "MA"
                        for name in names}, key=len, reverse=True)
    places = "|".join(re.escape(c) for c in countries)
    patterns = []
    for way in load("conversation")["from_country"].values():
        before = "|".join(re.escape(normalize(w)) for w in sorted(way["before"], key=len, reverse=True))
        articles = "".join(rf"{re.escape(normalize(a))}\s*|" for a in way["articles"])
        # (an Arabic-script country may carry its article attached: "من المانيا", "من لفرانسا")
        patterns.append((re.compile(rf"(?<![\w'])(?:{before})\s+(?:{articles})(?:{places})(?![\w'])"),
                         normalize(way["says"])))
    return tuple(patterns)


def from_country(text: str) -> str:
    """The (normalised) message with a country of the diaspora after "from" read as abroad
    ("c faisable depuis la france ?" is "c faisable depuis l'etranger ?", "من فرنسا" is
    "من الخارج"): the entries name doing it from abroad, not each country."""
    for pattern, says in _from_country():
        text = pattern.sub(says, text)
    return text


def names_a_country(text: str) -> bool:
    """Whether a message says "from" a country of the diaspora (`from_country`)."""
    normalised = normalize(text)
    return from_country(normalised) != normalised


def split_question(text: str) -> list[str]:
    """The parts of a message that asks several things (one part when it asks one)."""
    joint, after_mark, _ = _patterns()
    normalised = normalize(text)
    parts = []
    for piece in after_mark.split(normalised):
        parts += joint.split(piece)
    parts = [p.strip(" ,;.") for p in parts]
    parts = [p for p in parts if sum(ch.isalpha() for ch in p) >= MIN_PART_LETTERS]
    return parts if len(parts) > 1 else [normalised]


@lru_cache(maxsize=1)
def _openings() -> tuple[tuple[str, ...], frozenset[str]]:
    data = load("conversation")
    phrases = [*data["conjunctions"]["latin"], *data["conjunctions"]["arabic"],
               *(w for ws in data["continuations"].values() for w in ws)]
    asking = frozenset(normalize(w) for ws in data["question_words"].values() for w in ws)
    return tuple(sorted({normalize(p) for p in phrases}, key=len, reverse=True)), asking


@lru_cache(maxsize=1)
def _acknowledgements() -> tuple[str, ...]:
    """`acknowledgements` in assistant/words/conversation.yml, normalised, longest first."""
    words = {normalize(w) for ws in load("conversation")["acknowledgements"].values() for w in ws}
    return tuple(sorted(words, key=len, reverse=True))


def continues(text: str) -> bool:
    """Whether a message opens as the continuation of the previous answer ("et pour une SA ?",
    "and a SARL?", "w la SA?", "وبالنسبة لصارل؟", "وSA؟"), not as a question of its own
    ("c quoi une SARL ?"); the words are data (`continuations`, `conjunctions`)."""
    normalised = re.sub(r"[?؟!.,;:]+", " ", normalize(text)).strip()
    phrases, asking = _openings()
    # ("ok and if im an auto entrepreneur?": past the acknowledgements)
    while (thanks := next((a for a in _acknowledgements() if normalised.startswith(a + " ")), None)) is not None:
        normalised = normalised[len(thanks):].strip()
    if any(normalised == p or normalised.startswith(p + " ") for p in phrases):
        return True
    first = normalised.split(" ", 1)[0] if normalised else ""
    # Arabic "و" is written attached ("وطنجة؟"), unlike "واش" (a question word)
    return first.startswith("و") and len(first) > 1 and first not in asking


def acknowledges(text: str) -> bool:
    """Whether a message (or a part of one) says only thanks or ok ("ok merci", "thanks!", "واخا شكرا")."""
    rest = re.sub(r"[?؟!.,;:]+", " ", normalize(text)).strip()
    said = bool(rest)
    while (thanks := next((a for a in _acknowledgements() if rest == a or rest.startswith(a + " ")), None)) is not None:
        rest = rest[len(thanks):].strip()
    return said and not rest


def asks_a_question(text: str) -> bool:
    """A question mark or a question word: a question, not a request ("j'ai besoin d'aide" is none)."""
    return bool(_questioning().search(normalize(text)))


def asks_something(text: str) -> bool:
    """A question mark, a colon, a question word ("merci ! et le taux de TVA ?") or a request
    ("salam, ana sakn f italia w bghit nftah chi mchro3")."""
    return bool(_patterns()[2].search(normalize(text)))


@lru_cache(maxsize=1)
def _rejected() -> re.Pattern[str]:
    until = rf"(?<![\w'])(?:{_alternatives('rejected_until')})(?![\w'])"
    opening = rf"(?:,\s*(?:{_alternatives('rejected_after_break')}|{_alternatives('rejected')})|(?<![\w'])(?:{_alternatives('rejected')}))"
    return re.compile(rf"{opening}\s(?:(?!{until})[^,.;!?])*")


def without_rejected(text: str) -> str:
    """The (normalised) message without a clause naming what the writer does not want
    ("..., not start a company", "...وليس إنشاء شركة"): what someone rules out is no word of
    the question; the message itself when nothing else would be left."""
    rest = re.sub(r"\s+", " ", _rejected().sub(" ", text)).strip(" ,;.")
    return rest if sum(ch.isalpha() for ch in rest) >= MIN_PART_LETTERS else text


@lru_cache(maxsize=1)
def _time_clause() -> re.Pattern[str]:
    return re.compile(rf"(?<![\w'])(?:{_alternatives('time_clauses')})(?![\w'])[^,.;!?؟،]*")


def without_time_clause(text: str) -> str:
    """The (normalised) message without a clause saying when ("... avant d'aller chez le notaire",
    "... قبل l'immatriculation", `time_clauses` in conversation.yml), up to the next punctuation: the
    search reads the subjects it names as the question's moment, not as what is asked, when the rest
    names one of its own; the normalised message when it holds none."""
    return re.sub(r"\s+", " ", _time_clause().sub(" ", normalize(text))).strip()


@lru_cache(maxsize=1)
def _correction() -> re.Pattern[str]:
    return re.compile(rf"^\s*(?:(?:{_alternatives('corrections')})(?![\w'])|(?:{_alternatives('corrections_before_break')})\s*,)[\s,]*")


def without_correction(text: str) -> str:
    """The (normalised) message without a correction opening it ("non en fait c quoi le
    certificat negatif ?": what the certificate is; `corrections` in conversation.yml): setting
    the previous answer aside is no word of the question; the message itself when nothing else is left."""
    rest = _correction().sub("", text, count=1).strip()
    return rest if sum(ch.isalpha() for ch in rest) >= MIN_PART_LETTERS else text


#: An acronym's English plural: capitals then a lower-case "s" ("MREs"; `plurals` in acronyms.yml).
ACRONYM_PLURAL: Final = re.compile(r"(?<![^\W\d_])([A-Z]{2,})s(?![^\W\d_])")


def expand_acronyms(text: str) -> str:
    """Capitalised acronyms that are also words ("IS") replaced by what they stand for
    (`assistant/words/acronyms.yml`), unless the whole message is in capitals; their lower-case
    forms that are words of the message's variety before another word ("sa prend combien de
    temps ?" in French) dropped, so that the search does not read them as the subject."""
    # (only letters having a case, outside the acronyms themselves: "و IS؟" is Darija with an
    # acronym, not a message in capitals)
    acronyms = [*load("acronyms")["expansions"], *load("acronyms").get("plurals", ())]
    rest = re.sub("|".join(rf"(?<![^\W\d_]){re.escape(a)}s?(?![^\W\d_])" for a in acronyms), " ", text)
    cased = [ch for ch in rest if ch.isupper() or ch.islower()]
    if not any(ch.isalpha() for ch in text) or sum(ch.isupper() for ch in cased) > len(cased) / 2:
        return text
    plurals = set(load("acronyms").get("plurals", ()))  # "MREs": MRE ("mres" is no word of the base)
    text = ACRONYM_PLURAL.sub(lambda m: m.group(1) if m.group(1) in plurals else m.group(0), text)
    # after an elided article the acronym is no word, whatever its case ("et l'is ?" on a phone)
    for article in load("acronyms").get("elided_articles", ()):
        for acronym, names in load("acronyms")["expansions"].items():
            text = re.sub(rf"(?<![^\W\d_]){re.escape(article)}['’]{re.escape(acronym)}(?![^\W\d_])", f" {names[0]} ", text,
                          flags=re.IGNORECASE)
    # an article Arabizi glues to it, the acronym keeping its capitals ("ch7al lIS?", "w lIS?")
    for article in load("acronyms").get("glued_articles", ()):
        for acronym, names in load("acronyms")["expansions"].items():
            text = re.sub(rf"(?<![^\W\d_]){re.escape(article)}{re.escape(acronym)}(?![^\W\d_])", f" {names[0]} ", text)
    variety = identify(text).variety
    capital_names = load("acronyms").get("capital_names", {})
    for word in lowercase_words(variety):
        # (in capitals, the acronym: its name, which a lower-cased reading of the message keeps, "la
        # différence entre SA et SARL" lower-cased after an introduction is dropped)
        if word.upper() in capital_names:
            text = re.sub(rf"(?<![^\W\d_]){re.escape(word.upper())}(?=\s+[^\W\d_])", f" {capital_names[word.upper()][0]} ", text)
        text = re.sub(rf"(?<![^\W\d_]){re.escape(word)}(?=\s+[^\W\d_])", " ", text)
    lowered = set(load("acronyms").get("lowercase_acronyms", {}).get(variety or "", ()))
    for acronym, names in load("acronyms")["expansions"].items():
        # "taux is maroc": in French or Arabizi the lower-case "is" is no word, it is the IS; not in a
        # clause with English words, the English verb ("la différence entre SARL et SARL AU, which one is better")
        flags = re.IGNORECASE if acronym in lowered else 0
        text = re.sub(rf"(?<![^\W\d_]){re.escape(acronym)}(?![^\W\d_])",
                      lambda m, name=names[0]: m.group(0) if m.group(0).islower() and _in_english(m) else f" {name} ",
                      text, flags=flags)
    return text


#: a clause of a message: up to a comma or the end of a sentence
CLAUSE_END: Final = re.compile(r"[,;.!?؟،]")


@lru_cache(maxsize=1)
def _english_only() -> frozenset[str]:
    """The language identifier's English words that are no French nor Arabizi word (langid.yml)."""
    words = load("langid")
    return frozenset(words["english"]) - set(words["french"]) - set(words["arabizi"])


def _in_english(match: re.Match[str]) -> bool:
    """Whether the clause of `match` holds an English word besides it ("which one is better")."""
    text = match.string
    start = max((m.end() for m in CLAUSE_END.finditer(text, 0, match.start())), default=0)
    end = next((m.start() for m in CLAUSE_END.finditer(text, match.end())), len(text))
    words = normalize(text[start:match.start()] + " " + text[match.end():end]).split()
    return not _english_only().isdisjoint(words)


def lowercase_words(variety: str | None) -> tuple[str, ...]:
    """Acronyms that, in lower case, are common words of `variety` (`acronyms.yml`)."""
    return tuple(load("acronyms").get("lowercase_words", {}).get(variety or "", ()))


@lru_cache(maxsize=8)
def _phone_pattern(variety: str) -> tuple[re.Pattern[str] | None, dict[str, str]]:
    spellings = {str(k): str(v) for k, v in (load("phone_spellings")["spellings"].get(variety) or {}).items()}
    if not spellings:
        return None, spellings
    words = sorted(spellings, key=len, reverse=True)
    letters = "|".join(re.escape(w) for w in words if not w.isdigit())
    # a digit stands for a word only between two words ("how much 4 a sarl"), never in a number
    digits = "|".join(re.escape(w) for w in words if w.isdigit())
    alternatives = [f"(?<![\\w'-])(?:{letters})(?![\\w'-])"] if letters else []
    if digits:
        alternatives.append(f"(?<=[^\\W\\d_]\\s)(?:{digits})(?=\\s+[^\\W\\d_])")
    return re.compile("|".join(alternatives)), spellings


def spell_out_phone_words(text: str, variety: str | None = None) -> str:
    """A normalised message with its phone spellings written out (`assistant/words/phone_spellings.yml`)
    for its variety (identified when not given): "ki peut le faire" -> "qui peut le faire",
    "and 4 an sa?" -> "and for an sa?", "wat docs do i need" -> "what documents do i need"."""
    variety = variety or identify(text).variety
    pattern, spellings = _phone_pattern(variety or "")
    if pattern is None:
        return text
    return pattern.sub(lambda m: spellings[m.group(0)], text)
