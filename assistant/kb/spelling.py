"""Spelling-tolerant matching of the knowledge vocabulary.

People type on phones: "certifica negatif", "comerce", "entreprize", "corparate",
"buisness". A query term the knowledge base has never seen is replaced by a known term
one edit away (a letter dropped, doubled, replaced or two letters swapped), or, in Latin
letters, one with the same consonants ("katkalf" / "katkellef"), the most frequent one when
several are. Short terms are left alone ("sa" must not become "sas"). In Latin letters a consonant
replaced by another is a typo only between neighbouring keys or two spellings of one sound ("darija",
the language, is no "dariba", the tax). In Arabic script, where most words
of four or five letters are one letter away from another real word (احتل "occupy" and اتصل
"contact", أثناء "during" and انشاء "creation"), a term is corrected only by a letter added or
dropped (منزلي / منزل, رسوما / رسوم), or by a vowel letter or an emphatic consonant spelled
another way, as Darija writes borrowed words (الستاتو / الستاتي, الباتانطا / الباطانطا), never by
one letter replaced by another.
Terms are the normalised, lightly stemmed search terms (assistant.text.search_terms).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from itertools import pairwise
from typing import Final

from assistant.kb.compounds import hyphenated_names, joined
from assistant.lexicon import load
from assistant.text import ARABIC_LETTER, search_terms

MIN_LATIN: Final = 5  # shorter Latin terms are acronyms or function words
MIN_ARABIC: Final = 4
#: Arabizi and SMS spellings vary in their vowels and doubled letters ("katkalf", "katkellef"):
#: a Latin term with no known term one edit away is read as the known term with the same
#: consonant skeleton, when the skeleton is this long (shorter ones collide).
MIN_SKELETON: Final = 5
VOWELS: Final = frozenset("aeiouy")
#: Arabizi spellings of one sound, folded to one (digraphs first): 9/q/k (ق), 7/h (ح), 5/kh (خ),
#: ch/sh (ش), a hamza written 2 or not at all. Only unknown terms are folded, to a known term.
ARABIZI_SOUNDS: Final = (("sh", "ch"), ("kh", "5"), ("q", "9"), ("k", "9"), ("7", "h"), ("2", ""))
#: Letters Arabizi glues to a word (the article l-, the first person n- of a verb): an unknown Latin
#: term starting with one is read without it when at least `MIN_GLUED` letters follow and form a known term.
GLUED: Final = frozenset("ln")
MIN_GLUED: Final = 4
#: Darija conjugates a borrowed French verb on its stem, the person glued before it (n- I, t- you, y- he)
#: and a vowel after it ("nfermi", "nchangi", "ydeclari", "nferme", "tsigniw"): read as the verb's
#: infinitive ("fermer", "changer", "declarer", "signer") when the base knows it.
VERB_PERSONS: Final = frozenset("nty")
VERB_ENDINGS: Final = ("iw", "i", "e")
#: The object pronoun Darija glues after such a verb ("nfermiha": I close it, "ndeclarihom": I declare them).
VERB_OBJECTS: Final = ("hom", "ha", "h")
#: What is left in the search terms of the French article "la" glued to a word in Arabic script (لا).
FRENCH_ARTICLE: Final = "ا"
#: Shorter Latin terms are not folded (too many words of two or three letters).
MIN_SOUNDS: Final = 4
#: French words typed in Arabizi are spelled as they sound ("sosyete", "otoantreprener", "kridi"):
#: French spellings of one sound, folded to one (in this order), before vowels are folded to one.
FRENCH_SOUNDS: Final = (("eau", "o"), ("au", "o"), ("ph", "f"), ("qu", "k"), ("ck", "k"), ("ch", "$"), ("sh", "$"),
                        ("ge", "je"), ("gi", "ji"), ("ce", "se"), ("ci", "si"), ("cy", "si"), ("c", "k"), ("q", "k"), ("9", "k"), ("z", "s"),
                        ("tion", "sion"), ("eu", "e"), ("ai", "e"), ("ei", "e"), ("ou", "u"), ("w", "u"), ("y", "i"), ("en", "an"), ("em", "am"))
#: Vowels as heard: "e" and "i" (and "y", "ei", "ai") close, "o" and "u" ("ou", "au") round ("sosyete" /
#: "societe"), "a" open; one letter per sound ("pareil" is not "payroll").
VOWEL_SOUNDS: Final = {"e": "i", "y": "i", "o": "u"}
#: A Latin term is compared by its sound only when this long (shorter sound keys collide).
MIN_SOUND_KEY: Final = 5
#: The letters an Arabic-script correction may add or drop: vowel letters and the final ه/ة of a
#: pronoun or feminine ending (منزلي / منزل, رسوما / رسوم, محلي / محليه). A consonant added or
#: dropped makes another word (كفالة guarantee / وكالة agency, حكومة / حومة, قاعدة / قاعة).
ARABIC_ADDED: Final = frozenset("اويىه")
#: Letters Arabic-script spellings of one word exchange (vowel letters; a plain consonant and its
#: emphatic twin): the only replacements the correction makes in Arabic script.
#: The Arabic sound feminine plural: an unknown term ending in it is read as its singular when that is
#: known, with or without the feminine ending it replaces (الإعفاءات / إعفاء, الضمانات / ضمان, المساعدات /
#: مساعدة); at least `MIN_ARABIC_STEM` letters stay.
ARABIC_PLURAL: Final = "ات"
MIN_ARABIC_STEM: Final = 3
ARABIC_VARIANTS: Final = (frozenset("اويى"), frozenset("تط"), frozenset("سص"), frozenset("دض"), frozenset("ذزظ"), frozenset("هة"))
#: Keys next to each other on the QWERTY and AZERTY keyboards phones show (rows, then the key below
#: each key): a consonant typed for another in Latin letters is a typo only when the two keys touch.
KEY_ROWS: Final = ("qwertyuiop", "asdfghjkl", "zxcvbnm", "azertyuiop", "qsdfghjklm", "wxcvbn")
KEY_BELOW: Final = (("qwertyuiop", "asdfghjkl"), ("asdfghjkl", "zxcvbnm"), ("azertyuiop", "qsdfghjklm"), ("qsdfghjklm", "wxcvbn"))
#: Consonants spelling one sound in Darija and French typed in Latin letters (c/k/q/9 for ق or "k",
#: h/7 for ح, s/z/c): replaced for one another, they are one word spelt another way.
SAME_SOUNDS: Final = (frozenset("ckq9"), frozenset("h7"), frozenset("szc"))
#: The present prefix of a Darija verb, whose third letter is one of VERB_PERSONS ("kan-", "kay-",
#: "kat-": "kankhelles" and "kaykhelles" are one verb).
VERB_PREFIX: Final = "ka"
#: Darija's markers glued before a verb's person, present or future ("kaykhelles", "taykhelles" in the
#: north, "ghankhelles"; "كيخلص", "غنخلص"), longest first; after a modal the person stands alone ("khass
#: ykhelles", "باش نخلص"). One verb in any of these forms: an unknown form is read as a known one of the
#: same verb (`darija_verb`), when at least `MIN_VERB_STEM` letters follow the person.
DARIJA_MARKERS: Final = {True: ("gha", "ka", "ta"), False: ("غا", "كا", "غ", "ك")}
DARIJA_PERSONS: Final = {True: VERB_PERSONS, False: frozenset("ينت")}
MIN_VERB_STEM: Final = {True: 4, False: 3}


def other_spellings() -> dict[str, str]:
    """Each other spelling of a word of the knowledge vocabulary -> the word
    (`assistant/words/kb_spellings.yml`), both as search terms: "chrika" -> "charika"."""
    out: dict[str, str] = {}
    for word, spellings in load("kb_spellings")["spellings"].items():
        (known,) = search_terms(word)
        out.update({term: known for spelling in spellings for term in search_terms(spelling)})
    return out


def real_english_words() -> set[str]:
    """The English words the assistant reads for their meaning (`assistant/words/conversation.yml`, its
    English lists: "better", "compare", "same"), as search terms: real words, never typos of another
    word of the base ("better" is no "butter", a word of the VAT's answer)."""
    lists = load("conversation").values()
    return {t for words in lists if isinstance(words, dict) for w in words.get("en", []) for t in search_terms(w)}


def arabizi_key(term: str) -> str:
    """`term` with each Arabizi sound spelled one way ("nqder" and "n9der": "n9der")."""
    for spelling, sound in ARABIZI_SOUNDS:
        term = term.replace(spelling, sound)
    return term


def skeleton(term: str) -> str:
    """The first letter, then the other letters without vowels, doubled letters once."""
    out = term[:1]
    for ch in term[1:]:
        if ch not in VOWELS and ch != out[-1]:
            out += ch
    silent = len(out) > MIN_SOUND_KEY and out[-1] in "stx" and out[-2] in "aiu"  # "certificat" / "sertifika"
    return out[:-1] if silent else out


def sound_key(term: str) -> str:
    """`term` as it sounds: a mute final "e" dropped, French spellings folded (`FRENCH_SOUNDS`),
    vowels as heard (`VOWEL_SOUNDS`), doubled letters once, a silent final "s", "t" or "x" dropped from a
    long key: "sosyete" and "societe" are "susit",
    "otoantreprener" and "autoentrepreneur" "utuantriprinir"."""
    if len(term) > 4 and term.endswith("e") and term[-2] not in VOWELS:
        term = term[:-1]
    for spelling, sound in FRENCH_SOUNDS:
        term = term.replace(spelling, sound)
    out = ""
    for ch in term:
        ch = VOWEL_SOUNDS.get(ch, ch)
        if not out or ch != out[-1]:
            out += ch
    silent = len(out) > MIN_SOUND_KEY and out[-1] in "stx" and out[-2] in "aiu"  # "certificat" / "sertifika"
    return out[:-1] if silent else out


def arabic_variant(term: str, known: str) -> bool:
    """Whether an Arabic-script term is the known term with a vowel letter or a final ه added or
    dropped (`ARABIC_ADDED`), or with one letter spelled as its variant (`ARABIC_VARIANTS`): not
    another word one letter away."""
    if len(term) != len(known):
        longer, shorter = (term, known) if len(term) > len(known) else (known, term)
        return any(longer[:i] + longer[i + 1:] == shorter for i, ch in enumerate(longer) if ch in ARABIC_ADDED)
    diff = [(a, b) for a, b in zip(term, known, strict=True) if a != b]
    return len(diff) == 1 and any(set(diff[0]) <= pair for pair in ARABIC_VARIANTS)


def glued_prefix(term: str) -> str:
    """A Latin term without what Arabizi glues to a word: the article ("lbilan": "bilan"), also
    as the doubled first letter it becomes before some sounds ("ttaxe": "taxe", "ddariba"), or the
    first person of a borrowed verb ("nrapatrier": "rapatrier"), when what follows is long enough
    to be a word of its own (`MIN_GLUED`); the term itself otherwise."""
    if (term[:1] in GLUED or term[:1] == term[1:2]) and len(term) > MIN_GLUED and term.isascii() and term[1].isalpha():
        return term[1:]
    return term


def french_verb(term: str, known: Collection[str]) -> str | None:
    """The French infinitive a Darija form of a borrowed verb stands for ("nfermi", "nferme", "nfermiha":
    "fermer"; "nchangi": "changer"), when the base knows it; None otherwise."""
    if term[:1] not in VERB_PERSONS or len(term) <= MIN_GLUED or not term.isascii() or not term[1].isalpha():
        return None
    stems = [term[1:], *(term[1 : -len(o)] for o in VERB_OBJECTS if term.endswith(o))]
    for rest in stems:
        for ending in VERB_ENDINGS:
            if rest.endswith(ending) and (infinitive := rest[: -len(ending)] + "er") in known:
                return infinitive
    return None


def without_object(term: str, known: Collection[str], frequency: Mapping[str, int]) -> str | None:
    """A Darija verb the base knows, with the object pronoun glued after it ("nsedha": "nsed", I close
    it; "nkhallsohom": them), read as the verb alone, or as a known form of it (`darija_verb`); None
    when the term is no verb with a person (`VERB_PERSONS`, after a marker) or what is left is unknown."""
    if not term.isascii() or not term[:1].isalpha():
        return None
    core = next((term[len(m):] for m in DARIJA_MARKERS[True] if term.startswith(m)), term)
    if core[:1] not in VERB_PERSONS:
        return None
    for pronoun in VERB_OBJECTS[:2]:  # (a bare "h" ends too many words)
        verb = term[: -len(pronoun)]
        if not term.endswith(pronoun) or len(verb) - (len(term) - len(core)) < MIN_GLUED:
            continue
        if verb in known:
            return verb
        if (form := darija_verb(verb, frequency)) is not None:
            return form
    return None


def darija_verb(term: str, frequency: Mapping[str, int]) -> str | None:
    """The known form of the same Darija verb another marker or person makes ("ykhelles", "nkhelles",
    "ghaykhelles": "kaykhelles"; "يخلص": "كيخلص"), the most frequent one; None when the base knows none."""
    latin = term.isascii()
    if not term[:1].isalpha() or not (latin or ARABIC_LETTER.match(term)):
        return None
    persons = DARIJA_PERSONS[latin]
    core = next((term[len(m):] for m in DARIJA_MARKERS[latin] if term.startswith(m) and term[len(m):len(m) + 1] in persons), term)
    if core[:1] not in persons or len(core) - 1 < MIN_VERB_STEM[latin]:
        return None
    # (a marker on one side: two bare forms may be two nouns, "نجارة" carpentry and "تجارة" trade)
    stem, marker = core[1:], DARIJA_MARKERS[latin][1]
    forms = {marker + p + stem for p in persons} | ({p + stem for p in persons} if core != term else set())
    found = sorted(f for f in forms - {term} if f in frequency)
    return max(found, key=lambda f: frequency[f]) if found else None


def french_article_glued(term: str) -> str | None:
    """An Arabic-script term without the French article Darija glues to a borrowed word, "la" written
    لا ("لاكابيطال", "لاسوسيتي", "لاتيفا": the capital, the company, the VAT), of which the search
    terms keep the alif (the ل is read as "for"): "اكابيطال" -> "كابيطال", when a word of its own
    (`MIN_ARABIC`) follows; None otherwise."""
    if term.startswith(FRENCH_ARTICLE) and len(term) - len(FRENCH_ARTICLE) >= MIN_ARABIC and ARABIC_LETTER.match(term):
        return term[len(FRENCH_ARTICLE):]
    return None


def one_edit(a: str, b: str) -> bool:
    """Whether `b` is `a` with one letter dropped, added or replaced, or two neighbours swapped
    (two terms sharing a variant with one letter dropped may be two edits apart: "chere" and
    "cered" both give "cere")."""
    if a == b or abs(len(a) - len(b)) > 1:
        return a == b
    if len(a) > len(b):
        a, b = b, a
    i = next((k for k in range(len(a)) if a[k] != b[k]), len(a))
    if len(a) < len(b):
        return a[i:] == b[i + 1:]
    swapped = i + 1 < len(a) and a[i] == b[i + 1] and a[i + 1] == b[i] and a[i + 2:] == b[i + 2:]
    return a[i + 1:] == b[i + 1:] or swapped


def neighbours() -> dict[str, set[str]]:
    """Each Latin letter -> the keys next to it on either keyboard (`KEY_ROWS`, `KEY_BELOW`)."""
    out: dict[str, set[str]] = {}
    for row in KEY_ROWS:
        for a, b in pairwise(row):
            out.setdefault(a, set()).add(b)
            out.setdefault(b, set()).add(a)
    for upper, lower in KEY_BELOW:
        for i, a in enumerate(upper):
            for b in lower[max(0, i - 1): i + 1]:
                out.setdefault(a, set()).add(b)
                out.setdefault(b, set()).add(a)
    return out


NEIGHBOURS: Final = neighbours()


def typed_for(term: str, known: str) -> bool:
    """Whether a Latin term one letter replaced away from a known term can be a typo of it: the
    letters differ by a vowel for another, by neighbouring keys or by one sound spelt two ways (`SAME_SOUNDS`).
    Another consonant makes another word: "darija" is no "dariba" (tax), "touriste" no "tourisme",
    "score" no "store". Other edits (a letter added, dropped or two swapped) are typos."""
    if len(term) != len(known) or not term.isascii():
        return True
    diff = [(a, b) for a, b in zip(term, known, strict=True) if a != b]
    if len(diff) != 1:
        return True  # (two neighbours swapped)
    a, b = diff[0]
    person = term.startswith(VERB_PREFIX) and term[2] != known[2] and {a, b} <= VERB_PERSONS
    return {a, b} <= VOWELS or b in NEIGHBOURS.get(a, set()) or any({a, b} <= same for same in SAME_SOUNDS) or person


def deletes(term: str) -> set[str]:
    return {term[:i] + term[i + 1:] for i in range(len(term))}


class SpellingCorrector:
    """Maps unknown terms to known terms at edit distance one (symmetric-delete lookup)."""

    def __init__(self, frequencies: Counter[str] | dict[str, int], extra_known: Iterable[str] = (),
                 names: Iterable[str] = ()) -> None:
        self.frequency = dict(frequencies)
        self.compounds = hyphenated_names(names)  # the subjects' hyphenated names (compounds.py)
        self.known = set(self.frequency) | set(extra_known) | real_english_words()
        # other spellings of a word read as the word, even when an entry spells it that way
        self.spellings = {t: word for t, word in other_spellings().items() if word in self.frequency}
        self._by_variant: dict[str, set[str]] = {}
        self._by_skeleton: dict[str, set[str]] = {}
        self._by_sounds: dict[str, set[str]] = {}
        self._by_sound_key: dict[str, set[str]] = {}
        for term in self.frequency:
            if self._sounds_of(term):
                self._by_sounds.setdefault(arabizi_key(term), set()).add(term)
            if self._long_enough(term):
                for variant in {term, *deletes(term)}:
                    self._by_variant.setdefault(variant, set()).add(term)
            if self._skeleton_of(term):
                self._by_skeleton.setdefault(skeleton(term), set()).add(term)
            if self._sound_key_of(term):
                self._by_sound_key.setdefault(sound_key(term), set()).add(term)

    @staticmethod
    def _skeleton_of(term: str) -> bool:
        return term.isascii() and sum(ch.isalpha() for ch in term) >= MIN_LATIN and len(skeleton(term)) >= MIN_SKELETON

    @staticmethod
    def _sound_key_of(term: str) -> bool:
        return term.isascii() and term.isalnum() and len(sound_key(term)) >= MIN_SOUND_KEY

    @staticmethod
    def _sounds_of(term: str) -> bool:
        """A Latin term long enough to fold its Arabizi spellings (digits count as letters)."""
        return term.isascii() and len(term) >= MIN_SOUNDS and any(ch.isalpha() for ch in term)

    @staticmethod
    def _long_enough(term: str) -> bool:
        if any(ch.isdigit() for ch in term):
            return False
        return len(term) >= (MIN_ARABIC if ARABIC_LETTER.match(term) else MIN_LATIN)

    def correct(self, term: str, by_sound: bool = False) -> str:
        """The known term `term` stands for; `by_sound`: also a French word typed as it sounds, in
        Darija only (in English "patent" is no "patente", "visit" no "visait")."""
        if term in self.spellings:
            return self.spellings[term]
        if term in self.known:
            return term
        if (verb := french_verb(term, self.known)) is not None:
            # a French verb conjugated in Darija ("nfermi la société": "fermer"), before "ferme" (a farm);
            # in any variety the language identification gives a mixed message
            return verb
        if (rest := glued_prefix(term)) in self.known:
            return rest  # Arabizi glues the article to a word ("lbilan"), "I" to a French verb ("nrapatrier")
        if (verb := without_object(term, self.known, self.frequency)) is not None:
            return verb  # a Darija verb with its object glued ("nsedha": "nsed", I close it)
        if by_sound and (word := french_article_glued(term)) and (word in self.known or word in self.spellings):
            return self.spellings.get(word, word)  # "لاكابيطال", "لاتيفا": the French "la" glued in Darija
        if (singular := self._arabic_singular(term)) is not None:
            return singular
        candidates: set[str] = set()
        if self._sounds_of(term):  # the same word with another spelling of its sounds
            candidates = self._by_sounds.get(arabizi_key(term), set())
        if not candidates and self._long_enough(term):
            for variant in {term, *deletes(term)}:
                candidates |= self._by_variant.get(variant, set())
            candidates = {c for c in candidates if c[0] == term[0] and one_edit(term, c) and typed_for(term, c)}
            if ARABIC_LETTER.match(term):  # a letter added or dropped, or a spelling variant
                candidates = {c for c in candidates if arabic_variant(term, c)}
        if not candidates and self._skeleton_of(term):
            candidates = self._by_skeleton.get(skeleton(term), set())
        if not candidates and by_sound and self._sound_key_of(term):  # a French word spelled as it sounds
            candidates = self._by_sound_key.get(sound_key(term), set())
        if not candidates:
            # another person or marker of a verb the base knows ("ghankhelles": "kaykhelles"), or the term
            return darija_verb(term, self.frequency) or term
        return max(sorted(candidates), key=lambda c: self.frequency.get(c, 0))

    def _arabic_singular(self, term: str) -> str | None:
        """The known singular of an unknown Arabic plural in -ات, or None."""
        stem = term[: -len(ARABIC_PLURAL)]
        if not (term.endswith(ARABIC_PLURAL) and ARABIC_LETTER.match(term) and len(stem) >= MIN_ARABIC_STEM):
            return None
        found = [word for word in (stem, stem + "ه", stem + "ة") if word in self.known]
        return max(found, key=lambda w: self.frequency.get(w, 0)) if found else None

    def correct_terms(self, terms: Iterable[str], by_sound: bool = False) -> list[str]:
        return joined([self.correct(t, by_sound) for t in terms], self.compounds)
